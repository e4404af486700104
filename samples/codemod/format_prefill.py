"""Translate a sentence, prefilling the assistant's answer (str.format)."""

import anthropic

client = anthropic.Anthropic()

TEMPLATE = "{human} Translate into French: {text}{assistant} Here is the translation:"


def translate(text):
    prompt = TEMPLATE.format(human=anthropic.HUMAN_PROMPT, text=text, assistant=anthropic.AI_PROMPT)
    result = client.completions.create(model="claude-2.1", max_tokens_to_sample=100, prompt=prompt)
    return result.completion


print(translate("The weather is lovely today."))
