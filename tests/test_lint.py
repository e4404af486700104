"""The lint driver (transcript.lint.driver): walking paths and dispatching to kinds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from transcript.lint import iter_files


def test_a_directory_walk_yields_only_regular_files(tmp_path: Path) -> None:
    """Regression: a FIFO met on a directory walk blocked lint for ever, and a dangling
    symlink ended the whole run with 'no such file' (exit 2)."""
    (tmp_path / "a.txt").write_text("\n\nHuman: hi\n\nAssistant:")
    (tmp_path / "sub.json").mkdir()  # a directory with a claimed extension
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "linked.txt").symlink_to(tmp_path / "a.txt")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.sse")
    found = [Path(p).name for p in iter_files([str(tmp_path)])]
    assert found == ["a.txt", "linked.txt"]


def test_files_named_explicitly_are_always_yielded(tmp_path: Path) -> None:
    """A path given on the command line is read as given (a missing one is then reported)."""
    missing = str(tmp_path / "missing.json")
    assert list(iter_files([missing, "-"])) == [missing, "-"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_lint_of_a_directory_with_a_fifo_finishes(cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("\n\nHuman: hi\n\nAssistant:")
    os.mkfifo(tmp_path / "pipe.sse")
    result = cli(["lint", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert "Checked 1 file" in result.stdout
