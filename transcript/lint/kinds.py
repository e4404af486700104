"""The kinds of input that ``transcript lint`` reads, in one table, in sniffing order.

A :class:`Kind` has a name, the file extensions it claims, an optional sniffer (does this
:class:`Document` look like me?) and a lint function ``(document, options) -> diagnostics``
that calls its job's library.  :func:`detect_kind` picks the kind of a file: among the
kinds its extension names, the first whose sniffer claims the content, else one without a
sniffer; a file whose extension no kind claims goes to the first sniffer that claims it.
When nothing recognises the content, the most generic kind for the extension (the last
in the table) reads it and says what it expected.

To add a kind of input: write its lint function in its job's package, add a row to
:data:`KINDS` at the place its sniffer should be tried, and (for ``lint`` to find such
files in directories) give it the extensions it claims.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

import orjson
from attrs import field, frozen

from transcript.core.codes import UNEXPECTED_DOCUMENT
from transcript.core.diagnostics import Diagnostic, Location, sort_diagnostics
from transcript.core.jsontext import UNPARSED, exact_integers, load_json, not_an_object
from transcript.legacy.migrate import (
    detect_body,
    looks_like_completion_jsonl,
    looks_like_completion_request,
    looks_like_completion_response,
    migrate_text,
)
from transcript.lint.recorded import lint_har_requests, lint_http_request, looks_like_http_request
from transcript.prompt.convert import looks_like_prompt, prompt_diagnostics
from transcript.protocol.documents import RequestShape, classify, request_shape
from transcript.request.context import LintOptions
from transcript.request.jsonl import lint_batch_line, lint_batch_result, lint_jsonl_text
from transcript.request.lint import lint_request_text, locate
from transcript.request.response import lint_response_text
from transcript.stream.captures import sniff_format
from transcript.stream.replay import lint_stream

__all__ = ["Document", "Kind", "KINDS", "KIND_RUNNERS", "NAMED", "detect_kind", "recognise", "suffix", "sniff_kind", "lint_json_text"]

# Sniffers parse a JSON document up to this size; a larger one is judged by its first
# 64 KB, and its lint parses it (on the stdlib path that keeps memory flat).
_SNIFF_PARSE_LIMIT = 2 * 1024 * 1024
_HEAD = 1 << 16
_NOT_YET: Any = object()


class Document:
    """An input's text, and its JSON value, parsed once for every sniffer and the lint (and
    what :func:`sniff_kind` made of it, which every kind's sniffer asks)."""

    __slots__ = ("text", "_value", "sniffed")

    def __init__(self, text: str) -> None:
        self.text = text
        self._value: Any = _NOT_YET
        self.sniffed: Any = _NOT_YET

    @property
    def value(self) -> Any:
        """The text parsed as JSON by orjson: ``UNPARSED`` when it is not JSON or too large to sniff."""
        if self._value is _NOT_YET:
            self._value = UNPARSED
            if len(self.text) <= _SNIFF_PARSE_LIMIT:
                try:
                    self._value = exact_integers(self.text, orjson.loads(self.text))
                except orjson.JSONDecodeError:
                    pass
        return self._value


LintFunction = Callable[[Document, LintOptions], Iterable[Diagnostic]]


@frozen
class Kind:
    """One kind of input: how to recognise it and how to lint it."""

    name: str
    summary: str
    extensions: tuple[str, ...]
    lint: LintFunction = field(eq=False, repr=False)
    sniff: Callable[[Document], bool] | None = field(default=None, eq=False, repr=False)


# -- sniffers ----------------------------------------------------------------------------------

_KEY = r'(?<!\\)"{}"\s*:'
_MESSAGES_KEY = re.compile(_KEY.format("messages"))
_MODEL_KEY = re.compile(_KEY.format("model"))
_MAX_TOKENS_KEY = re.compile(_KEY.format("max_tokens"))
_PROMPT_KEY = re.compile(_KEY.format("prompt"))
_MESSAGE_TYPE = re.compile(r'(?<!\\)"type"\s*:\s*"message"')
_ERROR_TYPE = re.compile(r'(?<!\\)"type"\s*:\s*"error"')
_NON_SPACE = re.compile(r"\S")


def _content_after(text: str, pos: int) -> bool:
    """Whether anything but whitespace follows ``pos``: a regex over a short stretch, then
    ``str.isspace`` a megabyte at a time (the regex took 13 ns a character of a long run
    of blank lines)."""
    if _NON_SPACE.search(text, pos, pos + 4096) is not None:
        return True
    step = 1 << 20
    return any(not text[i : i + step].isspace() for i in range(pos + 4096, len(text), step))


def _looks_like_jsonl(text: str) -> bool:
    """A complete JSON object on the first line followed by more content."""
    start = _NON_SPACE.search(text)
    if start is None:
        return False
    end = text.find("\n", start.start())
    if end < 0 or not _content_after(text, end):
        return False
    try:
        return isinstance(orjson.loads(text[start.start() : end]), dict)
    except orjson.JSONDecodeError:
        return False


def sniff_kind(document: Document | str) -> str | None:
    """What a single JSON document is (:func:`~transcript.protocol.documents.classify`), or ``None``.

    A document too large to parse for a sniff is judged by the keys of its first 64 KB.
    """
    doc = document if isinstance(document, Document) else Document(document)
    if doc.sniffed is _NOT_YET:
        doc.sniffed = _sniff(doc)
    return cast("str | None", doc.sniffed)


def _sniff(doc: Document) -> str | None:
    text = doc.text
    start = _NON_SPACE.search(text)
    if start is None or text[start.start()] != "{":
        return None
    if len(text) <= _SNIFF_PARSE_LIMIT:
        value = doc.value
        if value is UNPARSED:
            return None
        kind = classify(value)
        return _SHAPE_KINDS[request_shape(value)] if kind == "request" else kind
    if _looks_like_jsonl(text):
        return None
    head = text[:_HEAD]
    if _MESSAGES_KEY.search(head) or (_MODEL_KEY.search(head) and _MAX_TOKENS_KEY.search(head) and not _PROMPT_KEY.search(head)):
        return "request"
    if _MESSAGE_TYPE.search(head) or _ERROR_TYPE.search(head):
        return "response"
    return None


_SHAPE_KINDS = {"request": "request", "conversation": "conversation", "bedrock": "bedrock-request", "vertex": "vertex-request"}


def _sniff_request(doc: Document) -> bool:
    return sniff_kind(doc) == "request"


def _sniffs(name: str) -> Callable[[Document], bool]:
    return lambda doc: sniff_kind(doc) == name


def _sniff_response(doc: Document) -> bool:
    return sniff_kind(doc) in ("response", "error", "token-count")


def _sniff_jsonl(doc: Document) -> bool:
    """The first line is a JSON object of a known shape (or a broken line that names one)."""
    text = doc.text
    start = _NON_SPACE.search(text)
    if start is None or text[start.start()] != "{":
        return False
    end = text.find("\n", start.start(), start.start() + (1 << 21))
    if end < 0:  # a single line, or a first line over 2 MB: judge by its beginning
        head = text[start.start() : start.start() + (1 << 16)]
        return '"custom_id"' in head and '"params"' in head
    first = text[start.start() : end]
    try:
        return classify(orjson.loads(first)) is not None
    except orjson.JSONDecodeError:
        return any(key in first for key in ('"custom_id"', '"params"', '"messages"', '"model"'))


def _sniff_batch_results(doc: Document) -> bool:
    """The first line is a Message Batches result ``{"custom_id", "result"}``."""
    text = doc.text
    start = _NON_SPACE.search(text)
    if start is None or text[start.start()] != "{":
        return False
    end = text.find("\n", start.start(), start.start() + (1 << 21))
    first = text[start.start() : end if end >= 0 else start.start() + (1 << 16)]
    try:
        return classify(orjson.loads(first)) == "batch-result"
    except orjson.JSONDecodeError:
        return '"custom_id"' in first and '"result"' in first and '"params"' not in first


def _sniff_json(doc: Document) -> bool:
    """Anything that starts like a JSON object or array (the last resort for JSON)."""
    start = _NON_SPACE.search(doc.text)
    return start is not None and doc.text[start.start()] in "{["


def _sniff_stream(doc: Document) -> bool:
    return sniff_format(doc.text[:65536]) is not None


# -- lint functions: each kind's job, called through its library ---------------------------------

_PARSE_SETTINGS = ("merge", "join_separator", "empty_turns", "normalize_newlines", "lenient_start", "unwrap_system_tags")


def _lint_prompt(doc: Document, options: LintOptions) -> list[Diagnostic]:
    text = doc.text
    settings = dict(options.settings)
    prompt_settings = settings.get("prompt", settings)
    kwargs = {k: prompt_settings[k] for k in _PARSE_SETTINGS if isinstance(prompt_settings, Mapping) and k in prompt_settings}
    try:
        return list(prompt_diagnostics(text, strict=options.strict, **kwargs))
    except (TypeError, ValueError):
        return list(prompt_diagnostics(text, strict=options.strict))


def _shaped(shape: RequestShape | None) -> LintFunction:
    """A request's lint for one shape (``None``: the shape the body has)."""

    def lint(doc: Document, options: LintOptions) -> list[Diagnostic]:
        return lint_request_text(doc.text, options, value=doc.value, shape=shape)

    return lint


def _lint_count_tokens(doc: Document, options: LintOptions) -> list[Diagnostic]:
    return lint_request_text(doc.text, options, count_tokens=True, value=doc.value)


def _lint_response(doc: Document, options: LintOptions) -> list[Diagnostic]:
    return lint_response_text(doc.text, options, value=doc.value)


def _lint_jsonl(doc: Document, options: LintOptions) -> list[Diagnostic]:
    return lint_jsonl_text(doc.text, options)


def _lint_legacy_body(doc: Document, options: LintOptions) -> list[Diagnostic]:
    """What migrating the body reports (a request or a response: its shape decides)."""
    return list(migrate_text(doc.text, strict=options.strict).diagnostics)


def _lint_legacy_jsonl(doc: Document, options: LintOptions) -> list[Diagnostic]:
    return list(migrate_text(doc.text, jsonl=True, strict=options.strict).diagnostics)


def _lint_stream(doc: Document, options: LintOptions) -> list[Diagnostic]:
    data = doc.text.encode("utf-8", "surrogatepass")
    input_format = options.settings.get("input_format")
    found = lint_stream(data, strict=options.strict, input_format=input_format)
    if (input_format or sniff_format(data[:_HEAD])) == "har":
        # the entries' request bodies, judged with the headers they were sent with
        found = sort_diagnostics([*found, *lint_har_requests(doc.text, options)])
    return found


def _lint_http_request(doc: Document, options: LintOptions) -> list[Diagnostic]:
    return lint_http_request(doc.text, options)


def _lint_json(doc: Document, options: LintOptions) -> list[Diagnostic]:
    return lint_json_text(doc.text, options, document=doc)


def _legacy(sniff: Callable[[str], bool]) -> Callable[[Document], bool]:
    return lambda doc: sniff(doc.text)


#: Every kind, in the order their sniffers are tried.
KINDS: Mapping[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "http-request",
            "A recorded HTTP request (POST /v1/messages HTTP/1.1, headers, body): the body judged with its headers",
            (".http",),
            _lint_http_request,
            lambda doc: looks_like_http_request(doc.text[:4096]),
        ),
        Kind(
            "stream",
            "A captured Messages event stream: raw text/event-stream (optionally with HTTP headers), a HAR file, or JSONL events",
            (".sse", ".event-stream", ".har", ".jsonl"),
            _lint_stream,
            _sniff_stream,
        ),
        Kind(
            "conversation",
            'A conversation without request parameters: {"system"?, "messages"} (what convert writes)',
            (".json",),
            _shaped("conversation"),
            _sniffs("conversation"),
        ),
        Kind(
            "bedrock-request",
            'An Amazon Bedrock InvokeModel body: "anthropic_version": "bedrock-2023-05-31" and no "model" (judged for Bedrock)',
            (".json",),
            _shaped("bedrock"),
            _sniffs("bedrock-request"),
        ),
        Kind(
            "vertex-request",
            'A Google Vertex AI rawPredict body: "anthropic_version": "vertex-2023-10-16" and no "model" (judged for Vertex)',
            (".json",),
            _shaped("vertex"),
            _sniffs("vertex-request"),
        ),
        Kind("request", "A Messages API request body (POST /v1/messages)", (".json",), _shaped(None), _sniff_request),
        Kind("response", "A Messages API response: a Message or an error body", (".json",), _lint_response, _sniff_response),
        # A specific sniffer (the first line must be a legacy body), so it goes before the
        # generic JSONL kind.
        Kind(
            "completion-jsonl",
            "JSON Lines of legacy Text Completions request or response bodies",
            (".jsonl",),
            _lint_legacy_jsonl,
            _legacy(looks_like_completion_jsonl),
        ),
        # A specific sniffer too (the first line is a batch result), before the generic kind.
        Kind(
            "batch-results",
            'A Message Batches results file: JSON Lines {"custom_id", "result": succeeded|errored|canceled|expired}',
            (".jsonl",),
            _lint_jsonl,
            _sniff_batch_results,
        ),
        Kind(
            "jsonl",
            'JSON Lines: request bodies, responses or Message Batches lines {"custom_id", "params"}',
            (".jsonl",),
            _lint_jsonl,
            _sniff_jsonl,
        ),
        Kind(
            "completion-request",
            "A legacy Text Completions request body (prompt, max_tokens_to_sample)",
            (".json",),
            _lint_legacy_body,
            _legacy(looks_like_completion_request),
        ),
        Kind(
            "completion-response",
            "A legacy Text Completions response body (completion, stop_reason)",
            (".json",),
            _lint_legacy_body,
            _legacy(looks_like_completion_response),
        ),
        Kind(
            "count-tokens",
            "A token-counting request body (POST /v1/messages/count_tokens): a request without max_tokens",
            (),
            _lint_count_tokens,
        ),
        Kind(
            "prompt",
            "A legacy Text Completions prompt ('\\n\\nHuman: ...\\n\\nAssistant:')",
            (".txt", ".prompt", ".prompt.txt"),
            _lint_prompt,
            _legacy(looks_like_prompt),
        ),
        Kind("json", "Any other .json file: read by its shape, or reported as unexpected", (".json",), _lint_json, _sniff_json),
    )
}

_ANY_INPUT = ("input", "input-kind", "path")
_REQUEST_RUNNERS = ("json", "schema-request", "request")
_RESPONSE_RUNNERS = ("json", "schema-message", "response")
_LEGACY_RUNNERS = ("json", "legacy", "prompt")

#: The rule runners whose codes each kind's lint can report (``transcript rules --kind``).
KIND_RUNNERS: Mapping[str, tuple[str, ...]] = {
    "stream": (*_ANY_INPUT, "stream"),
    "http-request": (*_ANY_INPUT, *_REQUEST_RUNNERS),
    "conversation": (*_ANY_INPUT, *_REQUEST_RUNNERS),
    "bedrock-request": (*_ANY_INPUT, *_REQUEST_RUNNERS),
    "vertex-request": (*_ANY_INPUT, *_REQUEST_RUNNERS),
    "request": (*_ANY_INPUT, *_REQUEST_RUNNERS),
    "response": (*_ANY_INPUT, *_RESPONSE_RUNNERS),
    "completion-jsonl": (*_ANY_INPUT, *_LEGACY_RUNNERS),
    "batch-results": (*_ANY_INPUT, "schema-message", "response", "jsonl"),
    "jsonl": (*_ANY_INPUT, *_REQUEST_RUNNERS, "schema-message", "response", "jsonl"),
    "completion-request": (*_ANY_INPUT, *_LEGACY_RUNNERS),
    "completion-response": (*_ANY_INPUT, *_LEGACY_RUNNERS),
    "count-tokens": (*_ANY_INPUT, *_REQUEST_RUNNERS),
    "prompt": (*_ANY_INPUT, "prompt"),
    "json": (*_ANY_INPUT, *_REQUEST_RUNNERS, "schema-message", "response"),
}

#: Every extension some kind claims (what ``lint`` picks up when it walks a directory).
EXTENSIONS = frozenset(e for k in KINDS.values() for e in k.extensions)


def suffix(name: str) -> str:
    """A file name's extension as the kinds claim it (``.prompt.txt`` is one)."""
    lower = name.lower()
    if lower.endswith(".prompt.txt"):
        return ".prompt.txt"
    return os.path.splitext(lower)[1]


#: Names that say what a file is: a file so named is linted when a walk finds it, whatever
#: its content (a broken ``x.request.json`` is reported, not passed over).
NAMED = (".request.json", ".response.json", ".messages.json", ".prompt", ".prompt.txt", ".sse", ".event-stream", ".har")


def recognise(name: str, text: str | Document) -> Kind | None:
    """The kind of a file found on a directory walk, or ``None`` when it is not recognisably
    one of transcript's: it has a name of :data:`NAMED`, or its content is claimed by a
    kind's sniffer (a ``.json`` file must be a document of a known shape; other JSON, a
    ``requirements.txt`` or a ``package.json``, is not ours)."""
    doc = text if isinstance(text, Document) else Document(text)
    kind = detect_kind(name, doc)
    if kind is None or name.lower().endswith(NAMED):
        return kind
    if kind.name == "json":
        return kind if sniff_kind(doc) is not None else None
    if kind.name in ("completion-request", "completion-response"):
        # their sniffers only look for key names in the text (a JSON Schema has them too)
        return kind if doc.value is not UNPARSED and detect_body(doc.value) == kind.name else None
    return kind if kind.sniff is not None and kind.sniff(doc) else None


def detect_kind(name: str, text: str | Document) -> Kind | None:
    """The kind of a file, from its extension and a look at its content."""
    doc = text if isinstance(text, Document) else Document(text)
    ext = suffix(name)
    by_ext = [k for k in KINDS.values() if ext and ext in k.extensions]
    for kind in by_ext:
        if kind.sniff is not None and kind.sniff(doc):
            return kind
    for kind in by_ext:
        if kind.sniff is None:
            return kind
    if not by_ext:
        for kind in KINDS.values():
            if kind.sniff is not None and kind.sniff(doc):
                return kind
    return by_ext[-1] if by_ext else None


# -- any .json file ---------------------------------------------------------------------------

# The kinds that lint_json_text itself stands for; another kind's sniffer may claim the file.
_JSON_KINDS = frozenset(
    {"request", "conversation", "bedrock-request", "vertex-request", "response", "jsonl", "batch-results", "json", "count-tokens"}
)


def lint_json_text(text: str, options: LintOptions | None = None, *, document: Document | None = None) -> list[Diagnostic]:
    """Lint a ``.json`` file of unknown kind: parse it once and dispatch on its shape."""
    options = options or LintOptions()
    doc = document if document is not None else Document(text)
    value, diagnostics = load_json(text, value=doc.value)
    if diagnostics:
        return diagnostics
    kind = classify(value)
    if kind == "request":
        return lint_request_text(text, options, value=value)
    if kind in ("response", "error", "token-count"):
        return lint_response_text(text, options, value=value)
    if kind == "batch":
        return sort_diagnostics(locate(lint_batch_line(value, options, {}, 1), text))
    if kind == "batch-result":
        return sort_diagnostics(locate(lint_batch_result(value), text))
    for other in KINDS.values():
        if other.name not in _JSON_KINDS and other.sniff is not None and other.sniff(doc):
            return list(other.lint(doc, options))
    if isinstance(value, dict):
        keys = ", ".join(repr(k) for k in list(value)[:6]) or "no keys"
        found_text = f"an object with {keys}"
    else:
        found_text = not_an_object(value, "").message.split("found ", 1)[-1]
    return locate(
        [
            UNEXPECTED_DOCUMENT.diagnostic(
                'expected a Messages request body (an object with "model", "max_tokens" and "messages"), '
                f"a response Message or an error body; found {found_text}",
                Location(pointer=""),
                hint="pass --kind to say what the file is, or exclude it in the configuration",
            )
        ],
        text,
    )
