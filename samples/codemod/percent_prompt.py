"""Classify reviews with a %-formatted prompt."""

from anthropic import AI_PROMPT, HUMAN_PROMPT, Anthropic

REVIEWS = [
    "The battery died after two days.",
    "Works exactly as described, five stars.",
]


def classify(client, review):
    prompt = "%s Is this review positive or negative? Review: %s%s" % (HUMAN_PROMPT, review, AI_PROMPT)
    reply = client.completions.create(prompt=prompt, model="claude-2.1", max_tokens_to_sample=5)
    label = reply.completion.strip().lower()
    return label


def main():
    client = Anthropic()
    for review in REVIEWS:
        print(f"{classify(client, review)}: {review}")


main()
