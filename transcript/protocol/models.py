"""Model capabilities, read once from the data file shipped with the package.

``transcript/protocol/models.json`` lists what the model-aware request rules need per model
(output token cap, context window and the beta header that widens it, prefill, sampling
parameters, mid-conversation ``system`` messages, thinking modes, effort levels, deprecation
and retirement) and, for every value, the source it comes from (``cite``, a key of
``sources``).  :func:`lookup_model` resolves the ids users actually send: canonical ids,
aliases, dated variants of an alias, ``-latest`` aliases, Bedrock ids
(``us.anthropic.claude-sonnet-4-5-20250929-v1:0``) and Vertex ids
(``claude-sonnet-4-5@20250929``).  :func:`resolve_model` also takes user overrides (the
``[tool.transcript.models."<id>"]`` tables) and, for an id the table does not know, parses it
into family, version and date (:func:`parse_model_id`) and applies the table's "X and
later" rules to it, marking the result ``inferred``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import attrs
import orjson
from attrs import frozen

__all__ = [
    "ModelInfo",
    "ModelId",
    "LaterRule",
    "MODEL_FIELDS",
    "lookup_model",
    "resolve_model",
    "parse_model_id",
    "known_models",
    "later_rules",
    "model_sources",
    "model_from_mapping",
    "successor",
    "is_text_completions_model",
]

#: The families Anthropic names its models by.
FAMILIES = ("opus", "sonnet", "haiku", "fable", "mythos")


@frozen
class ModelId:
    """What an id says about its model: ``claude-opus-4-7`` is family opus, version (4, 7)."""

    family: str
    version: tuple[int, ...] | None  # None: a named release such as "preview"
    date: str | None = None  # YYYYMMDD

    @property
    def label(self) -> str:
        name = self.family.capitalize()
        return f"{name} {'.'.join(map(str, self.version))}" if self.version else name


@frozen
class LaterRule:
    """A fact stated for a version of a family "and later" (``sampling`` false on Opus 4.7 and later)."""

    family: str
    since: tuple[int, ...]
    values: Mapping[str, Any]
    cite: str
    says: str

    def applies(self, model: ModelId | None) -> bool:
        return model is not None and model.family == self.family and model.version is not None \
            and model.version >= self.since

    @property
    def label(self) -> str:
        return f"{self.family.capitalize()} {'.'.join(map(str, self.since))} and later"


@frozen
class ModelInfo:
    """What the linter knows about one model.  ``None`` means "not known"."""

    id: str
    aliases: tuple[str, ...] = ()
    family: str | None = None
    version: tuple[int, ...] | None = None
    max_output_tokens: int | None = None
    max_output_tokens_beta: int | None = None
    output_beta: str | None = None  # the anthropic-beta header that raises the output cap
    context_window: int | None = None
    context_window_beta: int | None = None
    context_beta: str | None = None  # the anthropic-beta header that widens the context window
    prefill: bool | None = None
    sampling: bool | None = None
    temperature_top_p_exclusive: bool | None = None
    system_messages: bool | None = None
    thinking: tuple[str, ...] | None = None
    thinking_required: bool | None = None  # thinking cannot be disabled
    deprecated_thinking: tuple[str, ...] | None = None  # thinking types still accepted but deprecated
    effort: tuple[str, ...] | None = None
    deprecated: bool | None = None
    retires: str | None = None  # ISO date of end of life
    inferred: bool = False  # not in the table: known only from its name and the "and later" rules
    later: tuple[str, ...] = ()  # the "and later" rules that filled values in
    override: bool = False  # added or changed by the user's configuration


#: The keys of a model entry (in models.json and in a configuration's model table).
MODEL_FIELDS = frozenset(f.name for f in attrs.fields(ModelInfo)) - {"inferred", "later", "override", "id"}

_TUPLES = {"aliases", "thinking", "effort", "deprecated_thinking"}
_INTS = {"max_output_tokens", "max_output_tokens_beta", "context_window", "context_window_beta"}
_BOOLS = {"prefill", "sampling", "temperature_top_p_exclusive", "system_messages", "thinking_required", "deprecated"}
_STRS = {"family", "output_beta", "context_beta", "retires"}


def _version(value: Any) -> tuple[int, ...] | None:
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)*", value):
        return tuple(int(p) for p in value.split("."))
    return None


def model_from_mapping(model_id: str, entry: Mapping[str, Any], base: ModelInfo | None = None) -> ModelInfo:
    """A :class:`ModelInfo` from a table entry (models.json, or a configuration's model table
    laid over ``base``).  Raises :class:`ValueError` naming a bad key or value."""
    changes: dict[str, Any] = {}
    for key, value in entry.items():
        if key in ("id", "cite"):
            continue
        if key not in MODEL_FIELDS:
            raise ValueError(f"unknown key {key!r} (known: {', '.join(sorted(MODEL_FIELDS))})")
        if value is None:
            changes[key] = None
        elif key in _TUPLES:
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"{key} must be a list of strings")
            changes[key] = tuple(value)
        elif key in _INTS:
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{key} must be a non-negative integer")
            changes[key] = value
        elif key in _BOOLS:
            if not isinstance(value, bool):
                raise ValueError(f"{key} must be true or false")
            changes[key] = value
        elif key == "version":
            if _version(value) is None and value != "preview":
                raise ValueError("version must be a dotted number such as \"4.7\"")
            changes[key] = _version(value)
        elif key in _STRS:
            if not isinstance(value, str):
                raise ValueError(f"{key} must be a string")
            if key == "retires" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError("retires must be an ISO date (YYYY-MM-DD)")
            changes[key] = value
    if base is None:
        return ModelInfo(id=model_id, **changes)
    return attrs.evolve(base, **changes)


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    loaded: dict[str, Any] = orjson.loads(resources.files("transcript.protocol").joinpath("models.json").read_bytes())
    return loaded


@lru_cache(maxsize=1)
def later_rules() -> tuple[LaterRule, ...]:
    """The table's "X and later" rules."""
    out = []
    for entry in _raw().get("later", ()):
        since = _version(entry["from"])
        assert since is not None
        out.append(LaterRule(entry["family"], since, dict(entry["set"]), entry["cite"], entry["says"]))
    return tuple(out)


def model_sources() -> Mapping[str, str]:
    """Source key -> the citation each value of the table refers to."""
    sources: Mapping[str, str] = _raw()["sources"]
    return sources


def _apply_later(info: ModelInfo, parsed: ModelId | None) -> ModelInfo:
    """Fill in what the "and later" rules say, where ``info`` does not say it."""
    changes: dict[str, Any] = {}
    used = []
    for rule in later_rules():
        if not rule.applies(parsed):
            continue
        for key, value in rule.values.items():
            if getattr(info, key) is None and key not in changes:
                changes[key] = value
                used.append(rule.label)
    if not changes:
        return info
    return attrs.evolve(info, later=tuple(dict.fromkeys((*info.later, *used))), **changes)


@lru_cache(maxsize=1)
def _table() -> dict[str, ModelInfo]:
    table: dict[str, ModelInfo] = {}
    for entry in _raw()["models"]:
        info = model_from_mapping(entry["id"], entry)
        parsed = ModelId(info.family, info.version) if info.family else parse_model_id(info.id)
        info = _apply_later(info, parsed)
        for name in (info.id, *info.aliases):
            table[name] = info
    return table


def known_models() -> list[ModelInfo]:
    """Every model in the data file, once each."""
    seen: dict[str, ModelInfo] = {}
    for info in _table().values():
        seen.setdefault(info.id, info)
    return list(seen.values())


_BEDROCK = re.compile(r"^(?:[a-z]{2,6}\.)?anthropic\.(?P<id>claude-[a-z0-9.-]+?)(?:-v\d+(?::\d+)?)?$")
_VERTEX = re.compile(r"^(?P<id>claude-[a-z0-9.-]+)@(?P<date>\d{8})$")
_DATED = re.compile(r"^(?P<base>claude-[a-z0-9.-]+?)-(?P<date>\d{8})$")
_FAMILY = "|".join(FAMILIES)
#: claude-opus-4-7, claude-opus-4-20250514, claude-sonnet-5, claude-mythos-preview
_NEW_STYLE = re.compile(
    rf"^claude-(?P<family>{_FAMILY})-(?:(?P<major>\d{{1,2}})(?:[-.](?P<minor>\d{{1,2}}))?|(?P<name>preview))"
    r"(?:-(?P<date>\d{8}))?$"
)
#: claude-3-5-sonnet-20241022, claude-3-opus-latest
_OLD_STYLE = re.compile(rf"^claude-(?P<major>\d)(?:-(?P<minor>\d))?-(?P<family>{_FAMILY})(?:-(?P<date>\d{{8}}))?$")


def _normalize(model: str) -> str:
    name = model.strip().lower()
    m = _BEDROCK.match(name)
    if m:
        name = m.group("id")
    m = _VERTEX.match(name)
    if m:
        name = f"{m.group('id')}-{m.group('date')}"
    return name


def parse_model_id(model: object) -> ModelId | None:
    """Family, version and date of a Claude model id, or ``None`` when it does not read as one."""
    if not isinstance(model, str) or not model or len(model) > 200:
        return None
    name = _normalize(model)
    if name.endswith("-latest"):
        name = name[: -len("-latest")]
    m = _NEW_STYLE.match(name) or _OLD_STYLE.match(name)
    if not m:
        return None
    groups = m.groupdict()
    if groups.get("name"):
        return ModelId(groups["family"], None, groups.get("date"))
    version = (int(groups["major"]),) + ((int(groups["minor"]),) if groups.get("minor") else ())
    return ModelId(groups["family"], version, groups.get("date"))


@lru_cache(maxsize=256)
def lookup_model(model: object) -> ModelInfo | None:
    """The capabilities of ``model``, or ``None`` when it is not a model the table lists."""
    if not isinstance(model, str) or not model or len(model) > 200:
        return None
    table = _table()
    name = _normalize(model)
    if name in table:
        return table[name]
    if name.endswith("-latest") and name[: -len("-latest")] in table:
        return table[name[: -len("-latest")]]
    m = _DATED.match(name)
    if m and m.group("base") in table:
        return table[m.group("base")]
    return None


def resolve_model(model: object, overrides: Mapping[str, ModelInfo] | None = None) -> ModelInfo | None:
    """The capabilities of ``model`` as the rules should use them: the user's override (an
    entry of ``overrides``, by any id it resolves from), the table's entry, or, for an id the
    table does not know but that reads as a Claude model id, what the "and later" rules say
    about its family and version (``inferred``).  ``None`` for anything else."""
    if not isinstance(model, str):
        return None
    if overrides:
        name = _normalize(model)
        for key in (model, name, name.removesuffix("-latest"), _DATED.sub(r"\g<base>", name)):
            if key in overrides:
                return overrides[key]
        known = lookup_model(model)
        if known is not None and known.id in overrides:
            return overrides[known.id]
    known = lookup_model(model)
    if known is not None:
        return known
    parsed = parse_model_id(model)
    if parsed is None:
        return None
    guess = ModelInfo(id=model, family=parsed.family, version=parsed.version, inferred=True)
    return _apply_later(guess, parsed)


#: The Text Completions era's models: none is served by the Messages API.
_TEXT_COMPLETIONS_MODEL = re.compile(r"^(?:anthropic\.)?claude-(?P<instant>instant-)?v?\d(?:[.-]\d+)*(?::\d+)?$")


def successor(model: str) -> str | None:
    """The model the table suggests in place of a retired or deprecated one: the newest model,
    not deprecated, of the same family (for the Text Completions models, whose ids name no
    family: haiku for claude-instant, sonnet for the others).  ``None`` when the model is
    current or not one the table can place."""
    legacy = _TEXT_COMPLETIONS_MODEL.match(model.strip().lower())
    if legacy:
        family: str | None = "haiku" if legacy.group("instant") else "sonnet"
    else:
        info = lookup_model(model)
        if info is None or not (info.deprecated or info.retires):
            return None
        family = info.family
    current = [m for m in known_models() if m.family == family and not m.deprecated and not m.retires and m.version]
    if not current:
        return None
    return max(current, key=lambda m: m.version or ()).id


def is_text_completions_model(model: str) -> bool:
    """Whether ``model`` is one of the Text Completions era (claude-1, claude-2.1, claude-instant-1.2, anthropic.claude-v2...)."""
    return _TEXT_COMPLETIONS_MODEL.match(model.strip().lower()) is not None
