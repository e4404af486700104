"""The WHATWG event-stream algorithm (transcript.stream.sse)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.stream.sse import SseDecoder, SseEvent, parse_sse


def events(data: bytes | str, **kw) -> list[SseEvent]:
    return parse_sse(data, **kw)[0]


def codes(data: bytes | str, **kw) -> list[str]:
    return [d.code for d in parse_sse(data, **kw)[1]]


def simple(evs: list[SseEvent]) -> list[tuple]:
    return [(e.event, e.data, e.id, e.retry) for e in evs]


# --- the standard's worked examples ---------------------------------------------------------


def test_whatwg_example_multiline_data() -> None:
    # "data: YHOO\ndata: +2\ndata: 10\n\n" is one message whose data is three lines
    assert simple(events("data: YHOO\ndata: +2\ndata: 10\n\n")) == [(None, "YHOO\n+2\n10", None, None)]


def test_whatwg_example_comment_and_ids() -> None:
    text = ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n"
    evs = events(text)
    assert simple(evs) == [
        (None, "first event", "1", None),
        (None, "second event", "", None),
        (None, " third event", "", None),
    ]


def test_whatwg_example_empty_data_fields() -> None:
    # "data\n\ndata\ndata\n\ndata:" -> two events, "" and "\n"; the last is unterminated
    evs = events("data\n\ndata\ndata\n\ndata:", strict=True)
    assert [e.data for e in evs] == ["", "\n"]


def test_whatwg_example_space_after_colon() -> None:
    assert [e.data for e in events("data:test\n\ndata: test\n\n")] == ["test", "test"]


# --- framing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("eol", ["\n", "\r", "\r\n"])
def test_line_ends(eol: str) -> None:
    text = f"event: a{eol}data: 1{eol}data: 2{eol}{eol}event: b{eol}data: 3{eol}{eol}"
    assert simple(events(text)) == [("a", "1\n2", None, None), ("b", "3", None, None)]


def test_crlf_split_across_chunks_is_one_line_end() -> None:
    decoder = SseDecoder()
    out = decoder.feed(b"data: a\r")
    out += decoder.feed(b"\n\r")
    out += decoder.feed(b"\ndata: b\r\n\r\n")
    out += decoder.finish()
    assert [e.data for e in out] == ["a", "b"]
    assert [e.line for e in out] == [1, 3]


def test_leading_bom_is_dropped_once() -> None:
    assert simple(events(b"\xef\xbb\xbfdata: x\n\n")) == [(None, "x", None, None)]
    # a BOM split over chunks
    decoder = SseDecoder()
    out = decoder.feed(b"\xef") + decoder.feed(b"\xbb") + decoder.feed(b"\xbfdata: y\n\n") + decoder.finish()
    assert [e.data for e in out] == ["y"]
    # a second BOM is part of the field name: an unknown field
    evs, diags = parse_sse(b"\xef\xbb\xbf\xef\xbb\xbfdata: x\n\n")
    assert evs == [] and [d.code for d in diags] == ["S005"]


def test_event_without_data_is_not_dispatched() -> None:
    evs, diags = parse_sse("event: ping\n\ndata: x\n\n")
    assert [e.data for e in evs] == ["x"] and evs[0].event is None
    assert [d.code for d in diags] == ["S003"]
    # id and retry alone dispatch nothing, and are not a problem
    assert parse_sse("id: 5\nretry: 10\n\n") == ([], [])


def test_id_persists_and_nul_is_ignored() -> None:
    evs, diags = parse_sse("id: 7\ndata: a\n\ndata: b\n\nid: x\x00y\ndata: c\n\n")
    assert [e.id for e in evs] == ["7", "7", "7"]
    assert [d.code for d in diags] == ["S004"]


@pytest.mark.parametrize("value", ["-5", "+10", " 10", "1_000", "١٠", "", "1.5"])
def test_retry_must_be_ascii_digits(value: str) -> None:
    evs, diags = parse_sse(f"retry: {value}\ndata: a\n\n")
    assert evs[0].retry is None
    assert [d.code for d in diags] == ["S002"]


def test_retry_digits() -> None:
    assert events("retry: 3000\ndata: a\n\n")[0].retry == 3000


def test_unknown_field_is_ignored_with_a_warning() -> None:
    evs, diags = parse_sse("Data: x\nfoo\ndata: y\n\n")
    assert [e.data for e in evs] == ["y"]
    assert [(d.code, d.location.line) for d in diags] == [("S005", 1), ("S005", 2)]


def test_unterminated_last_event_is_processed_with_a_warning() -> None:
    evs, diags = parse_sse("data: a\n\nevent: x\ndata: b")
    assert [(e.data, e.terminated) for e in evs] == [("a", True), ("b", False)]
    assert [(d.code, d.severity.value, d.location.line) for d in diags] == [("S001", "warning", 3)]


def test_strict_drops_the_unterminated_event() -> None:
    evs, diags = parse_sse("data: a\n\ndata: b\n", strict=True)
    assert [e.data for e in evs] == ["a"]
    assert [d.code for d in diags] == ["S001"]


def test_event_lines() -> None:
    evs = events(": c\n\nevent: a\ndata: 1\n\n\n\nevent: b\n: mid\ndata: 2\ndata: 3\n\n")
    assert [(e.line, e.end_line) for e in evs] == [(3, 5), (8, 12)]


def test_first_line_offset() -> None:
    decoder = SseDecoder(first_line=10)
    out = decoder.feed(b"data: a\n\n") + decoder.finish()
    assert out[0].line == 10


def test_invalid_utf8_is_a_located_diagnostic() -> None:
    evs, diags = parse_sse(b"data: ok\n\ndata: caf\xe9\n\n")
    assert [e.data for e in evs] == ["ok", "caf\ufffd"]
    assert [(d.code, d.location.line, d.location.column) for d in diags] == [("X001", 3, 10)]


def test_unicode_line_separators_do_not_split() -> None:
    assert [e.data for e in events("data: a\u2028b\u0085c\x0cd\n\n")] == ["a\u2028b\u0085c\x0cd"]


def test_custom_factory() -> None:
    decoder = SseDecoder(factory=lambda *a: a)
    out = decoder.feed(b"event: e\ndata: d\n\n")
    assert out == [("e", "d", None, None, 1, 3, True)]


def test_event_type_property() -> None:
    assert events("data: x\n\n")[0].type == "message"
    assert events("event: ping\ndata: x\n\n")[0].type == "ping"


def test_diagnostics_are_capped() -> None:
    _, diags = parse_sse("x\n" * 500)
    assert len(diags) == 51
    assert "450 more" in diags[-1].message


# --- properties --------------------------------------------------------------------------------

_lines = st.lists(
    st.one_of(
        st.builds(lambda v: f"data: {v}", st.text(alphabet=st.characters(blacklist_characters="\r\n"), max_size=8)),
        st.builds(lambda v: f"event: {v}", st.sampled_from(["a", "ping", "message_start", ""])),
        st.sampled_from(["", "", ":comment", "id: 3", "retry: 10", "data", "data:", "bogus: 1", "id"]),
    ),
    max_size=25,
)


@st.composite
def _stream_and_cuts(draw):
    lines = draw(_lines)
    eol = draw(st.sampled_from(["\n", "\r", "\r\n"]))
    data = eol.join(lines).encode("utf-8", "surrogatepass") + (eol.encode() if draw(st.booleans()) else b"")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    cuts = sorted(draw(st.lists(st.integers(0, len(data)), max_size=12)))
    return lines, eol, data, cuts


def _decode_in_pieces(data: bytes, cuts: list[int]) -> tuple[list, list]:
    decoder = SseDecoder()
    out = []
    prev = 0
    for c in [*cuts, len(data)]:
        out += decoder.feed(data[prev:c])
        prev = c
    out += decoder.finish()
    return out, [(d.code, d.location.line) for d in decoder.diagnostics]


@settings(max_examples=200, deadline=None)
@given(_stream_and_cuts())
def test_chunking_does_not_matter(case) -> None:
    _lines_, _eol, data, cuts = case
    whole = _decode_in_pieces(data, [])
    assert _decode_in_pieces(data, cuts) == whole
    assert _decode_in_pieces(data, list(range(len(data)))) == whole


@settings(max_examples=200, deadline=None)
@given(_lines)
def test_line_end_styles_are_equivalent(lines) -> None:
    results = []
    for eol in ("\n", "\r", "\r\n"):
        evs, diags = parse_sse(eol.join(lines) + eol)
        results.append((evs, [(d.code, d.location.line) for d in diags]))
    assert results[0] == results[1] == results[2]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.lists(st.integers(0, 300), max_size=6))
def test_never_raises_on_any_bytes(data: bytes, cuts: list[int]) -> None:
    cuts = sorted(c for c in cuts if c <= len(data))
    evs, _ = _decode_in_pieces(data, cuts)
    assert all(isinstance(e, SseEvent) for e in evs)
    assert evs == _decode_in_pieces(data, [])[0]


def test_a_long_line_in_many_chunks_is_read_in_one_pass() -> None:
    """Regression: each chunk was appended to a copy of the pending line, and the whole line
    searched again for a line end, so a 200 MB line without a line end took minutes (time
    quadratic in the line's length).  Here a 32 MB data line arrives in 32,768 chunks
    (under a second now, about a minute before), its line end split between CR and LF."""
    text = "x" * (32 << 20)
    data = b"event: big\ndata: " + text.encode() + b"\r\n\r\n"
    cuts = [*range(0, len(data) - 4, 1024), len(data) - 3]  # the last cut: between CR and LF
    out, diagnostics = _decode_in_pieces(data, cuts)
    assert [(e.event, len(e.data), e.line, e.end_line) for e in out] == [("big", len(text), 1, 3)]
    assert diagnostics == []
    # a line still open at the end of the input is processed by finish()
    decoder = SseDecoder()
    for piece in (b"data: a", b"b" * 10, b"c"):
        assert decoder.feed(piece) == []
    assert [e.data for e in decoder.finish()] == ["a" + "b" * 10 + "c"]


def test_iter_sse_over_chunks_matches_parse_sse() -> None:
    """iter_sse yields, over any split into chunks, the events parse_sse finds in the whole."""
    from transcript.stream.sse import iter_sse

    data = b"event: a\ndata: 1\n\r\ndata: x\ndata: y\r\n\nid: 7\ndata: z\n\n"
    whole, _ = parse_sse(data)
    assert [e.data for e in whole] == ["1", "x\ny", "z"]
    for size in (1, 2, 5, len(data)):
        chunks = [data[i : i + size] for i in range(0, len(data), size)]
        assert list(iter_sse(chunks)) == whole


def test_diagnostics_come_in_input_order_however_the_bytes_are_cut() -> None:
    """Regression (found by the chunking property): an unknown field before a line that is
    not UTF-8 was reported after it when both came in one chunk."""
    data = b"bogus: 1\ndata: \xed\xa0\x80\ndata: "
    whole = _decode_in_pieces(data, [])
    for cut in range(1, len(data)):
        assert _decode_in_pieces(data, [cut]) == whole
    assert [code for code, _ in whole[1]][:2] == ["S005", "X001"]
