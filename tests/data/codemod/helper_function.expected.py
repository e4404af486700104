# transcript migrate: --model-map claude-instant-1.2=claude-haiku-4-5
import os

import anthropic


def complete(question, limit: int = 2000, verbose=True):
    c = anthropic.Client(api_key=os.environ["ANTHROPIC_API_KEY"])
    resp = c.messages.create(
        messages=[{"role": "user", "content": f"{question} "}],
        model="claude-haiku-4-5",
        max_tokens=limit,
        extra_body={"temperature": 0},
    )
    if verbose:
        print("input tokens", c.messages.count_tokens(model="claude-haiku-4-5", messages=[{"role": "user", "content": question}]).input_tokens)
        print("stop reason", resp.stop_reason)
    return resp.content[0].text
