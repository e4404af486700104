# transcript migrate: --model-map claude-2.1=claude-sonnet-4-5
import os
from anthropic import Anthropic, HUMAN_PROMPT, AI_PROMPT

anthropic = Anthropic(
	api_key=os.getenv("KEY"),
	)

response = anthropic.completions.create(
	model="claude-2.1",
	max_tokens_to_sample=350,
	prompt=f"{HUMAN_PROMPT} How do I bake bread?{AI_PROMPT}",
	)

print(f"Response: {response}")
print(f"Completion: {response.completion}")
