"""Validate JSON values against the shipped JSON Schemas, as located ``V`` diagnostics.

The schemas (``schemas/*.schema.json``, shipped as ``transcript._schemas``) are the
reference; :mod:`jsonschema` is the validator that explains every error.  It is also
slow on a schema this size (about 10 ms for a 5 KB request, mostly spent trying the
``if`` of every tagged-union branch), so each schema is also compiled once into a tree of
small Python closures that only answers *valid or not*.  A value that passes the compiled
check costs a fraction of a millisecond and is done; only a value that fails it is handed
to :mod:`jsonschema` for the errors, and then with the schema narrowed to the parts of the
value that fail (see :func:`_narrow`), so one bad block in a large request costs little.
The compiled check understands the keywords the shipped schemas use; a schema with any
other keyword is not compiled and always goes through :mod:`jsonschema` whole.  Tests
compare the verdicts and the errors of both ways on generated documents.

Nothing here raises on bad content: :func:`validate` takes any JSON value.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from transcript.core.diagnostics import Diagnostic, Location, join_pointer
from transcript.core.jsonpos import PointerIndex
from transcript.core.jsontext import type_name
from transcript.protocol import codes

__all__ = [
    "SCHEMA_NAMES",
    "RESPONSE_SCHEMAS",
    "load_schema",
    "validator",
    "is_valid",
    "validate",
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
        source = Path(__file__).resolve().parent.parent / "schemas" / f"{name}.schema.json"
        text = source.read_text(encoding="utf-8")
    loaded: Mapping[str, Any] = json.loads(text)
    return loaded


@cache
def validator(name: str) -> Draft202012Validator:
    """A reusable :class:`jsonschema.Draft202012Validator` for schema ``name``."""
    return Draft202012Validator(load_schema(name))


# -- the compiled validity check --------------------------------------------------------

Check = Callable[[Any], bool]


class _Unsupported(Exception):
    """The schema uses a keyword the compiled check does not implement."""


_IGNORED = frozenset({"$schema", "$id", "$defs", "title", "description", "$comment", "examples", "default"})

_TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    # JSON Schema numbers exclude booleans; an integer may be written 1.0.
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
}


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class _Compiler:
    """Turns a schema (the subset the shipped schemas use) into a ``value -> bool``."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}
        self.nodes: dict[int, Check] = {}

    def node(self, schema: Any) -> Check:
        """The check of one node of the schema, compiled once (nodes live as long as it)."""
        key = id(schema)
        found = self.nodes.get(key)
        if found is None:
            found = self.nodes[key] = self.compile(schema)
        return found

    def resolve(self, pointer: str) -> Any:
        if not pointer.startswith("#/"):
            raise _Unsupported(pointer)
        target: Any = self.root
        for token in pointer[2:].split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        return target

    def ref(self, pointer: str) -> Check:
        if pointer in self.refs:
            return self.refs[pointer]
        target = self.resolve(pointer)
        cell: list[Check] = []
        self.refs[pointer] = lambda v: cell[0](v)  # recursion goes through the cell
        cell.append(self.compile(target))
        self.refs[pointer] = cell[0]
        return cell[0]

    def compile(self, schema: Any) -> Check:
        if schema is True or schema == {}:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, Mapping):
            raise _Unsupported(repr(schema))
        checks: list[Check] = []
        for key in schema:
            if key not in _IGNORED and key not in _KEYWORDS:
                raise _Unsupported(key)
        if "type" in schema:
            checks.append(self._type(schema["type"]))
        if "$ref" in schema:
            checks.append(self.ref(schema["$ref"]))
        if "enum" in schema:
            checks.append(self._enum(schema["enum"]))
        if "const" in schema:
            checks.append(self._enum([schema["const"]]))
        if {"properties", "required", "additionalProperties"} & schema.keys():
            checks.append(self._object(schema))
        if {"items", "minItems", "maxItems"} & schema.keys():
            checks.append(self._array(schema))
        if {"minimum", "maximum"} & schema.keys():
            checks.append(self._range(schema.get("minimum"), schema.get("maximum")))
        if {"pattern", "minLength", "maxLength"} & schema.keys():
            checks.append(self._string(schema))
        if "allOf" in schema:
            checks.append(self._all_of(schema["allOf"]))
        if "anyOf" in schema:
            branches = [self.compile(s) for s in schema["anyOf"]]
            checks.append(lambda v: any(b(v) for b in branches))
        if "oneOf" in schema:
            one = [self.compile(s) for s in schema["oneOf"]]
            checks.append(lambda v: sum(1 for b in one if b(v)) == 1)
        if "not" in schema:
            negated = self.compile(schema["not"])
            checks.append(lambda v: not negated(v))
        if "if" in schema:
            checks.append(self._conditional(schema))
        if not checks:
            return lambda v: True
        if len(checks) == 1:
            return checks[0]
        if len(checks) == 2:
            a, b = checks
            return lambda v: a(v) and b(v)
        return lambda v: all(c(v) for c in checks)

    @staticmethod
    def _type(spec: Any) -> Check:
        names = [spec] if isinstance(spec, str) else list(spec)
        tests = [_TYPE_TESTS[n] for n in names]
        if len(tests) == 1:
            return tests[0]
        return lambda v: any(t(v) for t in tests)

    @staticmethod
    def _enum(values: list[Any]) -> Check:
        if not all(v is None or isinstance(v, str) for v in values):
            raise _Unsupported("enum of non-strings")
        allowed = frozenset(values)
        return lambda v: (v is None or isinstance(v, str)) and v in allowed

    def _object(self, schema: Mapping[str, Any]) -> Check:
        props = {k: self.compile(s) for k, s in schema.get("properties", {}).items()}
        required = tuple(schema.get("required", ()))
        extra = schema.get("additionalProperties", True)
        closed = extra is False
        extra_check = None if isinstance(extra, bool) else self.compile(extra)
        prop_items = tuple(props.items())

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            for key in required:
                if key not in v:
                    return False
            if closed or extra_check is not None:
                for key, item in v.items():
                    sub = props.get(key)
                    if sub is None:
                        # Not closed means extra_check is set (the test above).
                        if closed or extra_check is None or not extra_check(item):
                            return False
                    elif not sub(item):
                        return False
                return True
            for key, sub in prop_items:
                if key in v and not sub(v[key]):
                    return False
            return True

        return check

    def _array(self, schema: Mapping[str, Any]) -> Check:
        item = self.compile(schema["items"]) if "items" in schema else None
        low = schema.get("minItems")
        high = schema.get("maxItems")

        def check(v: Any) -> bool:
            if not isinstance(v, list):
                return True
            if low is not None and len(v) < low:
                return False
            if high is not None and len(v) > high:
                return False
            if item is not None:
                for x in v:
                    if not item(x):
                        return False
            return True

        return check

    @staticmethod
    def _range(low: Any, high: Any) -> Check:
        def check(v: Any) -> bool:
            if not _is_number(v):
                return True
            if low is not None and v < low:
                return False
            return not (high is not None and v > high)

        return check

    @staticmethod
    def _string(schema: Mapping[str, Any]) -> Check:
        pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
        low = schema.get("minLength")
        high = schema.get("maxLength")

        def check(v: Any) -> bool:
            if not isinstance(v, str):
                return True
            if pattern is not None and not pattern.search(v):
                return False
            if low is not None or high is not None:
                n = len(v)  # code points, as JSON Schema counts them
                if (low is not None and n < low) or (high is not None and n > high):
                    return False
            return True

        return check

    def _conditional(self, schema: Mapping[str, Any]) -> Check:
        test = self.compile(schema["if"])
        then = self.compile(schema["then"]) if "then" in schema else None
        other = self.compile(schema["else"]) if "else" in schema else None

        def check(v: Any) -> bool:
            if test(v):
                return then is None or then(v)
            return other is None or other(v)

        return check

    def _all_of(self, items: list[Any]) -> Check:
        """``allOf``, with tagged-union branches looked up by tag instead of tried in turn.

        A branch ``{"if": {"properties": {F: {"const": T}}, "required": [F]}, "then": S}``
        applies exactly when the value is an object whose ``F`` is ``T``; such branches are
        grouped by ``F`` into a dictionary.  For a value that is not an object every such
        ``if`` holds vacuously, so then all the branches are checked, as the standard says.
        """
        tables: dict[str, dict[str, Check]] = {}
        generic: list[Check] = []
        for item in items:
            tag = _dispatch_tag(item)
            if tag is None:
                generic.append(self.compile(item))
            else:
                field, value = tag
                table = tables.setdefault(field, {})
                if value in table:
                    generic.append(self.compile(item))
                else:
                    table[value] = self.compile(item["then"])
        table_items = tuple(tables.items())

        def check(v: Any) -> bool:
            for c in generic:
                if not c(v):
                    return False
            if isinstance(v, dict):
                for field, table in table_items:
                    tag = v.get(field)
                    if isinstance(tag, str):
                        branch = table.get(tag)
                        if branch is not None and not branch(v):
                            return False
                return True
            return all(branch(v) for _, table in table_items for branch in table.values())

        return check


_KEYWORDS = frozenset(
    {
        "type",
        "$ref",
        "enum",
        "const",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "minItems",
        "maxItems",
        "minimum",
        "maximum",
        "pattern",
        "minLength",
        "maxLength",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "then",
        "else",
    }
)


def _dispatch_tag(item: Any) -> tuple[str, str] | None:
    if not isinstance(item, Mapping) or set(item) != {"if", "then"}:
        return None
    cond = item["if"]
    if not isinstance(cond, Mapping) or set(cond) != {"properties", "required"}:
        return None
    props = cond["properties"]
    if not isinstance(props, Mapping) or len(props) != 1:
        return None
    ((field, sub),) = props.items()
    if cond["required"] != [field] or not isinstance(sub, Mapping) or set(sub) != {"const"}:
        return None
    value = sub["const"]
    return (field, value) if isinstance(value, str) else None


@cache
def _compiler(name: str) -> _Compiler | None:
    """The compiler of schema ``name`` (it caches compiled nodes), or ``None`` if unsupported."""
    compiler = _Compiler(load_schema(name))
    try:
        compiler.node(load_schema(name))
    except _Unsupported:
        return None
    return compiler


def _compiled(name: str) -> Check | None:
    """The compiled validity check for schema ``name``, or ``None`` if it cannot be compiled."""
    compiler = _compiler(name)
    return None if compiler is None else compiler.node(load_schema(name))


def _narrow(compiler: _Compiler, node: Any, value: Any) -> Any:
    """A schema that gives ``value`` exactly the errors ``node`` gives it, but cheaply.

    Every subschema the value satisfies (by the compiled check) becomes ``true``, array
    items become per-index ``prefixItems`` so only failing items are examined, ``$ref``
    is inlined (as the ``allOf`` it is equivalent to), and tagged-union branches whose
    ``if`` cannot hold are dropped.  jsonschema then only walks the failing parts of a
    large document, and reports the same errors with the same paths.
    """
    if not isinstance(node, Mapping) or compiler.node(node)(value):
        return True if isinstance(node, Mapping) else node
    out = dict(node)
    applied: list[Any] = []
    for item in node.get("allOf", ()):
        tag = _dispatch_tag(item)
        if tag is not None and isinstance(value, dict):
            field, expected = tag
            if value.get(field) != expected or not isinstance(value.get(field), str):
                continue  # its `if` fails, so the branch adds nothing
            applied.append(_narrow(compiler, item["then"], value))
        else:
            applied.append(_narrow(compiler, item, value))
    if "$ref" in node:
        del out["$ref"]
        applied.append(_narrow(compiler, compiler.resolve(node["$ref"]), value))
    if applied or "allOf" in node:
        out["allOf"] = applied
    if isinstance(value, dict) and isinstance(node.get("properties"), Mapping):
        out["properties"] = {
            k: (_narrow(compiler, sub, value[k]) if k in value else sub) for k, sub in node["properties"].items()
        }
    if isinstance(value, list) and "items" in node and "prefixItems" not in node:
        out["prefixItems"] = [_narrow(compiler, node["items"], item) for item in value]
    if "if" in node:
        if compiler.node(node["if"])(value):
            if "then" in node:
                out["then"] = _narrow(compiler, node["then"], value)
        elif "else" in node:
            out["else"] = _narrow(compiler, node["else"], value)
    return out


def _errors(value: Any, schema_name: str) -> list[ValidationError]:
    """jsonschema's errors for ``value``, examining only the parts that fail."""
    compiler = _compiler(schema_name)
    if compiler is None:
        return list(validator(schema_name).iter_errors(value))
    narrowed = _narrow(compiler, load_schema(schema_name), value)
    if narrowed is True:
        return []
    return list(Draft202012Validator(narrowed).iter_errors(value))


def is_valid(value: Any, schema_name: str) -> bool:
    """Whether ``value`` is valid under schema ``schema_name`` (fast path first)."""
    check = _compiled(schema_name)
    if check is not None:
        return check(value)
    return validator(schema_name).is_valid(value)


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


def _short(value: Any, limit: int = 60) -> str:
    """A scalar as JSON, cut to ``limit`` characters; a container by its kind only.

    Never serializes more than ``limit`` characters of a string, nor any container (which
    may be huge or nested deeper than the interpreter can print).
    """
    if isinstance(value, str):
        text = json.dumps(value[:limit], ensure_ascii=False)
        if len(value) > limit or len(text) > limit:
            return text[: limit - 2] + "…\""
        return text
    if value is None or isinstance(value, (bool, int, float)):
        try:
            text = json.dumps(value)
        except ValueError:  # a float too large for JSON
            text = repr(value)
        return text if len(text) <= limit else text[: limit - 1] + "…"
    return type_name(value, integers=True)


def _one_of(values: Iterable[Any], limit: int = 10) -> str:
    shown = [_short(v, 40) for v in values]
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


def _branch_score(errors: list[ValidationError]) -> tuple[int, int, int]:
    """How badly a value misses one branch of an ``anyOf``/``oneOf`` (lower fits better).

    A branch whose ``type`` does not fit the value at all, or whose ``type`` tag differs
    from the value's, is the wrong branch rather than a near miss; among the others the
    one with the fewest, deepest errors is the one the author meant.
    """
    wrong_kind = any(
        e.validator in _MISMATCH and (not e.relative_path or list(e.relative_path) == ["type"]) for e in errors
    )
    depth = max((len(e.relative_path) for e in errors), default=0)
    return (1 if wrong_kind else 0, len(errors), -depth)


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """The errors worth reporting under ``error``.

    An ``anyOf``/``oneOf`` failure is replaced by the errors of its best-fitting branch
    (see :func:`_branch_score`), so the user reads what is wrong, never "not valid under
    any of the given schemas".
    """
    if error.validator in ("anyOf", "oneOf") and error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        if not branches:  # pragma: no cover - context errors always name their branch
            yield best_match(error.context)
            return
        best = min(branches.values(), key=_branch_score)
        for sub in best:
            yield from _leaves(sub)
    else:
        yield error



def _diagnostics_for(error: ValidationError, schema_name: str) -> Iterator[Diagnostic]:
    rules = codes
    path = list(error.absolute_path)
    pointer = join_pointer(*path)
    where = _dotted(path)
    prefix = f"{where}: " if where else ""
    kind = error.validator
    value = error.instance
    schema = error.schema if isinstance(error.schema, Mapping) else {}

    if kind == "additionalProperties" and isinstance(value, dict):
        known = schema.get("properties", {}) if isinstance(schema, Mapping) else {}
        extras = [k for k in value if k not in known]
        response = schema_name in RESPONSE_SCHEMAS
        rule = rules.UNKNOWN_RESPONSE_FIELD if response else rules.UNKNOWN_FIELD
        for key in extras:
            sub = join_pointer(*path, key)
            text = (
                f"{prefix}unknown field {key!r}"
                + ("" if response else ": Extra inputs are not permitted")
            )
            yield rule.diagnostic(text, Location(pointer=sub), hint=_suggest(key, known))
        return
    if kind == "required" and isinstance(value, dict):
        missing = [k for k in error.validator_value if k not in value]
        for key in missing:
            yield rules.MISSING_FIELD.diagnostic(
                f"{prefix}missing required field {key!r}: Field required", Location(pointer=pointer)
            )
        return
    if kind == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        yield rules.WRONG_TYPE.diagnostic(
            f"{prefix}expected {wanted}, got {type_name(value, integers=True)}", Location(pointer=pointer)
        )
        return
    if kind in ("enum", "const"):
        allowed = list(error.validator_value) if kind == "enum" else [error.validator_value]
        if kind == "const" or len(allowed) == 1:
            text = f"{prefix}Input should be {_short(allowed[0])}, got {_short(value)}"
        else:
            text = f"{prefix}{_short(value)} is not one of {_one_of(allowed)}"
        yield rules.VALUE_NOT_ALLOWED.diagnostic(text, Location(pointer=pointer), hint=_suggest(value, allowed))
        return
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        relation = {
            "minimum": "greater than or equal to",
            "maximum": "less than or equal to",
            "exclusiveMinimum": "greater than",
            "exclusiveMaximum": "less than",
        }[kind]
        yield rules.OUT_OF_RANGE.diagnostic(
            f"{prefix}Input should be {relation} {error.validator_value}, got {_short(value)}",
            Location(pointer=pointer),
        )
        return
    if kind in ("minItems", "maxItems", "minLength", "maxLength"):
        unit = "items" if kind.endswith("Items") else "characters"
        bound = "at least" if kind.startswith("min") else "at most"
        size = len(value) if isinstance(value, (list, str)) else "?"
        yield rules.OUT_OF_RANGE.diagnostic(
            f"{prefix}should have {bound} {error.validator_value} {unit}, has {size}", Location(pointer=pointer)
        )
        return
    if kind == "pattern":
        yield rules.PATTERN_MISMATCH.diagnostic(
            f"{prefix}String should match pattern {error.validator_value!r}, got {_short(value)}",
            Location(pointer=pointer),
        )
        return
    if kind == "not" and isinstance(error.validator_value, Mapping) and set(error.validator_value) == {"required"}:
        fields = ", ".join(repr(k) for k in error.validator_value["required"])
        yield rules.SCHEMA_VIOLATION.diagnostic(
            f"{prefix}field {fields} is not allowed here", Location(pointer=pointer)
        )
        return
    yield rules.SCHEMA_VIOLATION.diagnostic(f"{prefix}{error.message}", Location(pointer=pointer))


def _pointer_key(d: Diagnostic) -> tuple[Any, ...]:
    pointer = d.location.pointer or ""
    parts = tuple(int(t) if t.isascii() and t.isdigit() else t for t in pointer.split("/")[1:]) if pointer else ()
    return tuple((0, p) if isinstance(p, int) else (1, p) for p in parts)


def validate(value: Any, schema_name: str) -> list[Diagnostic]:
    """Validate a JSON value against a shipped schema.

    Returns one ``V`` diagnostic per problem, each located by the RFC 6901 JSON pointer of
    the offending value (of the unknown key, for an unknown field), ordered by pointer
    (array items by index).  Valid values return ``[]`` quickly.  Never raises on the value.
    """
    if is_valid(value, schema_name):
        return []
    out: list[Diagnostic] = []
    seen: set[tuple[str, str | None, str]] = set()
    try:
        errors = _errors(value, schema_name)
    except RecursionError:  # a value nested deeper than the interpreter allows
        return [codes.SCHEMA_VIOLATION.diagnostic("the value nests too deeply to validate", Location(pointer=""))]
    for error in errors:
        for leaf in _leaves(error):
            for diag in _diagnostics_for(leaf, schema_name):
                key = (diag.code, diag.location.pointer, diag.message)
                if key not in seen:
                    seen.add(key)
                    out.append(diag)
    out.sort(key=_pointer_key)
    return out


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
    """The schema diagnostics whose pointer no other (semantic) diagnostic already reports.

    Some server checks are both a schema constraint (so a standalone validator catches
    them) and a semantic rule with a richer message (a tool name pattern, the thinking
    budget minimum).  A lint that runs both keeps the semantic one.
    """
    taken = {d.location.pointer for d in others if d.location.pointer is not None}
    return [d for d in schema_diagnostics if d.location.pointer not in taken]

