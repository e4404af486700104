# transcript migrate: --model-map anthropic.claude-v2=anthropic.claude-sonnet-4-5-20250929-v1:0
from anthropic import AnthropicBedrock

client = AnthropicBedrock()
completion = client.messages.create(
    model="anthropic.claude-sonnet-4-5-20250929-v1:0",
    max_tokens=256,
    messages=[
        {"role": "user", "content": "Tell me a joke "},
        {"role": "assistant", "content": "Sure,"},
    ],
)
print(completion.content[0].text)
