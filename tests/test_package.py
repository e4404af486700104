"""The package's public surface: every exported name resolves, and data ships inside it."""

from __future__ import annotations

import json
from importlib import resources

import transcript


def test_every_exported_name_resolves() -> None:
    """Each name in transcript.__all__ can be imported (the lazy ones load on first use)."""
    for name in transcript.__all__:
        assert getattr(transcript, name) is not None, name


def test_grammar_schemas_and_model_data_ship_inside_the_package() -> None:
    """The grammar, the schemas and the model table are package data, readable when installed."""
    assert "Human" in resources.files("transcript._grammar").joinpath("prompt.lark").read_text(encoding="utf-8")
    names = {p.name for p in resources.files("transcript._schemas").iterdir() if p.name.endswith(".schema.json")}
    assert {"messages-request.schema.json", "message.schema.json", "stream-event.schema.json"} <= names
    models = json.loads(resources.files("transcript.protocol").joinpath("models.json").read_text(encoding="utf-8"))
    assert models


def test_library_lint_request_is_exported() -> None:
    """transcript.lint_request judges a request body from its text, with line and column."""
    (d,) = transcript.lint_request('{"model": "claude-sonnet-4-5", "max_tokens": 1, "messages": []}')
    assert (d.code, d.location.pointer, d.location.line) == ("R001", "/messages", 1)
