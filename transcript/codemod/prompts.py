"""A prompt template converted to ``system`` and ``messages``, written back as Python code.

The template's text is read by the project's own converter
(:func:`transcript.prompt.convert.prompt_to_messages`) with each run-time part standing in
as a placeholder no prompt contains (two private-use characters around its number), so
turns, the system prompt and a prefill are found exactly as for a literal prompt, with the
converter's diagnostics.  Each text of the result is then written as Python: a string
literal, the interpolated expression itself when the text is nothing else (and the value is
known to be a ``str``), or an f-string (a concatenation when an f-string cannot hold the
expression on the Python versions supported).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import libcst as cst
from attrs import frozen

from transcript.codemod.symbols import Symbols
from transcript.codemod.templates import Hole, NotFollowed, Template
from transcript.core.diagnostics import Diagnostic
from transcript.prompt.convert import prompt_to_messages

__all__ = ["ConvertedPrompt", "convert_template", "escape_text", "fill_holes", "hole_name", "py_str"]

_OPEN, _CLOSE = "\ue000", "\ue001"
_PLACEHOLDER = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
_ENDS_WITH_HOLE = re.compile(f"{_OPEN}\\d+{_CLOSE}$")
_WIDTH = 88


@frozen
class ConvertedPrompt:
    """The code of the ``system`` text (or ``None``) and of the ``messages`` list, what the
    converter reported, whether a prefill ending in a run-time value was stripped with
    ``.rstrip()``, and the request with placeholders (``"x"``) for the linter."""

    system: str | None
    items: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    stripped_prefill: bool
    value: dict[str, Any]
    system_has_holes: bool
    #: the interpolated expressions, in the order of their stand-in names
    holes: tuple[Hole, ...] = ()

    def messages(self, indent: str = "", width: int = 0) -> str:
        """The ``messages`` list: on one line when it fits in ``width`` columns, else one
        message a line, ``indent`` deeper than the statement it is in (LibCST indents the
        lines of a bracketed expression by its block's indentation itself)."""
        one_line = "[" + ", ".join(self.items) + "]"
        if len(one_line) + width <= _WIDTH and "\n" not in one_line:
            return one_line
        inner = indent + "    "
        return "[\n" + "".join(f"{inner}{item},\n" for item in self.items) + indent + "]"


def convert_template(template: Template, symbols: Symbols, options: Mapping[str, Any]) -> ConvertedPrompt:
    """Convert ``template`` (``NotFollowed`` when the converter fails: its errors say why)."""
    holes = template.holes
    if _OPEN in template.text or _CLOSE in template.text:
        raise NotFollowed("the prompt holds the private-use characters U+E000 or U+E001", None)
    numbers = {id(h): i for i, h in enumerate(holes)}
    text = "".join(p if isinstance(p, str) else f"{_OPEN}{numbers[id(p)]}{_CLOSE}" for p in template.pieces)
    conversion = prompt_to_messages(text, **dict(options))
    if conversion.value is None:
        raise ConversionFailed(conversion.diagnostics)
    value = conversion.value
    writer = _Writer(holes, symbols)
    system_code = None
    system_has_holes = False
    if "system" in value:
        system_code = writer.text(_as_text(value["system"]))
        # parts known only at run time (a constant kept by its name is known)
        system_has_holes = any(holes[int(n)].text is None for n in _PLACEHOLDER.findall(_as_text(value["system"])))
    items: list[str] = []
    stripped = False
    messages = value["messages"]
    for i, message in enumerate(messages):
        content = _as_text(message["content"])
        code = writer.text(content)
        last = i == len(messages) - 1
        if last and message["role"] == "assistant" and _ENDS_WITH_HOLE.search(content):
            code = f"{code}.rstrip()" if code.isidentifier() else f"({code}).rstrip()"
            stripped = True
        items.append(f'{{"role": "{message["role"]}", "content": {code}}}')
    placeholder = _PLACEHOLDER.sub("x", text)
    linted = prompt_to_messages(placeholder, **dict(options)).value or {}
    if stripped and linted.get("messages") and isinstance(linted["messages"][-1].get("content"), str):
        # the migrated call sends the prefill stripped: judge that
        last = linted["messages"][-1]
        linted["messages"][-1] = {**last, "content": last["content"].rstrip()}
    return ConvertedPrompt(system_code, tuple(items), conversion.diagnostics, stripped, linted, system_has_holes, holes)


class ConversionFailed(Exception):
    """The converter refused the prompt; ``diagnostics`` say why."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        super().__init__("the converter refused the prompt")
        self.diagnostics = diagnostics


def _as_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    # merge=blocks: a list of text blocks, written back joined (the blocks were one run)
    return "".join(block.get("text", "") for block in content if isinstance(block, dict))


class _Writer:
    def __init__(self, holes: tuple[Hole, ...], symbols: Symbols) -> None:
        self.holes = holes
        self.symbols = symbols

    def text(self, text: str) -> str:
        """Python code for ``text``, whose placeholders stand for the holes."""
        parts: list[str | Hole] = []
        at = 0
        for match in _PLACEHOLDER.finditer(text):
            if match.start() > at:
                parts.append(text[at : match.start()])
            parts.append(self.holes[int(match[1])])
            at = match.end()
        if at < len(text):
            parts.append(text[at:])
        if not any(isinstance(p, Hole) for p in parts):
            return py_str(text)
        if len(parts) == 1:
            hole = parts[0]
            assert isinstance(hole, Hole)
            if hole.plain and hole.is_str:
                return self._emit(hole) if _atomic(hole.expr) else f"({self._emit(hole)})"
        return self._fstring(parts) or self._concatenation(parts)

    def _source(self, hole: Hole) -> str:
        """The hole's code as written (what decides how it can be written back)."""
        return self.symbols.code(hole.expr).strip()

    def _emit(self, hole: Hole) -> str:
        """The name that stands for the hole in the code written here (:func:`fill_holes`)."""
        return hole_name(next(i for i, h in enumerate(self.holes) if h is hole))

    def _fstring(self, parts: list[str | Hole]) -> str | None:
        sources = [self._source(p) for p in parts if isinstance(p, Hole)]
        if any("\\" in s or "\n" in s or "#" in s for s in sources):
            return None
        for quote in ('"', "'"):
            if any(quote in s for s in sources) or any(isinstance(p, Hole) and p.spec and quote in p.spec for p in parts):
                continue
            out = ["f", quote]
            for part in parts:
                if isinstance(part, str):
                    out.append(escape_text(part, quote).replace("{", "{{").replace("}", "}}"))
                    continue
                field = f" {self._emit(part)}" if self._source(part).startswith("{") else self._emit(part)
                if part.conversion:
                    field += f"!{part.conversion}"
                if part.spec:
                    field += f":{part.spec}"
                out.append("{" + field + "}")
            out.append(quote)
            return "".join(out)
        return None

    def _concatenation(self, parts: list[str | Hole]) -> str:
        pieces = []
        for part in parts:
            if isinstance(part, str):
                pieces.append(py_str(part))
                continue
            source = self._emit(part)
            value = {"r": f"repr({source})", "a": f"ascii({source})"}.get(part.conversion or "", source)
            if part.spec:
                if "{" in part.spec:
                    raise NotFollowed("a format spec with a nested field cannot be written without an f-string", part.expr)
                value = f"format({value}, {py_str(part.spec)})"
            elif part.conversion not in ("r", "a") and not (part.is_str and part.plain):
                value = f"str({source})"
            elif not _atomic(part.expr) and part.conversion not in ("r", "a"):
                value = f"({source})"
            pieces.append(value)
        return " + ".join(pieces)


_HOLE = re.compile(r"^__transcript_hole_(\d+)__$")


def hole_name(number: int) -> str:
    return f"__transcript_hole_{number}__"


class _Fill(cst.CSTTransformer):
    def __init__(self, nodes: Sequence[cst.BaseExpression]) -> None:
        super().__init__()
        self.nodes = nodes

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        found = _HOLE.match(updated_node.value)
        if found is None:
            return updated_node
        node = self.nodes[int(found[1])]
        if updated_node.lpar and not getattr(node, "lpar", ()):
            node = node.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)
        return node


def fill_holes(expression: cst.BaseExpression, nodes: Sequence[cst.BaseExpression]) -> cst.BaseExpression:
    """``expression`` (code written by :func:`convert_template`) with each hole's stand-in name
    replaced by its node: the node as the edit pass left it, so edits inside an interpolated
    expression (a response read, a removed constant) are kept."""
    result = expression.visit(_Fill(nodes))
    assert isinstance(result, cst.BaseExpression)
    return result


def _atomic(node: Any) -> bool:
    return isinstance(node, (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.SimpleString, cst.FormattedString)) or bool(
        getattr(node, "lpar", ())
    )


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_text(text: str, quote: str) -> str:
    """``text`` as the inside of a string literal quoted with ``quote`` (braces not doubled)."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch == quote:
            out.append("\\" + ch)
        elif not ch.isprintable():
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


def py_str(text: str) -> str:
    """A Python string literal for ``text`` (double quotes unless the text has more of them)."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    return quote + escape_text(text, quote) + quote
