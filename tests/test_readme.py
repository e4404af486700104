"""The README's examples run as written: every shell command line and every Python snippet.

Each runs in a scratch directory holding a copy of the samples and of the project's
configuration, with the installed ``transcript`` first on the PATH; a command may find
problems (exit 1, the deliberately broken samples) but never be a usage error (exit 2).
"""

from __future__ import annotations

import os
import re
import shutil
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


@pytest.mark.parametrize("command", commands())
def test_every_shell_example_runs(command: str, scratch: Path) -> None:
    done = run(command, scratch)
    expected = {1} if "invalid/" in command else {0}
    assert done.returncode in expected, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"


@pytest.mark.parametrize("snippet", blocks("python"), ids=lambda s: s.split("\n")[0])
def test_every_python_example_runs(snippet: str, scratch: Path) -> None:
    done = subprocess.run([sys.executable, "-c", snippet], cwd=scratch, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
