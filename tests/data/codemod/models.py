from anthropic import Anthropic

client = Anthropic()
MODEL = "claude-2.1"
print(client.completions.create(model=MODEL, max_tokens_to_sample=100, prompt="\n\nHuman: Hi\n\nAssistant:").completion)
print(client.completions.create(model="claude-2", max_tokens_to_sample=9000, prompt="\n\nHuman: Hi\n\nAssistant:").completion)
print(client.completions.create(model="claude-instant-1.2", max_tokens_to_sample=10, prompt="\n\nHuman: Hi\n\nAssistant:").completion)
