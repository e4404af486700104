from anthropic import HUMAN_PROMPT, AI_PROMPT
import anthropic as sdk


def turns(log: str) -> list[str]:
    return log.split(HUMAN_PROMPT)


def last(log: str) -> str:
    return log.rsplit(sdk.AI_PROMPT, 1)[-1]


print(f"marker: {HUMAN_PROMPT!r}")
print(rf"{AI_PROMPT}")
