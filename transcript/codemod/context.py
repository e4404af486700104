"""What the codemod knows while it migrates one module: the module's symbols, the options,
the plan of edits, the diagnostics so far, and the helpers every part uses (where a node is,
a name free in a scope, a site left unchanged)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import libcst as cst
from attrs import field, frozen
from libcst.metadata import MetadataWrapper

from transcript.codemod.calls import CallSite
from transcript.codemod.edits import Plan
from transcript.codemod.index import ModuleIndex
from transcript.codemod.prompts import ConvertedPrompt, fill_holes
from transcript.codemod.symbols import Symbols
from transcript.codemod.templates import TemplateReader
from transcript.core.diagnostics import Diagnostic, Location


def _mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return dict(value or {})


@frozen
class CodeOptions:
    """``model_map``: old model -> new (``--model-map``); ``prompt_options``: the converter's
    reading policies (:func:`~transcript.prompt.convert.prompt_to_messages` keywords)."""

    model_map: Mapping[str, str] = field(factory=dict, converter=_mapping)
    prompt_options: Mapping[str, Any] = field(factory=dict, converter=_mapping)


class LeftUnchanged(Exception):
    """A call site is left unchanged: the diagnostics say why."""

    def __init__(self, *diagnostics: Diagnostic) -> None:
        super().__init__(diagnostics[0].message if diagnostics else "")
        self.diagnostics = diagnostics


@frozen
class PromptPlan:
    converted: ConvertedPrompt
    messages: cst.BaseExpression
    system: cst.BaseExpression | None


class Context:
    """The shared state and helpers of one module's migration."""

    def __init__(self, wrapper: MetadataWrapper, index: ModuleIndex, options: CodeOptions) -> None:
        self.symbols = Symbols(wrapper, index)
        self.module = wrapper.module
        self.options = options
        self.reader = TemplateReader(self.symbols)
        self.plan = Plan()
        self.diagnostics: list[Diagnostic] = []
        self.lines = self.module.code.splitlines()
        self.built: dict[cst.Call, cst.Call] = {}  # original call -> its migrated form (for stream loops)
        #: interpolated expressions of converted prompts, and what the edit pass made of them
        self.watched: set[cst.CSTNode] = set()
        self.updated: dict[cst.CSTNode, cst.CSTNode] = {}
        self.taken: dict[int, set[str]] = {}  # scope id -> names this run gave out
        self.ctor_class: dict[cst.Call, str] = {}
        self.models: set[str] = set()  # the code of the model argument of every migrated call
        self.conversation_names: dict[int, str] = {}  # a prompt extended in place -> its messages list's name

    def _filled(self, expression: cst.BaseExpression, converted: ConvertedPrompt) -> cst.BaseExpression:
        """Code written for a converted prompt, with its interpolated expressions as the edit
        pass left them (call at edit time)."""
        nodes = [self.updated.get(h.expr, h.expr) for h in converted.holes]
        return fill_holes(expression, nodes)  # type: ignore[arg-type]

    def at(self, node: cst.CSTNode | None) -> Location:
        if node is None or node not in self.symbols.positions:
            return Location()
        span = self.symbols.positions[node]
        return Location(
            line=span.start.line, column=span.start.column + 1, end_line=span.end.line, end_column=span.end.column + 1
        )

    def _indent(self, node: cst.CSTNode) -> str:
        line = self.symbols.position(node)[0]
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return text[: len(text) - len(text.lstrip())]

    def _width(self, arg: cst.Arg) -> int:
        """How far right the ``messages=`` list would start, were it on the argument's line."""
        return self.symbols.position(arg)[1] + len("messages=")

    def _fresh(self, name: str, node: cst.CSTNode) -> str:
        scope = self.symbols.scopes.get(node)
        taken = self.taken.setdefault(id(scope), set())
        candidate, n = name, 0
        while candidate in taken or (scope is not None and (candidate in scope or scope.accesses[candidate])):
            n += 1
            candidate = f"{name}_{n}"
        taken.add(candidate)
        return candidate

    def _describe(self, site: CallSite) -> str:
        return self.symbols.code(site.call.func).strip()

    def _left(
        self, rule: Any, site: CallSite, why: str, node: cst.CSTNode | None = None, hint: str | None = None
    ) -> LeftUnchanged:
        message = f"{self._describe(site)}(...) left unchanged: {why}"
        return LeftUnchanged(rule.diagnostic(message, self.at(node or site.call), hint=hint))
