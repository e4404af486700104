import anthropic
from anthropic import HUMAN_PROMPT, AI_PROMPT

client = anthropic.Anthropic()


def ask(prompt):
    return client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=10, prompt=prompt).completion


def agent(qs):
    prompt = f"{HUMAN_PROMPT} start{AI_PROMPT}"
    for q in qs:
        r = client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=10, prompt=prompt)
        prompt += r.completion + HUMAN_PROMPT + " " + q + AI_PROMPT


def ret():
    return client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=10, prompt=f"{HUMAN_PROMPT} x{AI_PROMPT}")


def kw(**params):
    return client.completions.create(prompt=f"{HUMAN_PROMPT} x{AI_PROMPT}", **params).completion


def mixed():
    a = client.messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=[{"role": "user", "content": "x"}])
    b = client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=10, prompt=f"{HUMAN_PROMPT} x{AI_PROMPT}")
    return a.content[0].text + b.completion


def prefill(q: str, start: str):
    p = f"{HUMAN_PROMPT} {q}{AI_PROMPT} {start}"
    return client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=10, prompt=p, temperature=1.5).completion

def stops(extra):
    s = [HUMAN_PROMPT]
    s.append("X")
    return client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=10, prompt=f"{HUMAN_PROMPT} x{AI_PROMPT}", stop_sequences=s).completion
