"""A 0.2-era script: anthropic.Client(key), a dict response and a cumulative stream."""

import os

import anthropic

c = anthropic.Client(os.environ["ANTHROPIC_API_KEY"])

resp = c.completion(
    prompt=f"{anthropic.HUMAN_PROMPT} How many legs does a spider have?{anthropic.AI_PROMPT}",
    stop_sequences=[anthropic.HUMAN_PROMPT],
    model="claude-2.1",
    max_tokens_to_sample=100,
)
print(resp["completion"])

response = c.completion_stream(
    prompt=f"{anthropic.HUMAN_PROMPT} Count from one to five.{anthropic.AI_PROMPT}",
    stop_sequences=[anthropic.HUMAN_PROMPT],
    max_tokens_to_sample=200,
    model="claude-2.1",
    stream=True,
)
# Each event of a 0.2 stream held the whole completion so far: print what is new.
last = ""
for data in response:
    text = data["completion"]
    print(text[len(last):], end="")
    last = text
print()
