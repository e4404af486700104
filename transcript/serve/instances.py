"""A value valid for a JSON Schema: the input of a synthetic ``tool_use``.

:func:`instance_for` builds a small, deterministic value for a tool's ``input_schema``:
every required property (and the optional ones at the top level, so the input shows the
tool's whole shape), strings that meet ``enum``/``const``/``format``/length/``pattern``,
numbers inside their bounds and on their ``multipleOf``, arrays of ``minItems`` items,
local ``$ref`` (``#/$defs/...``, ``#/definitions/...``), ``allOf`` merged, the first
``anyOf``/``oneOf`` branch that yields a valid value.  A schema it cannot satisfy (an
unreachable ``pattern``, say) still gets its best effort; the tests validate the results
against the schemas with ``jsonschema``.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Mapping
from typing import Any

if sys.version_info >= (3, 11):
    import re._constants as _sre
    import re._parser as _sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_constants as _sre
    import sre_parse as _sre_parse

__all__ = ["instance_for"]

_FORMATS = {
    "date-time": "2025-01-01T00:00:00Z",
    "date": "2025-01-01",
    "time": "00:00:00Z",
    "email": "user@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
}

_MAX_DEPTH = 12


def _resolve(schema: Any, root: Mapping[str, Any]) -> Any:
    seen = 0
    while isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str) and seen < 32:
        ref = schema["$ref"]
        if not ref.startswith("#"):
            return {}
        target: Any = root
        for token in [t for t in ref[1:].split("/") if t]:
            token = token.replace("~1", "/").replace("~0", "~")
            target = target.get(token) if isinstance(target, Mapping) else None
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**target, **rest} if isinstance(target, Mapping) else rest
        seen += 1
    return schema


def _merge_all_of(schema: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema.get("allOf", []):
        part = _resolve(part, root)
        if not isinstance(part, Mapping):
            continue
        part = _merge_all_of(part, root) if "allOf" in part else part
        for key, value in part.items():
            if key == "properties" and isinstance(value, Mapping):
                merged["properties"] = {**merged.get("properties", {}), **value}
            elif key == "required" and isinstance(value, list):
                merged["required"] = list(dict.fromkeys([*merged.get("required", []), *value]))
            else:
                merged.setdefault(key, value)
    return merged


def _type_of(schema: Mapping[str, Any]) -> str | None:
    t = schema.get("type")
    if isinstance(t, list):
        options = [x for x in t if x != "null"] or t
        return options[0] if options else None
    if isinstance(t, str):
        return t
    if "properties" in schema or "required" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    if any(k in schema for k in ("minLength", "maxLength", "pattern", "format")):
        return "string"
    if any(k in schema for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")):
        return "number"
    return None


_CATEGORY_CHARS = {
    _sre.CATEGORY_DIGIT: "0",
    _sre.CATEGORY_NOT_DIGIT: "a",
    _sre.CATEGORY_SPACE: " ",
    _sre.CATEGORY_NOT_SPACE: "a",
    _sre.CATEGORY_WORD: "a",
    _sre.CATEGORY_NOT_WORD: "-",
}


def _char_in(items: list[Any]) -> str:
    """A character of a ``[...]`` set (or, negated, one outside it)."""
    negate = bool(items) and items[0][0] is _sre.NEGATE
    if negate:
        for candidate in "a0-_ A":
            if not re.fullmatch(_set_source(items), candidate):
                continue
            return candidate
        return "~"
    for op, arg in items:
        if op is _sre.LITERAL:
            return chr(arg)
        if op is _sre.RANGE:
            return chr(arg[0])
        if op is _sre.CATEGORY:
            return _CATEGORY_CHARS.get(arg, "a")
    return "a"


def _set_source(items: list[Any]) -> str:
    """A regex matching the characters a negated set accepts (tried on a few candidates)."""
    parts = []
    for op, arg in items[1:]:
        if op is _sre.LITERAL:
            parts.append(re.escape(chr(arg)))
        elif op is _sre.RANGE:
            parts.append(f"{re.escape(chr(arg[0]))}-{re.escape(chr(arg[1]))}")
        elif op is _sre.CATEGORY:
            parts.append({_sre.CATEGORY_DIGIT: r"\d", _sre.CATEGORY_SPACE: r"\s", _sre.CATEGORY_WORD: r"\w"}.get(arg, ""))
    return f"[^{''.join(parts)}]" if parts else "."


def _from_parsed(tree: Any, depth: int = 0) -> str:
    out = []
    for op, arg in tree:
        if depth > 20:
            break
        if op is _sre.LITERAL:
            out.append(chr(arg))
        elif op is _sre.NOT_LITERAL:
            out.append("a" if chr(arg) != "a" else "b")
        elif op is _sre.ANY:
            out.append("a")
        elif op is _sre.IN:
            out.append(_char_in(list(arg)))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
            low, _high, inner = arg
            out.append(_from_parsed(inner, depth + 1) * min(low, 256))
        elif op is _sre.SUBPATTERN:
            out.append(_from_parsed(arg[-1], depth + 1))
        elif op is _sre.BRANCH:
            out.append(_from_parsed(arg[1][0], depth + 1))
        elif op in (getattr(_sre, "ATOMIC_GROUP", None),):
            out.append(_from_parsed(arg, depth + 1))
        # anchors, lookarounds and back references add nothing
    return "".join(out)


def _from_pattern(pattern: str) -> str | None:
    """The shortest string the regex ``pattern`` plainly builds (each repeat at its minimum)."""
    try:
        return _from_parsed(_sre_parse.parse(pattern))
    except (re.error, RecursionError, TypeError, ValueError, OverflowError):
        return None


def _string(schema: Mapping[str, Any]) -> str:
    low = schema.get("minLength", 0) if isinstance(schema.get("minLength"), int) else 0
    high = schema.get("maxLength") if isinstance(schema.get("maxLength"), int) else None
    candidates = []
    if isinstance(schema.get("format"), str) and schema["format"] in _FORMATS:
        candidates.append(_FORMATS[schema["format"]])
    pattern = schema.get("pattern")
    built = _from_pattern(pattern) if isinstance(pattern, str) else None
    if built is not None:
        candidates.append(built)
    candidates += ["example", "a", "1", "A", "a1", "example_1", ""]
    for text in candidates:
        if len(text) < low:
            text = text + "x" * (low - len(text))
        if high is not None:
            text = text[:high]
        if not isinstance(pattern, str):
            return text
        try:
            if re.search(pattern, text):
                return text
        except re.error:
            return text
    return candidates[0][:high] if high is not None else candidates[0]


def _number(schema: Mapping[str, Any], integer: bool) -> int | float:
    low: float | None = None
    high: float | None = None
    if isinstance(schema.get("minimum"), (int, float)):
        low = schema["minimum"]
    if isinstance(schema.get("exclusiveMinimum"), (int, float)) and not isinstance(schema["exclusiveMinimum"], bool):
        bound = schema["exclusiveMinimum"] + (1 if integer else 1e-6)
        low = bound if low is None else max(low, bound)
    if isinstance(schema.get("maximum"), (int, float)):
        high = schema["maximum"]
    if isinstance(schema.get("exclusiveMaximum"), (int, float)) and not isinstance(schema["exclusiveMaximum"], bool):
        bound = schema["exclusiveMaximum"] - (1 if integer else 1e-6)
        high = bound if high is None else min(high, bound)
    value: float = 1 if low is None or low <= 1 <= (high if high is not None else 1) else low
    if high is not None and value > high:
        value = high
    step = schema.get("multipleOf")
    if isinstance(step, (int, float)) and step > 0:
        value = math.ceil(value / step) * step
        if high is not None and value > high:
            value = math.floor(high / step) * step
    if integer:
        value = math.ceil(value) if low is not None and value < low else round(value)
        return int(value)
    return value


def _value(schema: Any, root: Mapping[str, Any], depth: int, top: bool) -> Any:
    if depth > 4 * _MAX_DEPTH:  # a schema that refers to itself without end
        return {} if top else None
    schema = _resolve(schema, root)
    if schema is True or not isinstance(schema, Mapping):
        return {} if top else "example"
    if "allOf" in schema:
        schema = _merge_all_of(schema, root)
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    if "default" in schema and not top:
        return schema["default"]
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and branches:
            non_null = [b for b in branches if not (isinstance(b, Mapping) and b.get("type") == "null")]
            base = {k: v for k, v in schema.items() if k != key}
            branch = _resolve((non_null or branches)[0], root)
            return _value({**base, **branch} if isinstance(branch, Mapping) else branch, root, depth + 1, top)
    kind = _type_of(schema)
    if top or kind == "object":
        return _object(schema, root, depth, top)
    if kind == "array":
        return _array(schema, root, depth)
    if kind == "string":
        return _string(schema)
    if kind == "integer":
        return _number(schema, True)
    if kind == "number":
        return _number(schema, False)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return "example"


def _object(schema: Mapping[str, Any], root: Mapping[str, Any], depth: int, top: bool) -> dict[str, Any]:
    raw_props, raw_required = schema.get("properties"), schema.get("required")
    props: Mapping[str, Any] = raw_props if isinstance(raw_props, Mapping) else {}
    required = [r for r in raw_required if isinstance(r, str)] if isinstance(raw_required, list) else []
    names = list(dict.fromkeys([*required, *(props if top else [])]))
    if depth >= _MAX_DEPTH:
        names = required
    out: dict[str, Any] = {}
    for name in names:
        out[name] = _value(props.get(name, {}), root, depth + 1, False)
    low = schema.get("minProperties")
    extra = schema.get("additionalProperties", True)
    n = 0
    while isinstance(low, int) and len(out) < low and extra is not False and n < 64:
        out[f"key_{n}"] = _value(extra if isinstance(extra, Mapping) else {}, root, depth + 1, False)
        n += 1
    return out


def _array(schema: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> list[Any]:
    raw_low, raw_prefix = schema.get("minItems"), schema.get("prefixItems")
    low: int = raw_low if isinstance(raw_low, int) else 0
    prefix: list[Any] = raw_prefix if isinstance(raw_prefix, list) else []
    items = schema.get("items", {})
    out = [_value(p, root, depth + 1, False) for p in prefix]
    count = max(low, len(prefix))
    if depth < _MAX_DEPTH:
        while len(out) < count:
            item = _value(items, root, depth + 1, False)
            if schema.get("uniqueItems") and item in out:
                item = f"{item}_{len(out)}" if isinstance(item, str) else len(out)
            out.append(item)
    return out


def instance_for(schema: Any) -> dict[str, Any]:
    """A value (an object, as tool inputs are) that ``schema`` accepts, deterministically."""
    root = schema if isinstance(schema, Mapping) else {}
    value = _value(schema, root, 0, True)
    return value if isinstance(value, dict) else {}
