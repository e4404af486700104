"""Ask Claude one question (anthropic 0.3 style)."""
from anthropic import AI_PROMPT, HUMAN_PROMPT, Anthropic

client = Anthropic()


def main() -> None:
    question = "What is the capital of France?"
    completion = client.completions.create(
        model="claude-2.1",
        max_tokens_to_sample=300,
        prompt=f"{HUMAN_PROMPT} {question}{AI_PROMPT}",
    )
    print(completion.completion)


if __name__ == "__main__":
    main()
