"""The model chosen once, in a settings object, and read at the call."""

from anthropic import AI_PROMPT, HUMAN_PROMPT, Anthropic


class Settings:
    model = "claude-2.1"
    max_tokens = 100


class Bot:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client = Anthropic()

    def reply(self, message: str) -> str:
        response = self.client.completions.create(
            model=self.settings.model,
            max_tokens_to_sample=self.settings.max_tokens,
            prompt=f"{HUMAN_PROMPT} {message}{AI_PROMPT}",
        )
        return response.completion


print(Bot(Settings()).reply("Hello!"))
