from anthropic import HUMAN_PROMPT, Anthropic

client = Anthropic()
STOPS = [HUMAN_PROMPT, "\n\nObservation:"]


def step(q: str) -> str:
    r = client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=100, prompt=f"{HUMAN_PROMPT} {q}\n\nAssistant:", stop_sequences=STOPS)
    if r.stop_reason in ("stop_sequence", "max_tokens"):
        return r.completion
    return ""


def only_builtin(q: str) -> str:
    return client.completions.create(
        model="claude-sonnet-4-5",
        prompt=f"{HUMAN_PROMPT} {q}\n\nAssistant:",
        stop_sequences=[HUMAN_PROMPT],
        max_tokens_to_sample=100,
    ).completion
