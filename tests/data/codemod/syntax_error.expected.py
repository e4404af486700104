from anthropic import HUMAN_PROMPT

def broken(:
    return HUMAN_PROMPT
