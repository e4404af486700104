"""Header-only fields in a body (R016) and beta-only features without their beta (R017)."""

from __future__ import annotations

import pytest
from rules_helpers import body

from transcript.request.context import LintOptions
from transcript.request.lint import lint_request_text, lint_request_value


def lint(value: dict, **options: object) -> list[tuple[str, str | None]]:
    return [(d.code, d.location.pointer) for d in lint_request_value(value, LintOptions(**options))]  # type: ignore[arg-type]


@pytest.mark.parametrize(("field", "header"), [("betas", "anthropic-beta"), ("user_profile_id", "anthropic-user-profile-id"),
                                               ("workspace_id", "anthropic-workspace-id")])
def test_a_header_field_in_the_body_says_where_it_belongs(field: str, header: str) -> None:
    value = ["x"] if field == "betas" else "x"
    found = lint_request_value(body(**{field: value}), LintOptions())
    assert [(d.code, d.location.pointer) for d in found] == [("R016", f"/{field}")]  # the V001 is shadowed
    assert f"`{header}` HTTP header" in found[0].message


def test_beta_features_are_judged_only_when_the_headers_are_known() -> None:
    request = body(fallback_credit_token={"token": "t"})
    assert lint(request) == []  # a bare body: the headers are not known
    assert lint(request, betas=["other-beta"]) == [("R017", "/fallback_credit_token")]
    assert lint(request, betas=["fallback-credit-2026-07-01"]) == []
    assert lint(request, headers={"anthropic-beta": "a,fallback-credit-2026-07-01"}) == []


def test_each_beta_feature_names_its_header() -> None:
    request = body(
        speed="fast",
        fallbacks=[{"model": "claude-opus-4-8", "max_tokens": 10}],
        tools=[{"type": "computer_20250124", "name": "computer", "display_width_px": 800, "display_height_px": 600}],
        messages=[{"role": "user", "content": [
            {"type": "text", "text": "hi"},
            {"type": "tool_addition", "tool": {"type": "tool_definition", "definition": {
                "type": "mcp_toolset", "mcp_server_name": "s"}}},
        ]}],
    )
    found = lint_request_value(request, LintOptions(betas=["x"]))
    needs = {(d.location.pointer, d.hint) for d in found if d.code == "R017"}
    assert needs == {
        ("/speed", "send 'anthropic-beta: fast-mode-2026-02-01'"),
        ("/fallbacks/0/max_tokens", "send 'anthropic-beta: server-side-fallback-2026-07-01'"),
        ("/tools/0", "send 'anthropic-beta: computer-use-2025-01-24'"),
        ("/messages/0/content/1/tool", "send 'anthropic-beta: inline-tools-2026-09-15'"),
        ("/messages/0/content/1/tool/definition", "send 'anthropic-beta: mcp-client-2026-09-15'"),
        ("/messages/0/content/1", "send 'anthropic-beta: mid-conversation-tool-changes-2026-07-01'"),
        ("/fallbacks", "send 'anthropic-beta: server-side-fallback-2026-07-01'"),
    }


def test_any_version_of_a_named_beta_turns_its_feature_on() -> None:
    server = {"type": "url", "name": "s", "url": "https://mcp.example/sse"}
    request = body(mcp_servers=[server])
    [d] = lint_request_value(request, LintOptions(betas=["x"]))
    assert d.code == "R017" and "`mcp-client-2026-09-15` beta (or `mcp-client-2025-04-04`, `mcp-client-2025-11-20`)" in d.message
    assert lint(request, betas=["mcp-client-2025-04-04"]) == []
    system = body(model="claude-opus-4-8",
                  messages=[{"role": "user", "content": "x"}, {"role": "system", "content": "y", "clear_at": "never"}])
    assert lint(system, betas=["x"]) == [("R017", "/messages/1/clear_at")]


def test_located_in_text() -> None:
    text = '{"model": "claude-sonnet-4-5", "max_tokens": 8,\n "betas": ["a"], "messages": [{"role": "user", "content": "x"}]}'
    [d] = lint_request_text(text)
    assert (d.code, d.location.line) == ("R016", 2)
