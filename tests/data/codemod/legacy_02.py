# transcript migrate: --model-map claude-v1=claude-haiku-4-5
import os
import anthropic

client = anthropic.Client(os.environ["KEY"])
resp = client.completion(
    prompt=f"{anthropic.HUMAN_PROMPT} Hello{anthropic.AI_PROMPT}",
    stop_sequences=[anthropic.HUMAN_PROMPT],
    model="claude-v1",
    max_tokens_to_sample=100,
)
print(resp["completion"])

for data in client.completion_stream(prompt=f"{anthropic.HUMAN_PROMPT} Hi{anthropic.AI_PROMPT}", model="claude-v1", max_tokens_to_sample=10):
    print(data["completion"])
