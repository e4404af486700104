# transcript migrate: --model-map claude-instant-v1=claude-haiku-4-5
import asyncio

import anthropic

client = anthropic.Client(api_key="sk-test")


async def main(question: str) -> None:
    response = await client.acompletion(
        prompt=f"{anthropic.HUMAN_PROMPT} {question}{anthropic.AI_PROMPT}",
        stop_sequences=[anthropic.HUMAN_PROMPT],
        model="claude-instant-v1",
        max_tokens_to_sample=300,
    )
    print(response["completion"], response["stop_reason"])


asyncio.run(main("Why is the sky blue?"))
