"""Option groups: command-line options declared once and spliced into every command that takes them.

A :class:`Group` is a run of typer options whose values travel together as one value (an
attrs instance, say).  :func:`group_from_attrs` derives a group from an attrs class: one
option per field, named after the field (``--join-separator``), typed and defaulted as the
field is, with the help and other ``typer.Option`` keywords of a :class:`Flag`, found in
the field's ``metadata["flag"]`` or in a table the caller gives.

A command takes a group as one keyword-only parameter annotated ``Annotated[T, group]``;
:func:`with_groups` gives typer a signature in which that parameter is replaced, in place,
by the group's options, and calls the command with the group's value built from them::

    @app.command()
    @with_groups
    def check(file: FileArg, *, report: Annotated[ReportOptions, REPORT]) -> None: ...
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any, Generic, TypeVar

import attrs
import typer
from attrs import field, frozen

from transcript.cli.common import OptionError, fail

__all__ = ["Flag", "Group", "flag", "group_from_attrs", "with_groups"]

T = TypeVar("T")
A = TypeVar("A", bound=attrs.AttrsInstance)
R = TypeVar("R")


@frozen
class Flag:
    """How one option looks on the command line: its names and ``typer.Option``'s other keywords.

    With no names the option is ``--`` and the field's name with dashes for underscores.
    """

    decls: tuple[str, ...] = ()
    keywords: Mapping[str, Any] = field(factory=dict)


def flag(*decls: str, **keywords: Any) -> Flag:
    """``flag("--format", "-f", help=...)``: a :class:`Flag`, written like ``typer.Option``."""
    return Flag(decls, keywords)


@frozen
class Option:
    """One option of a group: the keyword the command sees, its type, flag and default."""

    name: str
    type: Any
    flag: Flag
    default: Any

    @property
    def decls(self) -> tuple[str, ...]:
        """The option's names on the command line, the long one first."""
        return self.flag.decls or ("--" + self.name.replace("_", "-"),)

    def parameter(self) -> inspect.Parameter:
        """The option as typer reads it from a signature: ``name: Annotated[type, typer.Option(...)] = default``."""
        info = typer.Option(*self.decls, **self.flag.keywords)
        return inspect.Parameter(
            self.name, inspect.Parameter.KEYWORD_ONLY, default=self.default, annotation=Annotated[self.type, info]
        )


class Group(Generic[T]):
    """Options that travel together, and how their values become the one value a command takes."""

    def __init__(self, options: Iterable[Option], build: Callable[[dict[str, Any]], T]) -> None:
        self.options = tuple(options)
        self.build = build

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(o.name for o in self.options)

    def without(self, *names: str) -> Group[T]:
        """The group less some options (the value is built without them: their defaults apply)."""
        self._check(names)
        return Group([o for o in self.options if o.name not in names], self.build)

    def replacing(self, name: str, flag: Flag, *, default: Any) -> Group[T]:
        """The group with one option spelt differently (its help, its default) for one command."""
        self._check([name])
        return Group(
            [attrs.evolve(o, flag=flag, default=default) if o.name == name else o for o in self.options], self.build
        )

    def _check(self, names: Iterable[str]) -> None:
        unknown = sorted(set(names) - set(self.names))
        if unknown:
            raise TypeError(f"the group has no option {', '.join(unknown)}")


def group_from_attrs(cls: type[A], flags: Mapping[str, Flag] | None = None, *, exclude: Iterable[str] = ()) -> Group[A]:
    """A group with one option per field of the attrs class ``cls`` (less ``exclude``); its value is ``cls(**values)``.

    Each field's :class:`Flag` is ``flags[name]``, or without ``flags`` the field's
    ``metadata["flag"]``; a field with no flag, or a flag for no field, is a ``TypeError``
    (a new field must be given its help).  The option's type and default are the field's.
    """
    exclude = set(exclude)
    hints = typing.get_type_hints(cls)
    fields = [f for f in attrs.fields(cls) if f.name not in exclude]
    table = dict(flags) if flags is not None else {f.name: f.metadata["flag"] for f in fields if "flag" in f.metadata}
    missing = [f.name for f in fields if f.name not in table]
    extra = sorted(set(table) - {f.name for f in fields})
    if missing or extra:
        raise TypeError(f"{cls.__name__}: no flag for {missing}, or a flag for no field: {extra}")
    options = []
    for f in fields:
        # (attrs.Factory is a class, though the stubs declare it a function)
        if f.default is attrs.NOTHING or isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]
            raise TypeError(f"{cls.__name__}.{f.name}: an option needs a plain default")
        options.append(Option(f.name, hints[f.name], table[f.name], f.default))
    return Group(options, lambda values: cls(**values))


def _group_of(annotation: Any) -> Group[Any] | None:
    if typing.get_origin(annotation) is not Annotated:
        return None
    found = [m for m in typing.get_args(annotation)[1:] if isinstance(m, Group)]
    return found[0] if found else None


def with_groups(func: Callable[..., R]) -> Callable[..., R]:
    """Splice the option groups of ``func``'s ``Annotated[T, group]`` parameters into its signature.

    Typer sees each group's options where the group's parameter stood (so ``--help``
    lists them there); ``func`` is called with the group's value under the parameter's
    name.  Two options of the same name are a ``TypeError`` when the command is defined.

    An :class:`~transcript.cli.common.OptionError` from building a group or from the
    command becomes the usage line and exit status 2 here, so that typer's ``CliRunner``
    (which does not go through ``main``) sees that too.
    """
    signature = inspect.signature(func, eval_str=True)
    groups: dict[str, Group[Any]] = {}
    parameters: list[inspect.Parameter] = []
    for parameter in signature.parameters.values():
        group = _group_of(parameter.annotation)
        if group is None:
            parameters.append(parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY))
        else:
            groups[parameter.name] = group
            parameters.extend(o.parameter() for o in group.options)
    names = [p.name for p in parameters]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise TypeError(f"{func.__name__}: options given twice: {', '.join(twice)}")

    @functools.wraps(func)
    def command(**values: Any) -> R:
        try:
            for name, group in groups.items():
                values[name] = group.build({o.name: values.pop(o.name) for o in group.options})
            return func(**values)
        except OptionError as exc:
            raise typer.Exit(fail(str(exc))) from None

    command.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    command.__annotations__["return"] = signature.return_annotation
    return command
