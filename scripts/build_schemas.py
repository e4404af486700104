"""Generate the JSON Schemas in ``schemas/`` from one Python description.

The four Messages schemas share most of their definitions (citations, response content
blocks, usage...), and each schema file must stand on its own (no cross-file ``$ref``,
so any validator can use it offline).  Writing the definitions once here and emitting
each file keeps them in step; ``tests/test_schemas.py`` checks the committed files are
what this script produces.

    python scripts/build_schemas.py          # rewrite schemas/*.schema.json
    python scripts/build_schemas.py --check  # exit 1 if a file is out of date

Conventions used throughout:

* Request objects are closed (``additionalProperties: false``), as on the server, which
  answers an unknown field with ``Extra inputs are not permitted``.
* Response objects of a *known* type are closed too, but an unknown ``type`` of content
  block, delta or event is accepted: the API promises to add new ones.
* Tagged unions dispatch on ``type`` with ``if``/``then``, so a validator reports the
  errors of the one branch the ``type`` names, never "not valid under any of the given
  schemas".  Optional fields the SDK types as ``Optional[...]`` also accept ``null``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transcript.protocol.vocabulary import (  # noqa: E402 - the checkout's own package
    BLOCK_TYPES,
    DELTA_TYPES,
    EVENT_TYPES,
    SERVER_TOOL_NAMES,
    STOP_REASONS,
    USAGE_OPTIONAL,
)

OUT = ROOT / "schemas"
BASE_ID = "https://transcript.dev/schemas/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

Schema = dict[str, Any]

# -- small builders ---------------------------------------------------------------------

STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
COUNT: Schema = {"type": "integer", "minimum": 0}
BOOL: Schema = {"type": "boolean"}
OBJECT: Schema = {"type": "object"}  # a free-form JSON object (tool input, a user's JSON Schema)
ANY: Schema = {}


def nullable(schema: Schema) -> Schema:
    """The same schema, also accepting ``null`` (only for schemas with a ``type``)."""
    out = dict(schema)
    kind = out["type"]
    kinds = kind if isinstance(kind, list) else [kind]
    out["type"] = [*kinds, "null"] if "null" not in kinds else kinds
    return out


def const(value: str) -> Schema:
    return {"const": value}


def enum(*values: Any) -> Schema:
    return {"enum": list(values)}


def nenum(*values: Any) -> Schema:
    """An enum that also accepts ``null``."""
    return {"enum": [*values, None]}


def ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def def_name(tag: str, suffix: str = "") -> str:
    """The ``$defs`` name of a union member: ``mcp_tool_use`` -> ``McpToolUseBlock``."""
    return "".join(part.capitalize() for part in tag.split("_")) + suffix


def array(items: Schema, **extra: Any) -> Schema:
    return {"type": "array", "items": items, **extra}


def obj(
    required: dict[str, Schema],
    optional: dict[str, Schema] | None = None,
    *,
    description: str | None = None,
    nullable_object: bool = False,
    one_of_fields: tuple[str, ...] = (),
) -> Schema:
    """A closed object: these properties and no others (and at least one of ``one_of_fields``)."""
    out: Schema = {"type": ["object", "null"] if nullable_object else "object"}
    if description:
        out["description"] = description
    out["properties"] = {**required, **(optional or {})}
    if required:
        out["required"] = list(required)
    out["additionalProperties"] = False
    if one_of_fields:
        # each alternative present and not empty (an empty `{}` counts only beside content)
        out["anyOf"] = [
            {"required": [name], "properties": {name: {"minProperties": 1}}} if name == "output_config"
            else {"required": [name]}
            for name in one_of_fields
        ]
    return out


def tagged(required: dict[str, Schema], optional: dict[str, Schema] | None = None, **kw: Any) -> Schema:
    """A closed object whose ``type`` is fixed by the union that dispatches to it."""
    return obj(required, optional, **kw)


def union(
    variants: dict[str, str],
    *,
    open_world: bool,
    description: str | None = None,
    field: str = "type",
    nullable_union: bool = False,
) -> Schema:
    """Dispatch on ``field`` to ``$defs`` by name.

    ``open_world`` unions (response blocks, deltas, events) accept any other string
    ``type`` without further checks; closed ones (requests) reject it with an ``enum``
    error naming the known values.
    """
    out: Schema = {"type": ["object", "null"] if nullable_union else "object"}
    if description:
        out["description"] = description
    out["required"] = [field]
    out["properties"] = {field: STR if open_world else enum(*variants)}
    guard: Schema = {"type": "object"} if nullable_union else {}
    out["allOf"] = [
        {"if": {**guard, "properties": {field: const(tag)}, "required": [field]}, "then": ref(name)}
        for tag, name in variants.items()
    ]
    return out


def or_null(schema: Schema) -> Schema:
    """A ``$ref`` (or any schema) that also accepts ``null``."""
    return {"anyOf": [schema, {"type": "null"}]}


def text_or_blocks(block: Schema) -> Schema:
    """A string, or an array of blocks (``items`` only applies to arrays)."""
    return {"type": ["string", "array"], "items": block}


CACHE_CONTROL = obj(
    {"type": const("ephemeral")},
    {"ttl": enum("5m", "1h")},
    nullable_object=True,
    description="A prompt-cache breakpoint. `ttl` defaults to 5m.",
)

CALLER_VARIANTS = {
    "direct": "DirectCaller",
    "code_execution_20250825": "CodeExecutionCaller",
    "code_execution_20260120": "CodeExecutionCaller20260120",
    "code_execution_20260521": "CodeExecutionCaller20260521",
}

CALLERS = ["direct", "code_execution_20250825", "code_execution_20260120", "code_execution_20260521"]

TOOL_ID = {"type": "string", "pattern": "^[a-zA-Z0-9_-]+$"}

#: Why the server dropped (or kept) a thinking block whose binding did not match (beta).
THINKING_BINDING_MISMATCHES = (
    "end_user_binding_mismatch",
    "model_binding_mismatch",
    "organization_binding_mismatch",
    "prefix_binding_mismatch",
)

ERROR_CODES = {
    "web_search": (
        "invalid_tool_input",
        "unavailable",
        "max_uses_exceeded",
        "too_many_requests",
        "query_too_long",
        "request_too_large",
    ),
    "web_fetch": (
        "invalid_tool_input",
        "url_too_long",
        "url_not_allowed",
        "url_not_in_prior_context",
        "url_not_accessible",
        "unsupported_content_type",
        "too_many_requests",
        "max_uses_exceeded",
        "unavailable",
        "content_too_large",
    ),
    "code_execution": ("invalid_tool_input", "unavailable", "too_many_requests", "execution_time_exceeded"),
    "bash_code_execution": (
        "invalid_tool_input",
        "unavailable",
        "too_many_requests",
        "execution_time_exceeded",
        "output_file_too_large",
    ),
    "text_editor_code_execution": (
        "invalid_tool_input",
        "unavailable",
        "too_many_requests",
        "execution_time_exceeded",
        "file_not_found",
    ),
    "tool_search": ("invalid_tool_input", "unavailable", "too_many_requests", "execution_time_exceeded"),
    "advisor": (
        "max_uses_exceeded",
        "prompt_too_long",
        "too_many_requests",
        "overloaded",
        "unavailable",
        "execution_time_exceeded",
        "model_not_found",
    ),
}

# -- definitions shared by requests and responses ---------------------------------------


def shared_defs(req: bool) -> dict[str, Schema]:
    """Citations, callers and server-tool result contents.

    ``req`` selects the request flavour (cache_control allowed, closed unions) or the
    response flavour (no cache_control; citations may carry ``file_id``; open unions).
    """
    cc = {"cache_control": ref("CacheControl")} if req else {}
    file_id = {"file_id": nullable(STR)}  # the SDK's request citations carry it too
    doc_common = {"cited_text": STR, "document_index": COUNT, "document_title": nullable(STR)}
    d: dict[str, Schema] = {}
    d["CharLocationCitation"] = tagged(
        {"type": const("char_location"), **doc_common, "start_char_index": COUNT, "end_char_index": COUNT},
        file_id,
    )
    d["PageLocationCitation"] = tagged(
        {"type": const("page_location"), **doc_common, "start_page_number": INT, "end_page_number": INT},
        file_id,
    )
    d["ContentBlockLocationCitation"] = tagged(
        {"type": const("content_block_location"), **doc_common, "start_block_index": COUNT, "end_block_index": COUNT},
        file_id,
    )
    d["WebSearchResultLocationCitation"] = tagged(
        {"type": const("web_search_result_location"), "cited_text": STR, "encrypted_index": STR,
         "title": nullable(STR), "url": STR}
    )
    d["SearchResultLocationCitation"] = tagged(
        {"type": const("search_result_location"), "cited_text": STR, "search_result_index": COUNT,
         "source": STR, "title": nullable(STR), "start_block_index": COUNT, "end_block_index": COUNT}
    )
    d["Citation"] = union(
        {
            "char_location": "CharLocationCitation",
            "page_location": "PageLocationCitation",
            "content_block_location": "ContentBlockLocationCitation",
            "web_search_result_location": "WebSearchResultLocationCitation",
            "search_result_location": "SearchResultLocationCitation",
        },
        open_world=not req,
        description="Where a span of generated text comes from.",
    )
    d["TextOnlyBlock"] = union(
        {"text": "TextBlock"}, open_world=not req, description="A text block (the only type allowed here)."
    )
    d["DirectCaller"] = tagged({"type": const("direct")})
    d["CodeExecutionCaller"] = tagged({"type": const("code_execution_20250825"), "tool_id": STR})
    d["CodeExecutionCaller20260120"] = tagged({"type": const("code_execution_20260120"), "tool_id": STR})
    d["CodeExecutionCaller20260521"] = tagged({"type": const("code_execution_20260521"), "tool_id": STR})
    d["Caller"] = union(
        CALLER_VARIANTS,
        open_world=not req,
        nullable_union=True,
        description="Who called a tool: the model directly or code execution (`null` where the SDK says Optional).",
    )

    # server-tool result contents
    d["WebSearchResult"] = tagged(
        {"type": const("web_search_result"), "url": STR, "title": STR, "encrypted_content": STR},
        {"page_age": nullable(STR)},
    )
    d["WebSearchToolResultError"] = tagged(
        {"type": const("web_search_tool_result_error"), "error_code": enum(*ERROR_CODES["web_search"])}
    )
    d["WebSearchToolResultContent"] = {
        "description": "A list of search results, or an error object.",
        "type": ["array", "object"],
        "items": ref("WebSearchResult"),
        "allOf": [{"if": {"type": "object"}, "then": ref("WebSearchToolResultError")}],
    }
    d["WebFetchResult"] = tagged(
        {"type": const("web_fetch_result"), "url": STR, "content": ref("DocumentBlock")},
        {"retrieved_at": nullable(STR)},
    )
    d["WebFetchToolResultError"] = tagged(
        {"type": const("web_fetch_tool_result_error"), "error_code": enum(*ERROR_CODES["web_fetch"])}
    )
    d["WebFetchToolResultContent"] = union(
        {"web_fetch_result": "WebFetchResult", "web_fetch_tool_result_error": "WebFetchToolResultError"},
        open_world=not req,
    )
    d["CodeExecutionOutput"] = tagged({"type": const("code_execution_output"), "file_id": STR})
    d["CodeExecutionResult"] = tagged(
        {"type": const("code_execution_result"), "stdout": STR, "stderr": STR, "return_code": INT,
         "content": array(ref("CodeExecutionOutput"))}
    )
    d["EncryptedCodeExecutionResult"] = tagged(
        {"type": const("encrypted_code_execution_result"), "encrypted_stdout": STR, "stderr": STR,
         "return_code": INT, "content": array(ref("CodeExecutionOutput"))}
    )
    d["CodeExecutionToolResultError"] = tagged(
        {"type": const("code_execution_tool_result_error"), "error_code": enum(*ERROR_CODES["code_execution"])}
    )
    d["CodeExecutionToolResultContent"] = union(
        {
            "code_execution_result": "CodeExecutionResult",
            "encrypted_code_execution_result": "EncryptedCodeExecutionResult",
            "code_execution_tool_result_error": "CodeExecutionToolResultError",
        },
        open_world=not req,
    )
    d["BashCodeExecutionOutput"] = tagged({"type": const("bash_code_execution_output"), "file_id": STR})
    d["BashCodeExecutionResult"] = tagged(
        {"type": const("bash_code_execution_result"), "stdout": STR, "stderr": STR, "return_code": INT,
         "content": array(ref("BashCodeExecutionOutput"))}
    )
    d["BashCodeExecutionToolResultError"] = tagged(
        {"type": const("bash_code_execution_tool_result_error"),
         "error_code": enum(*ERROR_CODES["bash_code_execution"])}
    )
    d["BashCodeExecutionToolResultContent"] = union(
        {
            "bash_code_execution_result": "BashCodeExecutionResult",
            "bash_code_execution_tool_result_error": "BashCodeExecutionToolResultError",
        },
        open_world=not req,
    )
    d["TextEditorViewResult"] = tagged(
        {"type": const("text_editor_code_execution_view_result"), "content": STR,
         "file_type": enum("text", "image", "pdf")},
        {"num_lines": nullable(INT), "start_line": nullable(INT), "total_lines": nullable(INT)},
    )
    d["TextEditorCreateResult"] = tagged(
        {"type": const("text_editor_code_execution_create_result"), "is_file_update": BOOL}
    )
    d["TextEditorStrReplaceResult"] = tagged(
        {"type": const("text_editor_code_execution_str_replace_result")},
        {"lines": nullable(array(STR)), "new_lines": nullable(INT), "new_start": nullable(INT),
         "old_lines": nullable(INT), "old_start": nullable(INT)},
    )
    d["TextEditorToolResultError"] = tagged(
        {"type": const("text_editor_code_execution_tool_result_error"),
         "error_code": enum(*ERROR_CODES["text_editor_code_execution"])},
        {"error_message": nullable(STR)},
    )
    d["TextEditorCodeExecutionToolResultContent"] = union(
        {
            "text_editor_code_execution_view_result": "TextEditorViewResult",
            "text_editor_code_execution_create_result": "TextEditorCreateResult",
            "text_editor_code_execution_str_replace_result": "TextEditorStrReplaceResult",
            "text_editor_code_execution_tool_result_error": "TextEditorToolResultError",
        },
        open_world=not req,
    )
    d["ToolReferenceBlock"] = tagged({"type": const("tool_reference"), "tool_name": STR}, dict(cc))
    d["ToolSearchResult"] = tagged(
        {"type": const("tool_search_tool_search_result"), "tool_references": array(ref("ToolReferenceBlock"))}
    )
    d["ToolSearchToolResultError"] = tagged(
        {"type": const("tool_search_tool_result_error"), "error_code": enum(*ERROR_CODES["tool_search"])},
        {"error_message": nullable(STR)},
    )
    d["ToolSearchToolResultContent"] = union(
        {
            "tool_search_tool_search_result": "ToolSearchResult",
            "tool_search_tool_result_error": "ToolSearchToolResultError",
        },
        open_world=not req,
    )
    d["AdvisorResult"] = tagged({"type": const("advisor_result"), "text": STR}, {"stop_reason": nullable(STR)})
    d["AdvisorRedactedResult"] = tagged(
        {"type": const("advisor_redacted_result"), "encrypted_content": STR}, {"stop_reason": nullable(STR)}
    )
    d["AdvisorToolResultError"] = tagged(
        {"type": const("advisor_tool_result_error"), "error_code": enum(*ERROR_CODES["advisor"])}
    )
    d["AdvisorToolResultContent"] = union(
        {
            "advisor_result": "AdvisorResult",
            "advisor_redacted_result": "AdvisorRedactedResult",
            "advisor_tool_result_error": "AdvisorToolResultError",
        },
        open_world=not req,
    )

    # blocks whose shape is the same on both sides except for cache_control / caller
    caller = {"caller": ref("Caller")}
    d["ThinkingBlock"] = tagged({"type": const("thinking"), "thinking": STR, "signature": STR})
    d["RedactedThinkingBlock"] = tagged({"type": const("redacted_thinking"), "data": STR})
    d["ServerToolUseBlock"] = tagged(
        {"type": const("server_tool_use"), "id": TOOL_ID if req else STR,
         "name": enum(*SERVER_TOOL_NAMES) if req else STR, "input": OBJECT},
        {**cc, **caller},
    )
    d["WebSearchToolResultBlock"] = tagged(
        {"type": const("web_search_tool_result"), "tool_use_id": TOOL_ID if req else STR,
         "content": ref("WebSearchToolResultContent")},
        {**cc, **caller},
    )
    d["WebFetchToolResultBlock"] = tagged(
        {"type": const("web_fetch_tool_result"), "tool_use_id": TOOL_ID if req else STR,
         "content": ref("WebFetchToolResultContent")},
        {**cc, **caller},
    )
    for tag, name, content in (
        ("code_execution_tool_result", "CodeExecutionToolResultBlock", "CodeExecutionToolResultContent"),
        ("bash_code_execution_tool_result", "BashCodeExecutionToolResultBlock", "BashCodeExecutionToolResultContent"),
        (
            "text_editor_code_execution_tool_result",
            "TextEditorCodeExecutionToolResultBlock",
            "TextEditorCodeExecutionToolResultContent",
        ),
        ("tool_search_tool_result", "ToolSearchToolResultBlock", "ToolSearchToolResultContent"),
        ("advisor_tool_result", "AdvisorToolResultBlock", "AdvisorToolResultContent"),
    ):
        d[name] = tagged(
            {"type": const(tag), "tool_use_id": TOOL_ID if req else STR, "content": ref(content)}, dict(cc)
        )
    d["ContainerUploadBlock"] = tagged({"type": const("container_upload"), "file_id": STR}, dict(cc))
    d["McpToolUseBlock"] = tagged(
        {"type": const("mcp_tool_use"), "id": TOOL_ID if req else STR, "name": STR, "server_name": STR,
         "input": OBJECT},
        dict(cc),
    )
    d["McpToolResultBlock"] = tagged(
        {"type": const("mcp_tool_result"), "tool_use_id": TOOL_ID if req else STR},
        {"content": text_or_blocks(ref("TextOnlyBlock")), "is_error": BOOL, **cc},
    )
    # tool_addition / tool_removal: in a request's messages (user, assistant and system) and
    # in a compaction block's `tool_changes`, which the SDK says to send back unchanged
    d["ToolChangeToolReference"] = tagged({"type": const("tool_reference"), "name": STR})
    d["ToolChangeMcpToolReference"] = tagged({"type": const("mcp_tool_reference"), "name": STR, "server_name": STR})
    d["ToolChangeMcpToolsetReference"] = tagged({"type": const("mcp_toolset_reference"), "server_name": STR})
    removal = {
        "tool_reference": "ToolChangeToolReference",
        "mcp_tool_reference": "ToolChangeMcpToolReference",
        "mcp_toolset_reference": "ToolChangeMcpToolsetReference",
    }
    d["ToolRemovalTarget"] = union(removal, open_world=not req, description="The tool a `tool_removal` removes.")
    # In a compaction block the server wrote the tool definitions (with nulls where the SDK's
    # response models say Optional) and the SDK sends them back as they came: free-form here.
    d["EchoedToolDefinition"] = tagged({"type": const("tool_definition"), "definition": OBJECT})
    d["EchoedToolAdditionTarget"] = union(
        {**removal, "tool_definition": "EchoedToolDefinition"}, open_world=not req,
        description="The tool a compaction's `tool_addition` adds.",
    )
    d["CompactionToolAddition"] = tagged(
        {"type": const("tool_addition"), "tool": ref("EchoedToolAdditionTarget")}, dict(cc)
    )
    d["CompactionToolRemoval"] = tagged({"type": const("tool_removal"), "tool": ref("ToolRemovalTarget")}, dict(cc))
    d["ToolChange"] = union(
        {"tool_addition": "CompactionToolAddition", "tool_removal": "CompactionToolRemoval"},
        open_world=not req,
        description="An entry of a compaction block's `tool_changes` (beta): send it back unchanged.",
    )
    d["CompactionBlock"] = tagged(
        {"type": const("compaction")},
        {"content": nullable(STR), "encrypted_content": nullable(STR), "signature": nullable(STR),
         "tool_changes": nullable(array(ref("ToolChange"))), **cc},
        description="A summary of earlier turns written by server-side compaction (beta).",
    )
    d["McpToolDefinition"] = obj({"name": STR, "input_schema": OBJECT}, {"description": nullable(STR)})
    d["McpToolListingBlock"] = tagged(
        {"type": const("mcp_tool_listing"), "mcp_server_name": STR, "tools": array(ref("McpToolDefinition"))}
    )
    d["FallbackBlock"] = tagged(
        {"type": const("fallback"), "from": obj({"model": STR}), "to": obj({"model": STR})},
        {"trigger": ANY},
        description="Marks where the conversation switched to a fallback model (beta).",
    )
    return d


# -- requests ---------------------------------------------------------------------------

INPUT_BLOCKS = {
    "text": "TextBlock",
    "image": "ImageBlock",
    "document": "DocumentBlock",
    "search_result": "SearchResultBlock",
    "thinking": "ThinkingBlock",
    "redacted_thinking": "RedactedThinkingBlock",
    "tool_use": "ToolUseBlock",
    "tool_result": "ToolResultBlock",
    "server_tool_use": "ServerToolUseBlock",
    "web_search_tool_result": "WebSearchToolResultBlock",
    "web_fetch_tool_result": "WebFetchToolResultBlock",
    "code_execution_tool_result": "CodeExecutionToolResultBlock",
    "bash_code_execution_tool_result": "BashCodeExecutionToolResultBlock",
    "text_editor_code_execution_tool_result": "TextEditorCodeExecutionToolResultBlock",
    "tool_search_tool_result": "ToolSearchToolResultBlock",
    "container_upload": "ContainerUploadBlock",
    # beta
    "advisor_tool_result": "AdvisorToolResultBlock",
    "mcp_tool_use": "McpToolUseBlock",
    "mcp_tool_result": "McpToolResultBlock",
    "compaction": "CompactionBlock",
    "tool_addition": "ToolAdditionBlock",
    "tool_removal": "ToolRemovalBlock",
    "mcp_tool_listing": "McpToolListingBlock",
    "fallback": "FallbackBlock",
}

TOOL_RESULT_CONTENT = {
    "text": "TextBlock",
    "image": "ImageBlock",
    "search_result": "SearchResultBlock",
    "document": "DocumentBlock",
    "tool_reference": "ToolReferenceBlock",
    "browser_state": "BrowserStateBlock",
}


def tool_common(*, examples: bool = True) -> dict[str, Schema]:
    out: dict[str, Schema] = {
        "allowed_callers": array(enum(*CALLERS)),
        "cache_control": ref("CacheControl"),
        "defer_loading": BOOL,
        "strict": BOOL,
    }
    if examples:
        out["input_examples"] = array(OBJECT)
    return out


def request_tool_defs() -> tuple[dict[str, Schema], dict[str, str]]:
    d: dict[str, Schema] = {}
    variants: dict[str, str] = {}

    def fixed(type_: str | tuple[str, ...], name: str | None, defname: str, extra: dict[str, Schema] | None = None,
              examples: bool = True, required: dict[str, Schema] | None = None) -> None:
        types = (type_,) if isinstance(type_, str) else type_
        req_fields: dict[str, Schema] = {"type": const(types[0]) if len(types) == 1 else enum(*types)}
        if name is not None:
            req_fields["name"] = const(name)
        req_fields.update(required or {})
        d[defname] = tagged(req_fields, {**tool_common(examples=examples), **(extra or {})})
        for t in types:
            variants[t] = defname

    d["CustomTool"] = obj(
        {"name": {"type": "string", "pattern": "^[a-zA-Z0-9_-]{1,128}$"}, "input_schema": ref("InputSchema")},
        {
            "type": nenum("custom"),
            "description": STR,
            "eager_input_streaming": nullable(BOOL),
            **tool_common(),
        },
        description="A tool you define: the model calls it with input matching `input_schema`.",
    )
    d["InputSchema"] = {
        "type": "object",
        "description": "The JSON Schema of the tool's input; its `type` must be `object`.",
        "required": ["type"],
        "properties": {
            "type": const("object"),
            "properties": nullable(OBJECT),
            "required": nullable(array(STR)),
        },
    }
    fixed("bash_20250124", "bash", "BashTool20250124")
    fixed(("code_execution_20250522",), "code_execution", "CodeExecutionTool20250522", examples=False)
    fixed(("code_execution_20250825",), "code_execution", "CodeExecutionTool20250825", examples=False)
    fixed(("code_execution_20260120",), "code_execution", "CodeExecutionTool20260120", examples=False)
    fixed(("code_execution_20260521",), "code_execution", "CodeExecutionTool20260521", examples=False)
    fixed("memory_20250818", "memory", "MemoryTool20250818")
    fixed("text_editor_20250124", "str_replace_editor", "TextEditorTool20250124")
    fixed("text_editor_20250429", "str_replace_based_edit_tool", "TextEditorTool20250429")
    fixed("text_editor_20250728", "str_replace_based_edit_tool", "TextEditorTool20250728",
          {"max_characters": nullable(COUNT)})
    search_fields = {
        "allowed_domains": nullable(array(STR)),
        "blocked_domains": nullable(array(STR)),
        "max_uses": nullable({"type": "integer", "minimum": 1}),
        "user_location": ref("UserLocation"),
    }
    fixed("web_search_20250305", "web_search", "WebSearchTool20250305", search_fields, examples=False)
    fixed("web_search_20260209", "web_search", "WebSearchTool20260209", search_fields, examples=False)
    fixed("web_search_20260318", "web_search", "WebSearchTool20260318",
          {**search_fields, "response_inclusion": enum("full", "excluded")}, examples=False)
    fetch_fields = {
        "allowed_domains": nullable(array(STR)),
        "blocked_domains": nullable(array(STR)),
        "max_uses": nullable({"type": "integer", "minimum": 1}),
        "max_content_tokens": nullable({"type": "integer", "minimum": 1}),
        "citations": ref("CitationsConfig"),
        "url_sources": ref("WebFetchUrlSources"),
    }
    fixed("web_fetch_20250910", "web_fetch", "WebFetchTool20250910", fetch_fields, examples=False)
    fixed("web_fetch_20260209", "web_fetch", "WebFetchTool20260209", fetch_fields, examples=False)
    fixed("web_fetch_20260309", "web_fetch", "WebFetchTool20260309",
          {**fetch_fields, "use_cache": BOOL}, examples=False)
    fixed("web_fetch_20260318", "web_fetch", "WebFetchTool20260318",
          {**fetch_fields, "use_cache": BOOL, "response_inclusion": enum("full", "excluded")},
          examples=False)
    fixed(("tool_search_tool_bm25_20251119", "tool_search_tool_bm25"), "tool_search_tool_bm25",
          "ToolSearchToolBm25", examples=False)
    fixed(("tool_search_tool_regex_20251119", "tool_search_tool_regex"), "tool_search_tool_regex",
          "ToolSearchToolRegex", examples=False)
    for type_, defname in (("browser_toolset_20260801", "BrowserToolset20260801"),
                           ("computer_toolset_20260801", "ComputerToolset20260801")):
        d[defname] = tagged({"type": const(type_)},
                            {"cache_control": ref("CacheControl"), "configs": nullable(OBJECT)},
                            description="A toolset: no `name`; `configs` sets up its individual tools.")
        variants[type_] = defname
    # beta tools
    computer = {"display_width_px": {"type": "integer", "minimum": 1},
                "display_height_px": {"type": "integer", "minimum": 1}}
    for type_, defname, extra in (
        ("computer_20241022", "ComputerTool20241022", {}),
        ("computer_20250124", "ComputerTool20250124", {}),
        ("computer_20251124", "ComputerTool20251124", {"enable_zoom": BOOL}),
    ):
        fixed(type_, "computer", defname, {"display_number": nullable(COUNT), **extra}, required=computer)
    fixed("bash_20241022", "bash", "BashTool20241022")
    fixed("text_editor_20241022", "str_replace_editor", "TextEditorTool20241022")
    fixed("advisor_20260301", "advisor", "AdvisorTool20260301",
          {"caching": ref("CacheControl"), "max_tokens": nullable(COUNT),
           "max_uses": nullable({"type": "integer", "minimum": 1})},
          examples=False, required={"model": STR})
    d["McpToolset"] = tagged(
        {"type": const("mcp_toolset"), "mcp_server_name": STR},
        {"cache_control": ref("CacheControl"),
         "configs": nullable({"type": "object", "additionalProperties": ref("McpToolConfig")}),
         "default_config": ref("McpToolConfig"),
         "tools": nullable(array(ref("McpToolDefinition")))},
        description="Exposes the tools of one of the request's `mcp_servers` (beta).",
    )
    d["McpToolConfig"] = obj({}, {"defer_loading": BOOL, "enabled": BOOL})
    variants["mcp_toolset"] = "McpToolset"

    d["UserLocation"] = obj(
        {"type": const("approximate")},
        {"city": nullable(STR), "country": nullable(STR), "region": nullable(STR), "timezone": nullable(STR)},
        nullable_object=True,
    )
    d["CitationsConfig"] = obj({}, {"enabled": BOOL}, nullable_object=True)
    source_ref = {"type": "object", "required": ["type", "name"], "additionalProperties": False,
                  "properties": {"type": const("tool_reference"), "name": STR}}
    d["UrlSourcesAll"] = tagged({"type": const("all")})
    d["UrlSourcesNone"] = tagged({"type": const("none")})
    d["UrlSourcesOnly"] = tagged({"type": const("only"), "tools": array(source_ref)})
    d["UrlSourcesExcept"] = tagged({"type": const("except"), "tools": array(source_ref)})
    d["UrlSourcesToolFilter"] = union(
        {"all": "UrlSourcesAll", "none": "UrlSourcesNone", "only": "UrlSourcesOnly", "except": "UrlSourcesExcept"},
        open_world=False,
        description="Which tool results a fetched URL may come from: all, none, only or all except these tools.",
    )
    d["UrlSourcesUserInput"] = union({"all": "UrlSourcesAll", "none": "UrlSourcesNone"}, open_world=False)
    d["WebFetchUrlSources"] = obj(
        {},
        {"client_tool_results": ref("UrlSourcesToolFilter"), "server_tool_results": ref("UrlSourcesToolFilter"),
         "user_input": ref("UrlSourcesUserInput")},
        nullable_object=True,
    )
    return d, variants


def request_defs() -> dict[str, Schema]:
    d = shared_defs(req=True)
    d["CacheControl"] = CACHE_CONTROL
    cc = {"cache_control": ref("CacheControl")}
    d["TextBlock"] = tagged(
        {"type": const("text"), "text": STR},
        {"citations": nullable(array(ref("Citation"))), **cc},
    )
    d["Base64ImageSource"] = tagged(
        {"type": const("base64"), "media_type": enum("image/jpeg", "image/png", "image/gif", "image/webp"),
         "data": STR}
    )
    d["UrlSource"] = tagged({"type": const("url"), "url": STR})
    d["FileSource"] = tagged({"type": const("file"), "file_id": STR})
    d["ImageSource"] = union(
        {"base64": "Base64ImageSource", "url": "UrlSource", "file": "FileSource"}, open_world=False
    )
    d["ImageBlock"] = tagged(
        {"type": const("image"), "source": ref("ImageSource")},
        {"transformations": obj({}, {"oversized_image": enum("downsize", "error")}, nullable_object=True), **cc},
    )
    d["Base64PdfSource"] = tagged({"type": const("base64"), "media_type": const("application/pdf"), "data": STR})
    d["PlainTextSource"] = tagged({"type": const("text"), "media_type": const("text/plain"), "data": STR})
    d["ContentSourceBlock"] = union({"text": "TextBlock", "image": "ImageBlock"}, open_world=False)
    d["ContentSource"] = tagged({"type": const("content"), "content": text_or_blocks(ref("ContentSourceBlock"))})
    d["DocumentSource"] = union(
        {"base64": "Base64PdfSource", "text": "PlainTextSource", "content": "ContentSource", "url": "UrlSource",
         "file": "FileSource"},
        open_world=False,
    )
    d["DocumentBlock"] = tagged(
        {"type": const("document"), "source": ref("DocumentSource")},
        {"citations": ref("CitationsConfig"), "context": nullable(STR), "title": nullable(STR), **cc},
    )
    d["SearchResultBlock"] = tagged(
        {"type": const("search_result"), "source": STR, "title": STR, "content": array(ref("TextOnlyBlock"))},
        {"citations": ref("CitationsConfig"), **cc},
    )
    d["ToolUseBlock"] = tagged(
        {"type": const("tool_use"), "id": TOOL_ID, "name": STR, "input": OBJECT},
        {"caller": ref("Caller"), "toolset_name": nullable(STR), **cc},
    )
    d["BrowserStateTab"] = obj({"tab_id": STR, "title": STR, "url": STR}, {"active": BOOL})
    download = {"download_id": STR, "url": STR}
    d["TabOpenedChange"] = tagged({"type": const("tab_opened"), "tab_id": STR})
    d["DownloadStartedChange"] = tagged({"type": const("download_started"), **download})
    d["DownloadCompletedChange"] = tagged(
        {"type": const("download_completed"), **download}, {"path": nullable(STR), "size_bytes": nullable(COUNT)}
    )
    d["DownloadFailedChange"] = tagged({"type": const("download_failed"), **download}, {"error": nullable(STR)})
    d["BrowserStateChange"] = union(
        {"tab_opened": "TabOpenedChange", "download_started": "DownloadStartedChange",
         "download_completed": "DownloadCompletedChange", "download_failed": "DownloadFailedChange"},
        open_world=False,
        description="What changed in the browser since the last state.",
    )
    d["BrowserStateBlock"] = tagged(
        {"type": const("browser_state"), "tabs": array(ref("BrowserStateTab"))},
        {"state_changes": nullable(array(ref("BrowserStateChange"))), **cc},
    )
    d["ToolResultContentBlock"] = union(TOOL_RESULT_CONTENT, open_world=False)
    d["ToolResultBlock"] = tagged(
        {"type": const("tool_result"), "tool_use_id": TOOL_ID},
        {"content": text_or_blocks(ref("ToolResultContentBlock")), "is_error": BOOL,
         "toolset_name": nullable(STR), **cc},
    )
    d["ToolChangeToolDefinition"] = tagged(
        {"type": const("tool_definition"), "definition": ref("Tool")},
        description="A whole tool definition, as in `tools`.",
    )
    d["ToolAdditionTarget"] = union(
        {"tool_reference": "ToolChangeToolReference", "mcp_tool_reference": "ToolChangeMcpToolReference",
         "mcp_toolset_reference": "ToolChangeMcpToolsetReference", "tool_definition": "ToolChangeToolDefinition"},
        open_world=False,
        description="The tool a `tool_addition` adds: a reference to a known tool, or a whole definition.",
    )
    d["ToolAdditionBlock"] = tagged(
        {"type": const("tool_addition"), "tool": ref("ToolAdditionTarget")}, dict(cc),
        description="Makes a tool available from this point of the conversation (beta).",
    )
    d["ToolRemovalBlock"] = tagged(
        {"type": const("tool_removal"), "tool": ref("ToolRemovalTarget")}, dict(cc),
        description="Withdraws a tool from this point of the conversation (beta).",
    )
    d["ContentBlock"] = union(INPUT_BLOCKS, open_world=False, description="A block of an input message.")
    d["UserOrAssistantMessage"] = obj(
        {"role": enum("user", "assistant"), "content": text_or_blocks(ref("ContentBlock"))}
    )
    d["SystemContentBlock"] = union(
        {"text": "TextBlock", "tool_addition": "ToolAdditionBlock", "tool_removal": "ToolRemovalBlock"},
        open_world=False,
        description="A block of a system message: text, or a tool change (beta).",
    )
    d["SystemMessage"] = obj(
        {"role": const("system")},
        {"content": text_or_blocks(ref("SystemContentBlock")),
         "clear_at": nenum("next_user_message", "never"),
         "output_config": obj({}, {"effort": nenum("low", "medium", "high", "xhigh", "max")}, nullable_object=True)},
        description="A mid-conversation system message (Claude Opus 4.8 and later).",
        # the SDK: "a message with neither content nor output_config fields is rejected"
        one_of_fields=("content", "output_config"),
    )
    d["Message"] = union(
        {"user": "UserOrAssistantMessage", "assistant": "UserOrAssistantMessage", "system": "SystemMessage"},
        open_world=False,
        field="role",
        description="One turn of the conversation.",
    )
    # a system message may carry only `output_config` (the server refuses one with neither)
    d["Message"]["required"] = ["role"]

    tools, tool_variants = request_tool_defs()
    d.update(tools)
    # A custom tool may omit `type` (or send "custom" or null); every other tool names its type.
    d["Tool"] = {
        "type": "object",
        "description": "A tool the model may use: a custom tool, or a versioned server or client tool.",
        "properties": {"type": {"enum": ["custom", None, *tool_variants]}},
        "allOf": [
            {"if": {"properties": {"type": {"enum": ["custom", None]}}}, "then": ref("CustomTool")},
            *(
                {"if": {"properties": {"type": const(tag)}, "required": ["type"]}, "then": ref(name)}
                for tag, name in tool_variants.items()
            ),
        ],
    }

    thinking_options = {
        "display": nenum("summarized", "omitted", "updates"),
        "block_binding": obj({}, {"prefix_mismatch_behavior": nenum("drop_block", "error")}, nullable_object=True),
    }
    d["ThinkingEnabled"] = tagged(
        {"type": const("enabled"), "budget_tokens": {"type": "integer", "minimum": 1024}}, dict(thinking_options)
    )
    d["ThinkingAdaptive"] = tagged({"type": const("adaptive")}, dict(thinking_options))
    d["ThinkingDisabled"] = tagged({"type": const("disabled")})
    d["ThinkingBetweenTools"] = tagged({"type": const("between_tools")})
    d["ThinkingConfig"] = union(
        {"enabled": "ThinkingEnabled", "disabled": "ThinkingDisabled", "adaptive": "ThinkingAdaptive",
         "between_tools": "ThinkingBetweenTools"},
        open_world=False,
        description="Extended thinking: on with a token budget, off, adaptive, or only between tool calls.",
    )
    parallel = {"disable_parallel_tool_use": BOOL}
    d["ToolChoiceAuto"] = tagged({"type": const("auto")}, parallel)
    d["ToolChoiceAny"] = tagged({"type": const("any")}, parallel)
    d["ToolChoiceTool"] = tagged({"type": const("tool"), "name": STR}, parallel)
    d["ToolChoiceNone"] = tagged({"type": const("none")})
    d["ToolChoice"] = union(
        {"auto": "ToolChoiceAuto", "any": "ToolChoiceAny", "tool": "ToolChoiceTool", "none": "ToolChoiceNone"},
        open_world=False,
    )
    d["JsonSchemaFormat"] = obj({"type": const("json_schema"), "schema": OBJECT}, nullable_object=True)
    d["OutputConfig"] = obj(
        {},
        {"effort": nenum("low", "medium", "high", "xhigh", "max"), "format": ref("JsonSchemaFormat"),
         "task_budget": nullable(OBJECT)},
    )
    d["Skill"] = obj({"skill_id": STR, "type": enum("anthropic", "custom")}, {"version": STR})
    d["McpServer"] = obj(
        {"type": const("url"), "name": STR, "url": STR},
        {"authorization_token": nullable(STR),
         "tool_configuration": obj({}, {"allowed_tools": nullable(array(STR)), "enabled": nullable(BOOL)},
                                   nullable_object=True)},
        description="A remote MCP server the API connects to (beta).",
    )
    trigger = obj({"type": const("input_tokens"), "value": COUNT}, nullable_object=True)
    d["ContextEdit"] = union(
        {"clear_tool_uses_20250919": "ClearToolUsesEdit", "clear_thinking_20251015": "ClearThinkingEdit",
         "compact_20260112": "CompactEdit"},
        open_world=False,
    )
    d["ClearToolUsesEdit"] = tagged(
        {"type": const("clear_tool_uses_20250919")},
        {"clear_at_least": trigger, "clear_tool_inputs": {"type": ["boolean", "array", "null"], "items": STR},
         "exclude_tools": nullable(array(STR)), "keep": obj({"type": const("tool_uses"), "value": COUNT}),
         "trigger": ref("ClearToolUsesTrigger")},
    )
    d["InputTokensTrigger"] = tagged({"type": const("input_tokens"), "value": COUNT})
    d["ToolUsesTrigger"] = tagged({"type": const("tool_uses"), "value": COUNT})
    d["ClearToolUsesTrigger"] = union(
        {"input_tokens": "InputTokensTrigger", "tool_uses": "ToolUsesTrigger"}, open_world=False,
        description="When to clear: after this many input tokens or tool uses.",
    )
    d["ClearThinkingEdit"] = tagged(
        {"type": const("clear_thinking_20251015")},
        {"keep": {"anyOf": [obj({"type": const("thinking_turns"), "value": COUNT}), obj({"type": const("all")}),
                            const("all")]}},
    )
    d["CompactEdit"] = tagged(
        {"type": const("compact_20260112")},
        {"instructions": nullable(STR), "pause_after_compaction": BOOL, "trigger": trigger},
    )
    d["Fallback"] = obj(
        {"model": STR},
        {"max_tokens": nullable(COUNT), "output_config": or_null(ref("OutputConfig")),
         "speed": nenum("standard", "fast"), "thinking": or_null(ref("ThinkingConfig"))},
    )
    return d


def messages_request() -> Schema:
    props: dict[str, Schema] = {
        "model": {"type": "string", "description": "The model to use, e.g. `claude-sonnet-4-5`."},
        "max_tokens": {"type": "integer", "minimum": 0,
                       "description": "The most tokens to generate; 0 only fills the prompt cache."},
        "messages": array(ref("Message"), maxItems=100000),
    }
    optional: dict[str, Schema] = {
        "system": text_or_blocks(ref("TextOnlyBlock")),
        "metadata": obj({}, {"user_id": nullable(STR)}),
        "stop_sequences": array(STR),
        "stream": BOOL,
        "temperature": {"type": "number", "minimum": 0, "maximum": 1},
        "top_p": {"type": "number", "minimum": 0, "maximum": 1},
        "top_k": {"type": "integer", "minimum": 0},
        "thinking": ref("ThinkingConfig"),
        "tool_choice": ref("ToolChoice"),
        "tools": array(ref("Tool")),
        "service_tier": enum("auto", "standard_only"),
        "container": {
            "type": ["string", "object", "null"],
            "properties": {"id": nullable(STR), "skills": nullable(array(ref("Skill")))},
            "additionalProperties": False,
        },
        "output_config": ref("OutputConfig"),
        "cache_control": ref("CacheControl"),
        "diagnostics": obj({}, {"previous_message_id": nullable(STR)}, nullable_object=True),
        "inference_geo": nullable(STR),
        "speed": nenum("standard", "fast"),
        # beta parameters
        "mcp_servers": array(ref("McpServer")),
        "context_management": obj({}, {"edits": array(ref("ContextEdit"))}, nullable_object=True),
        "compaction": obj({"type": const("summarize")}, {"instructions": nullable(STR)}, nullable_object=True),
        "fallbacks": {"type": ["array", "string", "null"], "items": ref("Fallback"), "enum_hint": "default"},
        "fallback_credit_token": {
            "type": ["string", "object", "null"],
            "properties": {"token": STR, "mode": enum("strict", "best_effort")},
            "required": ["token"],
            "additionalProperties": False,
        },
        "billing_policy": obj({"type": const("billing_policy")}, {"bill_to": ANY}, nullable_object=True),
        "thread": nullable(OBJECT),
    }
    # "fallbacks" as a string may only be "default"
    fb = optional["fallbacks"]
    del fb["enum_hint"]
    fb["allOf"] = [{"if": {"type": "string"}, "then": const("default")}]
    schema = obj(props, optional)
    return {
        "$schema": DRAFT,
        "$id": BASE_ID + "messages-request.schema.json",
        "title": "Anthropic Messages API request (POST /v1/messages)",
        "description": (
            "The body of a Messages API request, stable and beta parameters. Unknown fields are errors, "
            "as on the server (`Extra inputs are not permitted`). Model-dependent limits are not encoded here."
        ),
        **schema,
        "$defs": dict(sorted(request_defs().items())),
    }


# -- responses --------------------------------------------------------------------------

RESPONSE_BLOCKS = {tag: def_name(tag, "Block") for tag in BLOCK_TYPES}


def response_defs() -> dict[str, Schema]:
    d = shared_defs(req=False)
    d["TextBlock"] = tagged({"type": const("text"), "text": STR}, {"citations": nullable(array(ref("Citation")))})
    d["ToolUseBlock"] = tagged(
        {"type": const("tool_use"), "id": STR, "name": STR, "input": OBJECT},
        {"caller": ref("Caller"), "toolset_name": nullable(STR)},
    )
    d["DocumentBlock"] = tagged(
        {"type": const("document"), "source": ref("DocumentSource")},
        {"citations": ref("CitationsConfig"), "title": nullable(STR)},
    )
    d["CitationsConfig"] = obj({}, {"enabled": BOOL}, nullable_object=True)
    d["Base64PdfSource"] = tagged({"type": const("base64"), "media_type": const("application/pdf"), "data": STR})
    d["PlainTextSource"] = tagged({"type": const("text"), "media_type": const("text/plain"), "data": STR})
    d["DocumentSource"] = union({"base64": "Base64PdfSource", "text": "PlainTextSource"}, open_world=True)
    d["ContentBlock"] = union(
        RESPONSE_BLOCKS,
        open_world=True,
        description="A block of generated content. Unknown block types are accepted: the API may add new ones.",
    )
    d["StopReason"] = nenum(*STOP_REASONS)
    d["StopDetails"] = obj(
        {"type": const("refusal")},
        {"category": nenum("cyber", "bio", "frontier_llm", "reasoning_extraction", "general_harms"),
         "explanation": nullable(STR),
         # beta: server-side fallback
         "fallback_credit_token": nullable(STR), "fallback_has_prefill_claim": nullable(BOOL),
         "recommended_model": nullable(STR)},
        nullable_object=True,
    )
    d["Container"] = obj(
        {"id": STR, "expires_at": STR},
        {"skills": nullable(array({"type": "object", "required": ["skill_id", "type"],
                                   "properties": {"skill_id": STR, "type": enum("anthropic", "custom"),
                                                  "version": STR},
                                   "additionalProperties": False}))},
        nullable_object=True,
    )
    d["CacheCreation"] = obj({}, {"ephemeral_5m_input_tokens": COUNT, "ephemeral_1h_input_tokens": COUNT},
                             nullable_object=True)
    d["ServerToolUsage"] = obj(
        {}, {"web_search_requests": COUNT, "web_fetch_requests": COUNT},
        nullable_object=True,
    )
    d["OutputTokensDetails"] = obj({}, {"thinking_tokens": COUNT}, nullable_object=True)
    iteration = {"input_tokens": COUNT, "output_tokens": COUNT, "cache_creation_input_tokens": COUNT,
                 "cache_read_input_tokens": COUNT, "cache_creation": ref("CacheCreation")}
    d["MessageIteration"] = tagged({"type": const("message")}, {**iteration, "model": nullable(STR)})
    d["CompactionIteration"] = tagged({"type": const("compaction")}, iteration)
    d["AdvisorMessageIteration"] = tagged({"type": const("advisor_message")}, {**iteration, "model": STR})
    d["FallbackMessageIteration"] = tagged({"type": const("fallback_message")}, {**iteration, "model": STR})
    d["UsageIteration"] = union(
        {"message": "MessageIteration", "compaction": "CompactionIteration",
         "advisor_message": "AdvisorMessageIteration", "fallback_message": "FallbackMessageIteration"},
        open_world=True,
        description="One sampling iteration of a beta multi-step response (advisor, compaction, fallback).",
    )
    usage_optional = {
        "cache_creation_input_tokens": nullable(COUNT),
        "cache_read_input_tokens": nullable(COUNT),
        "server_tool_use": ref("ServerToolUsage"),
        "output_tokens_details": ref("OutputTokensDetails"),
        "iterations": nullable(array(ref("UsageIteration"))),
        "fallback_credit": ANY,
    }
    d["Usage"] = obj(
        {"input_tokens": COUNT, "output_tokens": COUNT},
        {**usage_optional, "cache_creation": ref("CacheCreation"),
         "service_tier": nenum("standard", "priority", "batch"), "inference_geo": nullable(STR),
         "speed": nenum("standard", "fast")},
        description="Token counts for billing and rate limits.",
    )
    d["ContextManagementResponse"] = obj(
        {}, {"applied_edits": array(OBJECT)}, nullable_object=True,
        description="Which context-management edits the server applied (beta).",
    )
    d["Diagnostics"] = obj({}, {"cache_miss_reason": ANY}, nullable_object=True)
    message_required = {
        "id": STR,
        "type": const("message"),
        "role": const("assistant"),
        "content": array(ref("ContentBlock")),
        "model": STR,
        "stop_reason": ref("StopReason"),
        "stop_sequence": nullable(STR),
        "usage": ref("Usage"),
    }
    transformation = {"path": STR, "reason": enum(*THINKING_BINDING_MISMATCHES)}
    d["ThinkingDroppedTransformation"] = tagged({"type": const("thinking_dropped"), **transformation})
    d["ThinkingMismatchAllowedTransformation"] = tagged({"type": const("thinking_mismatch_allowed"), **transformation})
    d["InputTransformation"] = union(
        {"thinking_dropped": "ThinkingDroppedTransformation",
         "thinking_mismatch_allowed": "ThinkingMismatchAllowedTransformation"},
        open_world=True,
        description="What the server changed in the request's input before sampling (beta thinking block binding).",
    )
    message_optional = {
        "input_transformations": nullable(array(ref("InputTransformation"))),
        "stop_details": ref("StopDetails"),
        "container": ref("Container"),
        "diagnostics": ref("Diagnostics"),
        "context_management": ref("ContextManagementResponse"),
    }
    d["Message"] = obj(message_required, message_optional, description="A generated assistant message.")
    return d


def message_schema() -> Schema:
    defs = response_defs()
    return {
        "$schema": DRAFT,
        "$id": BASE_ID + "message.schema.json",
        "title": "Anthropic Messages API response Message",
        "description": (
            "The Message a non-streaming Messages API call returns. Known objects are closed; "
            "content blocks of an unknown type are accepted, since the API adds new ones."
        ),
        "$ref": "#/$defs/Message",
        "$defs": dict(sorted(defs.items())),
    }


EVENTS = {tag: def_name(tag, "Event") for tag in EVENT_TYPES}

DELTAS = {tag: def_name(tag) for tag in DELTA_TYPES}


def stream_event_schema() -> Schema:
    d = response_defs()
    # In a stream the message starts empty; early (2024) streams sent no usage at all.
    started = dict(d["Message"])
    started["required"] = [r for r in d["Message"]["required"] if r != "usage"]
    started["description"] = "The message as `message_start` announces it (content is normally empty)."
    d["StartedMessage"] = started
    del d["Message"]
    index = {"type": "integer", "minimum": 0}
    d["MessageStartEvent"] = tagged({"type": const("message_start"), "message": ref("StartedMessage")})
    d["ContentBlockStartEvent"] = tagged(
        {"type": const("content_block_start"), "index": index, "content_block": ref("ContentBlock")}
    )
    d["ContentBlockDeltaEvent"] = tagged(
        {"type": const("content_block_delta"), "index": index, "delta": ref("Delta")}
    )
    d["ContentBlockStopEvent"] = tagged({"type": const("content_block_stop"), "index": index})
    d["MessageDelta"] = obj(
        {},
        {"stop_reason": ref("StopReason"), "stop_sequence": nullable(STR), "stop_details": ref("StopDetails"),
         "container": ref("Container")},
    )
    usage = d["Usage"]
    d["MessageDeltaUsage"] = obj(
        {"output_tokens": COUNT},
        {k: nullable(v) if k == "input_tokens" else v for k, v in usage["properties"].items()
         if k in USAGE_OPTIONAL},
        description="Cumulative token counts: each value replaces the one before.",
    )
    d["MessageDeltaEvent"] = tagged(
        {"type": const("message_delta"), "delta": ref("MessageDelta")},
        {"usage": ref("MessageDeltaUsage"), "context_management": ref("ContextManagementResponse"),
         "input_transformations": nullable(array(ref("InputTransformation")))},
    )
    d["MessageStopEvent"] = tagged({"type": const("message_stop")})
    d["PingEvent"] = tagged({"type": const("ping")})
    d["ErrorObject"] = obj({"type": STR, "message": STR}, {"details": ANY})
    d["ErrorEvent"] = tagged({"type": const("error"), "error": ref("ErrorObject")}, {"request_id": nullable(STR)})
    d["TextDelta"] = tagged({"type": const("text_delta"), "text": STR})
    d["InputJsonDelta"] = tagged({"type": const("input_json_delta"), "partial_json": STR})
    d["CitationsDelta"] = tagged({"type": const("citations_delta"), "citation": ref("Citation")})
    d["ThinkingDelta"] = tagged({"type": const("thinking_delta"), "thinking": STR},
                                {"estimated_tokens": nullable(COUNT)})
    d["SignatureDelta"] = tagged({"type": const("signature_delta"), "signature": STR})
    d["CompactionDelta"] = tagged(
        {"type": const("compaction_delta")}, {"content": nullable(STR), "encrypted_content": nullable(STR)}
    )
    d["Delta"] = union(
        DELTAS, open_world=True, description="A change to one content block. Unknown delta types are accepted."
    )
    d["StreamEvent"] = union(EVENTS, open_world=True, description="One server-sent event's JSON data.")
    return {
        "$schema": DRAFT,
        "$id": BASE_ID + "stream-event.schema.json",
        "title": "Anthropic Messages API stream event",
        "description": (
            "The JSON `data` of one server-sent event of a streaming Messages response. Events, deltas and "
            "content blocks of an unknown type are accepted, as the API promises to add new ones."
        ),
        "$ref": "#/$defs/StreamEvent",
        "$defs": dict(sorted(d.items())),
    }


# -- legacy Text Completions ------------------------------------------------------------


def completion_request_schema() -> Schema:
    schema = obj(
        {
            "model": STR,
            "prompt": {"type": "string", "description": 'Alternating "\\n\\nHuman:" and "\\n\\nAssistant:" turns.'},
            "max_tokens_to_sample": {"type": "integer", "minimum": 1},
        },
        {
            "metadata": obj({}, {"user_id": nullable(STR)}, nullable_object=True),
            "stop_sequences": array(STR),
            "stream": BOOL,
            "temperature": {"type": "number", "minimum": 0, "maximum": 1},
            "top_p": {"type": "number", "minimum": 0, "maximum": 1},
            "top_k": {"type": "integer", "minimum": 0},
        },
    )
    return {
        "$schema": DRAFT,
        "$id": BASE_ID + "completion-request.schema.json",
        "title": "Anthropic legacy Text Completions request (POST /v1/complete)",
        "description": "The body of a legacy Text Completions request. Unknown fields are errors.",
        **schema,
    }


def completion_schema() -> Schema:
    schema = obj(
        {"completion": STR, "stop_reason": nullable(STR), "model": STR},
        {"type": const("completion"), "id": STR, "stop": nullable(STR), "log_id": STR, "exception": ANY},
    )
    schema["properties"]["stop_reason"] = nenum("stop_sequence", "max_tokens")
    return {
        "$schema": DRAFT,
        "$id": BASE_ID + "completion.schema.json",
        "title": "Anthropic legacy Text Completion (response body or `completion` stream event)",
        "description": (
            "A legacy completion: the whole response, or one `completion` event of a stream "
            "(where `stop_reason` is null until the last event)."
        ),
        **schema,
    }


SCHEMAS = {
    "messages-request": messages_request,
    "message": message_schema,
    "stream-event": stream_event_schema,
    "completion-request": completion_request_schema,
    "completion": completion_schema,
}


def render(name: str) -> str:
    return json.dumps(SCHEMAS[name](), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name in SCHEMAS:
        path = OUT / f"{name}.schema.json"
        text = render(name)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("out of date: " + ", ".join(stale) + " (run python scripts/build_schemas.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
