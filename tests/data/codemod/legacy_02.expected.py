# transcript migrate: --model-map claude-v1=claude-haiku-4-5
import os
import anthropic

client = anthropic.Anthropic(api_key=os.environ["KEY"])
resp = client.messages.create(
    messages=[{"role": "user", "content": "Hello"}],
    model="claude-haiku-4-5",
    max_tokens=100,
)
print(resp.content[0].text)

with client.messages.stream(messages=[{"role": "user", "content": "Hi"}], model="claude-haiku-4-5", max_tokens=10) as stream:
    completion = ""
    for text in stream.text_stream:
        completion += text
        print(completion)
