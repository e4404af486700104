# transcript migrate: --model-map claude-2.1=claude-sonnet-4-5
import anthropic
from anthropic import Anthropic

client = Anthropic()  # the client


def ask(question: str) -> str:
    messages = [{"role": "user", "content": question}]
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=300,
        system="You are terse.",
        messages=messages,
        stop_sequences=["END"],
    )
    if response.stop_reason == "stop_sequence":
        pass
    return response.content[0].text


def stream(q):
    with client.messages.stream(model="claude-sonnet-4-5", max_tokens=300, messages=[
        {"role": "user", "content": q},
    ]) as stream_1:
        for text in stream_1.text_stream:
            print(text, end="")

print(ask("hi").split("\n\nHuman:"))
