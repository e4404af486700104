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
import threading
from array import array
from collections.abc import Iterator, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, overload

from attrs import frozen
from lark import Discard, Lark, Token, Transformer
from lark.lexer import Lexer, LexerState

__all__ = ["PromptInput", "RawTurn", "RawTurns", "RawPrompt", "parse_raw", "load_parser", "reference_parser", "markers"]

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
    """One turn as the grammar read it: role, marker, separator and text with offsets.

    A view of one row of :class:`RawTurns`, made when asked for (the prompt keeps none).
    """

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


_ASSISTANT = 1  # a row's flags: an Assistant turn
_SEP = 2  # the separator space follows the marker


class RawTurns(Sequence[RawTurn]):
    """The turns of a prompt, one compact row each: where the marker starts and two flags.

    Everything else follows from the text: a marker is ``HUMAN`` or ``ASSISTANT`` (only the
    first may be a repaired ``"Human:"``), the text starts after the marker and its
    separator and ends where the next marker starts.  A prompt of a million short turns so
    costs five bytes a turn here, not a few hundred for an object per turn; the accessors
    (``role(i)``, ``text(i)``, ``word_start(i)``...) read one row, and indexing or iterating
    gives :class:`RawTurn` views.
    """

    __slots__ = ("_text", "_starts", "_flags", "_first", "_human", "_assistant")

    def __init__(self, text: str, human: str, assistant: str) -> None:
        self._text = text
        self._starts = array("i" if len(text) < 1 << 31 else "q")
        self._flags = bytearray()
        self._first = ""  # the first marker as written, when it is not HUMAN or ASSISTANT
        self._human = human
        self._assistant = assistant

    def add(self, assistant: bool, marker: str, start: int, sep: bool) -> None:
        if not self._starts and marker not in (self._human, self._assistant):
            self._first = marker
        self._starts.append(start)
        self._flags.append((_ASSISTANT if assistant else 0) | (_SEP if sep else 0))

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, i: int) -> RawTurn: ...
    @overload
    def __getitem__(self, i: slice) -> list[RawTurn]: ...
    def __getitem__(self, i: int | slice) -> RawTurn | list[RawTurn]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("turn index out of range")
        return RawTurn(self.role(i), self.marker(i), self._starts[i], self.sep(i), self.text(i), self.text_start(i))

    def is_assistant(self, i: int) -> bool:
        return bool(self._flags[i] & _ASSISTANT)

    def role(self, i: int) -> str:
        return "assistant" if self._flags[i] & _ASSISTANT else "user"

    def sep(self, i: int) -> bool:
        return bool(self._flags[i] & _SEP)

    def start(self, i: int) -> int:
        return self._starts[i]

    def marker(self, i: int) -> str:
        if i == 0 and self._first:
            return self._first
        return self._assistant if self._flags[i] & _ASSISTANT else self._human

    def marker_end(self, i: int) -> int:
        return self._starts[i] + len(self.marker(i))

    def word_start(self, i: int) -> int:
        """Offset of the role word (after the marker's newlines): where diagnostics point."""
        marker = self.marker(i)
        return self._starts[i] + len(marker) - len(marker.lstrip("\n"))

    def text_start(self, i: int) -> int:
        return self.marker_end(i) + (1 if self._flags[i] & _SEP else 0)

    def end(self, i: int) -> int:
        """Where the turn ends: the next marker, or the end of the prompt."""
        return self._starts[i + 1] if i + 1 < len(self._starts) else len(self._text)

    def text(self, i: int) -> str:
        return self._text[self.text_start(i) : self.end(i)]

    def has_text(self, i: int) -> bool:
        """Whether the turn has text (not only its marker and separator), without copying it."""
        return self.end(i) > self.text_start(i)

    def blank(self, i: int) -> bool:
        """Whether the turn's text is empty or only whitespace (copied only when it is short)."""
        a, b = self.text_start(i), self.end(i)
        if a == b:
            return True
        text = self._text
        if not text[a].isspace() or not text[b - 1].isspace():
            return False
        return text[a:b].isspace()

    def __repr__(self) -> str:
        return f"RawTurns({list(self)!r})"


@frozen
class RawPrompt:
    """The grammar's reading of a prompt: the system text (``""`` if none) and the turns."""

    system: str
    turns: RawTurns


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
    """Inline transformer: each turn becomes a row of the current parse's :class:`RawTurns`
    as soon as it is reduced (the rows are per thread: one parser serves every thread)."""

    def __init__(self) -> None:
        super().__init__()
        self.current = threading.local()

    def system(self, children: list[Token]) -> Token:
        return children[0]

    def _turn(self, assistant: bool, children: list[Token]) -> Any:
        marker = children[0]
        sep = any(tok.type == "SEP" for tok in children[1:])
        self.current.turns.add(assistant, str(marker), _offset(marker.start_pos), sep)
        return Discard  # recorded: the parser need not keep it until the end of the prompt

    def human(self, children: list[Token]) -> Any:
        return self._turn(False, children)

    def assistant(self, children: list[Token]) -> Any:
        return self._turn(True, children)

    def start(self, children: list[Any]) -> RawPrompt:
        system = ""
        if children and isinstance(children[0], Token):
            system = str(children[0])
        return RawPrompt(system, self.current.turns)


_BUILD = _Build()


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
    return Lark(grammar_text(), parser="lalr", lexer=PromptLexer, transformer=_BUILD)


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
    parser = load_parser()
    mk = markers()
    _BUILD.current.turns = RawTurns(text, mk.human, mk.assistant)
    try:
        # Lark annotates parse() as returning a Tree, but with an inline transformer (LALR)
        # it returns what the transformer builds: _Build.start gives a RawPrompt.
        return parser.parse(PromptInput(text, lenient_start))  # type: ignore[return-value]
    finally:
        _BUILD.current.turns = None
