from anthropic import Anthropic

client = Anthropic()
MODEL = "claude-2.1"
print(client.messages.create(model=MODEL, max_tokens=100, messages=[
    {"role": "user", "content": "Hi"},
]).content[0].text)
print(client.messages.create(model="claude-2", max_tokens=9000, messages=[
    {"role": "user", "content": "Hi"},
]).content[0].text)
print(client.messages.create(model="claude-instant-1.2", max_tokens=10, messages=[
    {"role": "user", "content": "Hi"},
]).content[0].text)
