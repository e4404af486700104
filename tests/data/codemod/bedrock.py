# transcript migrate: --model-map anthropic.claude-v2=anthropic.claude-sonnet-4-5-20250929-v1:0
from anthropic_bedrock import AnthropicBedrock, HUMAN_PROMPT, AI_PROMPT

client = AnthropicBedrock()
completion = client.completions.create(
    model="anthropic.claude-v2",
    max_tokens_to_sample=256,
    prompt=f"{HUMAN_PROMPT} Tell me a joke {AI_PROMPT} Sure,",
)
print(completion.completion)
