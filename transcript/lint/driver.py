"""The lint driver: read an input, tell its kind, run that kind's lint, stamp the file name.

The kinds are the table of :mod:`transcript.lint.kinds`.  The driver decodes the bytes
(reporting ``X`` diagnostics), picks the kind (``--kind`` wins, then extension plus
sniffing, then sniffing alone), runs it on one :class:`~transcript.lint.kinds.Document`
(so the text is parsed at most once), stamps the file name on what it reports and applies
the configuration.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from transcript.core.codes import UNKNOWN_KIND
from transcript.core.diagnostics import Diagnostic, sort_diagnostics
from transcript.core.sources import Source, decode_source
from transcript.lint.config import Config
from transcript.lint.kinds import EXTENSIONS, KINDS, Document, Kind, detect_kind, suffix
from transcript.request.context import LintOptions

__all__ = ["lint_source", "lint_text", "iter_files"]


def lint_text(text: str, kind: str | Kind, options: LintOptions | None = None) -> list[Diagnostic]:
    """Lint text of a known kind (no file name on the diagnostics)."""
    k = KINDS[kind] if isinstance(kind, str) else kind
    return list(k.lint(Document(text), options or LintOptions()))


def lint_source(
    source: Source,
    *,
    kind: str | None = None,
    options: LintOptions | None = None,
    config: Config | None = None,
) -> tuple[str | None, list[Diagnostic]]:
    """Lint one input.  Returns the kind it was read as and its diagnostics, sorted."""
    text, diagnostics = decode_source(source)
    chosen: Kind | None = None
    if text is not None:
        document = Document(text)
        chosen = KINDS[kind] if kind else detect_kind(source.name, document)
        if chosen is None:
            diagnostics = [
                UNKNOWN_KIND.diagnostic(
                    "cannot tell what kind of input this is",
                    hint=f"pass --kind ({', '.join(sorted(KINDS))})",
                )
            ]
        else:
            diagnostics = list(chosen.lint(document, options or LintOptions()))
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
                if suffix(f) in EXTENSIONS or os.path.splitext(f)[1].lower() in EXTENSIONS:
                    # only regular files: reading a FIFO found on the walk would block for
                    # ever, and a dangling symlink would end the whole run
                    if (config is None or not config.is_excluded(full)) and full.is_file():
                        yield str(full)
