"""The package ships ``py.typed``, so its library API must type-check.

Runs mypy (when it is installed) the way the project checks itself::

    mypy transcript --ignore-missing-imports

on the oldest supported Python (3.10) and on the running one.  Skipped when mypy is not
importable.  A second test checks that the checker really sees the types: a decorated
rule function keeps its signature (a wrong call is an error) and has ``.rule``.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("mypy")

ROOT = Path(__file__).resolve().parent.parent
PYTHON_VERSIONS = sorted({"3.10", f"{sys.version_info.major}.{sys.version_info.minor}"})


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for this module, outside the checkout."""
    return tmp_path_factory.mktemp("mypy-cache")


def _mypy(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--ignore-missing-imports", "--cache-dir", str(cache), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("version", PYTHON_VERSIONS)
def test_package_type_checks(version: str, cache_dir: Path) -> None:
    done = _mypy("--python-version", version, "transcript", cache=cache_dir / version)
    assert done.returncode == 0, done.stdout + done.stderr


def test_rule_decorator_keeps_the_signature_and_adds_rule(tmp_path: Path, cache_dir: Path) -> None:
    snippet = tmp_path / "uses_rule.py"
    snippet.write_text(
        textwrap.dedent(
            '''
            from transcript.core.registry import Registry, Rule, rule


            @rule(
                "Z999",
                "typing-probe",
                severity="error",
                summary="probe",
                explanation="probe",
                bad="",
                good="",
                runner="probe",
                registry=Registry(),
            )
            def probe(count: int, *, label: str = "") -> list[str]:
                return [label] * count


            attached: Rule = probe.rule
            fine: list[str] = probe(2, label="x")
            wrong = probe("two")
            '''
        ),
        encoding="utf-8",
    )
    current = f"{sys.version_info.major}.{sys.version_info.minor}"
    done = _mypy(str(snippet), cache=cache_dir / current)
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert done.returncode == 1, done.stdout + done.stderr
    # Exactly one error: the wrong call (the signature survives); ``.rule`` is known.
    assert len(errors) == 1, done.stdout
    assert "uses_rule.py:22:" in errors[0] and "arg-type" in errors[0], errors[0]
    assert 'incompatible type "str"; expected "int"' in errors[0], errors[0]


def test_enumerated_options_are_literals(tmp_path: Path, cache_dir: Path) -> None:
    """A misspelt target, request shape, migration direction or capture format is a type error."""
    snippet = tmp_path / "uses_literals.py"
    snippet.write_text(
        textwrap.dedent(
            '''
            from transcript.legacy.migrate import migrate_value
            from transcript.request.lint import lint_request, lint_request_value
            from transcript.stream.replay import replay_file

            lint_request({}, target="bedrock")
            lint_request({}, target="aws")
            lint_request_value({}, shape="conversation")
            lint_request_value({}, shape="chat")
            migrate_value({}, to="messages", unmappable_stop="drop")
            replay_file("x.sse", input_format="ndjson")
            '''
        )
    )
    done = _mypy(str(snippet), cache=cache_dir / "literals")
    bad_lines = sorted({int(line.split(":")[1]) for line in done.stdout.splitlines() if ": error:" in line})
    assert bad_lines == [7, 9, 10, 11], done.stdout
