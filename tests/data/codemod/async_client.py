# transcript migrate: --model-map claude-2.1=claude-sonnet-4-5
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


async def tell(question: str) -> None:
    stream = await client.completions.create(
        model="claude-2.1", max_tokens_to_sample=256, prompt=f"{HUMAN_PROMPT} {question}{AI_PROMPT}", stream=True
    )
    # print as it comes
    async for part in stream:
        print(part.completion, end="", flush=True)


asyncio.run(tell("Hello"))
