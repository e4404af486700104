"""Model capabilities, read once from the data file shipped with the package.

``transcript/protocol/models.json`` lists what the model-aware request rules need per model
(output token cap, context window, prefill, sampling parameters, mid-conversation
``system`` messages, thinking modes, effort levels) and where each fact comes from
(its ``_sources`` key).  :func:`lookup_model` resolves the ids users actually send:
canonical ids, aliases, dated variants of an alias, ``-latest`` aliases, Bedrock ids
(``us.anthropic.claude-sonnet-4-5-20250929-v1:0``) and Vertex ids
(``claude-sonnet-4-5@20250929``).  An id it cannot resolve gives ``None``: the rules
then skip their model-specific checks instead of guessing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import orjson
from attrs import frozen

__all__ = ["ModelInfo", "lookup_model", "known_models"]


@frozen
class ModelInfo:
    """What the linter knows about one model.  ``None`` means "not known"."""

    id: str
    aliases: tuple[str, ...] = ()
    max_output_tokens: int | None = None
    max_output_tokens_beta: int | None = None
    context_window: int | None = None
    context_window_beta: int | None = None
    prefill: bool | None = None
    sampling: bool | None = None
    temperature_top_p_exclusive: bool | None = None
    system_messages: bool | None = None
    thinking: tuple[str, ...] | None = None
    effort: tuple[str, ...] | None = None


def _opt_tuple(value: Any) -> tuple[str, ...] | None:
    return None if value is None else tuple(str(v) for v in value)


@lru_cache(maxsize=1)
def _table() -> dict[str, ModelInfo]:
    raw = orjson.loads(resources.files("transcript.protocol").joinpath("models.json").read_bytes())
    table: dict[str, ModelInfo] = {}
    for entry in raw["models"]:
        info = ModelInfo(
            id=entry["id"],
            aliases=tuple(entry.get("aliases", ())),
            max_output_tokens=entry.get("max_output_tokens"),
            max_output_tokens_beta=entry.get("max_output_tokens_beta"),
            context_window=entry.get("context_window"),
            context_window_beta=entry.get("context_window_beta"),
            prefill=entry.get("prefill"),
            sampling=entry.get("sampling"),
            temperature_top_p_exclusive=entry.get("temperature_top_p_exclusive"),
            system_messages=entry.get("system_messages"),
            thinking=_opt_tuple(entry.get("thinking")),
            effort=_opt_tuple(entry.get("effort")),
        )
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


@lru_cache(maxsize=256)
def lookup_model(model: object) -> ModelInfo | None:
    """The capabilities of ``model``, or ``None`` when it is not a model we know."""
    if not isinstance(model, str) or not model or len(model) > 200:
        return None
    table = _table()
    name = model.strip().lower()
    m = _BEDROCK.match(name)
    if m:
        name = m.group("id")
    m = _VERTEX.match(name)
    if m:
        name = f"{m.group('id')}-{m.group('date')}"
    if name in table:
        return table[name]
    if name.endswith("-latest") and name[: -len("-latest")] in table:
        return table[name[: -len("-latest")]]
    m = _DATED.match(name)
    if m and m.group("base") in table:
        return table[m.group("base")]
    return None
