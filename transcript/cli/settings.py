"""``transcript lint --show-settings FILE``: the settings one file is linted with, as TOML."""

from __future__ import annotations

import json
from pathlib import Path

from transcript.core.diagnostics import Diagnostic
from transcript.lint.config import Config
from transcript.lint.discovery import GitIgnore
from transcript.lint.driver import read_path
from transcript.lint.kinds import detect_kind

__all__ = ["show_settings"]


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f" {json.dumps(str(k))} = {_toml(v)}" for k, v in value.items()) + (" }" if value else "}")
    return json.dumps(str(value), ensure_ascii=False)


def show_settings(path: Path, config: Config, *, kind: str | None = None) -> str:
    """The resolved settings of ``path``: where they come from, every key, and what they make of the file."""
    matching = {p: list(config.per_file_ignores[p]) for p in config.per_file_patterns(str(path))}
    kind_name = kind
    if kind_name is None and path.is_file():
        read = read_path(str(path))
        if not isinstance(read, Diagnostic):
            try:
                text = read.data.decode("utf-8")
            except UnicodeDecodeError:
                text = None
            found = detect_kind(read.name, text) if text is not None else None
            kind_name = found.name if found else None
    excluded = config.is_excluded(path, is_dir=path.is_dir())
    ignored = config.respect_gitignore and GitIgnore().ignored_with_parents(path)
    rows = [
        ("file", str(path)),
        ("config", config.source or "(none: the defaults)"),
        ("root", str(config.root)),
        ("kind", kind_name or "(not recognised)"),
        ("select", list(config.select)),
        ("extend-select", list(config.extend_select)),
        ("ignore", list(config.ignore)),
        ("per-file-ignores", {p: list(c) for p, c in config.per_file_ignores.items()}),
        ("per-file-ignores-matching", matching),
        ("severity", {c: s.value for c, s in config.severity.items()}),
        ("exclude", list(config.exclude)),
        ("extend-exclude", list(config.extend_exclude)),
        ("force-exclude", config.force_exclude),
        ("respect-gitignore", config.respect_gitignore),
        ("target", config.target),
        ("excluded", bool(excluded)),
        ("git-ignored", bool(ignored)),
    ]
    return "".join(f"{key} = {_toml(value)}\n" for key, value in rows)
