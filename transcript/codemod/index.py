"""One walk over a parsed module: every node's parent, and the nodes the codemod looks at.

LibCST's own providers each walk the tree again (its parent provider costs more than the
parse); the codemod needs parents everywhere, and calls, names, imports and classes in
several places, so one iterative walk gathers them all.  It also tells whether a module has
anything to migrate at all (:attr:`ModuleIndex.has_candidates`): a module that only
mentions the legacy API in text passes the prefilter but is then left without the scope
and position analysis, which is most of the cost.
"""

from __future__ import annotations

import libcst as cst

__all__ = ["CANDIDATE_METHODS", "LEGACY_NAMES", "ModuleIndex", "index_module"]

#: Methods whose calls may be legacy call sites.
CANDIDATE_METHODS = frozenset(("create", "completion", "completion_stream", "acompletion", "acompletion_stream", "count_tokens"))
#: Names whose every use is rewritten.
LEGACY_NAMES = frozenset(("HUMAN_PROMPT", "AI_PROMPT", "anthropic_bedrock"))


class ModuleIndex:
    """What :func:`index_module` found, in source order."""

    def __init__(self) -> None:
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}
        self.calls: list[cst.Call] = []
        self.names: list[cst.Name | cst.Attribute] = []
        self.imports: list[cst.Import | cst.ImportFrom] = []
        self.classes: list[cst.ClassDef] = []
        self.candidates = 0

    @property
    def has_candidates(self) -> bool:
        return self.candidates > 0


def _is_candidate_call(call: cst.Call) -> bool:
    func = call.func
    if not isinstance(func, cst.Attribute) or func.attr.value not in CANDIDATE_METHODS:
        return False
    if func.attr.value != "create":
        return True
    # X.completions.create / X.completions.with_raw_response.create; not X.chat.completions.create
    # (OpenAI's: Anthropic clients have no .chat) nor any other .create
    middle = func.value
    if isinstance(middle, cst.Attribute) and middle.attr.value == "with_raw_response":
        middle = middle.value
    if not isinstance(middle, cst.Attribute) or middle.attr.value != "completions":
        return False
    return not (isinstance(middle.value, cst.Attribute) and middle.value.attr.value == "chat")


def index_module(module: cst.Module) -> ModuleIndex:
    found = ModuleIndex()
    parents = found.parents
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        children = node.children
        for child in children:
            parents[child] = node
        stack.extend(reversed(children))
        if isinstance(node, cst.Call):
            found.calls.append(node)
            found.candidates += _is_candidate_call(node)
        elif isinstance(node, cst.Name):
            found.names.append(node)
            found.candidates += node.value in LEGACY_NAMES
        elif isinstance(node, cst.Attribute):
            found.names.append(node)
            found.candidates += node.attr.value in LEGACY_NAMES
        elif isinstance(node, (cst.Import, cst.ImportFrom)):
            found.imports.append(node)
        elif isinstance(node, cst.ClassDef):
            found.classes.append(node)
    return found
