"""Ask several questions at once with the async client."""

import asyncio

from anthropic import AI_PROMPT, HUMAN_PROMPT, AsyncAnthropic

client = AsyncAnthropic()


async def ask(question: str) -> str:
    completion = await client.completions.create(
        model="claude-2.1",
        max_tokens_to_sample=256,
        prompt=f"{HUMAN_PROMPT} {question}{AI_PROMPT}",
    )
    return completion.completion


async def stream_one(question: str) -> None:
    stream = await client.completions.create(
        model="claude-2.1",
        max_tokens_to_sample=256,
        prompt=f"{HUMAN_PROMPT} {question}{AI_PROMPT}",
        stream=True,
    )
    async for chunk in stream:
        print(chunk.completion, end="")
    print()


async def main() -> None:
    answers = await asyncio.gather(ask("Name a prime number."), ask("Name a colour."))
    for answer in answers:
        print(answer)
    await stream_one("Name a planet.")


asyncio.run(main())
