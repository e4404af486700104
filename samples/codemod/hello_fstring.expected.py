"""Ask Claude one question (anthropic 0.3 style)."""
from anthropic import Anthropic

client = Anthropic()


def main() -> None:
    question = "What is the capital of France?"
    completion = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=300,
        messages=[{"role": "user", "content": question}],
    )
    print(completion.content[0].text)


if __name__ == "__main__":
    main()
