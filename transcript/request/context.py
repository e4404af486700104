"""What a request rule sees besides the payload: options, the model's capabilities and
shared, lazily computed views of the request (messages, merged turns, media blocks).

The payload stays a plain JSON value.  Every accessor here tolerates wrong types
anywhere (a ``messages`` that is a string, a ``content`` that is a number...): it
returns what it can judge and skips the rest, because the JSON Schema reports types.

The messages are read once, on the first question about them (:class:`_Index`): each
message's role, and every block of list content as an ``(index, position, block)`` entry,
in document order, in one list and in one list per block type (the same entries), so
that a rule about tool calls or thinking blocks reads those blocks only.  The index costs
a few words a block and one a message (a request of a million messages or blocks stays
linear); it holds no pointer string (a rule writes the pointers of what it reports).
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain
from typing import Any, Generic, TypeGuard, TypeVar, overload

import attrs
from attrs import field, frozen

from transcript.core.diagnostics import Diagnostic, join_pointer
from transcript.protocol.models import ModelInfo, resolve_model
from transcript.protocol.vocabulary import THINKING_TYPES, Target

__all__ = [
    "LintOptions",
    "RequestContext",
    "Turn",
    "MediaBlock",
    "Entry",
    "content_pointer",
    "is_str",
    "is_int",
    "is_number",
]


def _betas(value: Any) -> tuple[str, ...]:
    """Beta names from ``--beta`` flags, a config list or ``anthropic-beta`` header values
    (each may hold several, comma-separated), in order, once each."""
    if isinstance(value, str):
        value = (value,)
    names: dict[str, None] = {}
    for item in value or ():
        for part in str(item).split(","):
            if part.strip():
                names[part.strip()] = None
    return tuple(names)


def _headers(value: Mapping[str, Any] | None) -> Mapping[str, str]:
    return {str(k).strip().lower(): str(v) for k, v in (value or {}).items()}


@frozen
class LintOptions:
    """How to judge an input besides its text: the provider (``target``), ``strict``,
    per-kind ``settings`` (the prompt parser's policies, a capture's input format...), and
    what the HTTP request carries besides its body: the ``betas`` sent in ``anthropic-beta``
    (``--beta``, the ``betas`` config key) and the request ``headers`` found with the input
    (a HAR entry, a ``curl -i`` capture, a recorded request file).  ``models`` holds the
    user's model table entries (``[tool.transcript.models."<id>"]``), ``today`` the ISO date
    retirement dates are judged against (the current date when ``None``)."""

    target: Target = "anthropic"
    strict: bool = False
    settings: Mapping[str, Any] = field(factory=dict)
    betas: tuple[str, ...] = field(default=(), converter=_betas)
    headers: Mapping[str, str] = field(factory=dict, converter=_headers)
    models: Mapping[str, ModelInfo] = field(factory=dict)
    today: str | None = None

    @property
    def all_betas(self) -> tuple[str, ...]:
        """The betas the request is sent with: the options' and its own ``anthropic-beta`` header's."""
        return _betas((*self.betas, self.headers.get("anthropic-beta", "")))



def is_str(value: object) -> bool:
    return isinstance(value, str)


def is_int(value: object) -> TypeGuard[int | float]:
    """A JSON integer as the API reads one: ``1024``, or a number with no fraction (``1024.0``,
    ``1e5``), which it takes for the integer (``True`` and ``False`` are not numbers here)."""
    if isinstance(value, float):
        return value.is_integer()  # False for inf and nan too
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> TypeGuard[int | float]:
    """A JSON number, integer or not (booleans excluded)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def content_pointer(index: int, block: int | None = None) -> str:
    """``/messages/3/content`` (string content) or ``/messages/3/content/1`` (a block)."""
    if block is None:
        return f"/messages/{index}/content"
    return f"/messages/{index}/content/{block}"


_QUOTED = re.compile(r"^messages\.(\d+)(?:\.content\.(\d+))?(?=[.:\s])")
_BODY = re.compile(r"^/messages/(\d+)(?:/content/(\d+))?")


@frozen
class Turn:
    """Consecutive messages of one role, as the API merges them."""

    role: str
    indices: tuple[int, ...]


_T = TypeVar("_T")


class _cached(Generic[_T]):
    """``functools.cached_property`` without its lock (Python 3.11 takes one on every first
    access, which is most accesses here: a context lives for one request)."""

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> _cached[_T]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> _T: ...
    def __get__(self, obj: object | None, owner: type | None = None) -> _T | _cached[_T]:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


#: A block of list content: (the message's index, the block's position, the block).
Entry = tuple[int, int, dict[str, Any]]


class _Index:
    """The messages read once: each one's role, and every dict block of list content as an
    :data:`Entry`, in document order (``entries``; those of message ``i`` are
    ``entries[starts[i]:starts[i + 1]]``), by type (``kinds``, the same entries, for a
    string ``type``) and with a ``cache_control`` key (``cached``)."""

    __slots__ = ("cached", "entries", "kinds", "roles", "starts")

    def __init__(self, messages: Sequence[Any]) -> None:
        roles: list[str | None] = []
        entries: list[Entry] = []
        starts = array("q")
        kinds: defaultdict[str, list[Entry]] = defaultdict(list)
        cached: list[Entry] = []
        add, start = entries.append, starts.append
        for i, msg in enumerate(messages):
            start(len(entries))
            if not isinstance(msg, dict):
                roles.append(None)
                continue
            role = msg.get("role")
            roles.append(role if isinstance(role, str) else None)
            content = msg.get("content")
            if not isinstance(content, list):
                continue
            for j, block in enumerate(content):
                if isinstance(block, dict):
                    entry = (i, j, block)
                    add(entry)
                    kind = block.get("type")
                    if isinstance(kind, str):  # a type of another JSON type is no block type a rule asks for
                        kinds[kind].append(entry)
                    if "cache_control" in block:
                        cached.append(entry)
        start(len(entries))
        self.roles, self.entries, self.starts, self.kinds, self.cached = roles, entries, starts, dict(kinds), cached


@frozen
class MediaBlock:
    """An image or document block found anywhere in the conversation."""

    pointer: str
    block: dict[str, Any]
    kind: str  # "image" or "document"


class Turns(Sequence[Turn]):
    """The turns of a request, compactly: where each starts among the messages, and its role.

    A turn is a run of consecutive messages (of one role, or a message without a role
    alone), so a start and a role say all; a request of a million messages costs two words
    a turn here, and :class:`Turn` views are made when asked for.
    """

    __slots__ = ("_roles", "_starts", "_count")

    def __init__(self, roles: Sequence[str | None]) -> None:
        self._starts = array("q")
        self._roles: list[str] = []
        self._count = len(roles)
        current: str | None = None
        for i, role in enumerate(roles):
            if role is not None and role == current and (role == "user" or role == "assistant"):
                continue  # merged into the turn before
            self._starts.append(i)
            self._roles.append(role or "")
            current = role

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, t: int) -> Turn: ...
    @overload
    def __getitem__(self, t: slice) -> list[Turn]: ...
    def __getitem__(self, t: int | slice) -> Turn | list[Turn]:
        if isinstance(t, slice):
            return [self[k] for k in range(*t.indices(len(self)))]
        if t < 0:
            t += len(self)
        if not 0 <= t < len(self):
            raise IndexError("turn index out of range")
        return Turn(self._roles[t], tuple(self.span(t)))

    def span(self, t: int) -> range:
        """The indices of turn ``t``'s messages."""
        end = self._starts[t + 1] if t + 1 < len(self._starts) else self._count
        return range(self._starts[t], end)

    def role(self, t: int) -> str:
        """The role of turn ``t`` (``""`` for messages without one)."""
        return self._roles[t]

    def groups(self, entries: Sequence[Entry]) -> Iterator[tuple[int, Sequence[Entry]]]:
        """(turn, its entries) for each turn with some of ``entries`` (in document order), in
        one walk of the turns and the entries."""
        starts, count = self._starts, self._count
        last = len(starts) - 1
        t, k, n = 0, 0, len(entries)
        while k < n:
            index = entries[k][0]
            while t < last and starts[t + 1] <= index:
                t += 1
            end = starts[t + 1] if t < last else count
            first = k
            while k < n and entries[k][0] < end:
                k += 1
            yield t, entries[first:k]

    def of(self, index: int) -> int:
        """The number of the turn message ``index`` belongs to."""
        return bisect.bisect_right(self._starts, index) - 1


class RequestContext:
    """Options, model capabilities and cached views of one request payload."""

    def __init__(
        self,
        request: dict[str, Any],
        options: LintOptions | None = None,
        *,
        body_size: int | None = None,
        count_tokens: bool = False,
    ) -> None:
        self.request = request
        self.options = options or LintOptions()
        self.body_size = body_size
        self.count_tokens = count_tokens
        self.cache: dict[str, Any] = {}

    # -- options ---------------------------------------------------------------
    @property
    def target(self) -> str:
        return self.options.target

    @property
    def strict(self) -> bool:
        return self.options.strict

    # -- model -----------------------------------------------------------------
    @_cached
    def model_id(self) -> str | None:
        model = self.request.get("model")
        return model if isinstance(model, str) else None

    @_cached
    def model(self) -> ModelInfo | None:
        return resolve_model(self.model_id, self.options.models) if self.model_id else None

    # -- headers ---------------------------------------------------------------
    @_cached
    def betas(self) -> frozenset[str]:
        """The ``anthropic-beta`` names the request is sent with (as far as the input shows)."""
        return frozenset(self.options.all_betas)

    @property
    def knows_headers(self) -> bool:
        """Whether the request's headers were seen (a capture, a recorded request or ``--beta``)."""
        return bool(self.options.headers) or bool(self.options.betas)

    @_cached
    def context_window(self) -> int | None:
        """The model's context window with the betas the request is sent with."""
        model = self.model
        if model is None or model.context_window is None:
            return None
        if model.context_window_beta and model.context_beta in self.betas:
            return max(model.context_window, model.context_window_beta)
        return model.context_window

    # -- messages --------------------------------------------------------------
    @_cached
    def messages(self) -> list[Any]:
        value = self.request.get("messages")
        return value if isinstance(value, list) else []

    def message(self, index: int) -> dict[str, Any] | None:
        msgs = self.messages
        if 0 <= index < len(msgs) and isinstance(msgs[index], dict):
            return msgs[index]
        return None

    @_cached
    def _index(self) -> _Index:
        return _Index(self.messages)  # the request is not changed while it is judged

    @property
    def roles(self) -> Sequence[str | None]:
        """Each message's role (``None`` where it is not a string, or the message not an object)."""
        return self._index.roles

    def role(self, index: int) -> str | None:
        roles = self._index.roles
        return roles[index] if 0 <= index < len(roles) else None

    def blocks(self, index: int) -> list[tuple[int, dict[str, Any]]]:
        """The dict blocks of message ``index`` with their positions (list content only)."""
        return [(j, block) for _, j, block in self.message_blocks(index)]

    def message_blocks(self, index: int) -> list[Entry]:
        """The ``(index, position, block)`` entries of message ``index`` (list content only)."""
        idx = self._index
        if not 0 <= index < len(idx.roles):
            return []
        return idx.entries[idx.starts[index] : idx.starts[index + 1]]

    @property
    def all_blocks(self) -> Sequence[Entry]:
        """Every dict block of list content as ``(index, position, block)``, in document order
        (shared: read it, do not change it)."""
        return self._index.entries

    def blocks_of(self, *kinds: str) -> Sequence[Entry]:
        """The entries of the blocks whose ``type`` is one of ``kinds``, in document order
        (for one kind the list is shared: read it, do not change it)."""
        found = self._index.kinds
        if len(kinds) == 1:
            return found.get(kinds[0], ())
        lists = [found[kind] for kind in dict.fromkeys(kinds) if kind in found]
        if len(lists) <= 1:
            return lists[0] if lists else ()
        # sorted runs, merged by the sort in their length times log their number; a block
        # has one type, so no two entries share (index, position) and no block is compared
        return sorted(chain.from_iterable(lists))

    def has_block(self, index: int, kind: str) -> bool:
        """Whether message ``index`` has a block of type ``kind``."""
        idx = self._index
        if 0 <= index < len(idx.roles):
            entries = idx.entries
            for k in range(idx.starts[index], idx.starts[index + 1]):
                if entries[k][2].get("type") == kind:
                    return True
        return False

    def text_parts(self, index: int) -> list[tuple[str, str]]:
        """(pointer to the text, text) for string content and for every text block."""
        msg = self.message(index)
        if msg is None:
            return []
        content = msg.get("content")
        if isinstance(content, str):
            return [(content_pointer(index), content)]
        out = []
        for _, j, block in self.message_blocks(index):
            if block.get("type") == "text" and isinstance(block.get("text"), str):
                out.append((content_pointer(index, j) + "/text", block["text"]))
        return out

    @_cached
    def turns(self) -> Turns:
        """Messages grouped into turns: consecutive messages of the same role merge."""
        return Turns(self._index.roles)

    @_cached
    def _offsets(self) -> array[int]:
        """Where each message's blocks start in its merged turn (a string content is one block)."""
        offsets = array("q", bytes(8 * len(self.messages)))
        turns = self.turns
        for t in range(len(turns)):
            offset = 0
            for i in turns.span(t):
                offsets[i] = offset
                content = (self.message(i) or {}).get("content")
                offset += len(content) if isinstance(content, list) else 1
        return offsets

    def server_numbering(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """Diagnostics whose message quotes the server (``messages.3.content.1: ...``) renumbered
        as the server numbers: after merging consecutive same-role turns.  The JSON pointer
        keeps the position in the body."""
        return [self.renumbered(d) for d in diagnostics]

    @_cached
    def _merges_turns(self) -> bool:
        return len(self.turns) < len(self.messages)

    def renumbered(self, d: Diagnostic) -> Diagnostic:
        """One diagnostic of :meth:`server_numbering`."""
        if not self._merges_turns:
            return d
        m = _QUOTED.match(d.message)
        p = _BODY.match(d.location.pointer or "")
        if m is None or p is None or m.group(1) != p.group(1) or (m.group(2) and m.group(2) != p.group(2)):
            return d
        index = int(m.group(1))
        if index < len(self.messages):
            number, offset = self.turns.of(index), self._offsets[index]
        else:
            number, offset = index, 0
        lead = f"messages.{number}" + (f".content.{offset + int(m.group(2))}" if m.group(2) else "")
        if lead == m.group(0):
            return d
        return attrs.evolve(d, message=lead + d.message[m.end() :])

    @_cached
    def final_assistant_index(self) -> int | None:
        """Index of the last message when it is an assistant message (a prefill)."""
        n = len(self.messages)
        if n and self.role(n - 1) == "assistant":
            return n - 1
        return None

    def is_prefill(self) -> bool:
        """Whether the request ends with an assistant turn the model would continue.

        A final assistant message that ends in a server tool call or its result is the
        continuation of a paused turn (``stop_reason: "pause_turn"``), not a prefill.
        """
        index = self.final_assistant_index
        if index is None:
            return False
        msg = self.message(index)
        assert msg is not None
        content = msg.get("content")
        if isinstance(content, str):
            return content != ""
        if isinstance(content, list) and content:
            last = content[-1]
            if isinstance(last, dict):
                kind = last.get("type")
                return kind == "text" or kind in THINKING_TYPES
        return False

    # -- thinking --------------------------------------------------------------
    @_cached
    def thinking_type(self) -> str | None:
        thinking = self.request.get("thinking")
        if isinstance(thinking, dict) and isinstance(thinking.get("type"), str):
            return thinking["type"]
        return None

    @property
    def thinking_on(self) -> bool:
        return self.thinking_type in ("enabled", "adaptive")

    @property
    def thinking_off(self) -> bool:
        """Thinking is certainly off: no ``thinking`` parameter, or ``type: disabled``."""
        thinking = self.request.get("thinking")
        return thinking is None or self.thinking_type == "disabled"

    # -- tools -----------------------------------------------------------------
    @_cached
    def tools(self) -> list[tuple[int, dict[str, Any]]]:
        value = self.request.get("tools")
        if not isinstance(value, list):
            return []
        return [(i, t) for i, t in enumerate(value) if isinstance(t, dict)]

    # -- media -----------------------------------------------------------------
    @_cached
    def media(self) -> list[MediaBlock]:
        """Every image and document block: in message content, inside tool results and
        inside documents whose source is a list of content blocks."""
        found: list[MediaBlock] = []
        for i, j, block in self.blocks_of("image", "document", "tool_result"):  # where media may be
            self._collect_media(block, content_pointer(i, j), found, depth=0)
        return found

    def _collect_media(self, block: dict[str, Any], pointer: str, out: list[MediaBlock], depth: int) -> None:
        kind = block.get("type")
        if kind == "image":
            out.append(MediaBlock(pointer, block, "image"))
        elif kind == "document":
            out.append(MediaBlock(pointer, block, "document"))
            source = block.get("source")
            if depth < 3 and isinstance(source, dict) and isinstance(source.get("content"), list):
                for k, inner in enumerate(source["content"]):
                    if isinstance(inner, dict):
                        self._collect_media(inner, f"{pointer}/source/content/{k}", out, depth + 1)
        elif kind == "tool_result":
            content = block.get("content")
            if depth < 3 and isinstance(content, list):
                for k, inner in enumerate(content):
                    if isinstance(inner, dict):
                        self._collect_media(inner, f"{pointer}/content/{k}", out, depth + 1)

    @_cached
    def image_count(self) -> int:
        return sum(1 for m in self.media if m.kind == "image")

    # -- cache_control -----------------------------------------------------------
    def cache_breakpoints(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(pointer, cache_control) in processing order: tools, system, messages, top level."""
        return iter(self._breakpoints)

    @_cached
    def _breakpoints(self) -> list[tuple[str, dict[str, Any]]]:
        out: list[tuple[str, dict[str, Any]]] = []
        for i, tool in self.tools:
            cc = tool.get("cache_control")
            if isinstance(cc, dict):
                out.append((join_pointer("tools", i, "cache_control"), cc))
        system = self.request.get("system")
        if isinstance(system, list):
            for j, block in enumerate(system):
                if isinstance(block, dict) and isinstance(block.get("cache_control"), dict):
                    out.append((f"/system/{j}/cache_control", block["cache_control"]))
        # the blocks with a cache_control and the tool results (whose content may have one),
        # merged in document order; a tool result with a cache_control is in both lists
        idx = self._index
        cached, k = idx.cached, 0
        for result in idx.kinds.get("tool_result", ()):
            while k < len(cached) and cached[k] is not result and cached[k][:2] < result[:2]:
                _block_breakpoints(cached[k], out)
                k += 1
            if k < len(cached) and cached[k] is result:
                k += 1
            _block_breakpoints(result, out)
        for entry in cached[k:]:
            _block_breakpoints(entry, out)
        top = self.request.get("cache_control")
        if isinstance(top, dict):
            out.append(("/cache_control", top))
        return out


def _block_breakpoints(entry: Entry, out: list[tuple[str, dict[str, Any]]]) -> None:
    """The breakpoints of a block of message content: its own, then those in its content
    when it is a tool result (and in a tool result there, no deeper)."""
    i, j, block = entry
    cc = block.get("cache_control")
    if isinstance(cc, dict):
        out.append((content_pointer(i, j) + "/cache_control", cc))
    if block.get("type") == "tool_result" and isinstance(block.get("content"), list):
        _inner_breakpoints(block, content_pointer(i, j), out, 1)


def _inner_breakpoints(block: dict[str, Any], pointer: str, out: list[tuple[str, dict[str, Any]]], depth: int) -> None:
    for k, inner in enumerate(block["content"]):
        if isinstance(inner, dict):
            cc = inner.get("cache_control")
            if isinstance(cc, dict):
                out.append((f"{pointer}/content/{k}/cache_control", cc))
            if depth < 2 and inner.get("type") == "tool_result" and isinstance(inner.get("content"), list):
                _inner_breakpoints(inner, f"{pointer}/content/{k}", out, depth + 1)
