"""The house: import-linter's contracts (pyproject.toml), module sizes, and imports at the top.

The layer order and "codes modules are leaves" are import-linter contracts, run by
``lint-imports`` in CI and here; these tests add what a contract does not say.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import transcript

PACKAGE = Path(transcript.__file__).resolve().parent
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 600

# Imports of the package made inside functions on purpose, each for a reason other than a cycle.
LAZY_IMPORTS: dict[str, set[str]] = {
    # the serve extra (uvicorn, starlette) may be absent: its modules load once it is known to be there
    "cli/serve.py": {"transcript.serve.server"},
    "serve/pytest_plugin.py": {"transcript.serve.server"},
    # the dask extra may be absent: --dask loads it when it is asked for (a missing extra is one line, exit 2)
    "cli/options.py": {"transcript.scale.dask"},
}


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


@pytest.mark.skipif(shutil.which("lint-imports") is None and not Path(sys.executable).with_name("lint-imports").exists(),
                    reason="import-linter not installed")
def test_import_contracts_are_kept() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    root = Path(__file__).resolve().parent.parent  # the checkout, whose pyproject.toml has the contracts
    done = subprocess.run([exe, "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


@pytest.mark.parametrize("path", MODULES, ids=_relative)
def test_modules_are_small_enough_to_read_in_one_sitting(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{_relative(path)} has {lines} lines (at most {MAX_LINES})"


@pytest.mark.parametrize("path", MODULES, ids=_relative)
def test_imports_of_the_package_are_at_the_top(path: Path) -> None:
    """No import of the package inside a function or class: every dependency is visible at the
    top of its module (and in the contracts), and none dodges a cycle."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed = LAZY_IMPORTS.get(_relative(path), set())
    nested = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import):
                    names = {a.name for a in inner.names}
                elif isinstance(inner, ast.ImportFrom):
                    names = {inner.module or ""}
                else:
                    continue
                names = {n for n in names if n == "transcript" or n.startswith("transcript.")}
                if names and not names <= allowed:
                    nested.append(f"line {inner.lineno}: {', '.join(sorted(names))}")
    assert not nested, f"{_relative(path)} imports inside a function: {nested}"
