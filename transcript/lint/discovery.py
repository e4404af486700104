"""Which files ``transcript lint`` looks at: paths expanded the way ruff expands them.

A directory is walked recursively (symbolic links to directories are not followed), and
skipped are: what ``exclude`` / ``extend-exclude`` of the directory's configuration
matches (by default version control, virtual environments, ``node_modules``, build
output and caches: :data:`~transcript.lint.config.DEFAULT_EXCLUDE`), any directory holding
a ``pyvenv.cfg``, and, inside a git work tree, what git ignores (each ``.gitignore`` from
the top of the work tree down, ``.git/info/exclude`` and the global excludes file) unless
``respect-gitignore`` is off.  Only regular files with an extension some kind claims are
candidates; the driver then lints those it recognises and passes over the others
silently.

A file named on the command line is always a candidate (and always judged, a missing one
included) unless ``force-exclude`` is on and the excludes or git's ignore rules match it.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pathspec
from attrs import frozen

from transcript.lint.config import Config, ConfigResolver
from transcript.lint.kinds import EXTENSIONS, suffix

__all__ = ["Candidate", "GitIgnore", "discover", "find_work_tree", "global_excludes_file"]


@frozen
class Candidate:
    """A path to lint: as given or found, whether it was named explicitly, and its configuration."""

    path: str
    explicit: bool
    config: Config


def global_excludes_file(environ: os._Environ[str] | dict[str, str] | None = None) -> Path | None:
    """git's global excludes file: ``core.excludesFile`` from the user's git configuration,
    else ``$XDG_CONFIG_HOME/git/ignore`` (``~/.config/git/ignore``)."""
    env = os.environ if environ is None else environ
    home = Path(env.get("HOME", "~")).expanduser()
    xdg = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else home / ".config"
    for config in (home / ".gitconfig", xdg / "git" / "config"):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        try:
            parser.read(config, encoding="utf-8")
        except (configparser.Error, OSError, UnicodeDecodeError):
            continue
        for section in parser.sections():
            if section.strip().lower() == "core" and parser.has_option(section, "excludesfile"):
                value = parser.get(section, "excludesfile").strip().strip('"')
                return Path(os.path.expanduser(value)) if value.startswith("~") else Path(value)
    return xdg / "git" / "ignore"


def find_work_tree(directory: str | Path) -> Path | None:
    """The top of the git work tree holding ``directory`` (made absolute), or ``None``."""
    d = Path(os.path.abspath(directory))
    for candidate in (d, *d.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _read_spec(path: Path) -> pathspec.GitIgnoreSpec | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines) if any(line.strip() for line in lines) else None


class GitIgnore:
    """git's ignore rules for paths in work trees: read once per directory, asked per path."""

    def __init__(self, global_file: Path | None = None) -> None:
        self._global_file = global_file if global_file is not None else global_excludes_file()
        self._global: pathspec.GitIgnoreSpec | None | bool = False
        self._roots: dict[Path, Path | None] = {}
        self._specs: dict[Path, pathspec.GitIgnoreSpec | None] = {}

    def work_tree(self, directory: Path) -> Path | None:
        """The top of the git work tree holding ``directory`` (absolute), or ``None``."""
        if directory not in self._roots:
            self._roots[directory] = find_work_tree(directory)
        return self._roots[directory]

    def _spec(self, directory: Path) -> pathspec.GitIgnoreSpec | None:
        if directory not in self._specs:
            self._specs[directory] = _read_spec(directory / ".gitignore")
        return self._specs[directory]

    def _base_specs(self, root: Path) -> list[pathspec.GitIgnoreSpec]:
        if self._global is False:
            self._global = _read_spec(self._global_file) if self._global_file else None
        specs = [s for s in (self._global, _read_spec(root / ".git" / "info" / "exclude")) if isinstance(s, pathspec.GitIgnoreSpec)]
        return specs

    def ignored(self, path: str | Path, *, is_dir: bool) -> bool:
        """Whether git ignores ``path`` itself (its directories are asked separately, as a walk does)."""
        p = Path(os.path.abspath(path))
        root = self.work_tree(p.parent)
        if root is None or p == root or ".git" in p.relative_to(root).parts[:1]:
            return False
        # Deeper .gitignore files override shallower ones; within one, the last match wins.
        chain = [p.parent, *p.parent.parents]
        for directory in chain[: chain.index(root) + 1]:
            spec = self._spec(directory)
            if spec is not None:
                decided = spec.check_file(p.relative_to(directory).as_posix() + ("/" if is_dir else "")).include
                if decided is not None:
                    return decided
        rel = p.relative_to(root).as_posix() + ("/" if is_dir else "")
        for spec in reversed(self._base_specs(root)):
            decided = spec.check_file(rel).include
            if decided is not None:
                return decided
        return False

    def ignored_with_parents(self, path: str | Path) -> bool:
        """Whether git ignores ``path`` or any directory above it inside its work tree."""
        p = Path(os.path.abspath(path))
        root = self.work_tree(p.parent)
        if root is None:
            return False
        if self.ignored(p, is_dir=p.is_dir()):
            return True
        for d in p.parents:
            if d == root:
                return False
            if self.ignored(d, is_dir=True):
                return True
        return False


def _is_venv(directory: Path) -> bool:
    return (directory / "pyvenv.cfg").is_file()


def _claimed(name: str) -> bool:
    return suffix(name) in EXTENSIONS or os.path.splitext(name)[1].lower() in EXTENSIONS


def _force_excluded(path: str, config: Config, git: GitIgnore) -> bool:
    p = Path(path)
    if config.is_excluded(p, is_dir=False):
        return True
    absolute = Path(os.path.abspath(p))
    for d in absolute.parents:
        try:
            d.relative_to(config.root.resolve())
        except ValueError:
            break
        if config.is_excluded(d, is_dir=True):
            return True
    return config.respect_gitignore and git.ignored_with_parents(p)


def discover(
    paths: Sequence[str],
    resolver: ConfigResolver,
    *,
    stdin_config: Config | None = None,
    git: GitIgnore | None = None,
    claimed: Callable[[str], bool] | None = None,
) -> Iterator[Candidate]:
    """The candidates for ``paths``, in order: each explicit path, each directory walked in sorted order.

    ``-`` (standard input) is yielded with ``stdin_config`` (default: the working
    directory's configuration).  ``claimed`` says which file names a walk yields (default:
    those with an extension some lint kind claims; ``transcript migrate`` passes ``*.py``).
    """
    git = git or GitIgnore()
    for raw in paths:
        if raw == "-":
            yield Candidate(raw, True, stdin_config or resolver.for_directory(Path.cwd()))
            continue
        p = Path(raw)
        if not p.is_dir():
            config = resolver.for_path(p)
            if config.force_exclude and _force_excluded(raw, config, git):
                continue
            yield Candidate(raw, True, config)
            continue
        top = resolver.for_directory(p)
        if top.force_exclude and _force_excluded(raw, top, git):
            continue
        yield from _walk(p, resolver, git, claimed or _claimed)


def _walk(top: Path, resolver: ConfigResolver, git: GitIgnore, claimed: Callable[[str], bool]) -> Iterator[Candidate]:
    for root, dirs, files in os.walk(top):
        here = Path(root)
        config = resolver.for_directory(here)
        kept = []
        for d in sorted(dirs):
            full = here / d
            if full.is_symlink() or config.is_excluded(full, is_dir=True) or _is_venv(full):
                continue
            if config.respect_gitignore and git.ignored(full, is_dir=True):
                continue
            kept.append(d)
        dirs[:] = kept
        for f in sorted(files):
            full = here / f
            if not claimed(f) or config.is_excluded(full, is_dir=False):
                continue
            if config.respect_gitignore and git.ignored(full, is_dir=False):
                continue
            # only regular files: reading a FIFO found on the walk would block for ever,
            # and a dangling symlink is not a file of the tree
            if full.is_file():
                yield Candidate(str(full), False, config)
