"""The names anthropic 1.0 removed: ``HUMAN_PROMPT`` and ``AI_PROMPT`` replaced by their
values wherever a migrated prompt did not consume them, their imports removed, the 0.2
``Client`` import made ``Anthropic``, and the ``anthropic_bedrock`` package made ``anthropic``."""

from __future__ import annotations

import functools

import libcst as cst

from transcript.codemod import codes
from transcript.codemod.context import Context
from transcript.codemod.edits import replace_with
from transcript.codemod.prompts import escape_text, py_str
from transcript.codemod.symbols import PROMPT_CONSTANTS, dotted
from transcript.core.diagnostics import Severity


class NameRewriter(Context):
    """Rewriting the removed names and their imports."""

    def _constants(self) -> None:
        """Every remaining use of HUMAN_PROMPT / AI_PROMPT becomes the string it held."""
        inlined: dict[cst.FormattedString, dict[cst.CSTNode, str]] = {}
        for node in self.symbols.index.names:
            if isinstance(self.symbols.parent(node), cst.Attribute) and self.symbols.parent(node).value is node:  # type: ignore[union-attr]
                continue  # the base of a longer chain: the chain is looked at itself
            if self._in_import(node) or self._consumed(node):
                continue
            found = self.symbols.symbol(node)
            if found.kind != "const":
                continue
            value = PROMPT_CONSTANTS[found.name]
            part = self.symbols.parent(node)
            whole = self.symbols.parent(part) if part is not None else None
            if isinstance(part, cst.FormattedStringExpression) and part.expression is node:
                # inside an f-string: the value becomes text of the f-string (before Python 3.12
                # an f-string's expression cannot hold a backslash or the string's own quote)
                text = {"r": repr(value), "a": ascii(value)}.get(part.conversion or "", value)
                if not isinstance(whole, cst.FormattedString) or "r" in whole.prefix.lower() or part.format_spec:
                    self.diagnostics.append(
                        codes.LEGACY_NAME_REPLACED.diagnostic(
                            f"{self.symbols.code(node).strip()} (removed in anthropic 1.0) could not be replaced here: "
                            f"write its value {py_str(value)} yourself",
                            self.at(node),
                            severity=Severity.ERROR,
                        )
                    )
                    continue
                inlined.setdefault(whole, {})[part] = text
            else:
                self.plan.add(node, replace_with(cst.SimpleString(py_str(value))))
            self.diagnostics.append(
                codes.LEGACY_NAME_REPLACED.diagnostic(
                    f"{self.symbols.code(node).strip()} (removed in anthropic 1.0) replaced by its value {py_str(value)}",
                    self.at(node),
                )
            )
        for fstring, parts in inlined.items():
            self.plan.add(fstring, functools.partial(_inline_parts, fstring, texts=parts))

    def _consumed(self, node: cst.CSTNode) -> bool:
        current: cst.CSTNode | None = node
        while current is not None:
            if current in self.plan.consumed:
                return True
            current = self.symbols.parent(current)
        return False

    def _in_import(self, node: cst.CSTNode) -> bool:
        return self.symbols.enclosing(node, (cst.Import, cst.ImportFrom)) is not None

    def _imports(self) -> None:
        for statement in self.symbols.index.imports:
            if isinstance(statement, cst.ImportFrom):
                self._import_from(statement)
            else:
                self._import(statement)

    def _import_from(self, statement: cst.ImportFrom) -> None:
        module = dotted(statement.module) if statement.module is not None else None
        if statement.relative or module not in ("anthropic", "anthropic_bedrock") or isinstance(statement.names, cst.ImportStar):
            return
        removed = {
            i
            for i, alias in enumerate(statement.names)
            if isinstance(alias.name, cst.Name) and alias.name.value in PROMPT_CONSTANTS
        }
        rename_module = module == "anthropic_bedrock"
        added = sorted(set(self.ctor_class.values())) if module == "anthropic" and self._named_client_imported(statement) else []
        if not removed and not rename_module and not added:
            return
        line = self.symbols.parent(statement)

        def rewrite(node: cst.CSTNode) -> cst.CSTNode | cst.RemovalSentinel:
            assert isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar)
            names = [a for i, a in enumerate(node.names) if i not in removed]
            present = {a.name.value for a in names if isinstance(a.name, cst.Name)}
            names += [cst.ImportAlias(name=cst.Name(n)) for n in added if n not in present]
            if not names:
                return cst.RemovalSentinel.REMOVE
            names = [a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for a in names[:-1]] + [
                names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            ]
            new = node.with_changes(names=names)
            if rename_module:
                new = new.with_changes(module=cst.Name("anthropic"))
            return new

        self.plan.add(statement, rewrite)
        if (
            removed
            and isinstance(line, cst.SimpleStatementLine)
            and len(line.body) == 1
            and len(removed) == len(statement.names)
            and not added
        ):
            self.plan.add(line, lambda _upd: cst.RemovalSentinel.REMOVE)

    def _named_client_imported(self, statement: cst.ImportFrom) -> bool:
        assert not isinstance(statement.names, cst.ImportStar)
        return any(isinstance(a.name, cst.Name) and a.name.value in ("Client", "AsyncClient") for a in statement.names) and any(
            isinstance(c.func, cst.Name) for c in self.ctor_class
        )

    def _import(self, statement: cst.Import) -> None:
        if not any(dotted(a.name) == "anthropic_bedrock" for a in statement.names):
            return
        for node in self.symbols.index.names:
            if (
                isinstance(node, cst.Name)
                and node.value == "anthropic_bedrock"
                and not self._in_import(node)
                and self.symbols.symbol(node).kind == "module"
            ):
                self.plan.add(node, lambda _upd: cst.Name("anthropic"))
        has_anthropic = any(
            isinstance(s, cst.Import) and any(dotted(a.name) == "anthropic" and a.asname is None for a in s.names)
            for s in self.symbols.index.imports
        )

        def rewrite(node: cst.CSTNode) -> cst.CSTNode | cst.RemovalSentinel:
            assert isinstance(node, cst.Import)
            names = []
            for alias in node.names:
                if dotted(alias.name) == "anthropic_bedrock":
                    if has_anthropic:
                        continue
                    alias = alias.with_changes(name=cst.Name("anthropic"))
                names.append(alias)
            if not names:
                return cst.RemovalSentinel.REMOVE
            names[-1] = names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return node.with_changes(names=names)

        self.plan.add(statement, rewrite)


def _inline_parts(original: cst.FormattedString, updated: cst.CSTNode, *, texts: dict[cst.CSTNode, str]) -> cst.BaseExpression:
    """An f-string with the given expression parts (of ``original``) written as text; a plain
    string when no expression is left."""
    assert isinstance(updated, cst.FormattedString)
    quote = original.start[len(original.prefix) :]
    parts: list[cst.BaseFormattedStringContent] = []
    for before, after in zip(original.parts, updated.parts):
        if before in texts:
            text = escape_text(texts[before], quote[0]).replace("{", "{{").replace("}", "}}")
            parts.append(cst.FormattedStringText(text))
        else:
            parts.append(after)
    merged: list[cst.BaseFormattedStringContent] = []
    for part in parts:
        if merged and isinstance(part, cst.FormattedStringText) and isinstance(merged[-1], cst.FormattedStringText):
            merged[-1] = cst.FormattedStringText(merged[-1].value + part.value)
        else:
            merged.append(part)
    if all(isinstance(p, cst.FormattedStringText) for p in merged):
        raw = "".join(p.value for p in merged if isinstance(p, cst.FormattedStringText)).replace("{{", "{").replace("}}", "}")
        prefix = updated.prefix.replace("f", "").replace("F", "")
        return cst.SimpleString(prefix + quote + raw + quote, lpar=updated.lpar, rpar=updated.rpar)
    return updated.with_changes(parts=merged)
