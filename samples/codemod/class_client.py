"""A small wrapper class that keeps the client on self."""

from anthropic import AI_PROMPT, HUMAN_PROMPT, Anthropic


class Summarizer:
    def __init__(self) -> None:
        self.client = Anthropic()

    def summarize(self, text: str) -> str:
        response = self.client.completions.create(
            model="claude-2.1",
            max_tokens_to_sample=150,
            prompt=f"{HUMAN_PROMPT} Summarize in one sentence:\n\n{text}{AI_PROMPT}",
        )
        return response.completion.strip()


if __name__ == "__main__":
    bot = Summarizer()
    print(bot.summarize("Transcript migrates legacy Text Completions code to the Messages API."))
