"""The lint driver: find the inputs, read each, tell its kind, run that kind's lint, stamp the file name.

The kinds are the table of :mod:`transcript.lint.kinds`.  The driver decodes the bytes
(reporting ``X`` diagnostics), picks the kind (``--kind`` wins, then extension plus
sniffing, then sniffing alone), runs it on one :class:`~transcript.lint.kinds.Document`
(so the text is parsed at most once), stamps the file name on what it reports and applies
the configuration.

:func:`lint_paths` is the whole of ``transcript lint``: paths expanded by
:mod:`transcript.lint.discovery`, each file with its own configuration (the nearest
configuration file above it), a file found on a walk linted only when it is recognisably
one of transcript's kinds, and a path that cannot be read reported as ``X010``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs
from attrs import frozen

from transcript.core.codes import UNKNOWN_KIND, UNREADABLE_FILE
from transcript.core.diagnostics import Diagnostic, Location, sort_diagnostics
from transcript.core.sources import STDIN_NAME, InputError, Source, decode_source, read_source
from transcript.lint.config import Config, ConfigResolver
from transcript.lint.discovery import Candidate, GitIgnore, discover
from transcript.lint.kinds import EXTENSIONS, KINDS, NAMED, Document, Kind, detect_kind, recognise, suffix
from transcript.request.context import LintOptions

__all__ = ["FileResult", "candidates", "iter_files", "lint_candidate", "lint_paths", "lint_source", "lint_text", "options_for", "read_path"]


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
    recognised_only: bool = False,
) -> tuple[str | None, list[Diagnostic]]:
    """Lint one input.  Returns the kind it was read as and its diagnostics, sorted.

    ``recognised_only`` (a file found on a directory walk): a text that is not
    recognisably one of the kinds, or not text at all, is passed over, as ``(None, [])``.
    """
    text, diagnostics = decode_source(source)
    chosen: Kind | None = None
    if text is None and recognised_only and not source.name.lower().endswith(NAMED):
        return None, []
    if text is not None:
        document = Document(text)
        if kind:
            chosen = KINDS[kind]
        elif recognised_only:
            chosen = recognise(source.name, document)
            if chosen is None:
                return None, []
        else:
            chosen = detect_kind(source.name, document)
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
    """Expand the paths given on the command line with one configuration (the 0.1 API;
    :func:`lint_paths` expands them as ``lint`` does, with each file's configuration).

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


@frozen
class FileResult:
    """One input of a run: its name, the kind it was read as (``None``: passed over, or not
    read), its diagnostics (the configuration applied) and the configuration it had."""

    name: str
    kind: str | None
    diagnostics: list[Diagnostic]
    config: Config
    skipped: bool = False
    #: The bytes that were read (for ``--fix``), when they were.
    source: Source | None = attrs.field(default=None, eq=False, repr=False)


def read_path(path: str, *, stdin_filename: str | None = None) -> Source | Diagnostic:
    """The bytes of a path (``-``: standard input, reported as ``stdin_filename`` when given),
    or the ``X010`` diagnostic saying why they cannot be read."""
    try:
        source = read_source(path)
    except InputError as exc:
        return UNREADABLE_FILE.diagnostic(f"cannot read the file: {exc.reason}", Location(file=path))
    if path == "-" and stdin_filename:
        source = attrs.evolve(source, name=stdin_filename)
    return source


def lint_paths(
    paths: Sequence[str],
    *,
    resolver: ConfigResolver | None = None,
    kind: str | None = None,
    strict: bool = False,
    stdin_filename: str | None = None,
    git: GitIgnore | None = None,
    only_recognised: bool = False,
) -> Iterator[FileResult]:
    """Lint files and directories as ``transcript lint`` does, one :class:`FileResult` per input.

    Each file gets the configuration of the nearest configuration file above it
    (``resolver``; default: the files' own, no flags), so the result for a file never
    depends on the other paths or their order.  Standard input takes the configuration
    of ``stdin_filename``'s directory (default: the working directory).  A file found on
    a walk that is not recognisably a prompt, a request, a response, a batch or a stream
    is yielded with ``skipped`` set and no diagnostics; with ``only_recognised`` so is a
    file named explicitly (what pre-commit passes is judged as a walk would judge it).
    """
    for candidate in candidates(paths, resolver=resolver, stdin_filename=stdin_filename, git=git, only_recognised=only_recognised):
        yield lint_candidate(candidate, kind=kind, strict=strict, stdin_filename=stdin_filename)


def candidates(
    paths: Sequence[str],
    *,
    resolver: ConfigResolver | None = None,
    stdin_filename: str | None = None,
    git: GitIgnore | None = None,
    only_recognised: bool = False,
) -> Iterator[Candidate]:
    """The inputs :func:`lint_paths` lints, in order, each with its configuration."""
    resolver = resolver or ConfigResolver()
    stdin_config = resolver.for_path(stdin_filename) if stdin_filename else None
    for candidate in discover(paths, resolver, stdin_config=stdin_config, git=git):
        if only_recognised and candidate.explicit and candidate.path != "-" and os.path.isfile(candidate.path):
            candidate = attrs.evolve(candidate, explicit=False)
        yield candidate


def options_for(config: Config, strict: bool = False) -> LintOptions:
    """The :class:`LintOptions` a file with this configuration is linted with."""
    return LintOptions(target=config.target, strict=strict, betas=config.betas, models=config.models, settings=config.settings)


def lint_candidate(
    candidate: Candidate, *, kind: str | None = None, strict: bool = False, stdin_filename: str | None = None
) -> FileResult:
    """Lint one :class:`~transcript.lint.discovery.Candidate` with its own configuration."""
    config = candidate.config
    read = read_path(candidate.path, stdin_filename=stdin_filename)
    if isinstance(read, Diagnostic):
        if not candidate.explicit and not os.path.lexists(candidate.path):
            return FileResult(candidate.path, None, [], config, skipped=True)  # gone since the walk
        return FileResult(candidate.path, None, config.apply([read]), config)
    found, diagnostics = lint_source(read, kind=kind, options=options_for(config, strict), config=config, recognised_only=not candidate.explicit)
    name = read.name if candidate.path != "-" or stdin_filename else STDIN_NAME
    if found is None and not candidate.explicit:
        return FileResult(name, None, [], config, skipped=True)
    return FileResult(name, found, diagnostics, config, source=read)
