# transcript migrate: --model-map anthropic.claude-instant-v1=anthropic.claude-haiku-4-5-20251001-v1:0
import anthropic

with anthropic.AnthropicBedrock(aws_region="us-east-1") as client:
    done = client.messages.create(
        model="anthropic.claude-haiku-4-5-20251001-v1:0",
        max_tokens=50,
        messages=[{"role": "user", "content": "no blank lines before me"}],
    )
    print(done.content[0].text.strip())
    print(client.messages.create(model="anthropic.claude-haiku-4-5-20251001-v1:0", max_tokens=50, messages=[
        {"role": "user", "content": "hi"},
    ]).content[0].text)
