"""Messages -> legacy prompt (converter spec 4.3).

:func:`render_prompt` takes ``{"system", "messages"}``, a whole Messages request body or a
bare list of messages (plain JSON values, any of them possibly of the wrong type) and
writes the prompt ``system + ("\\n\\nHuman: " + text | "\\n\\nAssistant: " + text)* +
"\\n\\nAssistant:"``.  Every finding is a ``P1xx`` diagnostic at the JSON pointer of the
value it is about; when the JSON text is known, the pointers are also given a line and
column.  Text is never changed except joining blocks (information) and, on request,
defusing markers, dropping or replacing unsupported blocks (warnings).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from attrs import field, frozen

from transcript.core.diagnostics import (
    Diagnostic,
    Location,
    Severity,
    diagnostic_tuple,
    join_pointer,
)
from transcript.core.jsontext import type_name
from transcript.prompt import render_codes as codes
from transcript.prompt.grammar import markers
from transcript.prompt.meta import PromptMeta

__all__ = ["RenderOptions", "RenderResult", "render_prompt", "UNSUPPORTED_POLICIES"]

UNSUPPORTED_POLICIES = ("error", "drop", "placeholder")
_TEXT_ATTRIBUTES = ("type", "text")


def _check_unsupported(_inst: Any, _attr: Any, value: str) -> None:
    if value not in UNSUPPORTED_POLICIES:
        raise ValueError(f"on_unsupported must be one of {', '.join(UNSUPPORTED_POLICIES)}, not {value!r}")


@frozen
class RenderOptions:
    """Policies for messages -> prompt (spec 4.3).  Invalid values raise ``ValueError``."""

    strict: bool = False
    on_unsupported: str = field(default="error", validator=_check_unsupported)
    tools_as_xml: bool = False
    defuse: bool = False
    hoist_system: bool = False
    insert_empty_human: bool = False
    restore_prefill_whitespace: bool = False
    block_join: str = ""


@frozen
class RenderResult:
    """The prompt (``None`` when it cannot be written) and the diagnostics."""

    text: str | None
    diagnostics: tuple[Diagnostic, ...] = field(converter=diagnostic_tuple)



def _ptr(base: str, *tokens: str | int) -> str:
    return base + join_pointer(*tokens)


class _Renderer:
    def __init__(self, options: RenderOptions) -> None:
        self.opts = options
        self.R = codes
        self.mk = markers()
        self.diags: list[Diagnostic] = []
        self.failed = False
        self.errors = 0
        self.repair = Severity.ERROR if options.strict else Severity.WARNING
        self.tool_names: dict[str, str] = {}
        self.system = ""
        self.has_system = False

    def emit(self, rule: Any, message: str, pointer: str, severity: Severity | None = None, hint: str | None = None) -> None:
        d = rule.diagnostic(message, Location(pointer=pointer), severity=severity, hint=hint)
        if d.severity is Severity.ERROR:
            self.failed = True
            self.errors += 1
        self.diags.append(d)

    def invalid(self, message: str, pointer: str) -> None:
        self.emit(self.R.INVALID_CONVERSATION, message, pointer)

    # ---------------------------------------------------------------- texts

    def guard(self, text: str, pointer: str, what: str) -> str:
        """The injection guard on one text (spec 4.3.4)."""
        mk, R = self.mk, self.R
        if mk.human in text or mk.assistant in text:
            if self.opts.defuse:
                text = text.replace(mk.human, "\n\nH:").replace(mk.assistant, "\n\nA:")
                self.emit(
                    R.MARKER_IN_CONTENT,
                    f"turn markers in the {what} rewritten as '\\n\\nH:' / '\\n\\nA:'",
                    pointer,
                    Severity.WARNING,
                )
            else:
                which = mk.human if mk.human in text else mk.assistant
                self.emit(
                    R.MARKER_IN_CONTENT,
                    f"the {what} contains {which!r}, which would start a new turn in the prompt",
                    pointer,
                    hint="remove the marker, or convert with --defuse to rewrite it as '\\n\\nH:' / '\\n\\nA:'",
                )
        if "\x00" in text:
            self.emit(
                R.NUL_IN_CONTENT,
                f"the {what} holds a NUL character (U+0000): the prompt file will read as binary",
                pointer,
                Severity.WARNING,
            )
        crlf_h = mk.human.replace("\n", "\r\n")
        crlf_a = mk.assistant.replace("\n", "\r\n")
        if crlf_h in text or crlf_a in text:
            self.emit(
                R.CRLF_MARKER_IN_CONTENT,
                f"the {what} contains a turn marker written with CRLF line ends",
                pointer,
                self.repair,
            )
        return text

    def block_text(self, block: Any, pointer: str, where: str) -> str | None:
        """The text of one content block, or ``None`` when it is left out."""
        R, opts = self.R, self.opts
        if not isinstance(block, dict):
            self.invalid(f"a content block must be an object, not {type_name(block)}", pointer)
            return None
        btype = block.get("type")
        if not isinstance(btype, str):
            self.invalid("a content block needs a string 'type'", pointer)
            return None
        if btype == "text":
            text = block.get("text")
            if not isinstance(text, str):
                self.invalid(f"a text block's 'text' must be a string, not {type_name(text)}", _ptr(pointer, "text"))
                return None
            dropped = [k for k in block if k not in _TEXT_ATTRIBUTES]
            if dropped:
                self.emit(
                    R.BLOCK_ATTRIBUTE_DROPPED,
                    f"{', '.join(repr(k) for k in dropped)} of a {where} text block cannot be written in a prompt",
                    _ptr(pointer, dropped[0]),
                )
            return text
        if where == "system":
            self.invalid(f"system blocks must be text blocks, not {btype!r}", _ptr(pointer, "type"))
            return None
        if btype == "tool_use" and isinstance(block.get("id"), str) and isinstance(block.get("name"), str):
            self.tool_names[block["id"]] = block["name"]
        if opts.tools_as_xml and btype in ("tool_use", "tool_result"):
            xml = _tool_use_xml(block) if btype == "tool_use" else _tool_result_xml(block, self.tool_names)
            if xml is not None:
                self.emit(
                    R.UNSUPPORTED_BLOCK,
                    f"{btype} block written as legacy <function_calls> XML",
                    pointer,
                    Severity.WARNING,
                )
                return xml
            self.invalid(f"the {btype} block is malformed and cannot be written as XML", pointer)
            return None
        if opts.on_unsupported == "drop":
            self.emit(R.UNSUPPORTED_BLOCK, f"{btype} block dropped (a prompt is plain text)", pointer, Severity.WARNING)
            return None
        if opts.on_unsupported == "placeholder":
            self.emit(
                R.UNSUPPORTED_BLOCK,
                f"{btype} block replaced with the placeholder '[{btype}]'",
                pointer,
                Severity.WARNING,
            )
            return f"[{btype}]"
        hint = "convert with --on-unsupported drop or --on-unsupported placeholder"
        if btype in ("tool_use", "tool_result"):
            hint += ", or --tools-as-xml"
        self.emit(R.UNSUPPORTED_BLOCK, f"a {btype} block cannot be written in a prompt", pointer, hint=hint)
        return None

    def content_text(self, content: Any, pointer: str, where: str, joined_rule: Any) -> str | None:
        if isinstance(content, str):
            return content
        if not isinstance(content, list):
            self.invalid(f"{where} content must be a string or a list of content blocks, not {type_name(content)}", pointer)
            return None
        pieces: list[str] = []
        for j, block in enumerate(content):
            text = self.block_text(block, _ptr(pointer, j), where)
            if text is not None:
                pieces.append(text)
        if len(pieces) > 1:
            self.emit(joined_rule, f"{len(pieces)} {where} text blocks joined into one text", pointer)
        return (self.opts.block_join if where != "system" else "").join(pieces)

    # --------------------------------------------------------------- render

    def run(self, value: Any, meta: PromptMeta | None = None) -> str | None:
        shape = self.read_shape(value, meta)
        if shape is None:
            return None
        messages, base, meta = shape
        turns = self.collect_turns(messages, base)
        if self.has_system:
            self.check_system()
        if not messages or (not turns and not self.failed):
            self.emit(self.R.NO_MESSAGES, "there are no messages to write", base)
            return None
        self.check_turns(turns)
        insert_human = self.first_message(turns)
        if self.failed:
            return None
        return "".join(self._emit_text(self.system, turns, meta, insert_human))

    def read_shape(self, value: Any, meta: PromptMeta | None) -> tuple[list[Any], str, PromptMeta | None] | None:
        """The messages, their pointer, and meta, from any of the three accepted shapes."""
        R = self.R
        base = ""
        self.system = ""
        self.has_system = False
        if isinstance(value, list):
            messages: Any = value
        elif isinstance(value, dict):
            if "messages" not in value:
                self.invalid(
                    "expected {'system', 'messages'}, a Messages request body or a list of messages; "
                    "this object has no 'messages'",
                    "",
                )
                return None
            messages = value["messages"]
            base = "/messages"
            if meta is None and "meta" in value and "model" not in value:
                meta, problems = PromptMeta.from_json(value["meta"])
                for problem in problems:
                    self.emit(R.INVALID_PROMPT_META, problem + "; ignored", "/meta")
            if not isinstance(messages, list):
                self.invalid(f"'messages' must be a list, not {type_name(messages)}", base)
                return None
            if value.get("system") is not None:
                self.has_system = True
                text = self.content_text(value["system"], "/system", "system", R.SYSTEM_BLOCKS_JOINED)
                self.system = text if text is not None else ""
        else:
            self.invalid(
                f"expected {{'system', 'messages'}}, a request body or a list of messages, not {type_name(value)}", ""
            )
            return None
        return messages, base, meta

    def collect_turns(self, messages: list[Any], base: str) -> list[tuple[str, str, str]]:
        """(role, text, pointer) of each message that can be written."""
        R = self.R
        turns: list[tuple[str, str, str]] = []
        for i, msg in enumerate(messages):
            pointer = _ptr(base, i)
            if not isinstance(msg, dict):
                self.invalid(f"a message must be an object, not {type_name(msg)}", pointer)
                continue
            role = msg.get("role")
            if "content" not in msg:
                self.invalid("a message needs 'content'", pointer)
                continue
            if not isinstance(role, str):
                where = _ptr(pointer, "role") if "role" in msg else pointer
                self.invalid(f"a message's 'role' must be a string, not {type_name(role)}", where)
                continue
            if role == "system":
                self.system_message(i, msg, pointer)
                continue
            if role not in ("user", "assistant"):
                self.emit(
                    R.UNKNOWN_ROLE,
                    f"role {role!r} has no prompt marker (only 'user' and 'assistant' do)",
                    _ptr(pointer, "role"),
                )
                continue
            errors_before = self.errors
            text = self.content_text(msg["content"], _ptr(pointer, "content"), "message", R.TEXT_BLOCKS_JOINED)
            if text is None or self.errors > errors_before:
                continue  # a block could not be written: the message is reported already
            text = self.guard(text, _ptr(pointer, "content"), "message")
            turns.append((role, text, pointer))
        return turns

    def system_message(self, index: int, msg: dict[str, Any], pointer: str) -> None:
        """A {"role": "system"} message: an error, or hoisted into the system text (index 0)."""
        R = self.R
        if index == 0 and self.opts.hoist_system:
            text = self.content_text(msg["content"], _ptr(pointer, "content"), "system", R.SYSTEM_BLOCKS_JOINED)
            if self.has_system and self.system:
                self.emit(
                    R.SYSTEM_ROLE_IN_MESSAGES,
                    "a system message cannot be hoisted when there is also a top-level system",
                    _ptr(pointer, "role"),
                )
            elif text is not None:
                self.system = text
                self.has_system = True
                self.emit(
                    R.SYSTEM_ROLE_IN_MESSAGES,
                    "the leading system message became the system text",
                    _ptr(pointer, "role"),
                    Severity.INFO,
                )
            return
        self.emit(
            R.SYSTEM_ROLE_IN_MESSAGES,
            "a message has the role 'system'; the system prompt goes in the top-level 'system'",
            _ptr(pointer, "role"),
            hint="move it to 'system'" + ("" if index else ", or convert with --hoist-system"),
        )

    def check_system(self) -> None:
        R = self.R
        self.system = system = self.guard(self.system, "/system", "system text")
        if system.startswith(self.mk.human.lstrip("\n")):
            self.emit(
                R.SYSTEM_LOOKS_LIKE_TURN,
                "the system text starts with 'Human:', which would be read as the first Human turn",
                "/system",
                self.repair,
            )
        elif system and system.isspace():
            self.emit(
                R.WHITESPACE_SYSTEM_RENDERED,
                "the system text is only whitespace; read back, the prompt has no system prompt",
                "/system",
                self.repair,
            )

    def check_turns(self, turns: list[tuple[str, str, str]]) -> None:
        R = self.R
        last_index = len(turns) - 1
        for k, (role, text, pointer) in enumerate(turns):
            if text == "" or text.isspace():
                self.emit(
                    R.EMPTY_TURN_RENDERED,
                    f"the {role} message is {'empty' if text == '' else 'only whitespace'}; "
                    "written as an empty turn, which the Messages API rejects",
                    _ptr(pointer, "content"),
                    self.repair,
                )
            elif k == last_index and role == "assistant" and text.rstrip() != text:
                self.emit(
                    R.PREFILL_TRAILING_WHITESPACE_RENDERED,
                    "the prefill ends with whitespace: written verbatim (Text Completions tolerated it; "
                    "the Messages API would not)",
                    _ptr(pointer, "content"),
                )
            if k and turns[k - 1][0] == role:
                self.emit(
                    R.CONSECUTIVE_SAME_ROLE_MESSAGES,
                    f"two {role} messages in a row, written as two {'Human' if role == 'user' else 'Assistant'} turns",
                    pointer,
                )

    def first_message(self, turns: list[tuple[str, str, str]]) -> bool:
        """Whether an empty Human turn is written first (a first assistant message, by policy)."""
        if not turns or turns[0][0] != "assistant":
            return False
        pointer = _ptr(turns[0][2], "role")
        if self.opts.insert_empty_human:
            self.emit(
                self.R.FIRST_MESSAGE_ASSISTANT,
                "the first message is from the assistant; an empty Human turn was written before it",
                pointer,
                Severity.WARNING,
            )
            return True
        self.emit(
            self.R.FIRST_MESSAGE_ASSISTANT,
            "the first message is from the assistant; a prompt must start with a Human turn",
            pointer,
            hint="convert with --insert-empty-human to write an empty Human turn first",
        )
        return False

    def _emit_text(
        self, system: str, turns: list[tuple[str, str, str]], meta: PromptMeta | None, insert_human: bool
    ) -> Iterator[str]:
        mk = self.mk
        no_sep = frozenset(meta.no_sep) if meta is not None else frozenset()
        if not system and meta is not None and meta.system_raw:
            system = meta.system_raw
        yield system
        if insert_human:
            yield mk.human
        sep = mk.sep
        for k, (role, text, _pointer) in enumerate(turns):
            marker = mk.human if role == "user" else mk.assistant
            if k == 0 and not insert_human and meta is not None and not system and role == "user":
                marker = meta.leading_marker
            yield marker
            if text:
                if k not in no_sep:
                    yield sep
                yield text
        restore = self.opts.restore_prefill_whitespace and meta is not None
        last_role = turns[-1][0]
        if last_role == "user" or (meta is not None and meta.final_slot):
            yield mk.assistant
            if restore and meta is not None and meta.final_slot:
                yield meta.final_suffix
        elif restore and meta is not None:
            yield meta.final_suffix


def render_prompt(value: Any, options: RenderOptions | None = None, meta: PromptMeta | None = None) -> RenderResult:
    """Write a conversation as a legacy prompt.  Never raises on any JSON value.

    ``meta`` (from parsing the prompt, or a ``"meta"`` member of ``value``) restores the
    bytes the messages cannot express.
    """
    renderer = _Renderer(options or RenderOptions())
    try:
        text = renderer.run(value, meta)
    except RecursionError:  # pragma: no cover - values nest only as deep as JSON allows
        renderer.invalid("the conversation nests too deeply", "")
        text = None
    return RenderResult(text if not renderer.failed else None, renderer.diags)


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _tool_use_xml(block: dict[str, Any]) -> str | None:
    name = block.get("name")
    params = block.get("input", {})
    if not isinstance(name, str) or not isinstance(params, dict):
        return None
    lines = ["<function_calls>", "<invoke>", f"<tool_name>{_xml_escape(name)}</tool_name>", "<parameters>"]
    for key, val in params.items():
        shown = val if isinstance(val, str) else json.dumps(val, ensure_ascii=False)
        tag = _xml_escape(str(key))
        lines.append(f"<{tag}>{_xml_escape(shown)}</{tag}>")
    lines += ["</parameters>", "</invoke>", "</function_calls>"]
    return "\n".join(lines)


def _tool_result_xml(block: dict[str, Any], names: dict[str, str]) -> str | None:
    content = block.get("content", "")
    if isinstance(content, str):
        text = content
    elif isinstance(content, list):
        parts = []
        for item in content:
            if isinstance(item, dict) and item.get("type") == "text" and isinstance(item.get("text"), str):
                parts.append(item["text"])
            elif isinstance(item, dict) and isinstance(item.get("type"), str):
                parts.append(f"[{item['type']}]")
            else:
                return None
        text = "".join(parts)
    else:
        return None
    tool_id = block.get("tool_use_id")
    name = names.get(tool_id, "") if isinstance(tool_id, str) else ""
    if block.get("is_error") is True:
        return "\n".join(["<function_results>", "<error>", _xml_escape(text), "</error>", "</function_results>"])
    return "\n".join(
        [
            "<function_results>",
            "<result>",
            f"<tool_name>{_xml_escape(name)}</tool_name>",
            "<stdout>",
            _xml_escape(text),
            "</stdout>",
            "</result>",
            "</function_results>",
        ]
    )
