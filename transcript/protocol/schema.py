"""Validate JSON values against the shipped JSON Schemas, as located ``V`` diagnostics.

The schemas (``schemas/*.schema.json``, shipped as ``transcript._schemas``) are the
reference.  Each is compiled once by :mod:`jsonschema_rs`, a validator written in Rust,
which answers both questions asked here.  *Is the value valid?*  A few microseconds for a
real request body (asked of the schema with its type switches made decision trees,
:mod:`transcript.protocol.dispatch`, which accepts the same values); most values are, and
are done with then.  *If not, what is wrong
where?*  Its errors give the path of the offending value, the place of the failing
keyword in the schema and, for ``anyOf``/``oneOf``, the errors of every branch.  Each is
read into an :class:`_Error`, with the keyword's value looked up in the schema and the
offending value in the document itself (so both are the caller's own objects, integers
beyond 64 bits included), and becomes diagnostics coded by the keyword that failed
(:func:`_diagnostics_for`); an ``anyOf``/``oneOf`` failure gives the errors of the branch
the value comes closest to (:func:`_leaves`).  Patterns are ECMA 262 regular expressions,
as JSON Schema says: ``$`` does not match before a final newline.

:mod:`jsonschema` is the reference implementation (:func:`validator`) and the fallback.
jsonschema-rs raises on a string it cannot convert (a lone surrogate) and on an error
whose value nests deeper than it hands back (about 255 levels), and it names a member
whose key reads as a number (``"07"``) by that number.  The errors of such a value come
from jsonschema instead (which walks the whole value, so it is slower), read into the
same :class:`_Error`, so they give the same diagnostics.  Tests compare the verdicts,
the errors and the diagnostics of both validators on generated documents.

Nothing here raises on bad content: :func:`validate` takes any JSON value.
"""

from __future__ import annotations

import difflib
import heapq
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from operator import itemgetter
from typing import Any, NamedTuple

import jsonschema
import jsonschema_rs

from transcript.core.diagnostics import MAX_PER_CODE, Diagnostic, Location, Severity, escape_pointer_token, join_pointer
from transcript.core.jsonpos import PointerIndex
from transcript.core.jsontext import short_json, type_name
from transcript.protocol import codes
from transcript.protocol.dispatch import dispatching

__all__ = [
    "SCHEMA_NAMES",
    "RESPONSE_SCHEMAS",
    "load_schema",
    "validator",
    "is_valid",
    "validate",
    "SchemaReport",
    "validate_document",
    "drop_shadowed",
]

#: The schemas shipped with the package, by short name (``<name>.schema.json``).
SCHEMA_NAMES = ("messages-request", "message", "stream-event", "completion-request", "completion")

#: Schemas of what the API *sends*: an unknown field there is a warning (the API may add
#: fields to its responses), not an error as in a request.
RESPONSE_SCHEMAS = frozenset({"message", "stream-event", "completion"})

_PACKAGE = "transcript._schemas"


@cache
def load_schema(name: str) -> Mapping[str, Any]:
    """The parsed schema ``name`` (one of :data:`SCHEMA_NAMES`), read once."""
    if name not in SCHEMA_NAMES:
        raise ValueError(f"unknown schema {name!r} (expected one of {', '.join(SCHEMA_NAMES)})")
    try:
        text = resources.files(_PACKAGE).joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        # ``python -m transcript`` from the repository root imports the source folder, which
        # has no ``transcript._schemas`` package (the wheel maps ``schemas/`` to it)
        source = Path(__file__).resolve().parents[2] / "schemas" / f"{name}.schema.json"
        text = source.read_text(encoding="utf-8")
    loaded: Mapping[str, Any] = json.loads(text)
    return loaded


@cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    """The reference validator of schema ``name``: a :class:`jsonschema.Draft202012Validator`."""
    return jsonschema.Draft202012Validator(load_schema(name))


#: What jsonschema-rs writes for the offending value in its messages (see :func:`_compiled`).
_MASK = "\x00value\x00"


@cache
def _compiled(name: str) -> jsonschema_rs.Validator:
    """Schema ``name`` compiled by jsonschema-rs, once.

    Its error messages name the offending value by :data:`_MASK`: left to itself, the
    validator writes the whole value into the message (a ``maxItems`` error on a list of
    100,000 messages would carry their JSON text, three times the request's size).
    """
    return jsonschema_rs.validator_for(dict(load_schema(name)), mask=_MASK)


@cache
def _deciding(name: str) -> jsonschema_rs.Validator:
    """Schema ``name`` with its type switches made trees (:mod:`transcript.protocol.dispatch`),
    compiled by jsonschema-rs, once: the verdict (the same as :func:`_compiled`'s, sooner)."""
    return jsonschema_rs.validator_for(dispatching(load_schema(name)))


def is_valid(value: Any, schema_name: str) -> bool:
    """Whether ``value`` is valid under schema ``schema_name``."""
    try:
        return _deciding(schema_name).is_valid(value)
    except ValueError:  # not a value jsonschema-rs takes: a non-string key, a lone surrogate
        try:
            return validator(schema_name).is_valid(value)
        except RecursionError:
            return False


# -- errors -----------------------------------------------------------------------------


class _Error(NamedTuple):
    """One schema error, as either validator reports it."""

    path: tuple[str | int, ...]  # of the offending value, from the document's root
    keyword: str  # the keyword that failed: "required", "type", "anyOf"...
    expected: Any  # the keyword's value in the schema
    schema: Mapping[str, Any]  # the schema object that holds the keyword
    instance: Any  # the offending value
    message: str  # the validator's own words, for a keyword without a message of ours
    branches: tuple[tuple[_Error, ...], ...] = ()  # anyOf/oneOf: the errors of each branch


class _Unreadable(LookupError):
    """A jsonschema-rs error whose path does not lead into the value or the schema."""


def _follow(node: Any, tokens: Sequence[str | int]) -> Any:
    """The node at ``tokens`` below ``node``; :class:`_Unreadable` if there is none.

    jsonschema-rs names a member whose key reads as a number (``"7"``, but also ``"07"``
    and ``"+7"``) by that number, so such a path is unreadable, and the error is left to
    jsonschema.
    """
    for token in tokens:
        if isinstance(node, Mapping) and isinstance(token, str) and token in node:
            node = node[token]
        elif isinstance(node, list) and isinstance(token, int) and 0 <= token < len(node):
            node = node[token]
        else:
            raise _Unreadable(token)
    return node


_BRANCHING = (jsonschema_rs.ValidationErrorKind.AnyOf, jsonschema_rs.ValidationErrorKind.OneOfNotValid)


def _from_rs(error: jsonschema_rs.ValidationError, root: Mapping[str, Any], value: Any) -> _Error:
    """A jsonschema-rs error, with the schema and the value read at the paths it gives."""
    path = tuple(error.instance_path)
    keyword = error.kind.name
    if error.schema_path[-1:] != [keyword]:  # a false schema, say: not a keyword's failure
        raise _Unreadable(keyword)
    schema = _follow(root, error.schema_path[:-1])  # the keyword's place, in the root document
    expected = _follow(schema, [keyword])
    branches: tuple[tuple[_Error, ...], ...] = ()
    if isinstance(error.kind, _BRANCHING):
        branches = tuple(tuple(_from_rs(e, root, value) for e in branch) for branch in error.kind.context)
    instance = _follow(value, path)
    message = error.message.replace(_MASK, short_json(instance, containers=False))
    return _Error(path, keyword, expected, schema, instance, message, branches)


def _from_jsonschema(error: jsonschema.ValidationError) -> _Error:
    """A jsonschema error; its ``context`` (the errors of every branch) grouped by branch."""
    grouped: dict[Any, list[_Error]] = {}
    for sub in error.context or ():
        grouped.setdefault(sub.relative_schema_path[0], []).append(_from_jsonschema(sub))
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    return _Error(
        tuple(error.absolute_path),
        str(error.validator),
        error.validator_value,
        schema,
        error.instance,
        error.message,
        tuple(tuple(branch) for branch in grouped.values()),
    )


def _errors(value: Any, schema_name: str) -> list[_Error]:
    """Every error of ``value``, from jsonschema-rs, or from jsonschema if that one cannot."""
    try:
        return _rs_errors(value, schema_name)
    except (ValueError, _Unreadable):  # too deep to hand back, a lone surrogate, a key "07"...
        return _reference_errors(value, schema_name)


def _rs_errors(value: Any, schema_name: str) -> list[_Error]:
    """Every error of ``value`` according to jsonschema-rs (may raise ValueError, _Unreadable)."""
    root = load_schema(schema_name)
    return [_from_rs(e, root, value) for e in _compiled(schema_name).iter_errors(value)]


def _reference_errors(value: Any, schema_name: str) -> list[_Error]:
    """Every error of ``value`` according to jsonschema (may raise RecursionError)."""
    return [_from_jsonschema(e) for e in validator(schema_name).iter_errors(value)]


# -- errors to diagnostics --------------------------------------------------------------

_TYPE_NAMES = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}


def _dotted(path: Iterable[str | int]) -> str:
    """The server's way to name a place: ``messages.0.content.1.source``."""
    return ".".join(str(p) for p in path)


def _one_of(values: Iterable[Any], limit: int = 10) -> str:
    shown = [short_json(v, 40, containers=False) for v in values]
    if len(shown) > limit:
        return ", ".join(shown[:limit]) + f", … ({len(shown)} values)"
    return ", ".join(shown)


def _suggest(word: Any, candidates: Iterable[Any]) -> str | None:
    if not isinstance(word, str):
        return None
    pool = [c for c in candidates if isinstance(c, str)]
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.75)
    return f"did you mean {close[0]!r}?" if close else None


_MISMATCH = frozenset({"type", "const", "enum"})


def _branch_score(base: int, errors: Sequence[_Error]) -> tuple[int, int, int]:
    """How badly a value misses one branch of an ``anyOf``/``oneOf`` (lower fits better).

    A branch whose ``type`` does not fit the value at all, or whose ``type`` tag differs
    from the value's, is the wrong branch rather than a near miss; among the others the
    one with the fewest, deepest errors is the one the author meant.  ``base`` is the
    length of the path of the value the branches are about.
    """
    wrong_kind = any(e.keyword in _MISMATCH and e.path[base:] in ((), ("type",)) for e in errors)
    depth = max((len(e.path) - base for e in errors), default=0)
    return (1 if wrong_kind else 0, len(errors), -depth)


def _leaves(error: _Error) -> Iterator[_Error]:
    """The errors worth reporting under ``error``.

    An ``anyOf``/``oneOf`` failure is replaced by the errors of its best-fitting branch
    (see :func:`_branch_score`), so the user reads what is wrong, never "not valid under
    any of the given schemas".
    """
    branches = [b for b in error.branches if b]
    if error.keyword in ("anyOf", "oneOf") and branches:
        best = min(branches, key=lambda b: _branch_score(len(error.path), b))
        for sub in best:
            yield from _leaves(sub)
    else:
        yield error


def _diagnostics_for(error: _Error, schema_name: str) -> Iterator[Diagnostic]:
    path = error.path
    pointer = join_pointer(*path)
    where = _dotted(path)
    prefix = f"{where}: " if where else ""
    kind = error.keyword
    value = error.instance

    if kind == "additionalProperties" and isinstance(value, dict):
        yield from _Unknown([error], schema_name).diagnostics()
        return
    if kind == "required" and isinstance(value, dict):
        missing = [k for k in error.expected if k not in value]
        for key in missing:
            yield codes.MISSING_FIELD.diagnostic(
                f"{prefix}missing required field {key!r}: Field required", Location(pointer=pointer)
            )
        return
    if kind == "type":
        expected = error.expected
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        yield codes.WRONG_TYPE.diagnostic(
            f"{prefix}expected {wanted}, got {type_name(value, integers=True)}", Location(pointer=pointer)
        )
        return
    if kind in ("enum", "const"):
        allowed = list(error.expected) if kind == "enum" else [error.expected]
        if kind == "const" or len(allowed) == 1:
            text = f"{prefix}Input should be {short_json(allowed[0], containers=False)}, got {short_json(value, containers=False)}"
        else:
            text = f"{prefix}{short_json(value, containers=False)} is not one of {_one_of(allowed)}"
        yield codes.VALUE_NOT_ALLOWED.diagnostic(text, Location(pointer=pointer), hint=_suggest(value, allowed))
        return
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        relation = {
            "minimum": "greater than or equal to",
            "maximum": "less than or equal to",
            "exclusiveMinimum": "greater than",
            "exclusiveMaximum": "less than",
        }[kind]
        yield codes.OUT_OF_RANGE.diagnostic(
            f"{prefix}Input should be {relation} {error.expected}, got {short_json(value, containers=False)}",
            Location(pointer=pointer),
        )
        return
    if kind in ("minItems", "maxItems", "minLength", "maxLength"):
        unit = "items" if kind.endswith("Items") else "characters"
        bound = "at least" if kind.startswith("min") else "at most"
        size = len(value) if isinstance(value, (list, str)) else "?"
        yield codes.OUT_OF_RANGE.diagnostic(
            f"{prefix}should have {bound} {error.expected} {unit}, has {size}", Location(pointer=pointer)
        )
        return
    if kind == "pattern":
        yield codes.PATTERN_MISMATCH.diagnostic(
            f"{prefix}String should match pattern {error.expected!r}, got {short_json(value, containers=False)}",
            Location(pointer=pointer),
        )
        return
    if kind == "not" and isinstance(error.expected, Mapping) and set(error.expected) == {"required"}:
        fields = ", ".join(repr(k) for k in error.expected["required"])
        yield codes.SCHEMA_VIOLATION.diagnostic(
            f"{prefix}field {fields} is not allowed here", Location(pointer=pointer)
        )
        return
    yield codes.SCHEMA_VIOLATION.diagnostic(f"{prefix}{error.message}", Location(pointer=pointer))


def _pointer_key(d: Diagnostic | Location) -> tuple[Any, ...]:
    pointer = (d.location if isinstance(d, Diagnostic) else d).pointer or ""
    parts = tuple(int(t) if t.isascii() and t.isdigit() else t for t in pointer.split("/")[1:]) if pointer else ()
    return tuple((0, p) if isinstance(p, int) else (1, p) for p in parts)


class _Unknown:
    """The unknown fields of one object (the ``additionalProperties`` errors at one path),
    each built only when asked for: an object of a million unknown keys is one error here,
    and its diagnostics come one at a time, in pointer order, as :func:`validate` orders them."""

    def __init__(self, errors: Sequence[_Error], schema_name: str) -> None:
        self.path = errors[0].path
        self.value: dict[str, Any] = errors[0].instance
        self._known = [e.schema.get("properties", {}) for e in errors]
        self.response = schema_name in RESPONSE_SCHEMAS
        self.rule = codes.UNKNOWN_RESPONSE_FIELD if self.response else codes.UNKNOWN_FIELD
        self._base = _pointer_key(Location(pointer=join_pointer(*self.path))) if self.path else ()

    def _unknown_to(self, key: str) -> Mapping[str, Any] | None:
        """The properties of the first schema that does not know ``key`` (None: all know it)."""
        for known in self._known:
            if key not in known:
                return known
        return None

    def keys(self) -> list[str]:
        """The unknown keys in pointer order: those that read as numbers first, by number."""
        extras = [k for k in self.value if self._unknown_to(k) is not None]
        numbers = sorted((k for k in extras if k.isascii() and k.isdigit()), key=int)
        names = sorted((k for k in extras if not (k.isascii() and k.isdigit())), key=escape_pointer_token)
        return numbers + names

    def sort_key(self, key: str) -> tuple[Any, ...]:
        token = escape_pointer_token(key)
        return (*self._base, (0, int(token)) if token.isascii() and token.isdigit() else (1, token))

    def pointer(self, key: str) -> str:
        return join_pointer(*self.path, key)

    def diagnostic(self, key: str, *, hint: bool = True) -> Diagnostic:
        where = _dotted(self.path)
        text = f"{where}: " if where else ""
        text += f"unknown field {key!r}" + ("" if self.response else ": Extra inputs are not permitted")
        known = self._unknown_to(key) or {}
        return self.rule.diagnostic(text, Location(pointer=self.pointer(key)), hint=_suggest(key, known) if hint else None)

    def diagnostics(self) -> Iterator[Diagnostic]:
        for i, key in enumerate(self.keys()):
            # a suggestion only for as many as a report shows (the rest are counted, not shown)
            yield self.diagnostic(key, hint=i < MAX_PER_CODE)


#: What a consumer of :meth:`SchemaReport.diagnostics` says before a diagnostic is built:
#: ``skip(code, severity, pointer)`` true means it is not wanted (counted, or shadowed).
Skip = Callable[[str, Severity, str], bool]


class SchemaReport:
    """A value's schema diagnostics, in pointer order, each built only when it is wanted.

    Every error but an unknown field gives a diagnostic or two, built at once (their number
    is that of the schema's errors).  The unknown fields of an object are one error, which
    can stand for a million diagnostics; they are built one at a time as
    :meth:`diagnostics` reaches them, and not at all when the consumer skips them (a
    report past its per-code cap only counts them).
    """

    def __init__(self, errors: Iterable[_Error], schema_name: str) -> None:
        small: list[Diagnostic] = []
        seen: set[tuple[str, str | None, str]] = set()
        unknown: dict[tuple[str | int, ...], list[_Error]] = {}
        for error in errors:
            for leaf in _leaves(error):
                if leaf.keyword == "additionalProperties" and isinstance(leaf.instance, dict):
                    unknown.setdefault(leaf.path, []).append(leaf)
                    continue
                for diag in _diagnostics_for(leaf, schema_name):
                    key = (diag.code, diag.location.pointer, diag.message)
                    if key not in seen:
                        seen.add(key)
                        small.append(diag)
        small.sort(key=_pointer_key)
        self._small = small
        self._pointers = {d.location.pointer for d in small}
        self._unknown = {path: _Unknown(group, schema_name) for path, group in unknown.items()}

    @classmethod
    def of(cls, value: Any, schema_name: str) -> SchemaReport:
        """The report of ``value`` against schema ``schema_name`` (empty, quickly, when valid)."""
        if is_valid(value, schema_name):
            return cls((), schema_name)
        try:
            errors = _errors(value, schema_name)
        except RecursionError:  # a value nested deeper than the interpreter allows
            report = cls((), schema_name)
            report._small = [codes.SCHEMA_VIOLATION.diagnostic("the value nests too deeply to validate", Location(pointer=""))]
            report._pointers = {""}
            return report
        return cls(errors, schema_name)

    def __bool__(self) -> bool:
        return bool(self._small or self._unknown)

    def covers(self, pointer: str) -> bool:
        """Whether one of the diagnostics is at ``pointer`` (without building any)."""
        if pointer in self._pointers:
            return True
        if not self._unknown:
            return False
        parent, _, last = pointer.rpartition("/")
        tokens = tuple(_unescape(t) for t in parent.split("/")[1:]) if parent else ()
        for path, unknown in self._unknown.items():
            if len(path) == len(tokens) and all(str(p) == t for p, t in zip(path, tokens)):
                key = _unescape(last)
                if key in unknown.value and unknown._unknown_to(key) is not None:
                    return True
        return False

    def diagnostics(self, skip: Skip | None = None) -> Iterator[Diagnostic]:
        """The diagnostics in pointer order (array items by index), but those ``skip`` refuses."""
        streams: list[Iterator[tuple[tuple[Any, ...], Any]]] = [((_pointer_key(d), d) for d in self._small)]
        streams.extend(((u.sort_key(k), (u, k, i)) for i, k in enumerate(u.keys())) for u in self._unknown.values())
        items = heapq.merge(*streams, key=itemgetter(0)) if len(streams) > 1 else streams[0]
        for _key, item in items:
            if isinstance(item, Diagnostic):
                if skip is None or not skip(item.code, item.severity, item.location.pointer or ""):
                    yield item
                continue
            unknown, key, i = item
            if skip is not None and skip(unknown.rule.code, unknown.rule.severity, unknown.pointer(key)):
                continue  # not built: counted by the consumer, or shadowed
            # a suggestion only for as many as a report shows (the rest are counted, not shown)
            yield unknown.diagnostic(key, hint=skip is not None or i < MAX_PER_CODE)


def _diagnose(errors: Iterable[_Error], schema_name: str) -> list[Diagnostic]:
    """The diagnostics of ``errors``, each once, in document order."""
    return list(SchemaReport(errors, schema_name).diagnostics())


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def validate(value: Any, schema_name: str) -> list[Diagnostic]:
    """Validate a JSON value against a shipped schema.

    Returns one ``V`` diagnostic per problem, each located by the RFC 6901 JSON pointer of
    the offending value (of the unknown key, for an unknown field), ordered by pointer
    (array items by index).  Valid values return ``[]`` quickly.  Never raises on the value.
    :class:`SchemaReport` gives the same diagnostics one at a time.
    """
    return list(SchemaReport.of(value, schema_name).diagnostics())


def validate_document(text: str, value: Any, schema_name: str) -> list[Diagnostic]:
    """:func:`validate`, with each diagnostic placed at its line and column in ``text``.

    ``value`` is ``text`` parsed.  An unknown field is placed at its key; anything else at
    the offending value (a missing field at the object that lacks it).
    """
    diagnostics = validate(value, schema_name)
    if not diagnostics:
        return diagnostics
    index = PointerIndex(text)
    placed = []
    for d in diagnostics:
        at_key = d.code in ("V001", "V007")
        loc = index.locate(d.location.pointer or "", at_key=at_key)
        placed.append(d.with_location(loc))
    return placed


def drop_shadowed(schema_diagnostics: Iterable[Diagnostic], others: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The schema diagnostics whose pointer no other (semantic) diagnostic as severe already
    reports.

    Some server checks are both a schema constraint (so a standalone validator catches
    them) and a semantic rule with a richer message (a tool name pattern, the thinking
    budget minimum).  A lint that runs both keeps the semantic one.  A milder diagnostic
    at the same place is about something else (a warning that a list is long does not
    say that it is over its limit), so the schema's stands beside it.
    """
    worst: dict[str, int] = {}
    for d in others:
        if d.location.pointer is not None:
            worst[d.location.pointer] = max(worst.get(d.location.pointer, -1), d.severity.rank)
    return [d for d in schema_diagnostics if d.location.pointer is None or worst.get(d.location.pointer, -1) < d.severity.rank]

