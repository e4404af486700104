"""Configuration: ``[tool.transcript]`` in ``pyproject.toml`` or a ``transcript.toml``.

Keys (the same in both files; ``transcript.toml`` has them at the top level)::

    select = ["ALL"]                 # codes or prefixes to report ("P", "M0", "T002")
    extend-select = []               # added to select
    ignore = []                      # codes or prefixes never reported
    per-file-ignores = { "samples/legacy/*.txt" = ["P1"] }
    severity = { M001 = "error" }    # override a rule's severity
    exclude = ["build/**"]           # globs skipped when walking directories
    target = "anthropic"             # anthropic | bedrock | vertex
    betas = ["context-1m-2025-08-07"]  # the anthropic-beta names the requests are sent with
    [models."claude-x"]              # add or correct a model (the keys of protocol/models.json)
    max_output_tokens = 64000

Command-line flags win over the file.  A broken configuration is a usage error
(:class:`ConfigError`, exit status 2).
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any

import attrs
from attrs import field, frozen

from transcript.core.diagnostics import Diagnostic, Severity, str_tuple
from transcript.core.registry import matches
from transcript.lint.families import load_all
from transcript.protocol.models import ModelInfo, lookup_model, model_from_mapping
from transcript.protocol.vocabulary import TARGETS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["Config", "ConfigError", "TARGETS", "check_selectors", "find_config", "load_config"]

_KEYS = {"select", "extend-select", "ignore", "per-file-ignores", "severity", "exclude", "target", "betas", "models"}


class ConfigError(Exception):
    """The configuration file cannot be read or has a bad value."""


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(v).strip().upper() for v in value if str(v).strip())


@frozen
class Config:
    select: tuple[str, ...] = field(default=("ALL",), converter=_codes)
    extend_select: tuple[str, ...] = field(default=(), converter=_codes)
    ignore: tuple[str, ...] = field(default=(), converter=_codes)
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(factory=dict)
    severity: Mapping[str, Severity] = field(factory=dict)
    exclude: tuple[str, ...] = field(default=(), converter=str_tuple)
    target: str = "anthropic"
    source: str | None = None
    root: Path = field(factory=Path.cwd)
    betas: tuple[str, ...] = field(default=(), converter=str_tuple)
    models: Mapping[str, ModelInfo] = field(factory=dict)

    def with_cli(
        self,
        *,
        select: Sequence[str] | None = None,
        extend_select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        target: str | None = None,
    ) -> Config:
        """The configuration with command-line flags applied (flags win)."""
        changes: dict[str, Any] = {}
        for flag, values in (("--select", select), ("--extend-select", extend_select), ("--ignore", ignore)):
            check_selectors(_split(values or ()), flag)
        if select:
            changes["select"] = _split(select)
        if extend_select:
            changes["extend_select"] = self.extend_select + _codes(_split(extend_select))
        if ignore:
            changes["ignore"] = self.ignore + _codes(_split(ignore))
        if target:
            if target not in TARGETS:
                raise ConfigError(f"unknown target {target!r} (expected one of {', '.join(TARGETS)})")
            changes["target"] = target
        return attrs.evolve(self, **changes)

    def is_selected(self, code: str, file: str | None = None) -> bool:
        if not matches(code, self.select + self.extend_select):
            return False
        if matches(code, self.ignore):
            return False
        if file is not None and self.per_file_ignores:
            rel = self._relative(file)
            for pattern, codes in self.per_file_ignores.items():
                if _glob_match(rel, pattern) and matches(code, codes):
                    return False
        return True

    def apply(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """Drop unselected codes and apply severity overrides."""
        out = []
        for d in diagnostics:
            if not self.is_selected(d.code, d.location.file):
                continue
            override = self.severity.get(d.code)
            out.append(d.with_severity(override) if override else d)
        return out

    def is_excluded(self, path: str | Path) -> bool:
        rel = self._relative(str(path))
        return any(_glob_match(rel, pattern) for pattern in self.exclude)

    def _relative(self, file: str) -> str:
        p = Path(file)
        try:
            return p.resolve().relative_to(self.root.resolve()).as_posix()
        except (ValueError, OSError):
            return PurePath(file).as_posix()


def check_selectors(selectors: Iterable[str], where: str, *, exact: bool = False) -> None:
    """A selector that chooses no rule is a typo (``--select M01`` for M001, ``--ignore nope``):
    a :class:`ConfigError`, rather than a run that silently reports nothing, or everything.

    ``exact`` asks for full codes (severity overrides), not prefixes.
    """
    codes = [r.code for r in load_all()]
    for raw in selectors:
        sel = str(raw).strip().upper()
        if not sel or (not exact and sel == "ALL"):
            continue
        if sel in codes if exact else any(code.startswith(sel) for code in codes):
            continue
        what = "rule code" if exact else "rule code or prefix"
        raise ConfigError(f"{where}: {str(raw).strip()!r} is not a {what} (see 'transcript rules')")


def _split(values: Sequence[str]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        out.extend(part for part in v.split(",") if part.strip())
    return tuple(out)


def _glob_match(path: str, pattern: str) -> bool:
    """Glob match where ``**`` crosses directories and a bare name matches anywhere."""
    pattern = pattern.strip().rstrip("/")
    if fnmatch.fnmatchcase(path, pattern):
        return True
    if pattern.endswith("/**") and (path == pattern[:-3] or path.startswith(pattern[:-3] + "/")):
        return True
    if "/" not in pattern:
        return any(fnmatch.fnmatchcase(part, pattern) for part in PurePath(path).parts)
    if pattern.startswith("**/"):
        return _glob_match(path, pattern[3:]) or any(
            fnmatch.fnmatchcase("/".join(PurePath(path).parts[i:]), pattern[3:])
            for i in range(len(PurePath(path).parts))
        )
    return False


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``transcript.toml``, or ``pyproject.toml`` with a ``[tool.transcript]`` table."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / "transcript.toml"
        if candidate.is_file():
            return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
                continue  # not readable as TOML: not this tool's configuration
            if isinstance(data.get("tool"), dict) and "transcript" in data["tool"]:
                return pyproject
    return None


def load_config(path: Path | None = None, *, start: Path | None = None) -> Config:
    """Read the given configuration file, or the nearest one; defaults when there is none."""
    if path is None:
        path = find_config(start)
        if path is None:
            return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:  # the TOML parser recurses once per level of nesting
        raise ConfigError(f"{path}: invalid TOML: nested too deeply to read") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("transcript", {})
    else:
        table = data
    return from_mapping(table, source=str(path), root=path.parent)


def from_mapping(table: Mapping[str, Any], *, source: str = "<config>", root: Path | None = None) -> Config:
    if not isinstance(table, Mapping):
        raise ConfigError(f"{source}: the transcript table must be a table")
    unknown = set(table) - _KEYS
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(_KEYS))})")

    def strings(key: str) -> list[str]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{source}: {key} must be a list of strings")
        return value

    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, Mapping) or not all(
        isinstance(v, list) and all(isinstance(c, str) for c in v) for v in pfi.values()
    ):
        raise ConfigError(f"{source}: per-file-ignores must map globs to lists of codes")
    sev = table.get("severity", {})
    if not isinstance(sev, Mapping):
        raise ConfigError(f"{source}: severity must map codes to error, warning or info")
    try:
        severity = {str(k).upper(): Severity.parse(str(v)) for k, v in sev.items()}
    except ValueError as exc:
        raise ConfigError(f"{source}: severity: {exc}") from None
    for key in ("select", "extend-select", "ignore"):
        check_selectors(strings(key), f"{source}: {key}")
    for pattern, codes in pfi.items():
        check_selectors(codes, f"{source}: per-file-ignores {pattern!r}")
    check_selectors(severity, f"{source}: severity", exact=True)
    target = table.get("target", "anthropic")
    if target not in TARGETS:
        raise ConfigError(f"{source}: unknown target {target!r} (expected one of {', '.join(TARGETS)})")
    betas = strings("betas")
    return Config(
        betas=betas,
        models=_models(table.get("models", {}), source),
        select=strings("select") or ["ALL"],
        extend_select=strings("extend-select"),
        ignore=strings("ignore"),
        per_file_ignores={k: _codes(v) for k, v in pfi.items()},
        severity=severity,
        exclude=strings("exclude"),
        target=target,
        source=source,
        root=root or Path.cwd(),
    )


def _models(table: Any, source: str) -> dict[str, ModelInfo]:
    """``[models."<id>"]`` tables: each over the model table's entry for that id (or a new model)."""
    if not isinstance(table, Mapping) or not all(isinstance(v, Mapping) for v in table.values()):
        raise ConfigError(f'{source}: models must be tables: [tool.transcript.models."claude-x"]')
    out: dict[str, ModelInfo] = {}
    for model_id, entry in table.items():
        base = lookup_model(model_id)
        try:
            info = model_from_mapping(base.id if base else model_id, entry, base)
        except ValueError as exc:
            raise ConfigError(f"{source}: models.{model_id}: {exc}") from None
        info = attrs.evolve(info, override=True, inferred=False)
        out[model_id] = info
        if base is not None:
            out.setdefault(base.id, info)
    return out
