# transcript migrate: --model-map claude-2.1=claude-sonnet-4-5
import anthropic

client = anthropic.Anthropic()
TEMPLATE = "\n\nHuman: Summarise {doc} in {n} words.\n\nAssistant:"
PERCENT = "\n\nHuman: Translate %s into %r.\n\nAssistant: Here it is:"


def summarise(doc: str) -> str:
    r = client.messages.create(model="claude-sonnet-4-5", max_tokens=100, messages=[
        {"role": "user", "content": f"Summarise {doc} in 3 words."},
    ])
    return r.content[0].text


def translate(text, language):
    messages = [
        {"role": "user", "content": f"Translate {text} into {language!r}."},
        {"role": "assistant", "content": "Here it is:"},
    ]
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=100, messages=messages).content[0].text


def persona(who, q: str):
    system = f"You are {who}."
    messages = [{"role": "user", "content": q}]
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=100, system=system, messages=messages).content[0].text
