"""The README's examples run as written: every shell command line and every Python snippet.

Each runs in a scratch directory holding a copy of the samples and of the project's
configuration, with the installed ``transcript`` first on the PATH; a command may find
problems (exit 1, the deliberately broken samples) but never be a usage error (exit 2).
A ``transcript serve`` line must start listening (its one stderr line), then stop with
exit 0 on SIGTERM.
"""

from __future__ import annotations

import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"```(sh|python)\n(.*?)```", re.S)


def blocks(lang: str) -> list[str]:
    return [body for kind, body in BLOCK.findall(README) if kind == lang]


def commands() -> list[str]:
    """The ``transcript`` command lines of the shell blocks (the install and development lines aside)."""
    out = []
    for body in blocks("sh"):
        for line in body.splitlines():
            if re.match(r"^(echo .*\| )?transcript ", line) or line.startswith("transcript "):
                out.append(line)
    return out


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "samples", where / "samples")
    shutil.copy(ROOT / "pyproject.toml", where / "pyproject.toml")
    return where


def run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}", "NO_COLOR": "1"}
    return subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_the_readme_has_examples() -> None:
    assert len(commands()) >= 15 and len(blocks("python")) >= 3


def serve(command: str, cwd: Path) -> None:
    """A ``transcript serve`` line: it listens, then stops cleanly on SIGTERM."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}", "NO_COLOR": "1"}
    proc = subprocess.Popen(
        ["bash", "-c", f"exec {command}"], cwd=cwd, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    try:
        assert proc.stderr is not None
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stderr, selectors.EVENT_READ)
            ready = sel.select(30)
        line = proc.stderr.readline().decode("utf-8", "replace") if ready else ""
        if not ready:
            proc.kill()  # (so that what it did write can be read to the end)
        rest = "" if ready else proc.stderr.read().decode()[-2000:]
        assert line.startswith("transcript serve: listening on http://127.0.0.1:"), f"{command}\n{line}{rest}"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0, command
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


@pytest.mark.parametrize("command", commands())
def test_every_shell_example_runs(command: str, scratch: Path) -> None:
    if command.startswith("transcript serve"):
        serve(command.split("#", 1)[0].strip(), scratch)
        return
    done = run(command, scratch)
    expected = {1} if "invalid/" in command else {0}
    assert done.returncode in expected, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"


@pytest.mark.parametrize("snippet", blocks("python"), ids=lambda s: s.split("\n")[0])
def test_every_python_example_runs(snippet: str, scratch: Path) -> None:
    done = subprocess.run([sys.executable, "-c", snippet], cwd=scratch, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
