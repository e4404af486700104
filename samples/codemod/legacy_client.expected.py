"""A 0.2-era script: anthropic.Client(key), a dict response and a cumulative stream."""

import os

import anthropic

c = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])

resp = c.messages.create(
    messages=[{"role": "user", "content": "How many legs does a spider have?"}],
    model="claude-sonnet-4-5",
    max_tokens=100,
)
print(resp.content[0].text)

# Each event of a 0.2 stream held the whole completion so far: print what is new.
last = ""
with c.messages.stream(
    messages=[{"role": "user", "content": "Count from one to five."}],
    max_tokens=200,
    model="claude-sonnet-4-5",
) as response:
    completion = ""
    for text_1 in response.text_stream:
        completion += text_1
        text = completion
        print(text[len(last):], end="")
        last = text
print()
