"""Stream a story to the terminal as it is written (stream=True)."""

from anthropic import Anthropic

client = Anthropic()

with client.messages.stream(
    messages=[{"role": "user", "content": "Write a two-line poem about the sea."}],
    max_tokens=300,
    model="claude-sonnet-4-5",
) as stream:
    for text in stream.text_stream:
        print(text, end="", flush=True)
print()
