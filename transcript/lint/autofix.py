"""Autofix, ruff-style: lint, apply the fixes of what was found, again until nothing changes.

:func:`fix_text` repairs one input's text with the fixes registered with the rules
(:mod:`transcript.lint.fixes`): the safe ones, and with ``unsafe`` the others too.  Each
pass lints the text as its kind (the configuration applies: an ignored code is not
fixed), asks each fixable finding's fix for its edits, applies those that do not
overlap, and lints again; it stops when a pass changes nothing (at most
:data:`MAX_PASSES`).  A JSONL file is fixed line by line; every byte no edit touches is
kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import orjson
from attrs import frozen

from transcript.core.diagnostics import Diagnostic, diagnostic_tuple
from transcript.core.sources import Source
from transcript.lint.config import Config
from transcript.lint.driver import lint_source
from transcript.lint.families import load_all
from transcript.lint.fixes import Edit, Target
from transcript.request.context import LintOptions

__all__ = ["FixResult", "MAX_PASSES", "apply_edits", "fix_text"]

MAX_PASSES = 10
_JSONL_KINDS = frozenset({"jsonl", "batch-results", "completion-jsonl", "stream"})
_JSON_KINDS = frozenset(
    {"request", "conversation", "bedrock-request", "vertex-request", "count-tokens", "response", "json"}
    | {"completion-request", "completion-response"}
)


@frozen
class FixResult:
    """The fixed text, the findings that were fixed (as found), and what is left after the last pass."""

    text: str
    fixed: tuple[Diagnostic, ...]
    remaining: tuple[Diagnostic, ...]
    kind: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.fixed)


def apply_edits(text: str, edits: Iterable[Edit | Sequence[Edit]]) -> tuple[str, list[Edit]]:
    """``text`` with the edits applied, and those applied.  An item may be one edit or a
    group (one finding's fix: applied whole or not at all); an edit or group that overlaps
    one taken before it is left for the next pass."""
    groups = [[e] if isinstance(e, Edit) else list(e) for e in edits]
    taken: list[Edit] = []

    def clashes(a: Edit, b: Edit) -> bool:
        if a.start == a.end and b.start == b.end:
            return a.start == b.start  # two insertions at one place: their order is unknown
        return a.start < b.end and b.start < a.end or (a.start == a.end and b.start < a.start < b.end) or (
            b.start == b.end and a.start < b.start < a.end
        )

    for group in sorted((g for g in groups if g), key=lambda g: min(e.start for e in g)):
        if any(clashes(a, b) for a in group for b in taken):
            continue
        taken.extend(group)
    out = text
    for edit in sorted(taken, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: edit.start] + edit.replacement + out[edit.end :]
    return out, taken


def _parsed(text: str) -> object:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def _edits(text: str, kind: str | None, found: Sequence[Diagnostic], unsafe: bool) -> list[tuple[Diagnostic, list[Edit]]]:
    registry = load_all()
    out: list[tuple[Diagnostic, list[Edit]]] = []
    fixable = []
    for d in found:
        rule = registry.get(d.code)
        if rule is not None and rule.fix is not None and (unsafe or rule.fix.applicability == "safe"):
            fixable.append((d, rule.fix))
    if not fixable:
        return out
    if kind in _JSONL_KINDS:
        starts = _line_starts(text)
        for d, fix in fixable:
            line = d.location.line
            if line is None or line > len(starts):
                continue
            begin = starts[line - 1]
            end = starts[line] - 1 if line < len(starts) else len(text)
            record = text[begin:end].rstrip("\r")
            edits = fix.edits(Target(record, _parsed(record)), d)
            out.append((d, [Edit(e.start + begin, e.end + begin, e.replacement) for e in edits]))
        return out
    target = Target(text, _parsed(text) if kind in _JSON_KINDS else None)
    return [(d, list(fix.edits(target, d))) for d, fix in fixable]


def fix_text(
    text: str,
    name: str = "<string>",
    *,
    kind: str | None = None,
    options: LintOptions | None = None,
    config: Config | None = None,
    unsafe: bool = False,
) -> FixResult:
    """Fix ``text`` (named ``name``, which tells its kind and its per-file ignores) until stable."""
    fixed: list[Diagnostic] = []
    found_kind: str | None = None
    remaining: list[Diagnostic] = []
    for _ in range(MAX_PASSES):
        found_kind, remaining = lint_source(Source.from_text(text, name), kind=kind, options=options, config=config)
        kind = kind or found_kind
        planned = _edits(text, found_kind, remaining, unsafe)
        edits = [es for _, es in planned if es]
        if not edits:
            break
        new_text, applied = apply_edits(text, edits)
        if new_text == text:
            break
        applied_ids = {id(e) for e in applied}
        fixed.extend(d for d, es in planned if es and all(id(e) in applied_ids for e in es))
        text = new_text
    else:
        found_kind, remaining = lint_source(Source.from_text(text, name), kind=kind, options=options, config=config)
    return FixResult(text, diagnostic_tuple(fixed), diagnostic_tuple(remaining), found_kind)
