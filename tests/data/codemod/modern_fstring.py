# transcript migrate: --model-map claude-2.1=claude-sonnet-4-5
import anthropic
from anthropic import HUMAN_PROMPT, AI_PROMPT, Anthropic

client = Anthropic()  # the client


def ask(question: str) -> str:
    prompt = f"You are terse.{HUMAN_PROMPT} {question}{AI_PROMPT}"
    response = client.completions.create(
        model="claude-2.1",
        max_tokens_to_sample=300,
        prompt=prompt,
        stop_sequences=[HUMAN_PROMPT, "END"],
    )
    if response.stop_reason == "stop_sequence":
        pass
    return response.completion


def stream(q):
    for event in client.completions.create(model="claude-2.1", max_tokens_to_sample=300, prompt=HUMAN_PROMPT + " " + q + AI_PROMPT, stream=True):
        print(event.completion, end="")

print(ask("hi").split(HUMAN_PROMPT))
