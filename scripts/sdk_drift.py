"""Hold the shipped JSON Schemas against the official Python SDK (``anthropic``).

The SDK is generated from the API's own specification, so its types are the best
description of what the API accepts and sends that can be read offline.  This script
walks them and checks the schemas in both directions:

* **SDK -> schemas.**  For the request TypedDicts (stable ``anthropic.types`` and beta
  ``anthropic.types.beta``: ``MessageCreateParams``) and the response and stream-event
  pydantic models (``Message``, ``BetaMessage``, ``RawMessageStreamEvent``,
  ``BetaRawMessageStreamEvent``) it builds one valid instance per field, union variant,
  literal value and nullable field, and validates each against the shipped schema.  An
  instance the schema refuses is a false error the linter would give on a value the SDK
  (so the API) accepts.  Responses must not even warn (an unknown field in a response is a
  warning).
* **Schemas -> SDK.**  Both sides are reduced to *shape records*: ``(object, field, kind)``,
  where ``object`` is ``field[type]`` for an object tagged by a ``type`` literal (a text
  block in any list is ``content[text]``) and ``parent.field`` for an untagged one, and
  ``kind`` is a JSON type or ``=value`` for a literal.  What the schemas accept that the
  SDK does not know is listed and held against the reviewed allow-list
  ``tests/data/sdk_drift_allowlist.txt`` (one record a line, each with its reason).

Usage (after ``pip install -U anthropic``; no network is used)::

    python scripts/sdk_drift.py            # the review: false errors, new and stale allow-list lines
    python scripts/sdk_drift.py --forward  # also what the SDK knows that the schemas type more loosely

Exit status 0 when the schemas accept every SDK instance and the allow-list is exact.
``tests/test_sdk_drift.py`` runs the same checks in the test suite.
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
import types as _pytypes
import typing
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import typing_extensions

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transcript.protocol.schema import is_valid, load_schema, validate  # noqa: E402 - the checkout's own package

ALLOWLIST = ROOT / "tests" / "data" / "sdk_drift_allowlist.txt"

#: Request parameters the SDK takes as keyword arguments but sends as HTTP headers, never in
#: the body (``anthropic-beta``, ``anthropic-user-profile-id``, ``anthropic-workspace-id``).
HEADER_ONLY = frozenset({"betas", "user_profile_id", "workspace_id"})

#: Values the server constrains beyond the SDK's type (the SDK says ``int``).
FIELD_VALUES: Mapping[str, Any] = {"budget_tokens": 1024, "max_tokens": 1024}

#: Fields the SDK types as optional but its docstrings say the server requires (walked as
#: required): a system message "with neither content nor output_config fields is rejected".
SERVER_REQUIRED: Mapping[str, tuple[str, ...]] = {"BetaSystemMessageParam": ("content",)}

Record = tuple[str, str, str]  # (object key, field, kind)


# -- reading the SDK's annotations --------------------------------------------------------


def _strip(tp: Any) -> Any:
    """``Required[X]``, ``NotRequired[X]``, ``Annotated[X, ...]`` -> ``X``."""
    while True:
        origin = typing_extensions.get_origin(tp)
        if origin in (typing_extensions.Required, typing_extensions.NotRequired, typing_extensions.ReadOnly):
            tp = typing_extensions.get_args(tp)[0]
        elif origin is typing_extensions.Annotated:
            tp = tp.__origin__
        else:
            return tp


def _is_typeddict(tp: Any) -> bool:
    return isinstance(tp, type) and typing_extensions.is_typeddict(tp)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and hasattr(tp, "model_fields")


def _fields(tp: Any) -> list[tuple[str, Any, bool]]:
    """(wire name, annotation, required) of a TypedDict or a pydantic model."""
    if _is_typeddict(tp):
        hints = typing_extensions.get_type_hints(tp, include_extras=True)
        total = getattr(tp, "__total__", True)
        out = []
        for name, hint in hints.items():
            origin = typing_extensions.get_origin(hint)
            required = origin is typing_extensions.Required or (total and origin is not typing_extensions.NotRequired)
            out.append((name, hint, required or name in SERVER_REQUIRED.get(tp.__name__, ())))
        return out
    # A response model: the server sends every field (null where the SDK says Optional), so
    # every field is in the simplest instance.
    return [(info.alias or name, info.annotation, True) for name, info in tp.model_fields.items()]


_LISTS = {list, tuple, set, frozenset, Iterable, Sequence, typing.Iterable, typing.List, typing.Sequence}


def _classify(tp: Any) -> tuple[str, Any]:
    """What kind of annotation ``tp`` is: ("literal", values), ("union", members),
    ("list", item), ("map", value), ("object", cls) or ("scalar", kind)."""
    tp = _strip(tp)
    origin = typing_extensions.get_origin(tp)
    args = typing_extensions.get_args(tp)
    if origin is typing_extensions.Literal or origin is typing.Literal:
        return "literal", args
    if origin is typing.Union or origin is _pytypes.UnionType:
        return "union", args
    if tp is type(None) or tp is None:
        return "scalar", "null"
    if origin is not None and (origin in _LISTS or getattr(origin, "__name__", "") in ("SequenceNotStr", "Iterable")):
        return "list", args[0] if args else Any
    if getattr(tp, "__name__", "") == "SequenceNotStr":
        return "list", Any
    if origin in (dict, Mapping, typing.Dict, typing.Mapping):
        return "map", args[1] if len(args) == 2 else Any
    if _is_typeddict(tp) or _is_model(tp):
        return "object", tp
    if tp is bool:
        return "scalar", "boolean"
    if tp is int:
        return "scalar", "integer"
    if tp is float:
        return "scalar", "number"
    if tp is str:
        return "scalar", "string"
    if tp in (_dt.datetime, _dt.date):
        return "scalar", "datetime"
    if tp in (object, Any, dict):
        return "scalar", "any"
    if origin is type or origin is typing.IO or tp is bytes or getattr(tp, "__name__", "") == "PathLike" \
            or getattr(origin, "__name__", "") == "PathLike":
        return "skip", None  # client-side only: a file the SDK reads and sends as base64 text
    raise TypeError(f"an annotation this walker does not know: {tp!r}")


_SCALAR_VALUES: Mapping[str, Any] = {
    "null": None,
    "boolean": True,
    "integer": 1,
    "number": 0.5,
    "string": "x",
    "datetime": "2026-01-01T00:00:00Z",
    "any": {},
}

_JSON_KIND = {"datetime": "string"}


def _escape_hatch(tp: Any) -> bool:
    """``Dict[str, object]`` beside a TypedDict (``InputSchema``): the SDK lets any dict through
    its types there, which says nothing about what the API accepts, so it is not walked."""
    kind, arg = _classify(tp)
    return kind == "map" and _classify(arg) == ("scalar", "any")


def _tag(tp: Any) -> str | None:
    """The ``type`` literal of an object type, when it has exactly one."""
    for name, hint, _ in _fields(tp):
        if name == "type":
            kind, values = _classify(hint)
            if kind == "literal" and len(values) == 1:
                return str(values[0])
    return None


def _literal_kind(value: Any) -> str:
    """A literal's record kind: ``=value``; ``null``; ``boolean`` for ``Literal[True]``/``[False]``
    (a schema states a boolean by its type)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return f"={value}"


def _key(parent: str, field: str, tag: str | None) -> str:
    return f"{field}[{tag}]" if tag is not None else f"{parent}.{field}"


class Walker:
    """Builds the instances of one SDK type and records its shape."""

    def __init__(self, skip_fields: frozenset[str] = frozenset()) -> None:
        self.records: set[Record] = set()
        self.skip_fields = skip_fields

    def instances(self, tp: Any, key: str = "", field: str = "", stack: tuple[Any, ...] = ()) -> list[Any]:
        """One value per variant of ``tp``, each valid for the SDK; the first is the simplest."""
        try:
            kind, arg = _classify(tp)
        except TypeError as exc:
            raise TypeError(f"{exc} (at {key} {field})") from None
        if kind == "literal":
            for value in arg:
                self.records.add((key, field, _literal_kind(value)))
            return list(arg)
        if kind == "union":
            members = [m for m in arg if not (_escape_hatch(m) and any(_classify(o)[0] == "object" for o in arg))]
            out: list[Any] = []
            for member in members:
                out.extend(self.instances(member, key, field, stack))
            return _dedupe(out)
        if kind == "scalar":
            self.records.add((key, field, _JSON_KIND.get(arg, arg)))
            if field in FIELD_VALUES and arg == "integer":
                return [FIELD_VALUES[field]]
            return [_SCALAR_VALUES[arg]]
        if kind == "list":
            self.records.add((key, field, "array"))
            return [[item] for item in self.instances(arg, key, field, stack)]
        if kind == "map":
            self.records.add((key, field, "object"))
            inner_kind, _ = _classify(arg)
            if inner_kind == "scalar" and _classify(arg)[1] == "any":
                return [{}]
            return [{"k": v} for v in self.instances(arg, f"{key}.{field}", "*", stack)]
        if kind == "skip":
            return []
        return self._object(arg, key, field, stack)

    def _object(self, tp: Any, key: str, field: str, stack: tuple[Any, ...]) -> list[Any]:
        self.records.add((key, field, "object"))
        own = _key(key, field, _tag(tp))
        fields = [f for f in _fields(tp) if not (not stack and f[0] in self.skip_fields)]
        if tp in stack:  # a recursive type: its simplest instance only
            return [self._minimal(tp, own, fields, stack)]
        inner = (*stack, tp)
        base: dict[str, Any] = {}
        variants: dict[str, list[Any]] = {}
        for name, hint, required in fields:
            values = self.instances(hint, own, name, inner)
            if not values:
                continue
            variants[name] = values
            if required:
                base[name] = values[0]
        out = [base]
        for name, values in variants.items():
            for value in values:
                if name in base and _same(base[name], value):
                    continue
                out.append({**base, name: value})
        return out

    def _minimal(self, tp: Any, own: str, fields: list[tuple[str, Any, bool]], stack: tuple[Any, ...]) -> dict[str, Any]:
        out = {}
        for name, hint, required in fields:
            if required:
                values = self.instances(hint, own, name, (*stack, tp)) if len(stack) < 12 else [None]
                out[name] = values[0] if values else None
        return out


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _dedupe(values: list[Any]) -> list[Any]:
    seen: set[str] = set()
    out = []
    for v in values:
        k = json.dumps(v, sort_keys=True)
        if k not in seen:
            seen.add(k)
            out.append(v)
    return out


# -- what to walk ---------------------------------------------------------------------------


def _request_params(module: Any) -> Any:
    """The create-params TypedDict with ``stream`` as either literal."""
    base = module.MessageCreateParamsBase
    fields = {name: hint if required else typing_extensions.NotRequired[hint]
              for name, hint, required in _fields(base)}
    fields["stream"] = typing_extensions.NotRequired[typing.Literal[False, True]]
    return typing_extensions.TypedDict("MessageCreateParams", fields)  # type: ignore[operator]


def sdk_surfaces() -> dict[str, list[tuple[str, Any]]]:
    """Schema name -> the SDK types (label, type) it must accept."""
    import anthropic.types as stable
    import anthropic.types.beta as beta
    from anthropic.types import message_count_tokens_params as stable_count
    from anthropic.types import message_create_params as stable_create
    from anthropic.types.beta import message_count_tokens_params as beta_count
    from anthropic.types.beta import message_create_params as beta_create

    return {
        "messages-request": [
            ("anthropic.types.MessageCreateParams", _request_params(stable_create)),
            ("anthropic.types.beta.MessageCreateParams", _request_params(beta_create)),
            # a token-counting body is judged as a Messages body without max_tokens (as lint does)
            ("anthropic.types.MessageCountTokensParams", stable_count.MessageCountTokensParams),
            ("anthropic.types.beta.MessageCountTokensParams", beta_count.MessageCountTokensParams),
        ],
        "message": [("anthropic.types.Message", stable.Message), ("anthropic.types.beta.BetaMessage", beta.BetaMessage)],
        "stream-event": [
            ("anthropic.types.RawMessageStreamEvent", stable.RawMessageStreamEvent),
            ("anthropic.types.beta.BetaRawMessageStreamEvent", beta.BetaRawMessageStreamEvent),
        ],
    }


class Surface:
    """The instances and shape records of one schema's SDK types."""

    def __init__(self, schema: str, types: list[tuple[str, Any]]) -> None:
        self.schema = schema
        self.instances: list[tuple[str, Any]] = []
        self.records: set[Record] = set()
        for label, tp in types:
            walker = Walker(HEADER_ONLY if schema == "messages-request" else frozenset())
            for value in walker.instances(tp):
                if label.endswith("CountTokensParams") and isinstance(value, dict):
                    value = {**value, "max_tokens": FIELD_VALUES["max_tokens"]}
                self.instances.append((label, value))
            self.records |= walker.records


def refusals(surface: Surface) -> Iterator[tuple[str, Any, list[str]]]:
    """(SDK type, instance, the schema's diagnostics) for every instance the schema does not accept
    cleanly: a V error for a request, any V diagnostic for what the API sends."""
    request = surface.schema == "messages-request"
    for label, value in surface.instances:
        if request and is_valid(value, surface.schema):
            continue
        found = validate(value, surface.schema)
        bad = [d for d in found if not request or d.severity.name == "ERROR"]
        if bad:
            yield label, value, [f"{d.code} {d.location.pointer}: {d.message}" for d in bad]


# -- the schemas' shape ---------------------------------------------------------------------


def schema_records(root: Mapping[str, Any]) -> set[Record]:
    """The shape records of everything the schema ``root`` accepts."""
    defs = root.get("$defs", {})
    out: set[Record] = set()

    def resolve(node: Mapping[str, Any]) -> Mapping[str, Any]:
        while "$ref" in node:
            node = defs[node["$ref"].rsplit("/", 1)[1]]
        return node

    def walk(node: Mapping[str, Any], key: str, field: str, stack: frozenset[str]) -> None:
        if "$ref" in node:
            name_ = node["$ref"]
            if (name_, key, field) in stack:
                return
            stack = stack | {(name_, key, field)}  # type: ignore[operator]
            node = resolve(node)
        branches = [b["then"] for b in node.get("allOf", ()) if "then" in b and "if" in b]
        dispatch = branches and set(node.get("properties", {})) <= {"type", "role"}
        kinds = node.get("type")
        kinds = [kinds] if isinstance(kinds, str) else list(kinds or ())
        for k in kinds:
            if k == "object" and dispatch:
                continue
            out.add((key, field, k))
        if "const" in node:
            out.add((key, field, _literal_kind(node["const"])))
        for value in node.get("enum", ()):
            out.add((key, field, _literal_kind(value)))
        for branch in branches:
            target = resolve(branch)
            if "properties" in target or "$ref" in branch:
                walk(branch, key, field, stack)
        for sub in (*node.get("anyOf", ()), *node.get("oneOf", ())):
            walk(sub, key, field, stack)
        if "items" in node and isinstance(node["items"], Mapping):
            walk(node["items"], key, field, stack)
        props = node.get("properties")
        if props and not dispatch:
            tag = props.get("type", {}).get("const")
            own = _key(key, field, tag if isinstance(tag, str) else None)
            if "object" not in kinds:
                out.add((key, field, "object"))
            for pname, pschema in props.items():
                walk(pschema, own, pname, stack)
        extra = node.get("additionalProperties")
        if isinstance(extra, Mapping) and extra:
            walk(extra, f"{key}.{field}", "*", stack)

    walk(root, "", "", frozenset())
    return out


def _normalize(records: Iterable[Record]) -> set[Record]:
    """Records as both sides can state them: the root object itself is left out."""
    return {r for r in records if r[:2] != ("", "")}


def reverse_listing(surface: Surface) -> set[Record]:
    """What schema ``surface.schema`` accepts that the SDK does not know."""
    return _normalize(schema_records(load_schema(surface.schema))) - _normalize(surface.records)


def forward_listing(surface: Surface) -> set[Record]:
    """What the SDK knows that the schema does not state (looser there: a string for a literal)."""
    return _normalize(surface.records) - _normalize(schema_records(load_schema(surface.schema)))


def format_record(schema: str, record: Record) -> str:
    key, field, kind = record
    return f"{schema} {key or '.'} {field} {kind}"


def read_allowlist(path: Path = ALLOWLIST) -> dict[str, str]:
    """Allow-list line (``schema object field kind``) -> its reason (after `` -- ``)."""
    out: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        entry, _, reason = line.partition(" -- ")
        out[" ".join(entry.split())] = reason.strip()
    return out


def review(forward: bool = False) -> int:
    import anthropic

    allow = read_allowlist()
    listed: set[str] = set()
    failures = 0
    print(f"anthropic {anthropic.__version__}")
    for schema, types in sdk_surfaces().items():
        surface = Surface(schema, types)
        bad = list(refusals(surface))
        print(f"\n== {schema}: {len(surface.instances)} SDK instances, {len(bad)} refused")
        failures += len(bad)
        for label, value, diags in bad[:200]:
            print(f"  {label}: {json.dumps(value)[:300]}")
            for d in diags[:3]:
                print(f"      {d}")
        extra = sorted(format_record(schema, r) for r in reverse_listing(surface))
        listed.update(extra)
        new = [e for e in extra if e not in allow]
        print(f"-- accepted by the schema, unknown to the SDK: {len(extra)} ({len(new)} not in the allow-list)")
        for e in new:
            print(f"  NEW   {e}")
        if forward:
            for r in sorted(forward_listing(surface)):
                print(f"  SDK   {format_record(schema, r)}")
    stale = sorted(set(allow) - listed)
    for e in stale:
        print(f"  STALE {e} (the SDK knows it now, or the schema dropped it: remove the line)")
    new_total = len(listed - set(allow))
    return 1 if failures or new_total or stale else 0


if __name__ == "__main__":
    sys.exit(review(forward="--forward" in sys.argv[1:]))
