"""The prompt grammar: packaged, loaded once, and read by a lexer that agrees with the grammar's TEXT regex."""

from __future__ import annotations

from importlib import resources

from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Tree

from transcript.prompt.grammar import (
    PromptInput,
    load_parser,
    markers,
    parse_raw,
    reference_parser,
)

PIECES = [
    "\n\nHuman:",
    "\n\nAssistant:",
    " ",
    "  ",
    "\n",
    "\n\n",
    "Human:",
    "\nHuman:",
    "Assistant:",
    "human:",
    "x",
    "héllo ✓",
    "\r\n",
    "\t",
]
prompts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=14).map("".join)


def fast_tokens(text: str) -> list[tuple[str, str]]:
    lexer = load_parser().parser.lexer
    inner = getattr(lexer, "lexer", lexer)

    class State:
        pass

    state = State()
    state.text = PromptInput(text)  # type: ignore[attr-defined]
    return [(t.type, str(t)) for t in inner.lex(state, None)]


def reference_tokens(text: str) -> list[tuple[str, str]]:
    tree = reference_parser().parse(text)
    out: list[tuple[str, str]] = []

    def walk(node: object) -> None:
        if isinstance(node, Tree):
            for child in node.children:
                walk(child)
        else:
            out.append((node.type, str(node)))  # type: ignore[attr-defined]

    walk(tree)
    return out


def test_grammar_ships_as_package_data() -> None:
    """grammar/prompt.lark is the package transcript._grammar's prompt.lark."""
    text = resources.files("transcript._grammar").joinpath("prompt.lark").read_text(encoding="utf-8")
    assert "HUMAN" in text and "ASSISTANT" in text and "TEXT" in text


def test_parser_is_built_once_and_is_lalr() -> None:
    """load_parser is cached and builds an LALR parser."""
    assert load_parser() is load_parser()
    assert load_parser().options.parser == "lalr"


def test_markers_come_from_the_grammar() -> None:
    """The lexer reads the marker spellings from the grammar's literals."""
    m = markers()
    assert (m.human, m.assistant, m.sep) == ("\n\nHuman:", "\n\nAssistant:", " ")


def test_turns_and_offsets() -> None:
    """Each turn has its role, marker, separator and text with offsets."""
    raw = parse_raw("sys\n\nHuman: Hi\n\nAssistant:Yo")
    assert raw.system == "sys"
    human, assistant = raw.turns
    assert (human.role, human.start, human.sep, human.text, human.text_start) == ("user", 3, True, "Hi", 12)
    assert (assistant.role, assistant.sep, assistant.text) == ("assistant", False, "Yo")
    assert human.word_start == 5


def test_leading_human_without_newlines_is_a_marker() -> None:
    """'Human:' at offset 0 is the first marker (the API sanitized it); '\\nHuman:' only when lenient."""
    assert parse_raw("Human: a").turns[0].marker == "Human:"
    assert parse_raw("\nHuman: a").system == "\nHuman: a"
    lenient = parse_raw("\nHuman: a", lenient_start=True)
    assert lenient.system == "" and lenient.turns[0].marker == "\nHuman:"
    assert parse_raw("\n\n\nHuman: a").system == "\n"


def test_only_one_space_is_the_separator() -> None:
    """A second space belongs to the text."""
    turn = parse_raw("\n\nHuman:  x").turns[0]
    assert turn.sep and turn.text == " x"


@settings(max_examples=300, deadline=None)
@given(prompts)
def test_fast_lexer_agrees_with_the_grammar_regex(text: str) -> None:
    """The linear lexer produces the same tokens as lark's contextual lexer with the TEXT regex."""
    if text.startswith("Human:"):
        text = "x" + text  # the start repair is outside the reference grammar
    assert fast_tokens(text) == reference_tokens(text)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_every_string_has_a_reading(text: str) -> None:
    """parse_raw never fails, and the pieces put back together give the input."""
    raw = parse_raw(text)
    rebuilt = raw.system + "".join(t.marker + (" " if t.sep else "") + t.text for t in raw.turns)
    assert rebuilt == text


def test_grammar_is_found_in_a_source_checkout(monkeypatch, tmp_path) -> None:
    """Regression: `python -m transcript` run from the repository root imports the source
    folder, which has no transcript._grammar package; the parser failed with an internal
    GrammarError.  The grammar is then read from grammar/ beside the package."""
    from importlib import resources

    import transcript.prompt.grammar as pg

    packaged = resources.files(pg.GRAMMAR_PACKAGE).joinpath(pg.GRAMMAR_FILE).read_text(encoding="utf-8")
    (tmp_path / "transcript" / "prompt").mkdir(parents=True)
    (tmp_path / "grammar").mkdir()
    (tmp_path / "grammar" / pg.GRAMMAR_FILE).write_text(packaged + "// source copy\n", encoding="utf-8")
    monkeypatch.setattr(pg, "GRAMMAR_PACKAGE", "transcript._no_such_package")
    monkeypatch.setattr(pg, "__file__", str(tmp_path / "transcript" / "prompt" / "grammar.py"))
    assert pg.grammar_text.__wrapped__() == packaged + "// source copy\n"
