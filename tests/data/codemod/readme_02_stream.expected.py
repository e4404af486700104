# transcript migrate: --model-map claude-2.1=claude-sonnet-4-5
import os
import anthropic
PREAMBLE = "You are a helpful support agent."
client = anthropic.Anthropic()
def f(question):
    messages = [{"role": "user", "content": question}]
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=200,
        stop_sequences=["END"],
        system=PREAMBLE,
        messages=messages,
    )
    return response.content[0].text
c = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])
last = ""
with c.messages.stream(
    messages=[{"role": "user", "content": "Count from one to five."}],
    max_tokens=200, model="claude-sonnet-4-5",
) as response:
    completion = ""
    for text_1 in response.text_stream:
        completion += text_1
        text = completion
        print(text[len(last):], end="")
        last = text
