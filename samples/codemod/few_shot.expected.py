"""Few-shot extraction with a literal multi-turn prompt."""

import anthropic

messages = [
    {"role": "user", "content": 'Extract the city from: "I flew to Paris last week."'},
    {"role": "assistant", "content": "Paris"},
    {"role": "user", "content": 'Extract the city from: "Our office moved to Berlin."'},
    {"role": "assistant", "content": "Berlin"},
    {"role": "user", "content": 'Extract the city from: "She grew up in Lisbon."'},
]

client = anthropic.Anthropic()
reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=messages)
city = reply.content[0].text.strip()
if reply.stop_reason == "max_tokens":
    print("cut short")
print(city)
