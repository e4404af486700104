"""Edits to a LibCST tree, planned against the original nodes and applied in one pass.

Each edit is a function from a node (as its children already came out of the pass) to
what replaces it.  Planning against the original tree keeps every lookup on the metadata
LibCST computed for it (scopes, positions, parents); applying in one bottom-up pass lets an
edit of a loop see its body's edits already made.  A :class:`Plan` gathers the edits of one
call site, so a site that cannot be migrated leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Union

import libcst as cst

from transcript.core.diagnostics import Diagnostic

__all__ = ["Edit", "Plan", "apply_edits", "attribute_chain", "keyword_arg", "replace_with", "text_of"]

Replacement = Union[cst.CSTNode, cst.RemovalSentinel, cst.FlattenSentinel]  # noqa: UP007 - a runtime alias on 3.10
Edit = Callable[[cst.CSTNode], Replacement]


class Plan:
    """The edits and the regenerated regions of one call site (merged only when it migrates)."""

    def __init__(self) -> None:
        self.edits: dict[cst.CSTNode, Edit] = {}
        #: original nodes whose code is written anew: names inside them are not edited again
        self.consumed: set[cst.CSTNode] = set()
        #: what the site's readers found (reported only if the site migrates, once however
        #: many sites read the same response name)
        self.notes: list[Diagnostic] = []

    def add(self, node: cst.CSTNode, edit: Edit) -> None:
        self.edits[node] = edit

    def merge(self, other: Plan) -> list[Diagnostic]:
        """Take ``other``'s edits; return its notes not already taken."""
        self.edits.update(other.edits)
        self.consumed.update(other.consumed)
        new = [n for n in other.notes if n not in self.notes]
        self.notes.extend(new)
        return new


class _Apply(cst.CSTTransformer):
    def __init__(
        self, edits: dict[cst.CSTNode, Edit], watched: set[cst.CSTNode], updated: dict[cst.CSTNode, cst.CSTNode]
    ) -> None:
        super().__init__()
        self.edits = edits
        self.watched = watched
        self.updated = updated

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Replacement:  # type: ignore[override]
        edit = self.edits.get(original_node)
        result = edit(updated_node) if edit is not None else updated_node
        if original_node in self.watched and isinstance(result, cst.CSTNode):
            self.updated[original_node] = result
        return result


def apply_edits(
    module: cst.Module,
    edits: dict[cst.CSTNode, Edit],
    *,
    watched: set[cst.CSTNode] | None = None,
    updated: dict[cst.CSTNode, cst.CSTNode] | None = None,
) -> cst.Module:
    """Apply ``edits`` in one pass; the ``watched`` nodes' results go into ``updated`` as the
    pass leaves them (an edit later in the pass can then use them: :func:`~transcript.codemod.prompts.fill_holes`)."""
    if not edits:
        return module
    result = module.visit(_Apply(edits, watched if watched is not None else set(), updated if updated is not None else {}))
    assert isinstance(result, cst.Module)
    return result


def replace_with(new: Replacement) -> Edit:
    """The edit that puts ``new`` in the node's place, whatever the pass made of the node."""

    def edit(_node: cst.CSTNode) -> Replacement:
        return new

    return edit


def text_of(response: cst.BaseExpression) -> cst.BaseExpression:
    """``RESPONSE.content[0].text``: a Message's text, where a Completion had ``.completion``."""
    content = cst.Attribute(value=response, attr=cst.Name("content"))
    first = cst.Subscript(value=content, slice=[cst.SubscriptElement(slice=cst.Index(value=cst.Integer("0")))])
    return cst.Attribute(value=first, attr=cst.Name("text"))


def keyword_arg(name: str, value: cst.BaseExpression, like: cst.Arg | None = None) -> cst.Arg:
    """``name=value``, spaced like ``like`` (a keyword argument of the same call)."""
    arg = cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )
    if like is not None and like.keyword is not None:
        arg = arg.with_changes(equal=like.equal, whitespace_after_arg=like.whitespace_after_arg)
    return arg


def attribute_chain(base: cst.BaseExpression, *names: str) -> cst.BaseExpression:
    for name in names:
        base = cst.Attribute(value=base, attr=cst.Name(name))
    return base
