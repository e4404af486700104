"""Migrated programs run: legacy-style scripts (samples/codemod/) are migrated by
``transcript migrate``, then executed with the modern ``anthropic`` SDK against
``transcript serve`` (the ``transcript_env`` fixture, on 127.0.0.1).

Each program must migrate without an error, reference none of the names anthropic 1.0
removed, finish with exit status 0 printing what the server answered, and have sent only
requests the API would accept, with the system prompt, messages and stop sequences its
legacy prompt meant.  The legacy SDK is never installed: the programs are only migrated,
never run as they are.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from attrs import field, frozen

from transcript.codemod.migrate import CodeOptions, migrate_source
from transcript.core.diagnostics import Severity
from transcript.lint.config import load_config
from transcript.serve.pytest_plugin import TranscriptServer
from transcript.serve.script import Script
from transcript.serve.server import ServeOptions, ServerThread, build_service, read_sources

ROOT = Path(__file__).resolve().parents[1]
PROGRAMS = ROOT / "samples" / "codemod"
RECORDINGS = Path(__file__).resolve().parent / "data" / "codemod"
MODEL_MAP = ["--model-map", "claude-2.1=claude-sonnet-4-5"]
MODEL = "claude-sonnet-4-5"
OPTIONS = CodeOptions(model_map={"claude-2.1": MODEL})

#: Names anthropic 1.0 removed: a migrated program that still uses one fails at import or call.
REMOVED_NAMES = frozenset(["HUMAN_PROMPT", "AI_PROMPT"])
REMOVED_ATTRIBUTES = frozenset(["completions", "completion", "completion_stream", "acompletion", "Client"])


def user(text: str) -> dict[str, str]:
    return {"role": "user", "content": text}


def assistant(text: str) -> dict[str, str]:
    return {"role": "assistant", "content": text}


@frozen
class Program:
    """A sample program, what the server answers it, and what it must print and send.

    ``answers``: script entries queued for the test; ``stdout``: the whole output;
    ``requests``: for each request to ``/v1/messages``, in order, the fields it must hold
    (``model`` is always checked, against ``model``); ``count_tokens``: requests to the token counter, which
    the server answers from ``recordings`` (tests/data/codemod/).
    """

    name: str
    answers: tuple[dict[str, Any], ...]
    stdout: str
    requests: tuple[dict[str, Any], ...]
    streamed: tuple[bool, ...] = field()
    count_tokens: int = 0
    recordings: tuple[str, ...] = ()
    reported: tuple[str, ...] = ()  # warnings the migration must report (the start of their lines)
    model: str = MODEL
    unordered: bool = False  # concurrent requests: compared as a set

    @streamed.default
    def _none_streamed(self) -> tuple[bool, ...]:
        return (False,) * len(self.requests)


PROGRAM_TABLE = [
    Program(
        "hello_fstring",
        ({"text": "Paris."},),
        "Paris.\n",
        ({"messages": [user("What is the capital of France?")], "max_tokens": 300},),
    ),
    Program(
        "system_concat",
        ({"text": "  Hold the button for five seconds.  "},),
        "Hold the button for five seconds.\n",
        (
            {
                "system": "You are a helpful support agent for Acme Widgets. Answer in one sentence.",
                "messages": [user("How do I reset my widget?")],
                "stop_sequences": ["END"],
            },
        ),
    ),
    Program(
        "format_prefill",
        ({"text": " Il fait très beau aujourd'hui."},),
        " Il fait très beau aujourd'hui.\n",
        (
            {
                "messages": [
                    user("Translate into French: The weather is lovely today."),
                    assistant("Here is the translation:"),
                ]
            },
        ),
    ),
    Program(
        "percent_prompt",
        ({"match": "battery", "text": " Negative"}, {"match": "five stars", "text": "Positive "}),
        "negative: The battery died after two days.\npositive: Works exactly as described, five stars.\n",
        (
            {"messages": [user("Is this review positive or negative? Review: The battery died after two days.")]},
            {"messages": [user("Is this review positive or negative? Review: Works exactly as described, five stars.")]},
        ),
    ),
    Program(
        "stream_sync",
        ({"text": "Grey waves fold and break,\nthe tide keeps its own time."},),
        "Grey waves fold and break,\nthe tide keeps its own time.\n",
        ({"messages": [user("Write a two-line poem about the sea.")], "max_tokens": 300},),
        streamed=(True,),
    ),
    Program(
        "async_client",
        ({"match": "prime", "text": "7"}, {"match": "colour", "text": "Blue"}, {"match": "planet", "text": "Mars is red."}),
        "7\nBlue\nMars is red.\n",
        (
            {"messages": [user("Name a prime number.")]},
            {"messages": [user("Name a colour.")]},
            {"messages": [user("Name a planet.")]},
        ),
        streamed=(False, False, True),
        unordered=True,
    ),
    Program(
        "legacy_client",
        ({"text": " Eight."}, {"text": "One, two, three, four, five."}),
        " Eight.\nOne, two, three, four, five.\n",
        (
            {"messages": [user("How many legs does a spider have?")], "max_tokens": 100},
            {"messages": [user("Count from one to five.")], "max_tokens": 200},
        ),
        streamed=(False, True),
    ),
    Program(
        "count_tokens",
        ({"text": "Plants eat sunlight."},),
        "tokens: 16\nPlants eat sunlight.\n",
        ({"messages": [user("Explain photosynthesis to a ten-year-old.")], "max_tokens": 400},),
        count_tokens=1,
        recordings=("count_tokens.jsonl",),
        reported=("count_tokens.py:9:10: warning U012",),
    ),
    Program(
        "model_attribute",
        ({"text": "Hello to you."},),
        "Hello to you.\n",
        ({"messages": [user("Hello!")], "max_tokens": 100},),
        reported=("model_attribute.py:18:19: warning U014",),
        model="claude-2.1",  # what U014 warns of: the server, unlike the API, answers a retired model
    ),
    Program(
        "sampling",
        ({"text": "Bean There\n Daily Grind \nBrew Haven"},),
        "- Bean There\n- Daily Grind\n- Brew Haven\n",
        (
            {
                "messages": [user("Suggest three names for a coffee shop, one a line.")],
                "temperature": 0.9,
                "top_k": 40,
            },
        ),
    ),
    Program(
        "class_client",
        ({"text": "It rewrites old calls. "},),
        "It rewrites old calls.\n",
        (
            {
                "messages": [
                    user("Summarize in one sentence:\n\nTranscript migrates legacy Text Completions code to the Messages API.")
                ]
            },
        ),
    ),
    Program(
        "support_bot",
        ({"text": "Use the reset link on the sign-in page. "}, {"text": "It left our warehouse today."}),
        "Use the reset link on the sign-in page.\nIt left our warehouse today.\n",
        (
            {
                "system": "You are a support agent for Acme. Answer in one paragraph.",
                "messages": [user("How do I reset my password?")],
                "stop_sequences": None,
            },
            {"system": "You are a support agent for Acme. Answer in one paragraph.", "messages": [user("Where is my order?")]},
        ),
        streamed=(False, True),
    ),
    Program(
        "few_shot",
        ({"text": " Lisbon\n"},),
        "Lisbon\n",
        (
            {
                "messages": [
                    user('Extract the city from: "I flew to Paris last week."'),
                    assistant("Paris"),
                    user('Extract the city from: "Our office moved to Berlin."'),
                    assistant("Berlin"),
                    user('Extract the city from: "She grew up in Lisbon."'),
                ],
                "max_tokens": 10,
            },
        ),
    ),
]


def migrated(cli, name: str, reported: tuple[str, ...] = ()) -> str:
    """``transcript migrate samples/codemod/NAME.py``: the migrated source (no error reported,
    and no warning but those ``reported`` names)."""
    result = cli(["migrate", f"{name}.py", *MODEL_MAP], cwd=PROGRAMS)
    assert result.exit_code == 0, result.stderr
    problems = [line for line in result.stderr.splitlines() if " error " in line or " warning " in line]
    assert sorted(problems) == sorted(line for line in problems if line.startswith(reported)), result.stderr
    assert all(any(line.startswith(r) for line in problems) for r in reported), result.stderr
    return result.stdout


def removed_names_used(source: str) -> list[str]:
    """The names anthropic 1.0 removed that ``source`` still uses (``client.count_tokens``
    only as ``client.messages.count_tokens``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id in REMOVED_NAMES:
            found.append(node.id)
        elif isinstance(node, ast.alias) and node.name in REMOVED_NAMES | {"anthropic_bedrock"}:
            found.append(node.name)
        elif isinstance(node, ast.Attribute):
            if node.attr in REMOVED_NAMES or node.attr in REMOVED_ATTRIBUTES:
                found.append(node.attr)
            elif node.attr == "count_tokens" and not (isinstance(node.value, ast.Attribute) and node.value.attr == "messages"):
                found.append("count_tokens")
    return found


def test_every_sample_program_is_in_the_table() -> None:
    shipped = {p.stem for p in PROGRAMS.glob("*.py") if not p.name.endswith(".expected.py")}
    assert shipped == {p.name for p in PROGRAM_TABLE}


def test_the_legacy_programs_use_the_removed_api() -> None:
    """The check below can fail: every sample, as written, uses names anthropic 1.0 removed."""
    for program in PROGRAM_TABLE:
        assert removed_names_used((PROGRAMS / f"{program.name}.py").read_text(encoding="utf-8")), program.name


@contextmanager
def serving_recordings(names: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> Iterator[TranscriptServer]:
    """``transcript serve --from RECORDINGS`` for one test (the plugin's server answers no token
    count: only a recording can), with the environment ``transcript_env`` sets."""
    queued = Script([])
    sources = read_sources([RECORDINGS / n for n in names])
    thread = ServerThread(build_service(ServeOptions(sources=(queued, *sources)), load_config(None, start=ROOT)))
    thread.start()
    try:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", thread.base_url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-transcript-test")
        yield TranscriptServer(thread, queued)
    finally:
        thread.stop()


@pytest.fixture
def server(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, program: Program) -> Iterator[TranscriptServer]:
    """``transcript_env``, or a server of the program's recordings."""
    if not program.recordings:
        yield request.getfixturevalue("transcript_env")
        return
    with serving_recordings(program.recordings, monkeypatch) as found:
        yield found


@pytest.mark.parametrize("program", PROGRAM_TABLE, ids=lambda p: p.name)
def test_migrated_program_runs_against_serve(cli, server: TranscriptServer, tmp_path: Path, program: Program) -> None:
    source = migrated(cli, program.name, program.reported)
    assert removed_names_used(source) == []
    assert not migrate_source(source, OPTIONS).changed  # migrating migrated code changes nothing
    script = tmp_path / f"{program.name}.py"
    script.write_text(source, encoding="utf-8")
    for entry in program.answers:
        server.queue(**entry)

    done = subprocess.run(
        [sys.executable, str(script)],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout == program.stdout
    server.assert_no_refused()
    exchanges = server.exchanges
    assert [e.status for e in exchanges] == [200] * len(exchanges)
    assert [d for e in exchanges for d in e.diagnostics if d.severity is Severity.ERROR] == []
    assert sum(e.path == "/v1/messages/count_tokens" for e in exchanges) == program.count_tokens
    sent = [e for e in exchanges if e.path == "/v1/messages"]
    assert len(sent) + program.count_tokens == len(exchanges)
    seen = [(e.request, e.stream) for e in sent]
    expected = [
        ({"model": program.model, **want}, streamed) for want, streamed in zip(program.requests, program.streamed, strict=True)
    ]
    if program.unordered:  # concurrent requests: matched by their messages
        seen.sort(key=lambda pair: json.dumps(pair[0]["messages"]))
        expected.sort(key=lambda pair: json.dumps(pair[0]["messages"]))
    seen = [({k: request.get(k) for k in want}, streamed) for (request, streamed), (want, _) in zip(seen, expected, strict=True)]
    assert seen == expected


#: The samples whose migrated source is checked byte for byte against NAME.expected.py.
EXPECTED = ("few_shot", "stream_sync", "hello_fstring", "class_client", "legacy_client")


def test_every_expected_output_is_checked() -> None:
    assert {p.name.removesuffix(".expected.py") for p in PROGRAMS.glob("*.expected.py")} == set(EXPECTED)


@pytest.mark.parametrize("name", EXPECTED)
def test_migrated_source_is_exactly_the_expected(cli, name: str) -> None:
    assert migrated(cli, name) == (PROGRAMS / f"{name}.expected.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", EXPECTED)
def test_migrating_the_expected_output_changes_nothing(cli, name: str) -> None:
    """Idempotence on whole programs: the migrated source is already migrated."""
    path = PROGRAMS / f"{name}.expected.py"
    result = cli(["migrate", str(path), "--check", *MODEL_MAP])
    assert (result.exit_code, result.stdout) == (0, ""), result.stderr
