"""A schema's type switches rewritten as decision trees, for the validity check only.

The shipped schemas pick an object's sub-schema by one property, as a list of ``if``/``then``
pairs under ``allOf``::

    "allOf": [{"if": {"properties": {"type": {"const": "text"}}, "required": ["type"]},
               "then": {"$ref": "#/$defs/TextBlock"}}, ...]

A validator tries every ``if`` of the list for every value (24 of them for a content block,
30 for a tool), which is most of the time it takes to judge a request.  The conditions of
such a list exclude each other (no value is in two of their sets, and at most one holds when
the property is missing), so at most one ``then`` applies to an object, and
:func:`dispatching` nests them as a balanced tree of ``if``/``then``/``else`` on the union
of the values of each half: a value meets about five conditions on its way to its one
``then`` (or to none).  A value that is not an object meets every ``then`` of the list (an
``if`` about properties holds vacuously) but only one in the tree; the rewrite is made only
where the schema also says ``"type": "object"``, which such a value fails either way.

The rewritten schema accepts exactly the values the original accepts (tests compare the
verdicts on generated documents); it is used only for that verdict: the errors of an
invalid value, their paths in the schema included, come from the original.  The rewrite
assumes a schema without ``unevaluatedProperties``/``unevaluatedItems`` (an ``if`` that
holds would count as evaluating the property) and without references into an ``allOf``
list; :func:`dispatching` leaves a schema that has either unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

__all__ = ["dispatching"]


@attrs.frozen
class _Case:
    """One ``if``/``then`` pair: the values of the property that select ``then``."""

    values: tuple[str | None, ...]
    when_missing: bool  # the ``if`` holds for an object without the property
    then: Any


def dispatching(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` with every exclusive type switch under ``allOf`` made a tree."""
    text = json.dumps(schema)
    copy: dict[str, Any] = json.loads(text)
    if "unevaluated" in text or "/allOf" in text:
        return copy
    _rewrite(copy)
    return copy


def _rewrite(node: Any) -> None:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
            continue
        if not isinstance(item, dict):
            continue
        stack.extend(item.values())
        if item.get("type") == "object" and isinstance(item.get("allOf"), list):
            switch = _switch(item["allOf"])
            if switch is not None:
                prop, cases = switch
                item["allOf"] = [_tree(prop, cases, known=False)]


def _switch(branches: Sequence[Any]) -> tuple[str, list[_Case]] | None:
    """(the property, its cases) when ``branches`` is an exclusive switch on one property."""
    if len(branches) < 2:
        return None
    prop: str | None = None
    cases: list[_Case] = []
    for branch in branches:
        if not isinstance(branch, dict) or set(branch) != {"if", "then"} or not isinstance(branch["if"], dict):
            return None
        condition = branch["if"]
        properties = condition.get("properties")
        if set(condition) - {"properties", "required"} or not isinstance(properties, dict) or len(properties) != 1:
            return None
        ((name, test),) = properties.items()
        if prop is not None and name != prop:
            return None
        prop = name
        required = condition.get("required")
        if required is not None and required != [name]:
            return None
        values = _values(test)
        if values is None:
            return None
        cases.append(_Case(values, required is None, branch["then"]))
    seen: set[str | None] = set()
    for case in cases:
        if seen.intersection(case.values):
            return None
        seen.update(case.values)
    if prop is None or sum(case.when_missing for case in cases) > 1:
        return None
    return prop, cases


def _values(test: Any) -> tuple[str | None, ...] | None:
    """The values a ``const`` or ``enum`` test accepts, when they are strings or null (whose
    equality in Python is JSON's: a number would equal a boolean)."""
    if not isinstance(test, dict) or len(test) != 1:
        return None
    if "const" in test:
        values = [test["const"]]
    elif isinstance(test.get("enum"), list):
        values = test["enum"]
    else:
        return None
    if not all(v is None or isinstance(v, str) for v in values):
        return None
    return tuple(values)


def _condition(prop: str, cases: Sequence[_Case]) -> dict[str, Any]:
    values = [v for case in cases for v in case.values]
    condition: dict[str, Any] = {"properties": {prop: {"enum": values}}}
    if not any(case.when_missing for case in cases):
        condition["required"] = [prop]
    return condition


def _tree(prop: str, cases: Sequence[_Case], *, known: bool) -> Any:
    """The schema that applies the ``then`` of the case an object meets; ``known``: the
    object is known to meet one of ``cases``."""
    if len(cases) == 1:
        if known:
            return cases[0].then
        return {"if": _condition(prop, cases), "then": cases[0].then}
    half = len(cases) // 2
    first, second = cases[:half], cases[half:]
    return {
        "if": _condition(prop, first),
        "then": _tree(prop, first, known=True),
        "else": _tree(prop, second, known=known),
    }
