"""A support bot: a system preamble, then the customer's question (concatenation)."""

import sys

from anthropic import AI_PROMPT, HUMAN_PROMPT, Anthropic

PREAMBLE = "You are a helpful support agent for Acme Widgets. Answer in one sentence."


def answer(client: Anthropic, question: str) -> str:
    prompt = PREAMBLE + HUMAN_PROMPT + " " + question + AI_PROMPT
    response = client.completions.create(
        model="claude-2.1",
        max_tokens_to_sample=200,
        stop_sequences=[HUMAN_PROMPT, "END"],
        prompt=prompt,
    )
    return response.completion.strip()


if __name__ == "__main__":
    client = Anthropic()
    print(answer(client, sys.argv[1] if len(sys.argv) > 1 else "How do I reset my widget?"))
