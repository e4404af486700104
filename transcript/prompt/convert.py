"""The conversion API: legacy prompts to messages and back.

>>> from transcript import prompt_to_messages, messages_to_prompt
>>> c = prompt_to_messages("\\n\\nHuman: Hello\\n\\nAssistant:")
>>> c.ok, c.value
(True, {'messages': [{'role': 'user', 'content': 'Hello'}]})
>>> messages_to_prompt(c.value).value
'\\n\\nHuman: Hello\\n\\nAssistant:'

Both functions return a :class:`Conversion`: the result (``None`` when the input cannot
be converted without changing its meaning under the chosen policies) and every
diagnostic, located at a line and column of the prompt or at a JSON pointer.  They never
raise on bad content; only invalid *option values* raise ``ValueError``.
"""

from __future__ import annotations

import os
from typing import Any, TypeVar

from attrs import field, frozen

from transcript.core.codes import INVALID_JSON
from transcript.core.diagnostics import (
    Diagnostic,
    LineIndex,
    Location,
    Severity,
    diagnostic_tuple,
    sort_diagnostics,
)
from transcript.core.jsonpos import locate_diagnostics
from transcript.core.jsontext import load_json
from transcript.prompt.codes import BYTE_ORDER_MARK
from transcript.prompt.render_codes import INVALID_PROMPT_META
from transcript.prompt.meta import PromptMeta
from transcript.prompt.parse import ParseOptions, parse_prompt
from transcript.prompt.render import RenderOptions, render_prompt

_O = TypeVar("_O", ParseOptions, RenderOptions)

__all__ = [
    "Conversion",
    "prompt_to_messages",
    "prompt_diagnostics",
    "messages_to_prompt",
    "looks_like_prompt",
    "looks_like_json",
    "prompt_given_as_json",
    "convert_direction",
    "strip_bom",
    "JSON_SUFFIXES",
    "PROMPT_SUFFIXES",
]


@frozen
class Conversion:
    """A conversion's result and what was found on the way.

    ``value`` is the converted value (a JSON-like dict for messages, a ``str`` for a
    prompt), or ``None`` when the conversion failed.  ``meta`` is set by
    :func:`prompt_to_messages`: pass it back to :func:`messages_to_prompt` to get the
    exact prompt again.
    """

    value: Any
    diagnostics: tuple[Diagnostic, ...] = field(converter=diagnostic_tuple, default=())
    meta: PromptMeta | None = None

    @property
    def ok(self) -> bool:
        """Whether there is a result (no diagnostic is an error)."""
        return self.value is not None and not any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)


def prompt_to_messages(
    text: str,
    *,
    options: ParseOptions | None = None,
    strict: bool = False,
    merge: str = "none",
    join_separator: str = "\n\n",
    empty_turns: str = "error",
    normalize_newlines: bool = False,
    lenient_start: bool = False,
    unwrap_system_tags: bool = False,
) -> Conversion:
    """Read a legacy Text Completions prompt into ``{"system", "messages"}``.

    - ``strict``: every whitespace repair (missing leading newlines, whitespace-only
      system text or final turn, a prefill's trailing whitespace, a missing final
      ``\\n\\nAssistant:``) is an error instead of a warning.
    - ``merge``: ``"none"`` keeps same-role turns as separate messages; ``"blocks"``
      makes one message of text blocks per run; ``"join"`` joins their text with
      ``join_separator``.
    - ``empty_turns``: ``"error"``, ``"drop"`` or ``"placeholder:TEXT"``.
    - ``normalize_newlines``: replace CRLF with LF when the markers use CRLF.
    - ``lenient_start``: read ``^\\n*Human:`` (not only ``^Human:``) as the first turn.
    - ``unwrap_system_tags``: a first Human turn that is ``<admin>...</admin>`` or
      ``<system>...</system>`` becomes the system prompt.

    Or pass the policies as one ``options=ParseOptions(...)`` (then not as keywords too).
    """
    options = _options(
        ParseOptions,
        options,
        strict=strict,
        merge=merge,
        join_separator=join_separator,
        empty_turns=empty_turns,
        normalize_newlines=normalize_newlines,
        lenient_start=lenient_start,
        unwrap_system_tags=unwrap_system_tags,
    )
    return _read_prompt(text, options, "prompt_to_messages")


def prompt_diagnostics(text: str, *, options: ParseOptions | None = None, **policies: Any) -> tuple[Diagnostic, ...]:
    """What :func:`prompt_to_messages` reports on ``text`` (same policies), without building the
    messages: a lint of a prompt of a million turns costs the prompt, not a dict per turn."""
    return _read_prompt(text, _options(ParseOptions, options, **policies), "prompt_diagnostics", messages=False).diagnostics


def _read_prompt(text: str, options: ParseOptions, caller: str, *, messages: bool = True) -> Conversion:
    if not isinstance(text, str):
        raise TypeError(f"{caller} takes the prompt as a str, not {type(text).__name__}")
    bom = text.startswith("\ufeff")
    result = parse_prompt(text[1:] if bom else text, options, messages=messages)
    if not bom:
        return Conversion(result.value, result.diagnostics, result.meta)
    dropped = BYTE_ORDER_MARK.diagnostic(
        "a byte order mark (U+FEFF) before the prompt was dropped; the prompt written back will not have it",
        Location(line=1, column=1),
    )
    return Conversion(result.value, sort_diagnostics([dropped, *result.diagnostics]), result.meta)


def messages_to_prompt(
    value: Any,
    *,
    options: RenderOptions | None = None,
    strict: bool = False,
    on_unsupported: str = "error",
    tools_as_xml: bool = False,
    defuse: bool = False,
    hoist_system: bool = False,
    insert_empty_human: bool = False,
    restore_prefill_whitespace: bool = False,
    block_join: str = "",
    meta: PromptMeta | dict[str, Any] | None = None,
    source_text: str | None = None,
) -> Conversion:
    """Write ``{"system", "messages"}``, a Messages request body or a list of messages as a prompt.

    ``value`` may also be JSON *text* (a ``str``): it is parsed, and diagnostics get a line
    and column besides their JSON pointer (as they do when ``source_text`` is given; then
    ``value`` is the value parsed from it, even when that is a ``str``).

    - ``on_unsupported``: non-text blocks are an ``"error"``, or ``"drop"``ped, or
      written as a ``"placeholder"`` such as ``[image]``.
    - ``tools_as_xml``: write tool_use / tool_result as legacy ``<function_calls>`` XML.
    - ``defuse``: rewrite markers found inside texts as ``\\n\\nH:`` / ``\\n\\nA:``.
    - ``hoist_system``: a ``{"role": "system"}`` first message becomes the system text.
    - ``insert_empty_human``: write an empty Human turn before a first assistant message.
    - ``restore_prefill_whitespace``: with ``meta``, write back whitespace that parsing
      removed from the end of the prompt.
    - ``block_join``: the text between a message's text blocks (default none).
    - ``strict``: the renderer's warnings about lossy output become errors.

    Or pass the policies as one ``options=RenderOptions(...)`` (then not as keywords too).
    """
    options = _options(
        RenderOptions,
        options,
        strict=strict,
        on_unsupported=on_unsupported,
        tools_as_xml=tools_as_xml,
        defuse=defuse,
        hoist_system=hoist_system,
        insert_empty_human=insert_empty_human,
        restore_prefill_whitespace=restore_prefill_whitespace,
        block_join=block_join,
    )
    pre: list[Diagnostic] = []
    if isinstance(value, str) and source_text is None:
        # JSON text; with ``source_text`` given, ``value`` is already the parsed value
        # (a JSON string, which is not a conversation)

        source_text = value
        value, pre = load_json(value)
        if pre:
            return Conversion(None, pre)
    meta_obj: PromptMeta | None
    if isinstance(meta, dict):
        meta_obj, problems = PromptMeta.from_json(meta)
        if problems:

            pre.extend(INVALID_PROMPT_META.diagnostic(p + "; ignored") for p in problems)
    else:
        meta_obj = meta
    result = render_prompt(value, options, meta_obj)
    diagnostics = pre + list(result.diagnostics)
    if source_text is not None:
        diagnostics = locate_diagnostics(diagnostics, source_text)
    return Conversion(result.text, diagnostics)


def _options(cls: type[_O], given: _O | None, **keywords: Any) -> _O:
    """``given`` as it is, or ``cls(**keywords)``; a keyword changed beside ``given`` is a ``TypeError``."""
    if given is None:
        return cls(**keywords)
    if not isinstance(given, cls):
        raise TypeError(f"options must be a {cls.__name__}, not {type(given).__name__}")
    defaults = cls()
    beside = [name for name, value in keywords.items() if value != getattr(defaults, name)]
    if beside:
        raise TypeError(f"give {', '.join(beside)} inside options=, not beside it")
    return given


def looks_like_prompt(text: str) -> bool:
    """A legacy prompt has a marker (or starts with the sanitizable ``Human:``)."""
    head = text.lstrip("\ufeff")
    return "\n\nHuman:" in text or "\n\nAssistant:" in text or head.startswith("Human:")


def looks_like_json(text: str) -> bool:
    """JSON where a prompt could also be: starts with { or [ and has no turn marker."""
    head = text.lstrip(" \t\r\n\ufeff")[:1]
    return head in ("{", "[") and "\n\nHuman:" not in text and "\n\nAssistant:" not in text


def prompt_given_as_json(text: str) -> Diagnostic | None:
    """X004 for a legacy prompt given where JSON is expected, without parsing it.

    A raw ``"\\n\\nHuman:"`` can never be part of a JSON text (a raw newline is not
    allowed inside a string, and ``Human`` is not a token outside one), so the prompt is
    reported at its first marker straight away, even when it is 100 MB.
    """
    offsets = [i for i in (text.find("\n\nHuman:"), text.find("\n\nAssistant:")) if i >= 0]
    if text.startswith("Human:"):
        offsets.append(-2)
    if not offsets:
        return None
    at = min(offsets) + 2
    return INVALID_JSON.diagnostic(
        "invalid JSON: this is a legacy prompt (a turn marker cannot appear in JSON)",
        LineIndex(text).location(at, end=at + (6 if text.startswith("Human:", at) else 10)),
        hint="convert it with --to messages",
    )


#: File name extensions of JSON conversations, which convert to a prompt.
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
#: File name extensions of legacy prompts (``.prompt.txt`` too), which convert to messages.
PROMPT_SUFFIXES = (".txt", ".prompt")


def convert_direction(name: str, text: str) -> str:
    """Which way an input converts: ``"prompt"`` (it is a JSON conversation) or ``"messages"`` (a prompt).

    By the file name's extension (:data:`JSON_SUFFIXES`, :data:`PROMPT_SUFFIXES`), else
    (standard input, other names) by content: :func:`looks_like_json` text is JSON.
    """
    suffix = os.path.splitext(name.lower())[1]
    if suffix in JSON_SUFFIXES:
        return "prompt"
    if suffix in PROMPT_SUFFIXES:
        return "messages"
    return "prompt" if looks_like_json(text) else "messages"


def strip_bom(text: str) -> str:
    """The text without a leading byte order mark: an encoding artefact, not system text or JSON."""
    return text[1:] if text.startswith("\ufeff") else text
