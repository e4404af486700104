# transcript migrate: --model-map claude-instant-1.2=claude-haiku-4-5
import os

import anthropic


def complete(question, limit: int = 2000, verbose=True):
    c = anthropic.Client(api_key=os.environ["ANTHROPIC_API_KEY"])
    resp = c.completions.create(
        prompt=f"{anthropic.HUMAN_PROMPT} {question} {anthropic.AI_PROMPT}",
        stop_sequences=[anthropic.HUMAN_PROMPT],
        model="claude-instant-1.2",
        max_tokens_to_sample=limit,
        temperature=0,
    )
    if verbose:
        print("input tokens", c.count_tokens(question))
        print("stop reason", resp.stop_reason)
    return resp.completion
