"""Code migration rules (``U``): what ``transcript migrate`` finds in Python source that
calls the Text Completions API.

The codes are emitted by :mod:`transcript.codemod.migrate`; their examples are Python
modules, migrated by the codemod (runner ``code``).  A bad example reports its code, a
good one does not.  The codemod also reports the legacy body codes where they mean the
same thing in code (``L001`` built-in stop removed, ``L002`` major-only model alias,
``L008`` max_tokens above the legacy cap, ``L013`` the API would refuse the migrated call)
and the prompt codes (``P0xx``) of the prompts it converts.
"""

from __future__ import annotations

from transcript.core.registry import register

CODE = "code"

_CLIENT = "import anthropic\n\nclient = anthropic.Anthropic()\n"

CALL_MIGRATED = register(
    "U001",
    "legacy-call-migrated",
    severity="info",
    summary="A Text Completions call was rewritten as a Messages call.",
    explanation="""
        `client.completions.create(...)` (and the 0.2-era `client.completion(...)`,
        `completion_stream`, `acompletion`) became `client.messages.create(...)` or
        `client.messages.stream(...)`: the prompt became `system` and `messages`,
        `max_tokens_to_sample` became `max_tokens`, and the code reading the response
        was rewritten with it.  Review the diff: `transcript migrate --diff`.
    """,
    bad=_CLIENT + 'r = client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=256,\n'
    '    prompt="\\n\\nHuman: Hi\\n\\nAssistant:")\nprint(r.completion)\n',
    good=_CLIENT + 'r = client.messages.create(model="claude-sonnet-4-5", max_tokens=256,\n'
    '    messages=[{"role": "user", "content": "Hi"}])\nprint(r.content[0].text)\n',
    runner=CODE,
)

CALL_LEFT = register(
    "U002",
    "legacy-call-left",
    severity="error",
    summary="A Text Completions call could not be migrated and was left unchanged.",
    explanation="""
        From `anthropic` 1.0 on, `client.completions` no longer exists: code that still
        calls it fails at run time.  The message says what stopped the migration (the
        arguments are passed as `**kwargs`, the client is not known to be an Anthropic
        client, a streaming loop reads more than the text...) and what to do.  Rewrite
        the call by hand, or make it one the codemod can follow, and run it again.
    """,
    bad=_CLIENT + 'params = dict(model="claude-sonnet-4-5", max_tokens_to_sample=256)\n'
    'r = client.completions.create(prompt="\\n\\nHuman: Hi\\n\\nAssistant:", **params)\n',
    good=_CLIENT + 'r = client.completions.create(prompt="\\n\\nHuman: Hi\\n\\nAssistant:",\n'
    '    model="claude-sonnet-4-5", max_tokens_to_sample=256)\n',
    runner=CODE,
)

PROMPT_NOT_FOLLOWED = register(
    "U003",
    "prompt-not-followed",
    severity="error",
    summary="The prompt is built where the codemod cannot follow it; the call was left unchanged.",
    explanation="""
        The codemod converts prompts it can read whole: string literals, f-strings,
        concatenations, `.format` and `%` built from `HUMAN_PROMPT` and `AI_PROMPT` (or
        constants equal to them), and names assigned once in the same scope or module.
        A prompt that is a function's parameter, is assigned more than once, or is built
        by a call it does not know cannot be turned into messages without running the
        program.  Build a `messages` list where the prompt is built, then migrate the call.
    """,
    bad=_CLIENT + "def ask(prompt):\n"
    '    return client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=256, prompt=prompt).completion\n',
    good=_CLIENT + "def ask(question):\n"
    '    prompt = f"{anthropic.HUMAN_PROMPT} {question}{anthropic.AI_PROMPT}"\n'
    '    return client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=256, prompt=prompt).completion\n',
    runner=CODE,
)

RESPONSE_NOT_FOLLOWED = register(
    "U004",
    "response-not-followed",
    severity="error",
    summary="The response leaves the function (or is used whole), so the call was left unchanged.",
    explanation="""
        A Message is read differently from a Completion (`.content[0].text`, not
        `.completion`).  The codemod rewrites the reads it can see; when the response is
        returned, passed to another function or stored, the code that reads it is
        elsewhere, and migrating the call alone would break it.  Read the text where the
        call is (`text = client.completions.create(...).completion`) and pass that on.  A
        response only shown whole (`print(r)`, `f"{r}"`, a log call) is migrated with a
        warning of this code: the program runs, but shows a Message.
    """,
    bad=_CLIENT + "def ask():\n"
    '    return client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=256,\n'
    '        prompt="\\n\\nHuman: Hi\\n\\nAssistant:")\n',
    good=_CLIENT + "def ask():\n"
    '    return client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=256,\n'
    '        prompt="\\n\\nHuman: Hi\\n\\nAssistant:").completion\n',
    runner=CODE,
)

LEGACY_NAME_REPLACED = register(
    "U005",
    "legacy-name-replaced",
    severity="info",
    summary="HUMAN_PROMPT or AI_PROMPT used outside a prompt was replaced by its value.",
    explanation="""
        `anthropic` 1.0 removed `HUMAN_PROMPT` and `AI_PROMPT`, so a file that still
        imports them fails at import.  Where one is used for something other than a prompt
        the codemod migrates (splitting a transcript, a stop list it cannot follow...), it
        is replaced by the string it always held, `"\\n\\nHuman:"` or `"\\n\\nAssistant:"`:
        the code means exactly what it meant.
    """,
    bad="from anthropic import HUMAN_PROMPT\n\nturns = open('log.txt').read().split(HUMAN_PROMPT)\n",
    good="turns = open('log.txt').read().split(\"\\n\\nHuman:\")\n",
    runner=CODE,
)

STOP_REASON_MEANING = register(
    "U006",
    "stop-reason-meaning",
    severity="warning",
    summary='A comparison with stop_reason "stop_sequence" changed meaning.',
    explanation="""
        Text Completions reported `"stop_sequence"` when the model ended its turn (it
        stopped at the built-in `"\\n\\nHuman:"`).  Messages reports `"end_turn"` for that
        and `"stop_sequence"` only for one of your `stop_sequences`.  Code that took
        `"stop_sequence"` to mean "finished" must also accept `"end_turn"`.
    """,
    bad=_CLIENT + 'r = client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=256,\n'
    '    prompt="\\n\\nHuman: Hi\\n\\nAssistant:")\nif r.stop_reason == "stop_sequence":\n    print(r.completion)\n',
    good=_CLIENT + 'r = client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=256,\n'
    '    prompt="\\n\\nHuman: Hi\\n\\nAssistant:")\nif r.stop_reason == "max_tokens":\n    print(r.completion)\n',
    runner=CODE,
)

CUMULATIVE_STREAM = register(
    "U007",
    "cumulative-stream",
    severity="info",
    summary="A 0.2-era cumulative stream was migrated with an accumulator.",
    explanation="""
        Before `anthropic` 0.3 each streamed event carried the whole completion so far;
        Messages streams carry deltas.  The codemod keeps the loop's meaning: it adds up
        the deltas of `stream.text_stream` in a variable and gives the loop body the text
        so far, as before.  Code that only printed the new part (diffing against the last
        text) can now print each delta directly.
    """,
    bad='import anthropic\n\nclient = anthropic.Client("key")\n'
    'for data in client.completion_stream(model="claude-sonnet-4-5", max_tokens_to_sample=256,\n'
    '        prompt="\\n\\nHuman: Hi\\n\\nAssistant:"):\n    print(data["completion"])\n',
    good=_CLIENT + 'with client.messages.stream(model="claude-sonnet-4-5", max_tokens=256,\n'
    '        messages=[{"role": "user", "content": "Hi"}]) as stream:\n'
    "    for text in stream.text_stream:\n        print(text)\n",
    runner=CODE,
)

PROMPT_EXTENDED = register(
    "U008",
    "prompt-extended",
    severity="error",
    summary="A prompt extended in place (an agent loop) could not be made a messages list.",
    explanation="""
        Code that appends each completion and the next question to the prompt string
        (`prompt += r.completion + HUMAN_PROMPT + q + AI_PROMPT`) keeps a conversation as
        text.  The codemod makes it a messages list (`messages += [{"role": "assistant",
        ...}, {"role": "user", ...}]`) when it can prove the change: the prompt is assigned
        once and extended only with `+=` in the same scope, every text ends with the
        Assistant marker, and the name is used for nothing else.  Otherwise (the prompt
        is also printed, returned, or changed another way) the call is left for you, with
        the reason: keep a list, append the assistant's reply and the next user turn.
    """,
    bad=_CLIENT + "from anthropic import HUMAN_PROMPT, AI_PROMPT\n\n"
    'prompt = f"{HUMAN_PROMPT} Hi{AI_PROMPT}"\n'
    "for q in ['a', 'b']:\n"
    '    r = client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=256, prompt=prompt)\n'
    "    prompt += r.completion + HUMAN_PROMPT + q + AI_PROMPT\n"
    "print(prompt)\n",
    good=_CLIENT + "from anthropic import HUMAN_PROMPT, AI_PROMPT\n\n"
    'prompt = f"{HUMAN_PROMPT} Hi{AI_PROMPT}"\n'
    "for q in ['a', 'b']:\n"
    '    r = client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=256, prompt=prompt)\n'
    "    prompt += r.completion + HUMAN_PROMPT + q + AI_PROMPT\n",
    runner=CODE,
)

STOP_LIST_NOT_FOLLOWED = register(
    "U009",
    "stop-list-not-followed",
    severity="warning",
    summary="The stop list is built or changed where the codemod cannot see it.",
    explanation="""
        Messages ends the turn by itself, so the built-in `"\\n\\nHuman:"` stop sequence is
        dropped when a call is migrated (`L001`).  A stop list that is mutated in place
        (`stops.append(HUMAN_PROMPT)`), passed in, or built by a call may still hold it,
        and then every natural end would come back as `stop_sequence`.  Check the list.
    """,
    bad=_CLIENT + "stops = []\nstops.append('END')\n"
    'r = client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=256,\n'
    '    prompt="\\n\\nHuman: Hi\\n\\nAssistant:", stop_sequences=stops)\nprint(r.completion)\n',
    good=_CLIENT + "stops = ['END']\n"
    'r = client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=256,\n'
    '    prompt="\\n\\nHuman: Hi\\n\\nAssistant:", stop_sequences=stops)\nprint(r.completion)\n',
    runner=CODE,
)

LEGACY_MODEL = register(
    "U010",
    "legacy-model",
    severity="error",
    summary="The call names a retired Text Completions model: map it with --model-map.",
    explanation="""
        The models of the Text Completions era (claude-1, claude-2, claude-2.1,
        claude-instant-1.2, and their Bedrock ids) are retired: the Messages API answers
        404 for them.  The message names the successor the model table suggests (the
        newest model of the nearest family); pass `--model-map OLD=NEW` to replace the
        model in the migrated call.  The codemod never picks a model for you.
    """,
    bad=_CLIENT + 'r = client.completions.create(model="claude-2.1", max_tokens_to_sample=256,\n'
    '    prompt="\\n\\nHuman: Hi\\n\\nAssistant:")\nprint(r.completion)\n',
    good=_CLIENT + 'r = client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=256,\n'
    '    prompt="\\n\\nHuman: Hi\\n\\nAssistant:")\nprint(r.completion)\n',
    runner=CODE,
)

SYNTAX_ERROR = register(
    "U011",
    "python-syntax-error",
    severity="error",
    summary="The file is not valid Python, so it cannot be migrated.",
    explanation="""
        The codemod rewrites a syntax tree: a file that does not parse (for the Python
        versions LibCST reads, 3.0 to 3.14) is left unchanged and reported at the place
        the parser stopped.
    """,
    bad="from anthropic import HUMAN_PROMPT\n\ndef ask(:\n    return HUMAN_PROMPT\n",
    good="def ask():\n    return '\\n\\nHuman:'\n",
    runner=CODE,
)

COUNT_TOKENS = register(
    "U012",
    "count-tokens",
    severity="warning",
    summary="client.count_tokens (a local tokenizer) became a call to the token counting API.",
    explanation="""
        `client.count_tokens(text)` counted with a local tokenizer of the legacy models and
        was removed in `anthropic` 1.0.  `client.messages.count_tokens(model=..., messages=
        [...])` asks the API, for a given model, and counts the message as the model sees
        it (a few tokens more than the bare text): figures change, and it is a network call.
        The codemod rewrites it with the model of the file's migrated calls when there is
        exactly one, and otherwise leaves it for you (`U002`).
    """,
    bad=_CLIENT + 'n = client.count_tokens("Hello")\n'
    'r = client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=256,\n'
    '    prompt="\\n\\nHuman: Hi\\n\\nAssistant:")\nprint(r.completion)\n',
    good=_CLIENT + 'n = client.messages.count_tokens(model="claude-sonnet-4-5",\n'
    '    messages=[{"role": "user", "content": "Hello"}]).input_tokens\n',
    runner=CODE,
)

PREFILL_EXPRESSION = register(
    "U013",
    "prefill-expression",
    severity="warning",
    summary="The prompt's prefill ends with an expression: .rstrip() was added.",
    explanation="""
        Text after the final `Assistant:` becomes a final assistant message (a prefill),
        and the Messages API refuses one that ends with whitespace ("final assistant
        content cannot end with trailing whitespace").  A literal prefill is stripped by the
        converter (`P0xx`); when it ends with an interpolated value, the codemod strips it
        at run time with `.rstrip()`.  Check the value never needs its trailing whitespace.
    """,
    bad=_CLIENT + "def ask(q, start):\n"
    '    p = f"{anthropic.HUMAN_PROMPT} {q}{anthropic.AI_PROMPT} {start}"\n'
    '    return client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=256, prompt=p).completion\n',
    good=_CLIENT + "def ask(q):\n"
    '    p = f"{anthropic.HUMAN_PROMPT} {q}{anthropic.AI_PROMPT} Sure:"\n'
    '    return client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=256, prompt=p).completion\n',
    runner=CODE,
)

MODEL_NOT_LITERAL = register(
    "U014",
    "model-not-literal",
    severity="warning",
    summary="The call's model is not a string the codemod can read: --model-map cannot reach it.",
    explanation="""
        The codemod maps models written as string literals, or as names assigned one once
        (`--model-map claude-2.1=claude-sonnet-4-5`), and flags the retired Text Completions
        models (`U010`).  A model read from a setting, an attribute or a parameter is kept
        as written: check that it does not name a retired model, which the Messages API
        answers with 404.
    """,
    bad=_CLIENT + "def ask(model):\n"
    "    return client.completions.create(model=model, max_tokens_to_sample=256,\n"
    '        prompt="\\n\\nHuman: Hi\\n\\nAssistant:").completion\n',
    good=_CLIENT + 'MODEL = "claude-sonnet-4-5"\n\n\ndef ask():\n'
    "    return client.completions.create(model=MODEL, max_tokens_to_sample=256,\n"
    '        prompt="\\n\\nHuman: Hi\\n\\nAssistant:").completion\n',
    runner=CODE,
)
