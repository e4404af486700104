# transcript migrate: --model-map claude-2.1=claude-sonnet-4-5
import anthropic

client = anthropic.Anthropic()
TEMPLATE = "\n\nHuman: Summarise {doc} in {n} words.\n\nAssistant:"
PERCENT = "\n\nHuman: Translate %s into %r.\n\nAssistant: Here it is:"


def summarise(doc: str) -> str:
    r = client.completions.create(model="claude-2.1", max_tokens_to_sample=100, prompt=TEMPLATE.format(doc=doc, n=3))
    return r.completion


def translate(text, language):
    prompt = PERCENT % (text, language)
    return client.completions.create(model="claude-2.1", max_tokens_to_sample=100, prompt=prompt).completion


def persona(who, q: str):
    prompt = f"You are {who}." + anthropic.HUMAN_PROMPT + " " + q + anthropic.AI_PROMPT
    return client.completions.create(model="claude-2.1", max_tokens_to_sample=100, prompt=prompt).completion
