"""The .pre-commit-hooks.yaml offered at the repository root."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def hooks() -> list[dict[str, str]]:
    """A reader for the flat mapping-per-hook layout of the file (no YAML library needed)."""
    out: list[dict[str, str]] = []
    for raw in (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("- "):
            out.append({})
            line = "  " + line[2:]
        key, _, value = line.strip().partition(":")
        value = value.strip()
        if value.startswith("'") and value.endswith("'"):
            value = value[1:-1]
        out[-1][key] = value
    return out


def test_every_hook_runs_transcript_lint() -> None:
    found = hooks()
    assert {h["id"] for h in found} == {"transcript-lint-requests", "transcript-lint-prompts", "transcript-lint-streams"}
    for h in found:
        assert h["entry"].startswith("transcript lint") and h["language"] == "python"
        re.compile(h["files"])


@pytest.mark.parametrize(
    ("hook", "path", "matched"),
    [
        ("transcript-lint-requests", "fixtures/chat.request.json", True),
        ("transcript-lint-requests", "batches/nightly.jsonl", True),
        ("transcript-lint-requests", "package.json", False),
        ("transcript-lint-prompts", "legacy/hello.prompt.txt", True),
        ("transcript-lint-prompts", "notes.txt", False),
        ("transcript-lint-streams", "captures/run.sse", True),
        ("transcript-lint-streams", "captures/session.har", True),
    ],
)
def test_files_patterns(hook: str, path: str, matched: bool) -> None:
    (h,) = [h for h in hooks() if h["id"] == hook]
    assert bool(re.search(h["files"], path)) is matched


def test_hook_kinds_exist() -> None:
    from transcript.lint import KINDS
    from transcript.lint.families import load_all

    load_all()
    for h in hooks():
        m = re.search(r"--kind (\S+)", h["entry"])
        if m:
            assert m.group(1) in KINDS
