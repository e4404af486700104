"""Stream a story to the terminal as it is written (stream=True)."""

from anthropic import AI_PROMPT, HUMAN_PROMPT, Anthropic

client = Anthropic()

stream = client.completions.create(
    prompt=f"{HUMAN_PROMPT} Write a two-line poem about the sea.{AI_PROMPT}",
    max_tokens_to_sample=300,
    model="claude-2.1",
    stream=True,
)
for event in stream:
    print(event.completion, end="", flush=True)
print()
