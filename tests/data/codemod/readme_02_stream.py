# transcript migrate: --model-map claude-2.1=claude-sonnet-4-5
import os
import anthropic
from anthropic import HUMAN_PROMPT, AI_PROMPT
PREAMBLE = "You are a helpful support agent."
client = anthropic.Anthropic()
def f(question):
    prompt = PREAMBLE + HUMAN_PROMPT + " " + question + AI_PROMPT
    response = client.completions.create(
        model="claude-2.1",
        max_tokens_to_sample=200,
        stop_sequences=[HUMAN_PROMPT, "END"],
        prompt=prompt,
    )
    return response.completion
c = anthropic.Client(os.environ["ANTHROPIC_API_KEY"])
response = c.completion_stream(
    prompt=f"{anthropic.HUMAN_PROMPT} Count from one to five.{anthropic.AI_PROMPT}",
    stop_sequences=[anthropic.HUMAN_PROMPT],
    max_tokens_to_sample=200, model="claude-2.1", stream=True,
)
last = ""
for data in response:
    text = data["completion"]
    print(text[len(last):], end="")
    last = text
