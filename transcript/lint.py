"""The lint driver: which kind of input a file is, and running that kind's checks on it.

A *kind* (a legacy prompt, a Messages request body, a JSONL batch, an event stream...)
is registered by its rule family module in :mod:`transcript.rules` with
:func:`register_kind`: a name, the file extensions it claims, an optional content sniffer
and a lint function ``(text, options) -> diagnostics``.  The driver decodes the bytes
(reporting ``X`` diagnostics), picks the kind (``--kind`` wins, then extension plus
sniffing, then sniffing alone), runs it and stamps the file name on what it reports.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from attrs import field, frozen

from transcript.config import Config
from transcript.diagnostics import Diagnostic, sort_diagnostics
from transcript.sources import Source, decode_text

__all__ = [
    "LintOptions",
    "Kind",
    "KINDS",
    "register_kind",
    "detect_kind",
    "lint_source",
    "lint_text",
    "iter_files",
]


@frozen
class LintOptions:
    """What a kind's lint function may take into account besides the text."""

    target: str = "anthropic"
    strict: bool = False
    settings: Mapping[str, Any] = field(factory=dict)


LintFunction = Callable[[str, LintOptions], Iterable[Diagnostic]]


@frozen
class Kind:
    name: str
    summary: str
    extensions: tuple[str, ...]
    lint: LintFunction = field(eq=False, repr=False)
    sniff: Callable[[str], bool] | None = field(default=None, eq=False, repr=False)
    priority: int = 0


KINDS: dict[str, Kind] = {}


def register_kind(
    name: str,
    *,
    summary: str,
    extensions: Sequence[str],
    lint: LintFunction,
    sniff: Callable[[str], bool] | None = None,
    priority: int = 0,
) -> Kind:
    """Register a kind of input.  Higher ``priority`` sniffers are tried first."""
    if name in KINDS:
        raise ValueError(f"kind {name!r} is registered twice")
    kind = Kind(name, summary, tuple(e.lower() for e in extensions), lint, sniff, priority)
    KINDS[name] = kind
    return kind


def _ordered(kinds: Iterable[Kind]) -> list[Kind]:
    return sorted(kinds, key=lambda k: -k.priority)


def detect_kind(name: str, text: str) -> Kind | None:
    """The kind of a file, from its extension and a look at its content."""
    from transcript.rules import load_all

    load_all()
    suffix = _suffix(name)
    by_ext = _ordered(k for k in KINDS.values() if suffix and suffix in k.extensions)
    for kind in by_ext:
        if kind.sniff is not None and kind.sniff(text):
            return kind
    for kind in by_ext:
        if kind.sniff is None:
            return kind
    if not by_ext:
        for kind in _ordered(KINDS.values()):
            if kind.sniff is not None and kind.sniff(text):
                return kind
    # Nothing recognised the content: the most generic kind for the extension (the lowest
    # priority) reads it and says what it expected.
    return by_ext[-1] if by_ext else None


def _suffix(name: str) -> str:
    lower = name.lower()
    for compound in (".prompt.txt",):
        if lower.endswith(compound):
            return compound
    return os.path.splitext(lower)[1]


def lint_text(text: str, kind: str | Kind, options: LintOptions | None = None) -> list[Diagnostic]:
    """Lint text of a known kind (no file name on the diagnostics)."""
    from transcript.rules import load_all

    load_all()
    k = KINDS[kind] if isinstance(kind, str) else kind
    return list(k.lint(text, options or LintOptions()))


def lint_source(
    source: Source,
    *,
    kind: str | None = None,
    options: LintOptions | None = None,
    config: Config | None = None,
) -> tuple[str | None, list[Diagnostic]]:
    """Lint one input.  Returns the kind it was read as and its diagnostics, sorted."""
    from transcript.rules import load_all
    from transcript.rules.input import UNKNOWN_KIND

    load_all()
    text, diagnostics = decode_text(source.data, name=source.name)
    chosen: Kind | None = None
    if text is not None:
        chosen = KINDS[kind] if kind else detect_kind(source.name, text)
        if chosen is None:
            diagnostics = [
                UNKNOWN_KIND.diagnostic(
                    "cannot tell what kind of input this is",
                    hint=f"pass --kind ({', '.join(sorted(KINDS))})",
                )
            ]
        else:
            diagnostics = list(chosen.lint(text, options or LintOptions()))
    stamped = [d if d.location.file else d.in_file(source.name) for d in diagnostics]
    if config is not None:
        stamped = config.apply(stamped)
    return (chosen.name if chosen else None), sort_diagnostics(stamped)


def iter_files(paths: Sequence[str], config: Config | None = None) -> Iterator[str]:
    """Expand the paths given on the command line.

    Files named explicitly are always linted; directories are walked recursively for
    files with an extension some kind claims, skipping hidden directories, the
    configured ``exclude`` globs, and what is not a regular file (a FIFO, a dangling
    symlink).
    """
    from transcript.rules import load_all

    load_all()
    extensions = {e for k in KINDS.values() for e in k.extensions}
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        p = Path(raw)
        if not p.is_dir():
            yield raw
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(
                d for d in dirs if not d.startswith(".") and not (config and config.is_excluded(Path(root, d)))
            )
            for f in sorted(files):
                full = Path(root, f)
                if _suffix(f) in extensions or os.path.splitext(f)[1].lower() in extensions:
                    # only regular files: reading a FIFO found on the walk would block for
                    # ever, and a dangling symlink would end the whole run
                    if (config is None or not config.is_excluded(full)) and full.is_file():
                        yield str(full)
