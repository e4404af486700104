"""transcript.protocol.schema: validation as located V diagnostics, by jsonschema-rs and jsonschema."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from transcript.core.diagnostics import Diagnostic, Severity
from transcript.protocol.schema import (
    RESPONSE_SCHEMAS,
    SCHEMA_NAMES,
    _compiled,
    _deciding,
    _diagnose,
    _reference_errors,
    _rs_errors,
    _Unreadable,
    drop_shadowed,
    is_valid,
    load_schema,
    validate,
    validate_document,
    validator,
)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "data" / "corpus"

BASE = {"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]}


def req(**changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(BASE)
    out.update(changes)
    return out


def codes(diags: list[Diagnostic]) -> list[tuple[str, str | None]]:
    return [(d.code, d.location.pointer) for d in diags]


def test_loads_every_shipped_schema_once() -> None:
    for name in SCHEMA_NAMES:
        assert load_schema(name) is load_schema(name)
        assert validator(name) is validator(name)
        assert _compiled(name) is _compiled(name)
    with pytest.raises(ValueError):
        load_schema("nope")


def test_valid_request_has_no_diagnostics() -> None:
    assert validate(BASE, "messages-request") == []
    assert is_valid(BASE, "messages-request")


def test_unknown_field_points_at_the_key_and_suggests_a_name() -> None:
    [d] = validate(req(stop_sequence=["x"]), "messages-request")
    assert (d.code, d.name, d.severity) == ("V001", "unknown-field", Severity.ERROR)
    assert d.location.pointer == "/stop_sequence"
    assert "Extra inputs are not permitted" in d.message
    assert d.hint == "did you mean 'stop_sequences'?"


def test_pointer_tokens_are_rfc6901_escaped() -> None:
    """A key with ``/`` and ``~`` becomes ``~1`` and ``~0`` in the pointer, and is still located."""
    value = req(**{"a/b~c": 1})
    [d] = validate(value, "messages-request")
    assert d.location.pointer == "/a~1b~0c"
    text = '{"model": "m", "max_tokens": 1,\n "messages": [{"role": "user", "content": "x"}],\n  "a/b~c": 1}'
    [placed] = validate_document(text, json.loads(text), "messages-request")
    assert (placed.location.line, placed.location.column, placed.location.pointer) == (3, 3, "/a~1b~0c")


def test_document_locations_point_at_the_offending_value() -> None:
    text = '{\n  "model": "m",\n  "max_tokens": "10",\n  "messages": []\n}\n'
    [d] = validate_document(text, json.loads(text), "messages-request")
    assert (d.code, d.location.line, d.location.column, d.location.pointer) == ("V003", 3, 17, "/max_tokens")
    assert d.message == "max_tokens: expected an integer, got a string"


def test_tagged_union_errors_come_from_the_branch_the_type_names() -> None:
    """A known block type is checked against its own definition only."""
    value = req(messages=[{"role": "user", "content": [{"type": "image", "source": {"type": "base64", "data": "x"}}]}])
    [d] = validate(value, "messages-request")
    assert (d.code, d.location.pointer) == ("V002", "/messages/0/content/0/source")
    assert "media_type" in d.message
    value = req(messages=[{"role": "user", "content": [{"type": "image", "source": {"type": "path"}}]}])
    [d] = validate(value, "messages-request")
    assert (d.code, d.location.pointer) == ("V004", "/messages/0/content/0/source/type")
    assert '"path" is not one of "base64", "url", "file"' in d.message


def test_unknown_block_type_gets_one_error_with_a_suggestion() -> None:
    value = req(messages=[{"role": "user", "content": [{"type": "tool-result", "tool_use_id": "t"}]}])
    [d] = validate(value, "messages-request")
    assert codes([d]) == [("V004", "/messages/0/content/0/type")]
    assert d.hint == "did you mean 'tool_result'?"


def test_any_of_reports_the_best_branch_not_a_summary() -> None:
    """``keep`` of a clear-thinking edit is an anyOf; the error names what is wrong in it."""
    edit = {"type": "clear_thinking_20251015", "keep": {"type": "thinking_turns", "value": "two"}}
    diags = validate(req(context_management={"edits": [edit]}), "messages-request")
    assert diags
    for d in diags:
        assert "any of the given schemas" not in d.message
    assert ("V003", "/context_management/edits/0/keep/value") in codes(diags)


def test_each_keyword_maps_to_its_code() -> None:
    cases = {
        "V002": req(tool_choice={"type": "tool"}),
        "V003": req(messages="hello"),
        "V004": req(service_tier="priority"),
        "V005": req(top_p=2),
        "V006": req(tools=[{"name": "a.b", "input_schema": {"type": "object"}}]),
    }
    for code, value in cases.items():
        assert [d.code for d in validate(value, "messages-request")] == [code], code


def test_top_level_of_the_wrong_type() -> None:
    for value in ([], "x", 3, None, True):
        [d] = validate(value, "messages-request")
        assert (d.code, d.location.pointer) == ("V003", "")
        assert d.message.startswith("expected an object, got ")


def test_several_missing_fields_each_get_a_diagnostic() -> None:
    diags = validate({"model": "m"}, "messages-request")
    assert [d.message for d in diags] == [
        "missing required field 'max_tokens': Field required",
        "missing required field 'messages': Field required",
    ]


def test_diagnostics_come_in_document_order() -> None:
    value = req(
        messages=[
            {"role": "user", "content": [{"type": "text", "text": 1}]},
            {"role": "assistant", "content": 2},
        ],
        temperature=9,
    )
    pointers = [d.location.pointer for d in validate(value, "messages-request")]
    assert pointers == ["/messages/0/content/0/text", "/messages/1/content", "/temperature"]


def test_unknown_response_fields_are_warnings_and_new_types_pass() -> None:
    message = json.loads((ROOT / "samples" / "responses" / "message-text.json").read_text(encoding="utf-8"))
    assert validate(message, "message") == []
    [d] = validate(dict(message, stop_reasons="x"), "message")
    assert (d.code, d.severity, d.location.pointer) == ("V007", Severity.WARNING, "/stop_reasons")
    assert "Extra inputs" not in d.message
    future = dict(message, content=[{"type": "hologram", "frames": 3}])
    assert validate(future, "message") == []
    assert validate({"type": "brand_new_event", "payload": {}}, "stream-event") == []
    assert RESPONSE_SCHEMAS <= set(SCHEMA_NAMES)


def test_a_field_of_another_variant_is_unknown_in_this_one() -> None:
    # `tools` belongs to the `only` and `except` filters (the SDK's separate TypedDicts)
    tool = {
        "type": "web_fetch_20250910",
        "name": "web_fetch",
        "url_sources": {"client_tool_results": {"type": "none", "tools": []}},
    }
    [d] = validate(req(tools=[tool]), "messages-request")
    assert (d.code, d.location.pointer) == ("V001", "/tools/0/url_sources/client_tool_results/tools")


def test_drop_shadowed_keeps_schema_diagnostics_nobody_else_reported() -> None:
    diags = validate(req(thinking={"type": "enabled", "budget_tokens": 10}, top_k=-1), "messages-request")
    assert codes(diags) == [("V005", "/thinking/budget_tokens"), ("V005", "/top_k")]
    from transcript.core.diagnostics import Location

    semantic = Diagnostic("K001", "budget", Severity.ERROR, "too small", Location(pointer="/thinking/budget_tokens"))
    assert codes(drop_shadowed(diags, [semantic])) == [("V005", "/top_k")]


def test_a_milder_diagnostic_at_the_pointer_does_not_shadow_a_schema_error() -> None:
    from transcript.core.diagnostics import Location

    diags = validate(req(top_k=-1), "messages-request")
    mild = Diagnostic("R999", "note", Severity.WARNING, "unusual", Location(pointer="/top_k"))
    assert codes(drop_shadowed(diags, [mild])) == [("V005", "/top_k")]


def _corpus() -> list[tuple[str, Path, Any]]:
    """(schema, path, value) of every answered request and every Message of the corpus."""
    out = []
    for path in sorted(CORPUS.glob("*.json")):
        value = json.loads(path.read_text(encoding="utf-8"))
        if path.name.endswith(".request.json"):
            response = path.with_name(path.name.replace(".request.json", ".response.json"))
            if response.exists() and json.loads(response.read_text(encoding="utf-8")).get("type") != "message":
                continue  # an error answer, or another endpoint
            out.append(("completion-request" if "prompt" in value else "messages-request", path, value))
        elif path.name.endswith(".response.json") and value.get("type") == "message":
            out.append(("message", path, value))
    return out


def test_real_corpus_through_the_module() -> None:
    """Every answered request and every Message validates through both paths."""
    corpus = _corpus()
    assert len(corpus) >= 45
    for name, path, value in corpus:
        assert validate(value, name) == [], path.name
        assert validator(name).is_valid(value), path.name


# -- properties ----------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(value=json_values, name=st.sampled_from(SCHEMA_NAMES))
@example(value={"\u00b9": None}, name="messages-request")  # a key that str.isdigit() calls a digit
def test_validate_never_raises_and_agrees_with_jsonschema(value: Any, name: str) -> None:
    diags = validate(value, name)
    assert all(isinstance(d, Diagnostic) and d.code.startswith("V") for d in diags)
    assert (diags == []) == validator(name).is_valid(value)
    assert _compiled(name).is_valid(value) == validator(name).is_valid(value)
    assert _deciding(name).is_valid(value) == _compiled(name).is_valid(value)  # the type switches made trees
    _agree(value, name)


def _bases() -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for path in sorted((ROOT / "samples" / "requests" / "valid").glob("*.json")):
        out.append(("messages-request", json.loads(path.read_text(encoding="utf-8"))))
    for path in sorted((ROOT / "samples" / "responses").glob("*.json")):
        out.append(("message", json.loads(path.read_text(encoding="utf-8"))))
    out.extend((name, value) for name, path, value in _corpus() if path.stat().st_size < 20_000)
    return out


BASES = _bases()
WORDS = ["", "text", "image", "tool_use", "base64", "url", "ephemeral", "1h", "toolu_01", "a b", "enabled", "user"]
SCALARS = st.none() | st.booleans() | st.integers(-5, 5000) | st.floats(-2, 2) | st.sampled_from(WORDS)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, Any]:
    """A valid document with one random change somewhere inside it."""
    name, base = draw(st.sampled_from(BASES))
    doc = copy.deepcopy(base)
    node: Any = doc
    for _ in range(draw(st.integers(0, 8))):
        if isinstance(node, dict):
            children = list(node.items())
        elif isinstance(node, list):
            children = list(enumerate(node))
        else:
            children = []
        children = [(k, v) for k, v in children if isinstance(v, (dict, list))]
        if not children:
            break
        _, node = draw(st.sampled_from(children))
    action = draw(st.sampled_from(["replace", "delete", "add"]))
    if isinstance(node, dict) and node:
        key = draw(st.sampled_from(sorted(node)))
        if action == "delete":
            del node[key]
        elif action == "add":
            new_key = draw(st.sampled_from(["extra", "type", "text", "cache_control", "citations", "caller"]))
            node[new_key] = draw(SCALARS)
        else:
            node[key] = draw(SCALARS | json_values)
    elif isinstance(node, list) and node:
        i = draw(st.integers(0, len(node) - 1))
        if action == "delete":
            del node[i]
        else:
            node[i] = draw(SCALARS | json_values)
    return name, doc


def _described(errors: Any) -> list[tuple[Any, ...]]:
    """(path, keyword, the keyword's value, the branches described) of each error, sorted."""
    return sorted(
        (
            tuple(map(str, e.path)),
            e.keyword,
            json.dumps(e.expected, sort_keys=True),
            json.dumps(_short_value(e.instance)),
            tuple(tuple(_described(b)) for b in e.branches),
        )
        for e in errors
    )


def _short_value(value: Any) -> Any:
    return type(value).__name__ if isinstance(value, (dict, list)) else value


def _agree(value: Any, name: str) -> None:
    """jsonschema-rs and jsonschema find the same errors, and they give the same diagnostics."""
    try:
        ours = _rs_errors(value, name)
    except _Unreadable:  # a member named like a number on the way: validate asks jsonschema
        return
    reference = _reference_errors(value, name)
    assert _described(ours) == _described(reference)
    assert _diagnose(ours, name) == _diagnose(reference, name)


def _has_string_ending_a_line(value: Any) -> bool:
    if isinstance(value, str):
        return value.endswith("\n")
    if isinstance(value, dict):
        return any(_has_string_ending_a_line(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_string_ending_a_line(v) for v in value)
    return False


@settings(max_examples=200, deadline=None)
@given(case=mutated())
def test_fast_path_agrees_with_jsonschema_on_near_valid_documents(case: tuple[str, Any]) -> None:
    """jsonschema-rs gives jsonschema's verdict and its errors, so the same diagnostics.

    One known difference is left out: a ``pattern`` ending in ``$`` accepts a string that
    ends in a newline under Python's ``re`` (jsonschema) but not under the ECMA 262 regular
    expressions JSON Schema specifies (jsonschema-rs; see the test below).
    """
    name, doc = case
    assume(not _has_string_ending_a_line(doc))
    assert _compiled(name).is_valid(doc) == validator(name).is_valid(doc)
    assert _deciding(name).is_valid(doc) == _compiled(name).is_valid(doc)
    _agree(doc, name)
    for d in validate(doc, name):
        assert "any of the given schemas" not in d.message
        assert d.location.pointer is not None


def test_huge_and_deep_values_are_described_not_dumped() -> None:
    """Messages quote a few characters of a long string and only the kind of a container."""
    deep: Any = "x"
    for _ in range(900):
        deep = [deep]
    [d] = validate(req(messages=[{"role": deep, "content": "x"}]), "messages-request")
    assert d.message == "messages.0.role: an array is not one of \"user\", \"assistant\", \"system\""
    for _ in range(100_000):
        deep = [deep]
    # Deeper than Python can print: still a diagnostic, never an exception.
    assert [d.code for d in validate(req(messages=[{"role": deep, "content": "x"}]), "messages-request")] == ["V008"]
    [d] = validate(req(service_tier="p" * 1_000_000), "messages-request")
    assert d.code == "V004" and len(d.message) < 200
    assert validate(req(metadata={"user_id": "u", "nested": deep}), "messages-request")[0].code == "V001"


def test_errors_never_carry_the_offending_value_in_full() -> None:
    """jsonschema-rs would write a failing list into its message: 100,001 messages made a
    3 MB string, three times the request, for one ``maxItems`` error."""
    many = [{"role": "user", "content": "hello"}] * 100_001
    [error] = _rs_errors(req(messages=many), "messages-request")
    assert error.keyword == "maxItems"
    assert error.message == "an array has more than 100000 items"  # the value named by its kind
    [d] = validate(req(messages=many), "messages-request")
    assert d.message == "messages: should have at most 100000 items, has 100001"


def test_integers_beyond_64_bits_are_judged_exactly() -> None:
    assert validate(req(max_tokens=2**80), "messages-request") == []
    diags = validate(req(top_k=-(2**70), temperature=10**400), "messages-request")
    assert codes(diags) == [("V005", "/temperature"), ("V005", "/top_k")]
    assert diags[1].message == f"top_k: Input should be greater than or equal to 0, got {-(2**70)}"


@pytest.mark.parametrize("depth", [300, 1024])
def test_values_jsonschema_rs_cannot_hand_back_are_explained_by_jsonschema(depth: int) -> None:
    """jsonschema-rs raises on an error whose value nests deeper than about 255 levels."""
    nested: Any = {}
    for _ in range(depth):
        nested = {"a": nested}
    [d] = validate(req(metadata={"user_id": "u", "nested": nested}), "messages-request")
    assert (d.code, d.location.pointer) == ("V001", "/metadata/nested")
    block = {"type": "tool_use", "id": "t", "name": "n", "input": nested}
    assert validate(req(messages=[{"role": "user", "content": [block]}]), "messages-request") == []
    diags = validate(req(service_tier=nested, top_p=2), "messages-request")
    if depth < 900:  # deeper than Python can print: jsonschema's message cannot be written
        assert codes(diags) == [("V004", "/service_tier"), ("V005", "/top_p")]
    else:
        assert [d.code for d in diags] == ["V008"]


def test_strings_jsonschema_rs_cannot_take_are_explained_by_jsonschema() -> None:
    """A lone surrogate (``json.loads`` makes one of ``"\\ud800"``) is no Rust string."""
    [d] = validate(req(service_tier="\udc00x", model="\ud800"), "messages-request")
    assert (d.code, d.location.pointer) == ("V004", "/service_tier")


def test_member_names_that_read_as_numbers_are_located_exactly() -> None:
    """jsonschema-rs calls the member ``"07"`` 7; the pointer keeps the name."""
    toolset = {"type": "mcp_toolset", "mcp_server_name": "s", "configs": {"07": {"enabled": "yes"}, "7": {}}}
    [d] = validate(req(tools=[toolset]), "messages-request")
    assert (d.code, d.location.pointer) == ("V003", "/tools/0/configs/07/enabled")
    toolset["configs"] = {"07": {}, "7": {"enabled": "yes"}}
    [d] = validate(req(tools=[toolset]), "messages-request")
    assert (d.code, d.location.pointer) == ("V003", "/tools/0/configs/7/enabled")


def test_patterns_are_ecma_262_regular_expressions() -> None:
    """As JSON Schema says (and as the API judges): ``$`` does not match before a final newline."""
    value = req(tools=[{"name": "get_weather\n", "input_schema": {"type": "object"}}])
    [d] = validate(value, "messages-request")
    assert (d.code, d.location.pointer) == ("V006", "/tools/0/name")
    assert validator("messages-request").is_valid(value)  # Python's re, in jsonschema, differs


def test_schemas_are_found_in_a_source_checkout(monkeypatch, tmp_path) -> None:
    """Regression: from the repository root `python -m transcript lint` imports the source
    folder, which has no transcript._schemas package: an internal ModuleNotFoundError.  The
    schemas are then read from schemas/ beside the package."""
    import transcript.protocol.schema as schema_module

    (tmp_path / "transcript" / "protocol").mkdir(parents=True)
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "message.schema.json").write_text('{"title": "source copy"}', encoding="utf-8")
    monkeypatch.setattr(schema_module, "_PACKAGE", "transcript._no_such_package")
    monkeypatch.setattr(schema_module, "__file__", str(tmp_path / "transcript" / "protocol" / "schema.py"))
    assert schema_module.load_schema.__wrapped__("message") == {"title": "source copy"}
