"""The legacy prompt grammar (``grammar/prompt.lark``) and the parser built from it.

The grammar is an LALR grammar shipped as package data (``transcript._grammar``) and
loaded once.  Its ``TEXT`` terminal ("everything up to the next marker") is written as a
regular expression with a negative lookahead, which Python's regex engine runs one
character at a time; on a 100 MB prompt that is far too slow.  So the parser is given
:class:`PromptLexer`, a lark lexer that produces exactly the terminals the grammar
declares, finding the ``HUMAN`` and ``ASSISTANT`` literals (read from the grammar) with
one C-speed regex search per marker.  Tokenizing is then linear in the input, and the
LALR parser and its inline transformer only ever see one token per marker or text run,
building turns as they are reduced so no parse tree of the whole prompt is kept.

:func:`reference_parser` builds the same grammar with lark's own contextual lexer
(the ``TEXT`` regex as written); the tests check both agree on every input.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from attrs import frozen
from lark import Lark, Token, Transformer
from lark.lexer import Lexer, LexerState

__all__ = ["PromptInput", "RawTurn", "RawPrompt", "parse_raw", "load_parser", "reference_parser", "markers"]

GRAMMAR_PACKAGE = "transcript._grammar"
GRAMMAR_FILE = "prompt.lark"


@frozen
class PromptInput:
    """What the lexer reads: the text, and whether a loosely written first marker counts.

    ``"Human:"`` at offset 0 (no leading newlines) is always read as the first marker
    (the API sanitized it, and the prompt rules report it).  With ``lenient_start``,
    ``^\\n*Human:`` is too (one newline, or three and more), as LangChain did.
    """

    text: str
    lenient_start: bool = False


class RawTurn:
    """One turn as the grammar read it: role, marker, separator and text with offsets."""

    __slots__ = ("role", "marker", "start", "sep", "text", "text_start")

    def __init__(self, role: str, marker: str, start: int, sep: bool, text: str, text_start: int) -> None:
        self.role = role
        self.marker = marker
        self.start = start
        self.sep = sep
        self.text = text
        self.text_start = text_start

    @property
    def end(self) -> int:
        return self.text_start + len(self.text)

    @property
    def word_start(self) -> int:
        """Offset of the role word (after the marker's newlines): where diagnostics point."""
        return self.start + len(self.marker) - len(self.marker.lstrip("\n"))

    @property
    def marker_end(self) -> int:
        return self.start + len(self.marker)

    def __repr__(self) -> str:
        return f"RawTurn({self.role!r}, {self.marker!r}, {self.start}, sep={self.sep}, text={self.text!r})"


@frozen
class RawPrompt:
    """The grammar's reading of a prompt: the system text (``""`` if none) and the turns."""

    system: str
    turns: list[RawTurn]


@frozen
class Markers:
    human: str
    assistant: str
    sep: str


def _literal(lexer_conf: Any, name: str) -> str:
    for term in lexer_conf.terminals:
        if term.name == name:
            return str(term.pattern.value)
    raise LookupError(f"the prompt grammar declares no {name} terminal")  # pragma: no cover


class PromptLexer(Lexer):
    """A linear-time lexer for the prompt grammar's terminals.

    Marker and separator spellings come from the grammar's literal terminals, so the
    grammar stays the one definition of the format.
    """

    __future_interface__ = 2

    def __init__(self, lexer_conf: Any) -> None:
        self.human = _literal(lexer_conf, "HUMAN")
        self.assistant = _literal(lexer_conf, "ASSISTANT")
        self.sep = _literal(lexer_conf, "SEP")
        self.marker_re = re.compile("|".join(re.escape(m) for m in (self.human, self.assistant)))
        word = re.escape(self.human.lstrip("\n"))
        self.lead_repair = re.compile(word)
        self.lead_lenient = re.compile(r"\n*" + word)

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        source = lexer_state.text
        if isinstance(source, PromptInput):
            text, lenient = source.text, source.lenient_start
        else:  # a plain string: exact markers plus the "Human:" start repair
            text, lenient = str(source), False
        human, sep = self.human, self.sep
        sep_len = len(sep)
        pos = 0
        after_marker = False
        lead = (self.lead_lenient if lenient else self.lead_repair).match(text)
        if lead is not None and not text.startswith(human):
            yield Token("HUMAN", lead.group(), 0, None, None, None, None, lead.end())
            pos = lead.end()
            after_marker = True
        for m in self.marker_re.finditer(text, pos):
            start = m.start()
            if start > pos:
                if after_marker and text.startswith(sep, pos):
                    yield Token("SEP", sep, pos, None, None, None, None, pos + sep_len)
                    pos += sep_len
                if start > pos:
                    yield Token("TEXT", text[pos:start], pos, None, None, None, None, start)
            marker = m.group()
            yield Token("HUMAN" if marker == human else "ASSISTANT", marker, start, None, None, None, None, m.end())
            pos = m.end()
            after_marker = True
        end = len(text)
        if end > pos:
            if after_marker and text.startswith(sep, pos):
                yield Token("SEP", sep, pos, None, None, None, None, pos + sep_len)
                pos += sep_len
            if end > pos:
                yield Token("TEXT", text[pos:end], pos, None, None, None, None, end)


def _offset(pos: int | None) -> int:
    """A token offset: lark types them as optional, PromptLexer always sets them."""
    assert pos is not None, "PromptLexer tokens carry their offsets"
    return pos


class _Build(Transformer):  # type: ignore[type-arg]
    """Inline transformer: each turn becomes a :class:`RawTurn` as soon as it is reduced."""

    def system(self, children: list[Token]) -> Token:
        return children[0]

    def _turn(self, role: str, children: list[Token]) -> RawTurn:
        marker = children[0]
        sep = False
        text = ""
        text_start = _offset(marker.end_pos)
        for tok in children[1:]:
            if tok.type == "SEP":
                sep = True
                text_start = _offset(tok.end_pos)
            else:
                text = str(tok)
                text_start = _offset(tok.start_pos)
        # the marker is one of a few strings: interned, not copied once per turn
        return RawTurn(role, sys.intern(str(marker)), _offset(marker.start_pos), sep, text, text_start)

    def human(self, children: list[Token]) -> RawTurn:
        return self._turn("user", children)

    def assistant(self, children: list[Token]) -> RawTurn:
        return self._turn("assistant", children)

    def start(self, children: list[Any]) -> RawPrompt:
        system = ""
        if children and isinstance(children[0], Token):
            system = str(children[0])
            turns = children[1:]
        else:
            turns = children
        return RawPrompt(system, list(turns))


@cache
def grammar_text() -> str:
    """The grammar: package data when installed, else ``grammar/`` beside the package.

    ``python -m transcript`` run from the repository root imports the source folder,
    which has no ``transcript._grammar`` package (the wheel maps ``grammar/`` to it).
    """
    try:
        return resources.files(GRAMMAR_PACKAGE).joinpath(GRAMMAR_FILE).read_text(encoding="utf-8")
    except ModuleNotFoundError:
        source = Path(__file__).resolve().parents[2] / "grammar" / GRAMMAR_FILE  # the checkout's root
        return source.read_text(encoding="utf-8")


@cache
def load_parser() -> Lark:
    """The prompt parser: the packaged grammar, LALR, the linear lexer, built once."""
    return Lark(grammar_text(), parser="lalr", lexer=PromptLexer, transformer=_Build())


@cache
def reference_parser() -> Lark:
    """The same grammar with lark's contextual lexer and the ``TEXT`` regex (for tests)."""
    return Lark(grammar_text(), parser="lalr", lexer="contextual")


@cache
def markers() -> Markers:
    lexer = load_parser().parser.lexer
    inner = getattr(lexer, "lexer", lexer)
    return Markers(inner.human, inner.assistant, inner.sep)


def parse_raw(text: str, *, lenient_start: bool = False) -> RawPrompt:
    """Read a prompt into system text and raw turns.  Never fails: every string has a reading."""
    # Lark annotates parse() as returning a Tree, but with an inline transformer (LALR)
    # it returns what the transformer builds: _Build.start gives a RawPrompt.
    return load_parser().parse(PromptInput(text, lenient_start))  # type: ignore[return-value]
