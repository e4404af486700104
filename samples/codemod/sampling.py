"""Brainstorm product names: sampling parameters carried over to the Messages call."""

from anthropic import AI_PROMPT, HUMAN_PROMPT, Anthropic

client = Anthropic()

names = client.completions.create(
    model="claude-2.1",
    max_tokens_to_sample=60,
    temperature=0.9,
    top_k=40,
    prompt=f"{HUMAN_PROMPT} Suggest three names for a coffee shop, one a line.{AI_PROMPT}",
)
for line in names.completion.strip().splitlines():
    print("-", line.strip())
