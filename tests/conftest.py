"""Shared fixtures: the CLI runner and paths to the shipped samples and test data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DATA = Path(__file__).resolve().parent / "data"

settings.register_profile("default", max_examples=150, deadline=None)
settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True)
# CI runs derandomized, so a red run can be reproduced exactly.
settings.load_profile("ci" if os.environ.get("CI") else "default")


class CliResult:
    def __init__(self, proc: subprocess.CompletedProcess[bytes]) -> None:
        self.exit_code = proc.returncode
        self.stdout_bytes = proc.stdout
        self.stderr_bytes = proc.stderr
        self.stdout = proc.stdout.decode("utf-8", "replace")
        self.stderr = proc.stderr.decode("utf-8", "replace")


def _command() -> list[str]:
    """The installed ``transcript`` script beside this interpreter, as a user runs it.

    (``python -m transcript`` would import the source folder when the working directory is
    the repository root, and the source folder does not hold the packaged grammar and
    schemas: that is what the installed package is for.)
    """
    script = shutil.which("transcript", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "transcript"]


def run_cli(args: Sequence[str], *, input: bytes | str | None = None, cwd: Path | None = None) -> CliResult:
    """Run the installed command line in a subprocess, as a user would."""
    data = input.encode("utf-8") if isinstance(input, str) else input
    proc = subprocess.run(
        [*_command(), *args],
        input=data if data is not None else b"",
        capture_output=True,
        cwd=cwd,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
    )
    return CliResult(proc)


@pytest.fixture
def cli():
    return run_cli
