# transcript migrate: --model-map claude-instant-v1=claude-haiku-4-5
import asyncio

import anthropic

client = anthropic.AsyncAnthropic(api_key="sk-test")


async def main(question: str) -> None:
    response = await client.messages.create(
        messages=[{"role": "user", "content": question}],
        model="claude-haiku-4-5",
        max_tokens=300,
    )
    print(response.content[0].text, response.stop_reason)


asyncio.run(main("Why is the sky blue?"))
