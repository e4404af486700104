# transcript migrate: --model-map claude-2.1=claude-sonnet-4-5
from anthropic import Anthropic
client = Anthropic()
names = client.messages.create(model="claude-sonnet-4-5", max_tokens=60, extra_body={"temperature": 0.9, "top_k": 40},
    messages=[{"role": "user", "content": "Suggest three names for a coffee shop."}])
other = client.messages.create(model="claude-sonnet-4-5", max_tokens=60, extra_body={"x": 1, "top_p": 0.5},
    messages=[{"role": "user", "content": "Suggest three names for a coffee shop."}])
print(names.content[0].text, other.content[0].text)
