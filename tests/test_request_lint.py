"""The request lint pipeline: parse, type check, schema, semantic rules, locations;
the real corpus as a regression suite; bad input of every kind; never raising."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.core.diagnostics import Severity, has_errors
from transcript.core.jsontext import has_duplicate_keys
from transcript.core.jsontext import load_json as parse_json
from transcript.core.sources import Source
from transcript.lint import LintOptions, lint_source
from transcript.protocol.documents import classify
from transcript.request.lint import lint_request, lint_request_text

CORPUS = Path(__file__).parent / "data" / "corpus"

# Requests in the real corpus whose response was an error (see SOURCES.md and the
# paired .response.json): they are not expected to pass.
NOT_ANSWERED = {
    "pai_count_tokens_error_404.request.json",  # 404: the model does not exist
    "pai_error_400_invalid_request.request.json",  # 400: effort 'xhigh' on claude-opus-4-6
    "sdk_error_429_rate_limit.request.json",  # 429: rate limited, never judged
    "sdk_legacy_hello.request.json",  # legacy /v1/complete body sent to a mock server
}
ANSWERED = sorted(p.name for p in CORPUS.glob("*.request.json") if p.name not in NOT_ANSWERED)

HELLO = {"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hello"}]}


def codes(diagnostics) -> list[str]:
    return [d.code for d in diagnostics]


def test_corpus_is_present() -> None:
    """The copied corpus has the answered requests (a guard against an empty glob)."""
    assert len(ANSWERED) >= 35


@pytest.mark.parametrize("name", ANSWERED)
def test_answered_corpus_request_lints_without_errors(name: str) -> None:
    """Every request the real API answered lints with no error (infos and warnings allowed)."""
    kind = "count-tokens" if "count_tokens" in name else None
    chosen, diagnostics = lint_source(Source(name, (CORPUS / name).read_bytes()), kind=kind)
    assert chosen in ("request", "count-tokens")
    assert not has_errors(diagnostics), [(d.code, d.location.pointer, d.message) for d in diagnostics]


def test_corpus_request_the_api_refused_for_effort_is_an_error() -> None:
    """The corpus's 400 (effort 'xhigh' on claude-opus-4-6) is caught, at the right place."""
    text = (CORPUS / "pai_error_400_invalid_request.request.json").read_text()
    found = lint_request(text)
    assert codes(found) == ["R014"]
    assert found[0].location.pointer == "/output_config/effort"
    line = text.splitlines()[found[0].location.line - 1]
    assert '"effort"' in line and found[0].location.column == line.index('"xhigh"') + 1


def test_unknown_model_in_corpus_is_info_only() -> None:
    """The 404 model gets an info, never an error (the linter cannot know every model)."""
    found = lint_request((CORPUS / "pai_count_tokens_error_404.request.json").read_text(), count_tokens=True)
    assert codes(found) == ["R013"] and found[0].severity is Severity.INFO


def test_token_counting_body_needs_count_tokens_kind() -> None:
    """Without max_tokens a Messages body is an error; as a token-counting body it is fine."""
    body = {"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "Hi"}]}
    assert "V002" in codes(lint_request(body))
    assert codes(lint_request(body, count_tokens=True)) == []


def test_value_and_text_give_the_same_codes_and_pointers() -> None:
    """A parsed value and its text are judged alike; only text carries lines."""
    body = copy.deepcopy(HELLO)
    body["temperature"] = 3
    body["messages"].append({"role": "user", "content": ""})
    from_value = lint_request(body)
    from_text = lint_request(json.dumps(body, indent=2))
    assert [(d.code, d.location.pointer) for d in from_value] == [(d.code, d.location.pointer) for d in from_text]
    assert all(d.location.line is None for d in from_value)
    assert all(d.location.line is not None for d in from_text)


def test_diagnostic_is_located_at_the_offending_value() -> None:
    text = '{\n  "model": "claude-sonnet-4-5",\n  "max_tokens": 1024,\n  "temperature": 1.5,\n  "messages": [{"role": "user", "content": "Hi"}]\n}'
    (d,) = lint_request(text)
    assert (d.code, d.location.line, d.location.column, d.location.pointer) == ("R006", 4, 18, "/temperature")


def test_semantic_rule_shadows_the_schema_diagnostic_at_the_same_pointer() -> None:
    """temperature 1.5 is both a schema maximum and R006: reported once, as R006."""
    body = {**HELLO, "temperature": 1.5}
    assert codes(lint_request(body)) == ["R006"]


def test_unknown_field_is_a_schema_error() -> None:
    text = '{"model": "claude-sonnet-4-5", "max_tokens": 1, "messages": [{"role": "user", "content": "x"}], "foo": 1}'
    found = lint_request(text)
    assert codes(found) == ["V001"] and found[0].location.column == text.index('"foo"') + 1


def test_target_changes_severity() -> None:
    body = {**HELLO, "messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}]}
    (w,) = lint_request(body)
    (e,) = lint_request(body, target="bedrock")
    assert w.code == e.code == "M001"
    assert w.severity is Severity.WARNING and e.severity is Severity.ERROR


# -- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code", "line", "column"),
    [
        (b'{"model": "x",\n "max_tokens": 5,, }', "X004", 2, 18),
        (b'{"model": "caf\xe9"}', "X001", 1, 15),
        (b"[1, 2]", "X008", 1, 1),
        (b'"hello"', "X008", 1, 1),
        (b'{"max_tokens": NaN}', "X004", 1, 16),
        (b'{"max_tokens": 1, "max_tokens": 2}', "X006", 1, 19),
        (b"", "X003", 1, 1),
        (b"\x00\x01", "X002", 1, 1),
        (b"[" * 100_000 + b"]" * 100_000, "X005", 1, 1026),
        (b'{"messages": [{"role": "user", "content": "x"}', "X004", 1, 47),
    ],
    ids=["invalid", "not-utf8", "array", "string", "nan", "duplicate", "empty", "binary", "deep", "truncated"],
)
def test_bad_input_is_one_located_error(data: bytes, code: str, line: int, column: int) -> None:
    """Each kind of bad input: one located diagnostic (exit 1 in the CLI), never a raise."""
    found = lint_request(data)
    assert codes(found) == [code]
    assert (found[0].location.line, found[0].location.column) == (line, column)
    assert found[0].severity is Severity.ERROR


def test_one_big_string_document_is_handled_in_linear_time() -> None:
    """A document that is one huge string (the 1 GB case, scaled to 8 MB) is one X008."""
    text = '"' + "a" * 8_000_000 + '"'
    found = lint_request(text)
    assert codes(found) == ["X008"]


def test_deep_request_value_does_not_raise() -> None:
    """A parsed value nested far deeper than JSON text may be (tool input) still lints."""
    deep: object = {}
    for _ in range(5000):
        deep = {"a": deep}
    body = {**HELLO, "messages": [{"role": "user", "content": [{"type": "text", "text": "x"}]},
                                  {"role": "assistant", "content": [{"type": "tool_use", "id": "t", "name": "f", "input": deep}]}]}
    assert "T004" in codes(lint_request(body))


def test_cli_bad_inputs_exit_1_with_located_diagnostics(tmp_path, cli) -> None:
    files = {
        "array.json": b"[1]",
        "deep.json": b"[" * 100_000 + b"]" * 100_000,
        "nan.json": b'{"model": "claude-sonnet-4-5", "max_tokens": NaN, "messages": []}',
        "dup.json": b'{"model": "a", "model": "b", "max_tokens": 1, "messages": []}',
        "latin1.json": b'{"model": "caf\xe9"}',
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        result = cli(["lint", "--kind", "request", str(tmp_path / name)])
        assert result.exit_code == 1, (name, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert f"{name}:1:" in result.stdout


def test_duplicate_check_keeps_no_copy() -> None:
    assert has_duplicate_keys('{"a": {"b": 1, "b": 2}}')
    assert not has_duplicate_keys('{"a": {"b": 1}, "b": [{"b": 1}]}')
    value, diags = parse_json('{"a": 1}')
    assert value == {"a": 1} and diags == []


def test_classify() -> None:
    assert classify(HELLO) == "request"
    assert classify({"custom_id": "a", "params": {}}) == "batch"
    assert classify({"type": "message", "role": "assistant"}) == "response"
    assert classify({"type": "error", "error": {}}) == "error"
    assert classify({"prompt": "x", "model": "m", "max_tokens": 1}) is None
    assert classify([HELLO]) is None


# -- never raises --------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=6),
    max_leaves=40,
)

KEYS = st.sampled_from(
    ["model", "max_tokens", "messages", "role", "content", "type", "text", "tools", "tool_choice", "name", "id",
     "tool_use_id", "source", "data", "media_type", "thinking", "budget_tokens", "signature", "cache_control", "ttl",
     "system", "temperature", "top_p", "top_k", "stop_sequences", "input", "output_config", "effort"]
)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200_000) | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["user", "assistant", "system", "text", "image", "document", "tool_use", "tool_result", "thinking",
                       "redacted_thinking", "server_tool_use", "web_search_tool_result", "base64", "image/png",
                       "application/pdf", "enabled", "adaptive", "any", "tool", "1h", "5m", "ephemeral", "", " ",
                       "claude-opus-4-8", "claude-sonnet-4-5", "iVBORw0KGgo=", "data:x"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=6),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_never_raises_on_arbitrary_json(value) -> None:
    lint_request(value)
    lint_request(orjson.dumps(value).decode())


@settings(max_examples=200, deadline=None)
@given(VALUES)
def test_never_raises_on_request_shaped_garbage(value) -> None:
    """Request-shaped values with wrong types in every place."""
    if isinstance(value, dict):
        value = {**HELLO, **value}
    lint_request(value, target="bedrock")
    lint_request(value, strict=True)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


CORPUS_VALUES = [json.loads((CORPUS / n).read_text()) for n in ANSWERED if (CORPUS / n).stat().st_size < 20_000]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_never_raises_on_mutations_of_valid_requests(data) -> None:
    """Replace any node of a real request with any JSON value (or delete it)."""
    body = copy.deepcopy(data.draw(st.sampled_from(CORPUS_VALUES)))
    paths = [p for p in _paths(body) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        parent = body
        try:
            for key in path[:-1]:
                parent = parent[key]
            if data.draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = data.draw(VALUES)
        except (KeyError, IndexError, TypeError):
            continue
    found = lint_request(body)
    text_found = lint_request(json.dumps(body, indent=1))
    # the value and its text are judged alike; only the text has lines
    assert sorted(d.code for d in found) == sorted(d.code for d in text_found)
    for d in text_found:
        assert d.location.line is not None and d.location.line >= 1


def test_lint_request_text_accepts_options() -> None:
    body = json.dumps({**HELLO, "messages": [{"role": "assistant", "content": "x"}]})
    (d,) = lint_request_text(body, LintOptions(target="bedrock"))
    assert d.code == "M002" and d.severity is Severity.ERROR


# -- large documents ----------------------------------------------------------------------


def _big(body: dict, size: int = 5_000_000) -> str:
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                         "data": base64.b64encode(PNG_HEAD + bytes(size * 3 // 4)).decode()}}
    body = copy.deepcopy(body)
    body["messages"][0]["content"] = [image, {"type": "text", "text": "What is it?"}]
    return json.dumps(body, indent=1)


import base64  # noqa: E402
import struct  # noqa: E402

PNG_HEAD = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II5B", 900, 9000, 8, 2, 0, 0, 0) + b"\0" * 4


def test_large_document_uses_the_single_pass_parser() -> None:
    """Over 4 MB the stdlib parser builds the value and finds duplicates in one pass."""
    text = _big(HELLO)
    assert len(text) > 4 * 1024 * 1024
    found = lint_request(text)
    assert codes(found) == ["I005"]
    assert found[0].location.pointer == "/messages/0/content/0/source/data"
    dup = text.replace('"max_tokens": 1024', '"max_tokens": 1024, "max_tokens": 5')
    (d,) = lint_request(dup)
    assert d.code == "X006" and d.location.pointer == "/max_tokens"
    assert codes(lint_request(text.replace('"max_tokens": 1024', '"max_tokens": NaN'))) == ["X004"]
    assert codes(lint_request(text[:-2])) == ["X004"]


def test_large_document_memory_stays_under_four_times_the_file() -> None:
    """The memory budget of the 30 MB benchmark, checked on 6 MB: parse, rules and all."""
    import tracemalloc

    data = _big(HELLO, 4_500_000).encode()
    from transcript.lint import lint_source

    tracemalloc.start()
    try:
        _, found = lint_source(Source("big.json", data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "I005" in codes(found)
    # the input bytes themselves are not counted: they exist before the lint starts
    assert peak < 4 * len(data), peak / len(data)


def test_unknown_target_is_a_usage_error() -> None:
    with pytest.raises(ValueError, match="unknown target"):
        lint_request(HELLO, target="azure")


def test_a_lone_surrogate_escape_is_x004_whatever_the_file_size() -> None:
    """Regression: files from 4 MB on are parsed by the stdlib, which accepts "\\ud800";
    a 5 MB request with one linted clean while a small one was X004."""
    from transcript.core.jsontext import STDLIB_PARSE_FROM
    from transcript.request.lint import lint_request_text

    pad = "x" * STDLIB_PARSE_FROM
    for head in ("", pad):
        text = '{"model": "claude-sonnet-4-5\\ud800", "max_tokens": 10, "messages": [{"role": "user", "content": "' + head + '"}]}'
        found = lint_request_text(text)
        assert [(d.code, d.location.line, d.location.column) for d in found] == [("X004", 1, 29)], len(text)
    # a surrogate pair is a character, not an error, on both paths
    for head in ("", pad):
        text = '{"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": [{"role": "user", "content": "\\ud83d\\ude00' + head + '"}]}'
        assert "X004" not in [d.code for d in lint_request_text(text)]


def test_quoted_server_messages_use_the_server_numbering_and_pointers_the_body() -> None:
    from transcript.request.lint import lint_request

    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": 5}}
    request = {"model": "claude-sonnet-4-5", "max_tokens": 100, "messages": [
        {"role": "user", "content": "a"},
        {"role": "user", "content": [{"type": "text", "text": "b"}, image]},
        {"role": "assistant", "content": "x"},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "bad id!"}]},
    ]}
    found = {d.code: d for d in lint_request(request)}
    # the API merges messages 0 and 1 into one turn: body message 1 block 1 is its block 2
    assert found["V003"].location.pointer == "/messages/1/content/1/source/data"
    assert found["V003"].message.startswith("messages.0.content.2.source.data: ")
    assert found["T006"].location.pointer == "/messages/3/content/0/tool_use_id"
    assert found["T006"].message.startswith("messages.2.content.0.tool_result.tool_use_id: ")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["user", "assistant"]), min_size=1, max_size=6))
def test_renumbering_keeps_pointers_and_leaves_alternating_turns_alone(roles: list[str]) -> None:
    from transcript.request.lint import lint_request

    messages = [{"role": r, "content": [{"type": "text", "text": 5}]} for r in roles]
    found = lint_request({"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": messages})
    pointers = sorted(d.location.pointer for d in found if d.code == "V003")
    assert pointers == [f"/messages/{i}/content/0/text" for i in range(len(roles))]
    alternating = all(a != b for a, b in zip(roles, roles[1:]))
    for d in found:
        if d.code == "V003" and alternating:
            i = d.location.pointer.split("/")[2]
            assert d.message.startswith(f"messages.{i}.content.0.text:")
