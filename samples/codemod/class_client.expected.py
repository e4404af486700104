"""A small wrapper class that keeps the client on self."""

from anthropic import Anthropic


class Summarizer:
    def __init__(self) -> None:
        self.client = Anthropic()

    def summarize(self, text: str) -> str:
        response = self.client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=150,
            messages=[
                {"role": "user", "content": f"Summarize in one sentence:\n\n{text}"},
            ],
        )
        return response.content[0].text.strip()


if __name__ == "__main__":
    bot = Summarizer()
    print(bot.summarize("Transcript migrates legacy Text Completions code to the Messages API."))
