# transcript migrate: --model-map claude-2.1=claude-sonnet-4-5
import os
from anthropic import Anthropic

anthropic = Anthropic(
	api_key=os.getenv("KEY"),
	)

response = anthropic.messages.create(
	model="claude-sonnet-4-5",
	max_tokens=350,
	messages=[{"role": "user", "content": "How do I bake bread?"}],
	)

print(f"Response: {response}")
print(f"Completion: {response.content[0].text}")
