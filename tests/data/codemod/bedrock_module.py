# transcript migrate: --model-map anthropic.claude-instant-v1=anthropic.claude-haiku-4-5-20251001-v1:0
import anthropic_bedrock
from anthropic_bedrock import AI_PROMPT, HUMAN_PROMPT

with anthropic_bedrock.AnthropicBedrock(aws_region="us-east-1") as client:
    done = client.completions.create(
        model="anthropic.claude-instant-v1",
        max_tokens_to_sample=50,
        prompt="Human: no blank lines before me" + AI_PROMPT,
    )
    print(done.completion.strip())
    print(client.completions.create(model="anthropic.claude-instant-v1", max_tokens_to_sample=50, prompt=f"{HUMAN_PROMPT} hi{AI_PROMPT}").completion)
