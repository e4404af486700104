# transcript migrate: --model-map claude-2.1=claude-sonnet-4-5
import asyncio

from anthropic import AsyncAnthropic

client = AsyncAnthropic()


async def ask(question: str) -> str:
    completion = await client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=256,
        messages=[{"role": "user", "content": question}],
    )
    return completion.content[0].text


async def tell(question: str) -> None:
    # print as it comes
    async with client.messages.stream(
        model="claude-sonnet-4-5", max_tokens=256, messages=[
            {"role": "user", "content": question},
        ]) as stream:
        async for text in stream.text_stream:
            print(text, end="", flush=True)


asyncio.run(tell("Hello"))
