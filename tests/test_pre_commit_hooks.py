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


LINT_HOOKS = {"transcript-lint-requests", "transcript-lint-prompts", "transcript-lint-streams"}


def lint_hooks() -> list[dict[str, str]]:
    return [h for h in hooks() if h["id"] in LINT_HOOKS]


def test_every_hook_runs_transcript_lint_or_migrate() -> None:
    found = hooks()
    assert {h["id"] for h in found} == LINT_HOOKS | {"transcript-migrate"}
    for h in found:
        assert h["language"] == "python"
        re.compile(h["files"])
    for h in lint_hooks():
        assert h["entry"].startswith("transcript lint")


def test_the_migrate_hook_checks_python_files() -> None:
    (h,) = [h for h in hooks() if h["id"] == "transcript-migrate"]
    assert (h["entry"], h["types"]) == ("transcript migrate --check", "[python]")


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
        ("transcript-migrate", "app.py", True),
        ("transcript-migrate", "src/pkg/client.py", True),
        ("transcript-migrate", "stubs/client.pyi", False),
        ("transcript-migrate", "app.pyc", False),
        ("transcript-migrate", "notes.txt", False),
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
    for h in lint_hooks():
        args = h["entry"].split()[1:]
        files = [f for f in ("package.json", "requirements.txt", "notes.txt", "ignored.json", "chat.json", "broken.prompt") if re.search(h["files"], f)]
        if not files:
            continue  # pre-commit does not run a hook that matches no file
        result = cli([*args, *files], cwd=tmp_path)
        reported = {line.split(":")[0] for line in result.stdout.splitlines() if ": error " in line or ": warning " in line}
        expected = {"requests": {"chat.json"}, "prompts": {"broken.prompt"}}[h["id"].rsplit("-", 1)[1]]
        assert reported == expected, (h["id"], result.stdout)


LEGACY = """from anthropic import AI_PROMPT, HUMAN_PROMPT, Anthropic

client = Anthropic()
r = client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=50, prompt=f"{HUMAN_PROMPT} Hi{AI_PROMPT}")
print(r.completion)
"""

MODERN = """import anthropic

client = anthropic.Anthropic()
r = client.messages.create(model="claude-sonnet-4-5", max_tokens=50, messages=[{"role": "user", "content": "Hi"}])
print(r.content[0].text)
"""

LEFT = """import anthropic

client = anthropic.Anthropic()


def ask(prompt):
    return client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=50, prompt=prompt).completion
"""


def test_the_migrate_hook_fails_a_commit_of_legacy_code_and_writes_nothing(cli, tmp_path: Path) -> None:
    """As pre-commit runs it: the entry and the staged files it matches; then, once the files
    are migrated (transcript migrate --write), the same commit passes."""
    (tmp_path / ".git").mkdir()
    (h,) = [h for h in hooks() if h["id"] == "transcript-migrate"]
    args = h["entry"].split()[1:]
    files = {"legacy.py": LEGACY, "modern.py": MODERN, "left.py": LEFT}
    for name, text in files.items():
        (tmp_path / name).write_text(text)

    staged = cli([*args, "legacy.py", "modern.py"], cwd=tmp_path)
    assert (staged.exit_code, staged.stdout) == (1, "would migrate legacy.py\n"), staged.stderr
    assert cli([*args, "modern.py"], cwd=tmp_path).exit_code == 0
    left = cli([*args, "left.py"], cwd=tmp_path)  # nothing would change, but a call is left: reported, fails
    assert (left.exit_code, left.stdout) == (1, ""), left.stderr
    assert "left.py:7:97: error U003" in left.stderr
    assert {name: (tmp_path / name).read_text() for name in files} == files

    assert cli(["migrate", "--write", "legacy.py"], cwd=tmp_path).exit_code == 0
    again = cli([*args, "legacy.py", "modern.py"], cwd=tmp_path)
    assert (again.exit_code, again.stdout) == (0, ""), again.stderr
