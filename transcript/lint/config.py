"""Configuration: ``[tool.transcript]`` in ``pyproject.toml`` or a ``transcript.toml``.

Keys (the same in both files; ``transcript.toml`` has them at the top level)::

    select = ["ALL"]                 # codes or prefixes to report ("P", "M0", "T002")
    extend-select = []               # added to select
    ignore = []                      # codes or prefixes never reported
    per-file-ignores = { "samples/legacy/*.txt" = ["P1"] }
    severity = { M001 = "error" }    # override a rule's severity
    exclude = ["build/**"]           # gitignore-style patterns skipped when walking (replaces the defaults)
    extend-exclude = ["fixtures/"]   # added to exclude (the defaults kept)
    force-exclude = false            # apply the excludes to files named on the command line too
    respect-gitignore = true         # skip what .gitignore, .git/info/exclude and the global excludes ignore
    target = "anthropic"             # anthropic | bedrock | vertex
    betas = ["context-1m-2025-08-07"]  # the anthropic-beta names the requests are sent with
    [models."claude-x"]              # add or correct a model (the keys of protocol/models.json)
    max_output_tokens = 64000

Patterns (``exclude``, ``extend-exclude``, ``per-file-ignores``) are relative to the
directory of the file that sets them.  Each input uses the nearest configuration file
above it (:class:`ConfigResolver`, hierarchical like ruff's), so what a file gets never
depends on the other arguments.  Command-line flags win over the file.  A broken
configuration is a usage error (:class:`ConfigError`, exit status 2).
"""

from __future__ import annotations

import fnmatch
import functools
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any

import attrs
import pathspec
from attrs import field, frozen

from transcript.core.diagnostics import Diagnostic, Severity, str_tuple
from transcript.core.registry import matches
from transcript.lint.families import load_all
from transcript.protocol.models import ModelInfo, lookup_model, model_from_mapping
from transcript.protocol.vocabulary import TARGETS, Target

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "Config",
    "ConfigError",
    "ConfigResolver",
    "DEFAULT_EXCLUDE",
    "TARGETS",
    "check_selectors",
    "find_config",
    "load_config",
]

_KEYS = {
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "severity",
    "exclude",
    "extend-exclude",
    "force-exclude",
    "respect-gitignore",
    "target",
    "betas",
    "models",
}

#: What a directory walk never enters, unless ``exclude`` is set (``extend-exclude`` keeps
#: these): version control, virtual environments, dependencies, build output and caches.
#: A directory holding a ``pyvenv.cfg`` is a virtual environment whatever its name.
DEFAULT_EXCLUDE = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".svn",
    ".jj",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    ".tox",
    ".venv",
    "venv",
    ".ipynb_checkpoints",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "*.egg-info",
)


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
    exclude: tuple[str, ...] = field(default=DEFAULT_EXCLUDE, converter=str_tuple)
    target: Target = "anthropic"
    source: str | None = None
    root: Path = field(factory=Path.cwd)
    extend_exclude: tuple[str, ...] = field(default=(), converter=str_tuple)
    force_exclude: bool = False
    respect_gitignore: bool = True
    betas: tuple[str, ...] = field(default=(), converter=str_tuple)
    models: Mapping[str, ModelInfo] = field(factory=dict)
    #: Per-kind settings given on the command line (``--record-pointer``, ``--batch-requests``):
    #: the files' :attr:`~transcript.request.context.LintOptions.settings`.
    settings: Mapping[str, Any] = field(factory=dict)

    def with_cli(
        self,
        *,
        select: Sequence[str] | None = None,
        extend_select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        target: str | None = None,
        exclude: Sequence[str] | None = None,
        extend_exclude: Sequence[str] | None = None,
        force_exclude: bool | None = None,
        respect_gitignore: bool | None = None,
        betas: Sequence[str] | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> Config:
        """The configuration with command-line flags applied (flags win; ``--beta`` adds)."""
        changes: dict[str, Any] = {}
        if betas:
            changes["betas"] = (*self.betas, *betas)
        if settings:
            changes["settings"] = {**self.settings, **settings}
        if exclude:
            changes["exclude"] = _split(exclude)
        if extend_exclude:
            changes["extend_exclude"] = self.extend_exclude + _split(extend_exclude)
        if force_exclude is not None:
            changes["force_exclude"] = force_exclude
        if respect_gitignore is not None:
            changes["respect_gitignore"] = respect_gitignore
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

    def per_file_patterns(self, file: str) -> list[str]:
        """The ``per-file-ignores`` patterns that match ``file``."""
        rel = self._relative(file)
        return [pattern for pattern in self.per_file_ignores if _glob_match(rel, pattern)]

    def apply(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """Drop unselected codes and apply severity overrides."""
        out = []
        for d in diagnostics:
            if not self.is_selected(d.code, d.location.file):
                continue
            override = self.severity.get(d.code)
            out.append(d.with_severity(override) if override else d)
        return out

    def is_excluded(self, path: str | Path, *, is_dir: bool | None = None) -> bool:
        """Whether ``exclude`` or ``extend-exclude`` matches the path (relative to :attr:`root`)
        or a directory above it.  Patterns are gitignore patterns; ``dir/**`` works too."""
        if is_dir is None:
            is_dir = Path(path).is_dir()
        rel = self._relative(str(path))
        if rel.startswith("../") or rel.startswith("/"):
            # outside the configuration's directory: only unanchored patterns (a bare name) can match
            rel = PurePath(rel).name
        return _excludes(self.exclude + self.extend_exclude).match(rel, is_dir)

    def _relative(self, file: str) -> str:
        """``file`` relative to :attr:`root`, both with symbolic links resolved (a directory is
        resolved once however many files it holds)."""
        try:
            directory, name = os.path.split(file)
            # keyed by absolute path: the working directory may change between calls
            real = os.path.join(_realpath(os.path.abspath(directory or ".")), name) if name else _realpath(os.path.abspath(file))
            return Path(real).relative_to(_realpath(os.path.abspath(self.root))).as_posix()
        except (ValueError, OSError):
            return PurePath(file).as_posix()


@functools.lru_cache(maxsize=4096)
def _realpath(path: str) -> str:
    return os.path.realpath(path)


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


_GLOB = frozenset("*?[!\\")


class _Excludes:
    """Exclude patterns, matched as gitignore matches them: plain names (``build``,
    ``node_modules/``: the most of them) by a set lookup on the path's parts, the others by
    :mod:`pathspec`, with ``dir/**`` also matching ``dir`` itself (as the globs of earlier
    versions did)."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.names: set[str] = set()
        self.dir_names: set[str] = set()
        lines: list[str] = []
        for raw in patterns:
            pattern = raw.strip()
            bare = pattern[:-1] if pattern.endswith("/") else pattern
            if bare and "/" not in bare and not (_GLOB & set(bare)) and not pattern.startswith("#"):
                (self.dir_names if pattern.endswith("/") else self.names).add(bare)
                continue
            lines.append(pattern)
            if pattern.endswith("/**"):
                lines.append(pattern[:-3] + "/")
        self.spec = pathspec.GitIgnoreSpec.from_lines(lines) if lines else None

    def match(self, rel: str, is_dir: bool) -> bool:
        parts = rel.split("/")
        if any(part in self.names for part in parts):
            return True
        if self.dir_names and any(part in self.dir_names for part in (parts if is_dir else parts[:-1])):
            return True
        return self.spec is not None and self.spec.match_file(rel + ("/" if is_dir else ""))


@functools.lru_cache(maxsize=256)
def _excludes(patterns: tuple[str, ...]) -> _Excludes:
    return _Excludes(patterns)


def _own_config(directory: Path) -> Path | None:
    """The configuration file of ``directory`` itself, if it has one."""
    candidate = directory / "transcript.toml"
    if candidate.is_file():
        return candidate
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
            return None  # not readable as TOML: not this tool's configuration
        if isinstance(data.get("tool"), dict) and "transcript" in data["tool"]:
            return pyproject
    return None


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``transcript.toml``, or ``pyproject.toml`` with a ``[tool.transcript]`` table."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        found = _own_config(directory)
        if found is not None:
            return found
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

    def flag(key: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            raise ConfigError(f"{source}: {key} must be true or false")
        return value

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
        exclude=strings("exclude") if "exclude" in table else DEFAULT_EXCLUDE,
        extend_exclude=strings("extend-exclude"),
        force_exclude=flag("force-exclude", False),
        respect_gitignore=flag("respect-gitignore", True),
        target=target,
        source=source,
        root=root or Path.cwd(),
    )


class ConfigResolver:
    """The configuration of each input: the nearest configuration file above it, with the
    command-line flags applied (hierarchical, like ruff's).

    ``config_file`` (``--config``) gives every input the same file.  ``overrides`` are
    :meth:`Config.with_cli`'s keywords.  Each directory is looked up once and each file
    read once, so a run over many files costs one look per directory.
    """

    def __init__(self, config_file: Path | None = None, overrides: Mapping[str, Any] | None = None) -> None:
        self.config_file = config_file
        self.overrides = dict(overrides or {})
        self._by_file: dict[Path | None, Config] = {}
        self._by_directory: dict[Path, Path | None] = {}

    def _load(self, path: Path | None) -> Config:
        if path not in self._by_file:
            self._by_file[path] = load_config(path).with_cli(**self.overrides) if path else Config().with_cli(**self.overrides)
        return self._by_file[path]

    def for_directory(self, directory: str | Path) -> Config:
        """The configuration that applies to the files in ``directory``."""
        if self.config_file is not None:
            return self._load(self.config_file)
        d = Path(directory).resolve()
        return self._load(self._nearest(d))

    def _nearest(self, directory: Path) -> Path | None:
        """The nearest configuration file at or above ``directory``, each directory looked at once."""
        unknown: list[Path] = []
        found: Path | None = None
        for d in (directory, *directory.parents):
            if d in self._by_directory:
                found = self._by_directory[d]
                break
            unknown.append(d)
            own = _own_config(d)
            if own is not None:
                found = own
                break
        for d in unknown:
            self._by_directory[d] = found
        return found

    def for_path(self, path: str | Path) -> Config:
        """The configuration of one input file (its directory's), or of a directory itself."""
        p = Path(path)
        return self.for_directory(p if p.is_dir() else (p.parent if str(p.parent) else Path(".")))


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
