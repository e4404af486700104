import anthropic

client = anthropic.Anthropic()


def ask(prompt):
    return client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=10, prompt=prompt).completion


def agent(qs):
    messages = [{"role": "user", "content": "start"}]
    for q in qs:
        r = client.messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=messages)
        messages += [{"role": "assistant", "content": r.content[0].text}, {"role": "user", "content": q}]


def ret():
    return client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=10, prompt="\n\nHuman: x\n\nAssistant:")


def kw(**params):
    return client.completions.create(prompt="\n\nHuman: x\n\nAssistant:", **params).completion


def mixed():
    a = client.messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=[{"role": "user", "content": "x"}])
    b = client.messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=[
        {"role": "user", "content": "x"},
    ])
    return a.content[0].text + b.content[0].text


def prefill(q: str, start: str):
    messages = [
        {"role": "user", "content": q},
        {"role": "assistant", "content": start.rstrip()},
    ]
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=messages, extra_body={"temperature": 1.5}).content[0].text

def stops(extra):
    s = ["\n\nHuman:"]
    s.append("X")
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=[
        {"role": "user", "content": "x"},
    ], stop_sequences=s).content[0].text
