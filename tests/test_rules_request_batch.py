"""Message Batches rules (R1xx) beyond their examples."""

from __future__ import annotations

import json

from transcript.lint import LintOptions
from transcript.request.jsonl import lint_jsonl_text

PARAMS = {"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]}


def line(custom_id: object = "a", params: object = PARAMS, **extra: object) -> str:
    return json.dumps({"custom_id": custom_id, "params": params, **extra})


def test_r101_shape() -> None:
    found = lint_jsonl_text(line(params="x") + "\n" + line(custom_id=5) + "\n")
    assert [(d.code, d.location.line) for d in found] == [("X008", 1), ("R101", 2)]


def test_r102_length() -> None:
    assert [d.code for d in lint_jsonl_text(line("x" * 65))] == ["R102"]
    assert lint_jsonl_text(line("x" * 64)) == []


def test_r103_names_the_first_line() -> None:
    text = "\n".join([line("a"), line("b"), "", line("a")])
    (d,) = lint_jsonl_text(text)
    assert d.code == "R103" and d.location.line == 4 and "line 1" in d.message


def test_r104_count_and_size() -> None:
    text = "\n".join(line(f"r{i}") for i in range(4))
    found = lint_jsonl_text(text, LintOptions(settings={"max_batch_requests": 3}))
    assert [(d.code, d.location.line) for d in found] == [("R104", 4)]


def test_params_diagnostics_are_prefixed_and_located() -> None:
    bad = {**PARAMS, "temperature": 2}
    text = line("ok") + "\n" + line("bad", bad) + "\n"
    (d,) = lint_jsonl_text(text)
    assert d.code == "R006" and d.location.pointer == "/params/temperature" and d.location.line == 2
    assert text.splitlines()[1][d.location.column - 1 :].startswith("2")
