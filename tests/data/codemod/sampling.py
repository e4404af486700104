# transcript migrate: --model-map claude-2.1=claude-sonnet-4-5
from anthropic import AI_PROMPT, HUMAN_PROMPT, Anthropic
client = Anthropic()
names = client.completions.create(model="claude-2.1", max_tokens_to_sample=60, temperature=0.9, top_k=40,
    prompt=f"{HUMAN_PROMPT} Suggest three names for a coffee shop.{AI_PROMPT}")
other = client.completions.create(model="claude-2.1", max_tokens_to_sample=60, extra_body={"x": 1}, top_p=0.5,
    prompt=f"{HUMAN_PROMPT} Suggest three names for a coffee shop.{AI_PROMPT}")
print(names.completion, other.completion)
