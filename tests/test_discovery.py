"""File discovery (transcript.lint.discovery) and per-file configuration, in a scratch repository."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcript.core.sources import InputError
from transcript.lint import driver
from transcript.lint.config import ConfigResolver
from transcript.lint.discovery import GitIgnore, global_excludes_file
from transcript.lint.driver import lint_paths
from transcript.lint.families import load_all

GOOD = {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "Hello"}]}
# R007: temperature and top_p together on a model that refuses both
BAD_SAMPLING = {**GOOD, "model": "claude-opus-4-1", "temperature": 0.5, "top_p": 0.9}
EMPTY = {**GOOD, "messages": []}  # R001


def write(path: Path, content: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A scratch git work tree: a virtual environment, node_modules, build/, a requirements.txt,
    a package.json, a git-ignored JSON file, nested configs, and real files, some bad."""
    root = tmp_path / "repo"
    (root / ".git" / "info").mkdir(parents=True)
    write(root / ".git" / "info" / "exclude", "local-only/\n")
    write(root / ".gitignore", "secret.json\n*.log\n")
    write(root / "env" / "pyvenv.cfg", "home = /usr/bin\n")
    write(root / "env" / "lib" / "x.request.json", EMPTY)
    write(root / ".venv" / "lib" / "fixture.json", EMPTY)
    write(root / "node_modules" / "pkg" / "package.json", {"name": "pkg", "version": "1.0.0"})
    write(root / "node_modules" / "pkg" / "example.json", EMPTY)
    write(root / "build" / "lib" / "request.json", EMPTY)
    write(root / "pkg.egg-info" / "top_level.txt", "pkg\n")
    write(root / "requirements.txt", "requests==2.32\n")
    write(root / "package.json", {"name": "scratch", "dependencies": {}})
    write(root / "tsconfig.json", {"compilerOptions": {"strict": True}})
    write(root / "secret.json", EMPTY)
    write(root / "local-only" / "draft.json", EMPTY)
    write(root / "requests" / "good.json", GOOD)
    write(root / "requests" / "empty.json", EMPTY)
    write(root / "requests" / "sampling.json", BAD_SAMPLING)
    write(root / "requests" / "broken.request.json", '{"model": ')
    write(root / "prompts" / "hello.txt", "\n\nHuman: Hello\n\nAssistant:")
    write(root / "prompts" / "notes.txt", "Just notes, not a prompt.\n")
    write(root / "sub" / "transcript.toml", 'ignore = ["R007"]\n')
    write(root / "sub" / "sampling.json", BAD_SAMPLING)
    write(root / "sub" / "chat.messages.json", {"system": "Be brief.", "messages": [{"role": "user", "content": "Hi"}]})
    write(root / "pyproject.toml", '[tool.transcript]\nextend-exclude = ["fixtures/"]\n')
    write(root / "fixtures" / "bad.json", EMPTY)
    return root


def run(paths: list[str], **keywords: object) -> dict[str, list[str]]:
    resolver = keywords.pop("resolver", None) or ConfigResolver()
    git = GitIgnore(global_file=Path("/nonexistent"))
    return {
        Path(r.name).as_posix(): [d.code for d in r.diagnostics]
        for r in lint_paths(paths, resolver=resolver, git=git, **keywords)  # type: ignore[arg-type]
        if not r.skipped
    }


def test_a_walk_reports_exactly_the_real_files(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    assert run(["."]) == {
        "prompts/hello.txt": [],
        "requests/broken.request.json": ["X004"],
        "requests/empty.json": ["R001"],
        "requests/good.json": [],
        "requests/sampling.json": ["R007"],
        "sub/chat.messages.json": [],
        "sub/sampling.json": [],  # sub/transcript.toml ignores R007
    }


def test_results_do_not_depend_on_order_or_split(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file has its own configuration: any order of the arguments, or any split of them
    into runs (as pre-commit makes), gives every file the same diagnostics."""
    monkeypatch.chdir(repo)
    files = ["sub/sampling.json", "requests/sampling.json", "requests/empty.json", "sub/chat.messages.json"]
    expected = run(files)
    assert expected["sub/sampling.json"] == [] and expected["requests/sampling.json"] == ["R007"]
    for order in itertools.permutations(files):
        assert run(list(order)) == expected
    for cut in range(1, len(files)):
        assert {**run(files[:cut]), **run(files[cut:])} == expected


def test_explicit_files_are_always_judged_unless_force_exclude(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    named = ["package.json", "build/lib/request.json", "secret.json", "fixtures/bad.json", "requests/empty.json"]
    found = run(named)
    assert found["package.json"] == ["X008"] and found["build/lib/request.json"] == ["R001"]
    assert set(found) == set(named)
    forced = run(named, resolver=ConfigResolver(overrides={"force_exclude": True}))
    assert set(forced) == {"package.json", "requests/empty.json"}


def test_gitignore_can_be_turned_off_and_excludes_extended(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    found = run(["."], resolver=ConfigResolver(overrides={"respect_gitignore": False}))
    assert {"secret.json", "local-only/draft.json"} <= set(found)
    assert not any(name.startswith(("build/", "node_modules/", "env/", ".venv/", "fixtures/")) for name in found)
    found = run(["."], resolver=ConfigResolver(overrides={"extend_exclude": ["requests/"]}))
    assert not any(name.startswith("requests/") for name in found)
    # exclude replaces the defaults (as ruff's does): build/ is walked again
    found = run(["."], resolver=ConfigResolver(overrides={"exclude": ["requests/"]}))
    assert "build/lib/request.json" in found and "requests/empty.json" not in found


def test_nested_gitignore_and_negation(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    write(repo / "requests" / ".gitignore", "*.json\n!good.json\n")
    assert sorted(run(["requests"])) == ["requests/good.json"]


def test_global_excludes_file_is_read(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    write(home / ".gitconfig", f"[core]\n\texcludesFile = {tmp_path / 'global-ignore'}\n")
    write(tmp_path / "global-ignore", "prompts/\n")
    assert global_excludes_file({"HOME": str(home)}) == tmp_path / "global-ignore"
    assert global_excludes_file({"HOME": str(tmp_path / "nobody"), "XDG_CONFIG_HOME": "/x"}) == Path("/x/git/ignore")
    monkeypatch.chdir(repo)
    git = GitIgnore(global_file=tmp_path / "global-ignore")
    names = {Path(r.name).as_posix() for r in lint_paths(["."], git=git) if not r.skipped}
    assert "prompts/hello.txt" not in names and "requests/good.json" in names


def test_outside_a_work_tree_gitignore_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "plain" / ".gitignore", "*.json\n")
    write(tmp_path / "plain" / "a.json", EMPTY)
    monkeypatch.chdir(tmp_path / "plain")
    assert run(["."]) == {"a.json": ["R001"]}


def test_an_unreadable_file_is_reported_and_the_run_goes_on(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13 item 7: one unreadable file in a directory walk aborted the whole run."""
    monkeypatch.chdir(repo)
    real = driver.read_source

    def read(path: str | Path, **keywords: object) -> object:
        if Path(path).name == "empty.json":
            raise InputError(f"{path}: permission denied", "permission denied")
        return real(path)

    monkeypatch.setattr(driver, "read_source", read)
    found = run(["requests", "missing.json"])
    assert found["requests/empty.json"] == ["X010"]
    assert found["missing.json"] == ["X010"]
    assert found["requests/sampling.json"] == ["R007"]


def test_cli_walk_show_files_and_missing_file(cli, repo: Path) -> None:
    result = cli(["lint", ".", "missing.json", "--show-files"], cwd=repo)
    assert result.exit_code == 0, result.stderr
    shown = result.stdout.split()
    assert "requests/good.json" in shown and "package.json" not in shown and "requirements.txt" not in shown
    assert "missing.json" in shown
    result = cli(["lint", "requests", "missing.json"], cwd=repo)
    assert result.exit_code == 1
    assert "missing.json: error X010 cannot read the file: no such file" in result.stdout
    assert "requests/empty.json:" in result.stdout and "Checked 5 files" in result.stdout


def test_cli_show_settings(cli, repo: Path) -> None:
    result = cli(["lint", "--show-settings", "sub/sampling.json"], cwd=repo)
    assert result.exit_code == 0, result.stderr
    assert f'config = "{repo / "sub" / "transcript.toml"}"' in result.stdout
    assert 'ignore = ["R007"]' in result.stdout and 'kind = "request"' in result.stdout
    result = cli(["lint", "--show-settings", "requests/sampling.json"], cwd=repo)
    assert f'config = "{repo / "pyproject.toml"}"' in result.stdout and 'extend-exclude = ["fixtures/"]' in result.stdout


def test_cli_stdin_filename_takes_that_files_config_and_kind(cli, repo: Path) -> None:
    body = json.dumps(BAD_SAMPLING)
    result = cli(["lint", "-", "--stdin-filename", "sub/x.json"], cwd=repo, input=body)
    assert result.exit_code == 0 and "R007" not in result.stdout and "Checked 1 file" in result.stdout
    result = cli(["lint", "-", "--stdin-filename", "requests/x.json"], cwd=repo, input=body)
    assert result.exit_code == 1 and "requests/x.json:" in result.stdout and "R007" in result.stdout
    result = cli(["lint", "x.json", "--stdin-filename", "a.json"], cwd=repo)
    assert result.exit_code == 2


@given(st.permutations(["a/x.json", "b/x.json", "c/x.json", "a/y.json"]))
def test_walk_order_is_sorted_whatever_the_creation_order(order: list[str]) -> None:
    """Property: discovery yields a directory's files in sorted order, however they were made."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for name in order:
            write(Path(tmp, name), EMPTY)
        names = [Path(r.name).relative_to(tmp).as_posix() for r in lint_paths([tmp]) if not r.skipped]
    assert names == ["a/x.json", "a/y.json", "b/x.json", "c/x.json"]


def test_fix_then_lint_leaves_no_fixable_finding(cli, repo: Path) -> None:
    """The issue's check: in the scratch repository, --fix (with the unsafe fixes) then lint
    leaves no finding that a fix could repair; the safe run alone leaves only unsafe ones."""
    write(repo / "requests" / "prefill.json", {**GOOD, "messages": [*GOOD["messages"], {"role": "assistant", "content": "So "}]})
    write(repo / "prompts" / "legacy.prompt", "Human: Hi\n\nAssistant: ")
    fixable = {r.code: r.fix.applicability for r in load_all() if r.fix is not None}
    cli(["lint", ".", "--fix"], cwd=repo)
    after = cli(["lint", ".", "--format", "json"], cwd=repo)
    left = {d["code"] for d in json.loads(after.stdout)["diagnostics"]}
    assert {fixable[c] for c in left if c in fixable} <= {"unsafe"} and "R007" in left
    cli(["lint", ".", "--fix", "--unsafe-fixes"], cwd=repo)
    after = cli(["lint", ".", "--format", "json"], cwd=repo)
    assert not {d["code"] for d in json.loads(after.stdout)["diagnostics"]} & set(fixable)
    assert (repo / "prompts" / "legacy.prompt").read_text() == "\n\nHuman: Hi\n\nAssistant:"
