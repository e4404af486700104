"""Prompt expressions read as templates: literal text, and the expressions interpolated into it.

A legacy prompt is usually built in code: ``f"{HUMAN_PROMPT} {question}{AI_PROMPT}"``,
``HUMAN_PROMPT + " " + q + AI_PROMPT``, ``TEMPLATE.format(q=q)``, ``TEMPLATE % q``, or a
name assigned once to one of those.  :class:`TemplateReader` reads such an expression into
a :class:`Template`: pieces of known text (the constants resolved to the strings they
held) and :class:`Hole` s, the expressions whose values are only known at run time.  The
converter then reads the text with each hole standing in as an opaque placeholder
(:mod:`transcript.codemod.prompts`).  What it cannot read whole raises :class:`NotFollowed`
with the reason.
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Sequence

import libcst as cst
from attrs import frozen

from transcript.codemod.symbols import PROMPT_CONSTANTS, Symbols

__all__ = ["Hole", "NotFollowed", "Template", "TemplateReader"]

_DEPTH = 32
_MARKER = re.compile(r"(?:Human|Assistant):")
_PERCENT = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?(?P<flags>[-#0 +]*)(?P<width>\*|\d+)?(?:\.(?P<prec>\*|\d+))?(?P<type>.)", re.DOTALL
)


@frozen(eq=False)
class Hole:
    """An expression interpolated into the prompt: its node, and how it was formatted
    (``conversion`` ``r``/``s``/``a`` and a format ``spec`` as written), and whether it is
    known to be a ``str`` (then it can stand as content by itself)."""

    expr: cst.BaseExpression
    conversion: str | None = None
    spec: str | None = None
    is_str: bool = False
    #: the value, when it is known (a constant kept by its name)
    text: str | None = None

    @property
    def plain(self) -> bool:
        return self.conversion in (None, "s") and not self.spec


Piece = str | Hole


@frozen(eq=False)
class Template:
    """A prompt as pieces; ``followed`` are the names read through to their values."""

    pieces: tuple[Piece, ...]
    followed: tuple[cst.Name, ...] = ()

    @property
    def text(self) -> str:
        return "".join(p for p in self.pieces if isinstance(p, str))

    @property
    def holes(self) -> tuple[Hole, ...]:
        return tuple(p for p in self.pieces if isinstance(p, Hole))

    @property
    def has_markers(self) -> bool:
        return _MARKER.search(self.text) is not None

    def __add__(self, other: Template) -> Template:
        return Template(self.pieces + other.pieces, self.followed + other.followed)


class NotFollowed(Exception):
    """The prompt cannot be read whole: ``reason`` says why, at ``node``."""

    def __init__(self, reason: str, node: cst.CSTNode | None, *, extended: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.node = node
        self.extended = extended  # the prompt is extended in place (an agent loop)


def _text(value: str) -> Template:
    return Template((value,))


class TemplateReader:
    """Reads prompt expressions of one module."""

    def __init__(self, symbols: Symbols) -> None:
        self.symbols = symbols

    def read(self, node: cst.CSTNode) -> Template:
        """The template of a prompt expression (``NotFollowed`` if it cannot be read whole)."""
        return self._read(node, 0, top=True, seen=frozenset())

    def read_part(self, node: cst.BaseExpression) -> Template:
        """The template of text added to a prompt (what cannot be read is a hole, a ``str``)."""
        return self._part(node, 0, frozenset(), is_str=True)

    # A part of a template: read it if it is text we can see, else it is a hole.
    def _part(self, node: cst.BaseExpression, depth: int, seen: frozenset[str], *, is_str: bool) -> Template:
        try:
            found = self._read(node, depth + 1, top=False, seen=seen)
        except NotFollowed:
            return Template((Hole(node, is_str=is_str or self.symbols.is_str(node)),))
        if isinstance(node, cst.Name) and not found.holes and _keeps_its_name(found.text):
            # a constant of plain text (a preamble, an instruction): the migrated code names it
            # too, so it stays the one place to edit (no whitespace at its ends: the converter,
            # which sees a placeholder for it, would have trimmed nothing there)
            return Template((Hole(node, is_str=True, text=found.text),))
        return found

    def _read(self, node: cst.CSTNode, depth: int, *, top: bool, seen: frozenset[str]) -> Template:
        if depth > _DEPTH:
            raise NotFollowed("the prompt is nested too deeply to follow", node)
        if isinstance(node, cst.SimpleString):
            if "b" in node.prefix.lower():
                raise NotFollowed("the prompt is bytes, not a str", node)
            value = node.evaluated_value
            assert isinstance(value, str)
            return _text(value)
        if isinstance(node, cst.ConcatenatedString):
            return self._read(node.left, depth + 1, top=top, seen=seen) + self._read(node.right, depth + 1, top=top, seen=seen)
        if isinstance(node, cst.FormattedString):
            return self._fstring(node, depth, seen)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            left = self._part(node.left, depth, seen, is_str=True)
            right = self._part(node.right, depth, seen, is_str=True)
            if not (left.text or right.text) and top:
                raise NotFollowed("the prompt is a concatenation of values the codemod cannot see", node)
            return left + right
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
            return self._percent(node, depth, seen)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
            return self._format(node, depth, seen)
        if isinstance(node, (cst.Name, cst.Attribute)):
            return self._name(node, depth, top=top, seen=seen)
        raise NotFollowed(f"the prompt is built by {_describe(node)}, which the codemod cannot read", node)

    def _name(self, node: cst.Name | cst.Attribute, depth: int, *, top: bool, seen: frozenset[str]) -> Template:
        found = self.symbols.symbol(node)
        if found.kind == "const":
            return _text(PROMPT_CONSTANTS[found.name])
        if not isinstance(node, cst.Name):
            raise NotFollowed(f"the prompt is {self.symbols.code(node)}, which the codemod cannot follow", node)
        if node.value in seen:
            raise NotFollowed(f"{node.value} is defined by itself", node)
        if found.kind != "value" or found.node is None:
            raise NotFollowed(self._why_not(node), node, extended=self._extended(node))
        inner = self._read(found.node, depth + 1, top=top, seen=seen | {node.value})
        if not top and inner.holes and not inner.has_markers:
            # a value with parts known only at run time and no turns of its own: it stays a name
            raise NotFollowed("a value with run-time parts", node)
        return Template(inner.pieces, (*inner.followed, node))

    def _why_not(self, node: cst.Name) -> str:
        found = self.symbols.assignments(node)
        if not found:
            return f"{node.value} is not defined in this module"
        if any(self.symbols.is_augmented(a) for a in found):
            return f"{node.value} is extended in place, so its value depends on the run"
        if len(found) > 1:
            return f"{node.value} is assigned {len(found)} times, so its value depends on the run"
        kind = type(getattr(found[0], "node", None)).__name__
        if kind == "Param":
            return f"{node.value} is a parameter: the prompt is built by the caller"
        if kind in ("Import", "ImportFrom"):
            return f"{node.value} is imported from another module"
        return f"{node.value} gets its value in a way the codemod cannot read"

    def _extended(self, node: cst.Name) -> bool:
        return any(self.symbols.is_augmented(a) for a in self.symbols.assignments(node))

    def _fstring(self, node: cst.FormattedString, depth: int, seen: frozenset[str]) -> Template:
        prefix = node.prefix.lower().replace("f", "")
        quote = node.start[len(node.prefix) :]
        out = Template(())
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                value = _literal(prefix, quote, part.value)
                out = out + _text(value.replace("{{", "{").replace("}}", "}"))
                continue
            assert isinstance(part, cst.FormattedStringExpression)
            if part.equal is not None:
                raise NotFollowed("the prompt uses a self-documenting f-string field ({x=})", part)
            spec = None
            if part.format_spec:
                spec = "".join(self.symbols.code(p) for p in part.format_spec)
            conversion = part.conversion
            if spec is None and conversion in (None, "s"):
                out = out + self._part(part.expression, depth, seen, is_str=False)
            else:
                out = out + Template((Hole(part.expression, conversion, spec, False),))
        return out

    def _format(self, node: cst.Call, depth: int, seen: frozenset[str]) -> Template:
        assert isinstance(node.func, cst.Attribute)
        base = self._read(node.func.value, depth + 1, top=False, seen=seen)
        if base.holes:
            raise NotFollowed("the .format template has run-time parts", node)
        positional: list[cst.BaseExpression] = []
        keywords: dict[str, cst.BaseExpression] = {}
        for arg in node.args:
            if arg.star:
                raise NotFollowed("the .format arguments are unpacked (* or **)", arg)
            if arg.keyword is not None:
                keywords[arg.keyword.value] = arg.value
            else:
                positional.append(arg.value)
        out = Template((), base.followed)
        auto = 0
        try:
            fields = list(string.Formatter().parse(base.text))
        except ValueError as exc:
            raise NotFollowed(f"the .format template is malformed ({exc})", node) from None
        for literal, field, spec, conversion in fields:
            if literal:
                out = out + _text(literal)
            if field is None:
                continue
            if field == "":
                key: int | str = auto
                auto += 1
            elif field.isdigit():
                key = int(field)
            elif field.isidentifier():
                key = field
            else:
                raise NotFollowed(f"the .format field {{{field}}} reads an attribute or an item", node)
            if spec and "{" in spec:
                raise NotFollowed("the .format field has a nested format spec", node)
            value = positional[key] if isinstance(key, int) and key < len(positional) else keywords.get(str(key))
            if value is None:
                raise NotFollowed(f"the .format field {{{field}}} has no argument", node)
            out = out + self._field(value, conversion, spec or None, depth, seen)
        return out

    def _field(
        self, value: cst.BaseExpression, conversion: str | None, spec: str | None, depth: int, seen: frozenset[str]
    ) -> Template:
        if spec is None and conversion in (None, "s") and isinstance(value, cst.Integer):
            return _text(str(ast.literal_eval(value.value)))
        if spec is None and conversion in (None, "s"):
            return self._part(value, depth, seen, is_str=False)
        return Template((Hole(value, conversion, spec, False),))

    def _percent(self, node: cst.BinaryOperation, depth: int, seen: frozenset[str]) -> Template:
        base = self._read(node.left, depth + 1, top=False, seen=seen)
        if base.holes:
            raise NotFollowed("the % template has run-time parts", node)
        right = node.right
        if isinstance(right, cst.Tuple):
            args: Sequence[cst.BaseExpression] | dict[str, cst.BaseExpression] = [
                e.value for e in right.elements if not isinstance(e, cst.StarredElement)
            ]
            if len(args) != len(right.elements):
                raise NotFollowed("the % arguments are unpacked", node)
        elif isinstance(right, cst.Dict):
            mapping: dict[str, cst.BaseExpression] = {}
            for element in right.elements:
                if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
                    raise NotFollowed("the % mapping has keys the codemod cannot read", node)
                key = element.key.evaluated_value
                mapping[str(key)] = element.value
            args = mapping
        else:
            args = [right]
        text = base.text
        out = Template((), base.followed)
        position = 0
        at = 0
        for match in _PERCENT.finditer(text):
            out = out + _text(text[at : match.start()])
            at = match.end()
            kind, key = match["type"], match["key"]
            if kind == "%" and not (match["flags"] or match["width"] or match["prec"] or key):
                out = out + _text("%")
                continue
            if kind not in "sra" or match["flags"] or match["width"] or match["prec"]:
                raise NotFollowed(f"the % directive {match[0]!r} is not %s, %r or %a", node)
            if key is not None:
                value = args.get(key) if isinstance(args, dict) else None
            else:
                value = args[position] if isinstance(args, Sequence) and position < len(args) else None
                position += 1
            if value is None:
                raise NotFollowed(f"the % directive {match[0]!r} has no argument", node)
            out = out + self._field(value, None if kind == "s" else kind, None, depth, seen)
        if isinstance(args, Sequence) and position != len(args):
            raise NotFollowed("the % template and its arguments do not match", node)
        return out + _text(text[at:])


def _keeps_its_name(text: str) -> bool:
    """Whether a constant of this text is written by its name in the migrated prompt: text with
    words in it, none of which could be part of a turn marker."""
    return bool(text) and text == text.strip() and "Human" not in text and "Assistant" not in text


def _literal(prefix: str, quote: str, raw: str) -> str:
    value = ast.literal_eval(f"{prefix}{quote}{raw}{quote}")
    assert isinstance(value, str)
    return value


def _describe(node: cst.CSTNode) -> str:
    if isinstance(node, cst.Call):
        return "a call"
    if isinstance(node, cst.IfExp):
        return "a conditional expression"
    if isinstance(node, cst.Subscript):
        return "a subscript"
    return f"an expression of kind {type(node).__name__}"
