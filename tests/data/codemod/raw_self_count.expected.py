# transcript migrate: --model-map claude-2.1=claude-sonnet-4-5
from anthropic import Anthropic


class Bot:
    def __init__(self):
        self.client = Anthropic()

    def ask(self, q: str) -> str:
        raw = self.client.messages.with_raw_response.create(model="claude-sonnet-4-5", max_tokens=5, messages=[
            {"role": "user", "content": q},
        ])
        print(raw.headers.get("request-id"))
        return raw.parse().content[0].text

    def count(self, text):
        return self.client.messages.count_tokens(model="claude-sonnet-4-5", messages=[{"role": "user", "content": text}]).input_tokens


class Anthropic2:
    pass
