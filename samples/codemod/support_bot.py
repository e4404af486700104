"""A support bot written for the Text Completions API (anthropic 0.x): the README's example."""

import anthropic
from anthropic import AI_PROMPT, HUMAN_PROMPT

client = anthropic.Anthropic()
PREAMBLE = "You are a support agent for Acme. Answer in one paragraph."


def answer(question: str) -> str:
    prompt = f"{PREAMBLE}{HUMAN_PROMPT} {question}{AI_PROMPT}"
    response = client.completions.create(
        model="claude-2.1",
        max_tokens_to_sample=300,
        stop_sequences=[HUMAN_PROMPT],
        prompt=prompt,
    )
    return response.completion.strip()


def stream_answer(question: str) -> None:
    for event in client.completions.create(
        model="claude-2.1",
        max_tokens_to_sample=300,
        prompt=f"{PREAMBLE}{HUMAN_PROMPT} {question}{AI_PROMPT}",
        stream=True,
    ):
        print(event.completion, end="", flush=True)
    print()


if __name__ == "__main__":
    print(answer("How do I reset my password?"))
    stream_answer("Where is my order?")
