"""Check a question fits the budget before sending it."""

from anthropic import AI_PROMPT, HUMAN_PROMPT, Anthropic

BUDGET = 1000

client = Anthropic()
question = "Explain photosynthesis to a ten-year-old."
tokens = client.count_tokens(question)
print("tokens:", tokens)
if tokens < BUDGET:
    response = client.completions.create(
        model="claude-2.1",
        max_tokens_to_sample=400,
        prompt=f"{HUMAN_PROMPT} {question}{AI_PROMPT}",
    )
    print(response.completion)
