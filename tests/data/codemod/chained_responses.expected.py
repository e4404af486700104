# transcript migrate: --model-map claude-2.1=claude-sonnet-4-5
from anthropic import Anthropic
client = Anthropic()
first = client.messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=[
    {"role": "user", "content": "hi"},
])
second = client.messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=[
    {"role": "user", "content": f"Improve: {first.content[0].text}"},
])
print(second.content[0].text)
