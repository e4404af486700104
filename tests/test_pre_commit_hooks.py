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
        ("transcript-lint-requests", "package.json", True),  # matched, then passed over (--only-recognised)
        ("transcript-lint-requests", "chat.json", True),
        ("transcript-lint-prompts", "legacy/hello.prompt.txt", True),
        ("transcript-lint-prompts", "notes.txt", True),
        ("transcript-lint-streams", "notes.txt", False),
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


def test_hooks_judge_the_files_they_are_given_as_a_walk_does(cli, tmp_path: Path) -> None:
    """Every hook passes --only-recognised and --force-exclude: what pre-commit names is judged
    as `transcript lint .` judges what it finds, whatever the split."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("ignored.json\n")
    (tmp_path / "package.json").write_text('{"name": "x"}')
    (tmp_path / "requirements.txt").write_text("attrs\n")
    (tmp_path / "notes.txt").write_text("just notes\n")
    (tmp_path / "ignored.json").write_text('{"model": "claude-sonnet-4-5", "max_tokens": 5, "messages": []}')
    (tmp_path / "chat.json").write_text('{"model": "claude-sonnet-4-5", "max_tokens": 5, "messages": []}')
    (tmp_path / "broken.prompt").write_text("Human: hi")
    for h in hooks():
        args = h["entry"].split()[1:]
        files = [f for f in ("package.json", "requirements.txt", "notes.txt", "ignored.json", "chat.json", "broken.prompt") if re.search(h["files"], f)]
        if not files:
            continue  # pre-commit does not run a hook that matches no file
        result = cli([*args, *files], cwd=tmp_path)
        reported = {line.split(":")[0] for line in result.stdout.splitlines() if ": error " in line or ": warning " in line}
        expected = {"requests": {"chat.json"}, "prompts": {"broken.prompt"}}[h["id"].rsplit("-", 1)[1]]
        assert reported == expected, (h["id"], result.stdout)
