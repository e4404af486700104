"""What the names of a module stand for, as far as the codemod needs to know.

:class:`Symbols` answers, for an expression of the module being migrated, whether it is
the ``anthropic`` (or ``anthropic_bedrock``) module, one of its prompt constants or client
classes, a client, or a value assigned once that can be followed.  Names are resolved with
LibCST's scope analysis; of several assignments to a name, the one that reaches a use is
taken to be the last one above it in the same scope (the codemod reads code top to bottom:
it does not follow branches), or, from an inner function, the module's last one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import cast

import libcst as cst
from attrs import frozen
from libcst.metadata import (
    Assignment,
    BaseAssignment,
    CodeRange,
    ImportAssignment,
    MetadataWrapper,
    PositionProvider,
    Scope,
    ScopeProvider,
)

from transcript.codemod.index import ModuleIndex

__all__ = ["PROMPT_CONSTANTS", "SDK_MODULES", "Sym", "Symbols", "dotted"]

#: The packages whose names the codemod knows.
SDK_MODULES = ("anthropic", "anthropic_bedrock")
#: The constants anthropic 1.0 removed, and the strings they always held.
PROMPT_CONSTANTS = {"HUMAN_PROMPT": "\n\nHuman:", "AI_PROMPT": "\n\nAssistant:"}
#: Client classes -> whether their clients are asynchronous.
CLIENT_CLASSES = {
    "Anthropic": False,
    "AsyncAnthropic": True,
    "Client": False,  # 0.2: the only client; 0.3 on: an alias of Anthropic
    "AsyncClient": True,
    "AnthropicBedrock": False,
    "AsyncAnthropicBedrock": True,
    "AnthropicVertex": False,
    "AsyncAnthropicVertex": True,
}
_DEPTH = 32


@frozen
class Sym:
    """What an expression stands for.

    ``kind`` is ``module`` (``name`` is the module), ``const`` (``name`` is
    ``HUMAN_PROMPT`` or ``AI_PROMPT``), ``class`` (a client class, ``name`` its name),
    ``client`` (an instance; ``name`` is its class), ``value`` (``node`` is the expression
    assigned, once, to the name) or ``unknown``.
    """

    kind: str
    name: str = ""
    module: str = ""
    node: cst.CSTNode | None = None

    @property
    def is_async_client(self) -> bool:
        return self.kind == "client" and CLIENT_CLASSES.get(self.name, False)


UNKNOWN = Sym("unknown")


def dotted(node: cst.CSTNode) -> str | None:
    """``a.b.c`` for a chain of names and attributes, else ``None``."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


class Symbols:
    """Name resolution over one module (built once per file)."""

    def __init__(self, wrapper: MetadataWrapper, index: ModuleIndex) -> None:
        self.module = wrapper.module
        self.index = index
        resolved = wrapper.resolve_many([ScopeProvider, PositionProvider])
        self.scopes = cast("dict[cst.CSTNode, Scope]", resolved[ScopeProvider])
        self.positions = cast("Mapping[cst.CSTNode, CodeRange]", resolved[PositionProvider])
        self.parents = index.parents
        self._attrs = _SelfAttributes.collect(index.classes)

    # ------------------------------------------------------------ positions and parents

    def position(self, node: cst.CSTNode) -> tuple[int, int]:
        """1-based line and column of ``node``."""
        start = self.positions[node].start
        return start.line, start.column + 1

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.parents.get(node)

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def enclosing(self, node: cst.CSTNode, kinds: tuple[type[cst.CSTNode], ...]) -> cst.CSTNode | None:
        current = self.parents.get(node)
        while current is not None and not isinstance(current, kinds):
            current = self.parents.get(current)
        return current

    # ------------------------------------------------------------ assignments

    def assignments(self, name: cst.Name) -> list[BaseAssignment]:
        """The assignments of ``name`` in the scope it resolves to, in source order."""
        scope = self.scopes.get(name)
        if scope is None:
            return []
        found = [a for a in scope[name.value] if isinstance(a, (Assignment, ImportAssignment))]
        return sorted(found, key=self._order)

    def _order(self, assignment: BaseAssignment) -> tuple[int, int]:
        node = getattr(assignment, "node", None)
        if node is None or node not in self.positions:
            return (0, 0)
        return self.position(node)

    def _takes_effect(self, assignment: BaseAssignment) -> tuple[int, int]:
        """Where an assignment's value is bound: after its whole statement (``x = f(x)``
        reads the ``x`` from before), the start of anything else."""
        node = getattr(assignment, "node", None)
        if node is None or node not in self.positions:
            return (0, 0)
        parent = self.parents.get(node)
        if isinstance(parent, cst.AssignTarget):
            parent = self.parents.get(parent)
        if isinstance(parent, (cst.Assign, cst.AnnAssign, cst.AugAssign)) and parent in self.positions:
            end = self.positions[parent].end
            return end.line, end.column + 1
        return self.position(node)

    def reaching(self, name: cst.Name) -> BaseAssignment | None:
        """The assignment that gives ``name`` its value where it is used (see the module's doc)."""
        found = self.assignments(name)
        if not found:
            return None
        scope = self.scopes.get(name)
        here = self.position(name)
        local = [a for a in found if a.scope is scope]
        if local:
            before = [a for a in local if self._takes_effect(a) <= here]
            return before[-1] if before else None
        return found[-1]

    def assigned_once(self, name: cst.Name) -> bool:
        return len(self.assignments(name)) == 1

    def value_of(self, assignment: BaseAssignment) -> cst.CSTNode | None:
        """The expression an assignment binds (``x = EXPR``, ``x: T = EXPR``, ``with EXPR as x``), or ``None``."""
        node = getattr(assignment, "node", None)
        if not isinstance(node, cst.Name):
            return None
        parent = self.parents.get(node)
        if isinstance(parent, cst.AssignTarget):
            assign = self.parents.get(parent)
            if isinstance(assign, cst.Assign) and len(assign.targets) == 1:
                return assign.value
            return None
        if isinstance(parent, cst.AnnAssign) and parent.target is node:
            return parent.value
        if isinstance(parent, cst.AsName):
            item = self.parents.get(parent)
            if isinstance(item, cst.WithItem):
                return item.item
        return None

    def assigning_statement(self, assignment: BaseAssignment) -> cst.SimpleStatementLine | None:
        """The line of a plain ``x = EXPR`` assignment (for rewriting it), else ``None``."""
        node = getattr(assignment, "node", None)
        if not isinstance(node, cst.Name):
            return None
        target = self.parents.get(node)
        assign = self.parents.get(target) if isinstance(target, cst.AssignTarget) else None
        line = self.parents.get(assign) if isinstance(assign, cst.Assign) else None
        if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
            return line
        return None

    def references(self, assignment: BaseAssignment) -> list[cst.CSTNode]:
        return sorted((a.node for a in assignment.references), key=self.position)

    def is_augmented(self, assignment: BaseAssignment) -> bool:
        node = getattr(assignment, "node", None)
        return isinstance(self.parents.get(node) if node is not None else None, cst.AugAssign)

    # ------------------------------------------------------------ symbols

    def symbol(self, node: cst.CSTNode, depth: int = 0) -> Sym:
        """What ``node`` stands for."""
        if depth > _DEPTH:
            return UNKNOWN
        if isinstance(node, cst.Name):
            return self._name(node, depth)
        if isinstance(node, cst.Attribute):
            base = self.symbol(node.value, depth + 1)
            attr = node.attr.value
            if base.kind == "module":
                return _member(base.name, attr)
            if base.kind == "unknown" and isinstance(node.value, cst.Name) and attr in self._attrs.names:
                values = self._attrs.values(self, node)
                if values:
                    syms = {self.symbol(v, depth + 1) for v in values}
                    if len(syms) == 1:
                        return syms.pop()
            return UNKNOWN
        if isinstance(node, cst.Call):
            func = self.symbol(node.func, depth + 1)
            if func.kind == "class":
                return Sym("client", func.name, func.module, node)
            return Sym("value", node=node)
        if isinstance(node, cst.Await):
            return UNKNOWN
        return Sym("value", node=node)

    def _name(self, name: cst.Name, depth: int) -> Sym:
        assignment = self.reaching(name)
        if assignment is None:
            star = self._star_import(name.value)
            return _member(star, name.value) if star else UNKNOWN
        if isinstance(assignment, ImportAssignment):
            return _imported(assignment, name.value)
        node = getattr(assignment, "node", None)
        if isinstance(node, cst.Param):
            return self._parameter(node, depth)
        value = self.value_of(assignment)
        if value is None:
            return UNKNOWN
        found = self.symbol(value, depth + 1)
        if found.kind in ("module", "const", "class", "client"):
            return found
        if isinstance(value, cst.Name):
            return found
        return Sym("value", node=value) if self.assigned_once(name) else UNKNOWN

    def _annotated_str(self, name: cst.Name) -> bool:
        """A parameter (or a variable) annotated ``str``."""
        assignment = self.reaching(name)
        node = getattr(assignment, "node", None)
        owner = node if isinstance(node, cst.Param) else self.parents.get(node) if isinstance(node, cst.CSTNode) else None
        annotation = owner.annotation if isinstance(owner, (cst.Param, cst.AnnAssign)) else None
        inner = annotation.annotation if annotation is not None else None
        return isinstance(inner, cst.Name) and inner.value == "str"

    def _star_import(self, name: str) -> str | None:
        """The SDK module a name defined nowhere in the module comes from by ``from MODULE import *``."""
        if name not in PROMPT_CONSTANTS and name not in CLIENT_CLASSES:
            return None
        for statement in self.index.imports:
            if isinstance(statement, cst.ImportFrom) and isinstance(statement.names, cst.ImportStar) and not statement.relative:
                module = dotted(statement.module) if statement.module is not None else None
                if module in SDK_MODULES:
                    return module
        return None

    def _parameter(self, param: cst.Param, depth: int) -> Sym:
        annotation = param.annotation.annotation if param.annotation is not None else None
        if annotation is None:
            return UNKNOWN
        if isinstance(annotation, cst.SimpleString):  # "anthropic.Anthropic"
            try:
                annotation = cst.parse_expression(annotation.evaluated_value)  # type: ignore[arg-type]
            except cst.ParserSyntaxError:
                return UNKNOWN
            name = dotted(annotation)
            head, _, attr = (name or "").rpartition(".")
            return Sym("client", attr, head) if head in SDK_MODULES and attr in CLIENT_CLASSES else UNKNOWN
        found = self.symbol(annotation, depth + 1)
        return Sym("client", found.name, found.module) if found.kind == "class" else UNKNOWN

    def is_str(self, node: cst.CSTNode, depth: int = 0) -> bool:
        """Whether ``node`` is known to be a ``str`` (a literal, an f-string, a concatenation with one...)."""
        if depth > _DEPTH:
            return False
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            return not _is_bytes(node)
        if isinstance(node, cst.FormattedString):
            return True
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            return self.is_str(node.left, depth + 1) or self.is_str(node.right, depth + 1)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
            return self.is_str(node.left, depth + 1)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in _STR_METHODS:
            return self.is_str(node.func.value, depth + 1)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "str":
            return self.scopes.get(node.func) is not None and not self.assignments(node.func)
        if isinstance(node, cst.Name) and self._annotated_str(node):
            return True
        if isinstance(node, (cst.Name, cst.Attribute)):
            found = self.symbol(node, depth + 1)
            if found.kind == "const":
                return True
            return found.kind == "value" and found.node is not None and self.is_str(found.node, depth + 1)
        return False


_STR_METHODS = frozenset(
    [
        "format",
        "strip",
        "lstrip",
        "rstrip",
        "lower",
        "upper",
        "title",
        "capitalize",
        "replace",
        "join",
        "removeprefix",
        "removesuffix",
        "casefold",
    ]
)


def _is_bytes(node: cst.CSTNode) -> bool:
    if isinstance(node, cst.SimpleString):
        return "b" in node.prefix.lower()
    if isinstance(node, cst.ConcatenatedString):
        return _is_bytes(node.left)
    return False


def _member(module: str, attr: str) -> Sym:
    if attr in PROMPT_CONSTANTS:
        return Sym("const", attr, module)
    if attr in CLIENT_CLASSES:
        return Sym("class", attr, module)
    return UNKNOWN


def _imported(assignment: ImportAssignment, local: str) -> Sym:
    node = assignment.node
    if isinstance(node, cst.Import):
        for alias in node.names:
            name = dotted(alias.name) or ""
            bound = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
            if bound == local and name in SDK_MODULES:
                return Sym("module", name)
        return UNKNOWN
    if isinstance(node, cst.ImportFrom) and not node.relative:
        module = dotted(node.module) if node.module is not None else None
        if module not in SDK_MODULES or isinstance(node.names, cst.ImportStar):
            return UNKNOWN
        for alias in node.names:
            name = alias.name.value if isinstance(alias.name, cst.Name) else ""
            bound = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
            if bound == local:
                return _member(module or "", name)
    return UNKNOWN


class _SelfAttributes:
    """``self.NAME = VALUE`` in the methods of each class (and ``NAME = VALUE`` in its body):
    how ``self.client`` is followed from one method to another."""

    def __init__(self) -> None:
        self.by_class: dict[cst.ClassDef, dict[str, list[cst.BaseExpression]]] = {}
        self.names: set[str] = set()

    @classmethod
    def collect(cls, classes: list[cst.ClassDef]) -> _SelfAttributes:
        found = cls()
        for klass in classes:
            table: dict[str, list[cst.BaseExpression]] = {}
            for statement in klass.body.body:
                if isinstance(statement, cst.SimpleStatementLine):
                    for small in statement.body:
                        if isinstance(small, cst.Assign) and len(small.targets) == 1:
                            target = small.targets[0].target
                            if isinstance(target, cst.Name):
                                table.setdefault(target.value, []).append(small.value)
                if isinstance(statement, cst.FunctionDef) and statement.params.params:
                    me = statement.params.params[0].name.value
                    for assign in _assigns(statement.body):
                        target = assign.targets[0].target
                        if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == me:
                            table.setdefault(target.attr.value, []).append(assign.value)
            found.by_class[klass] = table
            found.names.update(table)
        return found

    def values(self, symbols: Symbols, node: cst.Attribute) -> list[cst.BaseExpression]:
        """The values assigned to ``self.ATTR`` in the class of the method ``node`` is in."""
        function = symbols.enclosing(node, (cst.FunctionDef,))
        if not isinstance(function, cst.FunctionDef) or not function.params.params:
            return []
        if not isinstance(node.value, cst.Name) or node.value.value != function.params.params[0].name.value:
            return []
        klass = symbols.enclosing(function, (cst.ClassDef, cst.FunctionDef))
        if not isinstance(klass, cst.ClassDef):
            return []
        return self.by_class.get(klass, {}).get(node.attr.value, [])


def _assigns(node: cst.CSTNode) -> Iterator[cst.Assign]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Assign) and len(current.targets) == 1:
            yield current
        if isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) and current is not node:
            continue
        stack.extend(current.children)
