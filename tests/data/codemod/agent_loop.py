from anthropic import HUMAN_PROMPT, AI_PROMPT, Anthropic

client = Anthropic()


def chat(first: str, questions: list[str]) -> str:
    prompt = f"You are terse.{HUMAN_PROMPT} {first}{AI_PROMPT}"
    for q in questions:
        r = client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=100, prompt=prompt)
        # keep the conversation going
        prompt += r.completion + HUMAN_PROMPT + " " + q + AI_PROMPT
    return "done"
