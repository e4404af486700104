import anthropic as sdk


def turns(log: str) -> list[str]:
    return log.split("\n\nHuman:")


def last(log: str) -> str:
    return log.rsplit("\n\nAssistant:", 1)[-1]


print("marker: '\\n\\nHuman:'")
print(rf"{AI_PROMPT}")
