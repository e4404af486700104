from anthropic import Anthropic

client = Anthropic()
STOPS = ["\n\nObservation:"]


def step(q: str) -> str:
    r = client.messages.create(model="claude-sonnet-4-5", max_tokens=100, messages=[
        {"role": "user", "content": q},
    ], stop_sequences=STOPS)
    if r.stop_reason in ("stop_sequence", "max_tokens"):
        return r.content[0].text
    return ""


def only_builtin(q: str) -> str:
    return client.messages.create(
        model="claude-sonnet-4-5",
        messages=[{"role": "user", "content": q}],
        max_tokens=100,
    ).content[0].text
