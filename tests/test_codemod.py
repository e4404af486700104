"""The codemod, case by case: each ``tests/data/codemod/NAME.py`` migrates to
``NAME.expected.py`` with the diagnostics of ``NAME.diagnostics`` (``LINE:COLUMN CODE``
a line), and migrating the expected output again changes nothing.

A case's first line may name its options: ``# transcript migrate: --model-map OLD=NEW``.
"""

from __future__ import annotations

import ast
import shlex
from pathlib import Path

import pytest

from transcript.codemod.migrate import CodeMigration, CodeOptions, migrate_source
from transcript.legacy.requests import parse_model_map

CASES = Path(__file__).parent / "data" / "codemod"
NAMES = sorted(p.name[: -len(".py")] for p in CASES.glob("*.py") if not p.name.endswith(".expected.py"))


def options_of(source: str) -> CodeOptions:
    first = source.splitlines()[0] if source else ""
    prefix = "# transcript migrate:"
    if not first.startswith(prefix):
        return CodeOptions()
    words = shlex.split(first[len(prefix) :])
    pairs = [words[i + 1] for i, w in enumerate(words) if w == "--model-map"]
    return CodeOptions(model_map=parse_model_map(pairs))


def migrate_case(name: str) -> tuple[str, CodeMigration]:
    source = (CASES / f"{name}.py").read_text(encoding="utf-8")
    return source, migrate_source(source, options_of(source))


def diagnostics_text(migration: CodeMigration) -> str:
    return "".join(f"{d.location.line}:{d.location.column} {d.code}\n" for d in migration.diagnostics)


@pytest.mark.parametrize("name", NAMES)
def test_case_migrates_to_its_expected_source(name: str) -> None:
    _, migration = migrate_case(name)
    assert migration.source == (CASES / f"{name}.expected.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NAMES)
def test_case_reports_its_expected_diagnostics(name: str) -> None:
    _, migration = migrate_case(name)
    assert diagnostics_text(migration) == (CASES / f"{name}.diagnostics").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NAMES)
def test_migrating_the_migrated_source_changes_nothing(name: str) -> None:
    source, migration = migrate_case(name)
    again = migrate_source(migration.source, options_of(source))
    assert again.source == migration.source
    assert not [d for d in again.diagnostics if d.code == "U001"]


@pytest.mark.parametrize("name", NAMES)
def test_migrated_source_is_valid_python_for_3_10(name: str) -> None:
    _, migration = migrate_case(name)
    if any(d.code == "U011" for d in migration.diagnostics):
        pytest.skip("the case is not valid Python")
    ast.parse(migration.source, feature_version=(3, 10))
