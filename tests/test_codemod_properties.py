"""The codemod's invariants on generated legacy prompts (issue 11).

For a module calling ``client.completions.create(..., prompt=<literal>)``:

- the literal prompt's ``system`` and ``messages`` in the migrated call are exactly those of
  the project's converter (``prompt_to_messages``), read back with ``ast.literal_eval``;
- a prompt the converter refuses leaves the module unchanged, with a located error;
- migrating the migrated module again changes nothing (idempotence).
"""

from __future__ import annotations

import ast
import sys
from types import ModuleType, SimpleNamespace
from typing import Any
from unittest.mock import patch

from hypothesis import assume, event, example, given, settings
from hypothesis import strategies as st
from test_prompt_parse import prompts, structured_prompts, turn_text

from transcript.codemod.migrate import CodeOptions, migrate_source
from transcript.core.diagnostics import Severity
from transcript.prompt.convert import prompt_to_messages

OPTIONS = CodeOptions()
MODULE = """import anthropic

client = anthropic.Anthropic()
r = client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=256, prompt={prompt})
print(r.completion)
"""
#: The converter's placeholders for run-time values; a prompt holding one is reported, not converted.
PRIVATE_USE = frozenset("\ue000\ue001")


def messages_call(source: str) -> dict[str, Any]:
    """The keyword arguments of the one ``client.messages.create(...)`` in ``source``, as values."""
    (call,) = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "create"
        and isinstance(node.func.value, ast.Attribute)
        and node.func.value.attr == "messages"
    ]
    return {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg is not None}


@settings(max_examples=150, deadline=None)
@given(structured_prompts() | prompts)
@example("\n\nHuman: Hi\n\nAssistant:")
@example("You are terse.\n\nHuman: Hi\n\nAssistant: Sure:")
@example("\n\nHuman: a\n\nAssistant: b\n\nHuman: c\n\nAssistant:")
def test_a_literal_prompt_migrates_to_the_converters_messages(prompt: str) -> None:
    assume(not PRIVATE_USE & set(prompt))
    source = MODULE.format(prompt=repr(prompt))
    conversion = prompt_to_messages(prompt)
    migration = migrate_source(source, OPTIONS)

    event("converted" if conversion.ok else "refused by the converter")
    if not conversion.ok:
        assert not migration.changed
        errors = [d for d in migration.diagnostics if d.severity is Severity.ERROR]
        assert errors and all(d.location.line == 4 for d in errors), migration.diagnostics
        return
    assert migration.changed, migration.diagnostics
    kwargs = messages_call(migration.source)
    assert kwargs["messages"] == conversion.value["messages"]
    assert kwargs.get("system") == conversion.value.get("system")
    event("with a system prompt" if "system" in kwargs else "no system prompt")
    assert (kwargs["model"], kwargs["max_tokens"]) == ("claude-sonnet-4-5", 256)
    assert "prompt" not in kwargs and "max_tokens_to_sample" not in kwargs

    again = migrate_source(migration.source, OPTIONS)
    assert again.source == migration.source


# ------------------------------------------------------------------ prompts built at run time

#: Run-time values that leave the prompt's structure alone: no marker, no whitespace at the ends
#: (the converter trims a turn's text; a value it cannot see is kept as it is).
values = st.text(alphabet="abcxyz .,?!日", min_size=1, max_size=8).filter(lambda s: s == s.strip())


def _f_literal(text: str) -> str:
    """``text`` as the literal part of a single-quoted f-string."""
    return text.encode("unicode_escape").decode("ascii").replace("'", "\\'").replace("{", "{{").replace("}", "}}")


@st.composite
def templates(draw: st.DrawFn) -> tuple[str, int]:
    """A prompt expression built from HUMAN_PROMPT / AI_PROMPT, literals and the parameters
    ``v0``, ``v1``...: as a concatenation or an f-string.  Returns (code, parameter count)."""
    pieces: list[tuple[str, str]] = []  # ("text", literal) | ("name", NAME) | ("hole", parameter)
    holes = 0

    def content() -> None:
        nonlocal holes
        for _ in range(draw(st.integers(1, 3))):
            if draw(st.booleans()):
                pieces.append(("hole", f"v{holes}"))
                holes += 1
            else:
                pieces.append(("text", draw(turn_text)))

    if draw(st.booleans()):
        content()  # a system preamble
    roles = ["user"] + draw(st.lists(st.sampled_from(["user", "assistant"]), max_size=3))
    for role in roles:
        pieces.append(("name", "HUMAN_PROMPT" if role == "user" else "AI_PROMPT"))
        pieces.append(("text", " "))
        content()
    pieces.append(("name", "AI_PROMPT"))
    if draw(st.booleans()):  # a prefill
        pieces.append(("text", " "))
        content()
    if draw(st.booleans()):
        code = " + ".join(repr(v) if kind == "text" else v for kind, v in pieces)
    else:
        code = "f'" + "".join(_f_literal(v) if kind == "text" else "{" + v + "}" for kind, v in pieces) + "'"
    return code, holes


TEMPLATE_MODULE = """from anthropic import AI_PROMPT, HUMAN_PROMPT


def ask(client, {params}):
    r = client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=256, prompt={prompt})
    return r.completion
"""


class _Recorder:
    """A client of either era that keeps the arguments of its one call."""

    def __init__(self) -> None:
        self.sent: dict[str, Any] = {}
        self.completions = self.messages = self

    def create(self, **kwargs: Any) -> SimpleNamespace:
        self.sent = kwargs
        return SimpleNamespace(completion="done", content=[SimpleNamespace(type="text", text="done")])


def _call(source: str, args: list[str]) -> dict[str, Any]:
    """Run ``ask(client, *args)`` of ``source`` (with an ``anthropic`` that still has the
    prompt constants, for the legacy module) and return what the client was sent."""
    legacy = ModuleType("anthropic")
    legacy.HUMAN_PROMPT, legacy.AI_PROMPT = "\n\nHuman:", "\n\nAssistant:"  # type: ignore[attr-defined]
    namespace: dict[str, Any] = {}
    with patch.dict(sys.modules, {"anthropic": legacy}):
        exec(compile(source, "<module>", "exec"), namespace)  # noqa: S102 (generated test code)
    client = _Recorder()
    assert namespace["ask"](client, *args) == "done"
    return client.sent


@settings(max_examples=150, deadline=None)
@given(templates(), st.data())
def test_a_prompt_built_at_run_time_sends_what_the_legacy_prompt_meant(template: tuple[str, int], data: st.DataObject) -> None:
    """Run both modules: the migrated call sends the system and messages the converter reads
    from the prompt the legacy call would have sent."""
    code, holes = template
    args = [data.draw(values) for _ in range(holes)]
    source = TEMPLATE_MODULE.format(params=", ".join(f"v{i}" for i in range(holes)) or "*_", prompt=code)
    expected = prompt_to_messages(_call(source, args)["prompt"])
    migration = migrate_source(source, OPTIONS)
    if not migration.ok:  # the call is left, and said so
        event("left with an error")
        assert "client.completions.create(" in migration.source
        return
    event("migrated")
    assert expected.ok, (migration.source, expected.diagnostics)
    want = expected.value["messages"]
    if any(d.code == "U013" for d in migration.diagnostics):  # a final assistant message ending in a
        *rest, last = want  # run-time value is stripped at run time (the API refuses trailing whitespace)
        assert last["role"] == "assistant"
        want = [*rest, {**last, "content": last["content"].rstrip()}]
    sent = _call(migration.source, args)
    assert sent["messages"] == want
    assert sent.get("system") == expected.value.get("system")
    assert migrate_source(migration.source, OPTIONS).source == migration.source


def older_pythons_refuse(source: str) -> bool:
    """Whether Python 3.10 or 3.11 would refuse ``source``: parsed by this interpreter, then
    (3.12 took these in) no backslash and no quote of the f-string's own kind in a
    replacement field."""
    try:
        tree = ast.parse(source, feature_version=(3, 10))
    except SyntaxError:
        return True
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            quote = (ast.get_source_segment(source, node) or "").lstrip("rRfFbBuU")[:1]
            for part in node.values:
                inner = ast.get_source_segment(source, part.value) if isinstance(part, ast.FormattedValue) else ""
                if inner and ("\\" in inner or quote in inner):
                    return True
    return False


def test_older_pythons_refuse_is_not_vacuous() -> None:
    assert older_pythons_refuse("x = f'{\"\\n\"}'")  # a backslash in the field
    assert older_pythons_refuse("x = f'{'a'}'")  # the f-string's own quote in the field
    assert not older_pythons_refuse("x = f'{\"a\"!r} {b}\\n'")


@settings(max_examples=100, deadline=None)
@given(templates())
@example(("f'{HUMAN_PROMPT} {AI_PROMPT}'", 0))
def test_the_migrated_source_is_valid_python_on_every_supported_version(template: tuple[str, int]) -> None:
    """The project supports Python 3.10 on: a migrated module must run there (codemod-bugs.md 4:
    a prompt constant in the f-string of a call left unchanged was once replaced by a literal)."""
    code, holes = template
    source = TEMPLATE_MODULE.format(params=", ".join(f"v{i}" for i in range(holes)) or "*_", prompt=code)
    assert not older_pythons_refuse(migrate_source(source, OPTIONS).source)
