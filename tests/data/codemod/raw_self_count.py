# transcript migrate: --model-map claude-2.1=claude-sonnet-4-5
from anthropic import Anthropic, HUMAN_PROMPT, AI_PROMPT


class Bot:
    def __init__(self):
        self.client = Anthropic()

    def ask(self, q: str) -> str:
        raw = self.client.completions.with_raw_response.create(model="claude-2.1", max_tokens_to_sample=5, prompt=HUMAN_PROMPT + q + AI_PROMPT)
        print(raw.headers.get("request-id"))
        return raw.parse().completion

    def count(self, text):
        return self.client.count_tokens(text)


class Anthropic2:
    pass
