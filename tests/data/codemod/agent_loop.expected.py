from anthropic import Anthropic

client = Anthropic()


def chat(first: str, questions: list[str]) -> str:
    messages = [{"role": "user", "content": first}]
    for q in questions:
        r = client.messages.create(model="claude-sonnet-4-5", max_tokens=100, system="You are terse.", messages=messages)
        # keep the conversation going
        messages += [{"role": "assistant", "content": r.content[0].text}, {"role": "user", "content": q}]
    return "done"
