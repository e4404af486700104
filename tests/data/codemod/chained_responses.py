# transcript migrate: --model-map claude-2.1=claude-sonnet-4-5
from anthropic import HUMAN_PROMPT, AI_PROMPT, Anthropic
client = Anthropic()
first = client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=10, prompt=f"{HUMAN_PROMPT} hi{AI_PROMPT}")
second = client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=10, prompt=f"{HUMAN_PROMPT} Improve: {first.completion}{AI_PROMPT}")
print(second.completion)
