"""Legacy prompt -> system text and messages (converter spec 4.2).

:func:`parse_prompt` reads the prompt with the grammar (:mod:`transcript.prompt_grammar`)
and then applies the spec's rules in order: CRLF markers, the start repair, near-miss
markers, the first turn, the system text, separators, the final turn, empty turns,
same-role runs.  Every finding is a diagnostic of a ``P0xx`` rule located at a line and
column of the prompt; only whitespace is ever repaired by default, and ``strict`` turns
each repair into an error.  The result carries :class:`~transcript.prompt_meta.PromptMeta`
so rendering it again reproduces the prompt byte for byte when only information
diagnostics were raised.
"""

from __future__ import annotations

import gc
import re
from typing import Any

from attrs import field, frozen

from transcript.diagnostics import Diagnostic, LineIndex, Location, Severity
from transcript.fast_lines import line_index
from transcript.prompt_grammar import RawTurn, markers, parse_raw
from transcript.prompt_meta import PromptMeta

__all__ = ["ParseOptions", "ParseResult", "parse_prompt", "EMPTY_TURN_POLICIES", "MERGE_POLICIES"]

MERGE_POLICIES = ("none", "blocks", "join")
EMPTY_TURN_POLICIES = ("error", "drop", "placeholder:TEXT")
MAX_NEAR_MISSES = 100

_UNWRAP = re.compile(r"<(admin|system)>([\s\S]*)</\1>")
# A line that starts with something a reader might take for a turn marker.
_NEAR_WORDS = r"(?i:human|assistant|user|system|ai|h|a)"
_NEAR_LINE = re.compile(r"[\n\r][ \t]*(" + _NEAR_WORDS + r")[ \t]*:")
# The same for texts without CR: a literal first character and a cheap lookahead let
# the regex engine skip most lines at once (about 5x faster on long prompts).
_NEAR_LINE_LF = re.compile(r"\n(?=[ \thHaAuUsS])[ \t]*(" + _NEAR_WORDS + r")[ \t]*:")
_NEAR_START = re.compile(r"[ \t]*(" + _NEAR_WORDS + r")[ \t]*:")


def _check_empty_policy(value: str) -> str:
    if value in ("error", "drop"):
        return value
    if value.startswith("placeholder:"):
        text = value[len("placeholder:") :]
        if not text.strip():
            raise ValueError("the empty-turn placeholder must contain non-whitespace text")
        m = markers()
        if m.human in text or m.assistant in text:
            raise ValueError("the empty-turn placeholder must not contain a turn marker")
        return value
    raise ValueError(f"empty_turns must be 'error', 'drop' or 'placeholder:TEXT', not {value!r}")


def _check_merge(value: str) -> str:
    if value not in MERGE_POLICIES:
        raise ValueError(f"merge must be one of {', '.join(MERGE_POLICIES)}, not {value!r}")
    return value


@frozen
class ParseOptions:
    """Policies for prompt -> messages (spec 4.2).  Invalid values raise ``ValueError``."""

    strict: bool = False
    merge: str = field(default="none", validator=lambda _i, _a, v: _check_merge(v))
    join_separator: str = "\n\n"
    empty_turns: str = field(default="error", validator=lambda _i, _a, v: _check_empty_policy(v))
    normalize_newlines: bool = False
    lenient_start: bool = False
    unwrap_system_tags: bool = False

    @property
    def placeholder(self) -> str | None:
        if self.empty_turns.startswith("placeholder:"):
            return self.empty_turns[len("placeholder:") :]
        return None


@frozen
class ParseResult:
    """The conversation (``None`` when it cannot be converted), its meta and diagnostics."""

    value: dict[str, Any] | None
    meta: PromptMeta | None
    diagnostics: tuple[Diagnostic, ...] = field(converter=tuple)


class _Locator:
    """Line and column of offsets, with the line index built only if something is reported."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._index: LineIndex | None = None

    def at(self, offset: int, end: int | None = None) -> Location:
        if self._index is None:
            self._index = line_index(self.text)
        return self._index.location(offset, end=end)


class _Entry:
    """A turn on its way to becoming a message."""

    __slots__ = ("role", "content", "sep", "turn", "parts")

    def __init__(self, role: str, content: str, sep: bool, turn: RawTurn) -> None:
        self.role = role
        self.content = content
        self.sep = sep
        self.turn = turn
        self.parts: list[str] | None = None


def _rules() -> Any:
    from transcript.rules import prompt as rules

    return rules


def _show(text: str, limit: int = 40) -> str:
    shown = text if len(text) <= limit else text[:limit] + "..."
    return repr(shown)


_NO_GC_ABOVE = 1_000_000


def parse_prompt(text: str, options: ParseOptions | None = None) -> ParseResult:
    """Convert a legacy prompt.  Never raises on any string."""
    if not isinstance(text, str):
        raise TypeError("parse_prompt takes a str")
    if len(text) < _NO_GC_ABOVE or not gc.isenabled():
        return _parse_prompt(text, options)
    # A long prompt makes one message per turn and no reference cycles; the cyclic
    # collector's full passes over a growing heap would only make the time superlinear.
    gc.disable()
    try:
        return _parse_prompt(text, options)
    finally:
        gc.enable()


def _parse_prompt(text: str, options: ParseOptions | None) -> ParseResult:
    opts = options or ParseOptions()
    R = _rules()
    mk = markers()
    diags: list[Diagnostic] = []
    strict = opts.strict
    repair = Severity.ERROR if strict else Severity.WARNING

    # 1. CRLF markers.
    crlf = -1
    for marker in (mk.human, mk.assistant):
        found = text.find(marker.replace("\n", "\r\n"))
        if found >= 0 and (crlf < 0 or found < crlf):
            crlf = found
    loc = _Locator(text)
    if crlf >= 0:
        where = loc.at(crlf)
        if not opts.normalize_newlines:
            diags.append(
                R.CRLF_MARKERS.diagnostic(
                    "turn markers are written with CRLF line ends; Text Completions only reads "
                    "'\\n\\nHuman:' and '\\n\\nAssistant:' with LF",
                    where,
                    hint="convert with --normalize-newlines to replace every CRLF with LF",
                )
            )
            return ParseResult(None, None, diags)
        diags.append(
            R.CRLF_MARKERS.diagnostic(
                "CRLF line ends were replaced with LF throughout the prompt (turn markers were written with CRLF)",
                where,
                severity=Severity.WARNING,
            )
        )
        text = text.replace("\r\n", "\n")
        loc = _Locator(text)

    raw = parse_raw(text, lenient_start=opts.lenient_start)
    turns = raw.turns
    lead_end = turns[0].marker_end if turns and turns[0].start == 0 and turns[0].marker not in (mk.human, mk.assistant) else 0

    # 3. Near-miss markers (information only: they are text).
    diags.extend(_near_misses(text, lead_end, loc, R))

    # 4. A first Human turn.
    failed = False
    if not any(t.role == "user" for t in turns):
        hint = None
        stripped = text.lstrip()
        if stripped[:1] in ("{", "["):
            hint = "the input looks like JSON; to render messages as a prompt use --to prompt"
        elif opts.lenient_start is False and re.match(r"\n*Human:", text):
            hint = "the first marker lacks its two newlines; --lenient-start reads it as the first turn"
        else:
            hint = "a prompt is optional system text, then '\\n\\nHuman: ...', ending with '\\n\\nAssistant:'"
        first_a = turns[0].word_start if turns else 0
        diags.append(
            R.NO_HUMAN_TURN.diagnostic(
                "the prompt has no '\\n\\nHuman:' turn", loc.at(first_a if turns else 0), hint=hint
            )
        )
        return ParseResult(None, None, _sorted(diags))
    if turns[0].role != "user":
        first = turns[0]
        diags.append(
            R.FIRST_TURN_NOT_HUMAN.diagnostic(
                "the first turn is an Assistant turn; a prompt must start with '\\n\\nHuman:' "
                "after the optional system text",
                loc.at(first.word_start, first.marker_end),
            )
        )
        failed = True

    # 2. Start repair.
    meta_leading = mk.human
    first = turns[0]
    if first.start == 0 and first.role == "user" and first.marker != mk.human:
        meta_leading = first.marker
        diags.append(
            R.MISSING_LEADING_NEWLINES.diagnostic(
                f"the prompt starts with {first.marker!r} instead of '\\n\\nHuman:'; read as the first Human turn",
                loc.at(0, first.marker_end),
                severity=repair,
                hint="start the prompt with two newlines before 'Human:'",
            )
        )

    # 5. System text.
    system: str | None = None
    system_raw = ""
    if raw.system:
        if raw.system.isspace():
            system_raw = raw.system
            diags.append(
                R.WHITESPACE_SYSTEM_DROPPED.diagnostic(
                    f"the text before the first turn is only whitespace ({_show(raw.system)}); no system prompt",
                    loc.at(0, len(raw.system)),
                    severity=repair,
                )
            )
        else:
            system = raw.system

    # 7. The final turn.
    last = turns[-1]
    final_slot = False
    final_suffix = ""
    message_turns = turns
    prefill: str | None = None
    if last.role == "assistant":
        raw_text = (" " if last.sep else "") + last.text
        if raw_text == "":
            final_slot = True
            message_turns = turns[:-1]
        elif raw_text.isspace():
            final_slot = True
            final_suffix = raw_text
            message_turns = turns[:-1]
            diags.append(
                R.FINAL_ASSISTANT_WHITESPACE.diagnostic(
                    f"the final Assistant turn is only whitespace ({_show(raw_text)}); read as the generation slot",
                    loc.at(last.marker_end, last.end),
                    severity=repair,
                    hint="end the prompt with '\\n\\nAssistant:' and nothing after it",
                )
            )
        else:
            content = last.text
            stripped = content.rstrip()
            if stripped != content:
                suffix = content[len(stripped) :]
                if strict:
                    diags.append(
                        R.PREFILL_TRAILING_WHITESPACE.diagnostic(
                            f"the prefill ends with whitespace ({_show(suffix)}), which the Messages API rejects "
                            "for a final assistant message",
                            loc.at(last.text_start + len(stripped), last.end),
                            severity=Severity.ERROR,
                        )
                    )
                else:
                    final_suffix = suffix
                    prefill = stripped
                    diags.append(
                        R.PREFILL_TRAILING_WHITESPACE.diagnostic(
                            f"trailing whitespace {_show(suffix)} removed from the prefill (the Messages API "
                            "rejects a final assistant message ending in whitespace)",
                            loc.at(last.text_start + len(stripped), last.end),
                            severity=Severity.WARNING,
                        )
                    )
    elif last.role == "user":
        diags.append(
            R.NO_FINAL_ASSISTANT.diagnostic(
                "the prompt does not end with an '\\n\\nAssistant:' turn; the messages end with the user turn",
                loc.at(last.word_start, last.marker_end),
                severity=repair,
                hint="end the prompt with '\\n\\nAssistant:'",
            )
        )

    entries: list[_Entry] = []
    for t in message_turns:
        if t.text and not t.sep:
            diags.append(
                R.NO_SEPARATOR.diagnostic(
                    "no space after the turn marker; the text starts right after the colon",
                    loc.at(t.marker_end),
                )
            )
        entries.append(_Entry(t.role, t.text, t.sep, t))
    if prefill is not None:
        entries[-1].content = prefill

    # 9. Empty turns.
    placeholder = opts.placeholder
    kept: list[_Entry] = []
    for e in entries:
        if e.content == "" or e.content.isspace():
            t = e.turn
            role = "Human" if e.role == "user" else "Assistant"
            where = loc.at(t.word_start, t.end)
            if opts.empty_turns == "drop":
                diags.append(
                    R.EMPTY_TURN.diagnostic(
                        f"empty {role} turn dropped",
                        where,
                        severity=Severity.WARNING,
                    )
                )
                continue
            if placeholder is not None:
                diags.append(
                    R.EMPTY_TURN.diagnostic(
                        f"empty {role} turn replaced with the placeholder {_show(placeholder)}",
                        where,
                        severity=Severity.WARNING,
                    )
                )
                e.content = placeholder
            else:
                diags.append(
                    R.EMPTY_TURN.diagnostic(
                        f"the {role} turn is empty{' (whitespace only)' if e.content else ''}; the Messages API "
                        "rejects empty text",
                        where,
                        hint="remove the turn, or convert with --empty-turns drop or --empty-turns placeholder:TEXT",
                    )
                )
                failed = True
        kept.append(e)
    if opts.empty_turns == "drop" and len(kept) != len(entries):
        if not kept:
            diags.append(
                R.NO_HUMAN_TURN.diagnostic("no turn is left after dropping the empty ones", loc.at(0))
            )
            return ParseResult(None, None, _sorted(diags))
        if kept[0].role == "assistant" and entries[0].role == "user":
            diags.append(
                R.FIRST_TURN_NOT_HUMAN.diagnostic(
                    "after dropping the empty first Human turn the messages start with an assistant turn, "
                    "which older API versions and gateways reject",
                    loc.at(kept[0].turn.word_start, kept[0].turn.marker_end),
                    severity=Severity.WARNING,
                    hint="use --empty-turns placeholder:TEXT instead",
                )
            )
    entries = kept

    # 5b. Unwrapping <admin>/<system> Human turns (opt-in).
    if opts.unwrap_system_tags and system is None and len(entries) >= 2 and entries[1].role == "user":
        head = entries[0]
        m = _UNWRAP.fullmatch(head.content) if head.role == "user" else None
        if m is not None and m.group(2).strip():
            system = m.group(2)
            system_raw = ""
            diags.append(
                R.SYSTEM_UNWRAPPED.diagnostic(
                    f"the first Human turn was a <{m.group(1)}> block; its content became the system prompt",
                    loc.at(head.turn.word_start, head.turn.end),
                    severity=Severity.WARNING,
                )
            )
            entries = entries[1:]

    # 8. Same-role runs.
    groups: list[list[_Entry]] = []
    for e in entries:
        if groups and groups[-1][0].role == e.role:
            groups[-1].append(e)
            t = e.turn
            diags.append(
                R.CONSECUTIVE_SAME_ROLE_TURNS.diagnostic(
                    f"two {'Human' if e.role == 'user' else 'Assistant'} turns in a row"
                    + (
                        "; kept as separate messages (the Messages API combines them)"
                        if opts.merge == "none"
                        else ("; merged into one message of text blocks" if opts.merge == "blocks" else "")
                    ),
                    loc.at(t.word_start, t.marker_end),
                )
            )
        else:
            groups.append([e])

    if final_slot and entries and entries[-1].role == "assistant":
        t = turns[-1]
        diags.append(
            R.ASSISTANT_BEFORE_SLOT.diagnostic(
                "the prompt asks for a new Assistant turn right after an Assistant turn; as messages, the model "
                "would continue the previous assistant message instead",
                loc.at(t.word_start, t.marker_end),
                severity=repair,
            )
        )

    if failed or any(d.severity is Severity.ERROR for d in diags):
        return ParseResult(None, None, _sorted(diags))

    messages: list[dict[str, Any]] = []
    no_sep: list[int] = []
    if opts.merge == "none":
        for e in entries:
            if not e.sep:
                no_sep.append(len(messages))
            messages.append({"role": e.role, "content": e.content})
    elif opts.merge == "blocks":
        for g in groups:
            if not g[0].sep:
                no_sep.append(len(messages))
            messages.append({"role": g[0].role, "content": [{"type": "text", "text": e.content} for e in g]})
    else:
        sep = opts.join_separator
        for g in groups:
            if not g[0].sep:
                no_sep.append(len(messages))
            if len(g) > 1:
                diags.append(
                    R.TURNS_JOINED.diagnostic(
                        f"{len(g)} consecutive {'Human' if g[0].role == 'user' else 'Assistant'} turns joined "
                        f"into one message with {sep!r} between them",
                        loc.at(g[0].turn.word_start, g[-1].turn.end),
                        severity=Severity.WARNING,
                    )
                )
            messages.append({"role": g[0].role, "content": sep.join(e.content for e in g)})

    value: dict[str, Any] = {}
    if system is not None:
        value["system"] = system
    value["messages"] = messages
    meta = PromptMeta(
        no_sep=no_sep,
        system_raw=system_raw,
        leading_marker=meta_leading,
        final_slot=final_slot,
        final_suffix=final_suffix,
    )
    return ParseResult(value, meta, _sorted(diags))


def _near_misses(text: str, lead_end: int, loc: _Locator, R: Any) -> list[Diagnostic]:
    mk = markers()
    exact = {mk.human.lstrip("\n"), mk.assistant.lstrip("\n")}
    found: list[tuple[int, int]] = []
    m0 = _NEAR_START.match(text)
    if m0 is not None and lead_end == 0:
        found.append((m0.start(1), m0.end()))
    for m in (_NEAR_LINE if "\r" in text else _NEAR_LINE_LF).finditer(text):
        start = m.start()
        word_start = m.start(1)
        if word_start < lead_end:
            continue
        if (
            text[start] == "\n"
            and start > 0
            and text[start - 1] == "\n"
            and word_start == start + 1
            and m.group() [1:] in exact
        ):
            continue  # an exact marker
        found.append((word_start, m.end()))
        if len(found) > MAX_NEAR_MISSES:
            break
    out = []
    for i, (s, e) in enumerate(found):
        if i == MAX_NEAR_MISSES:
            out.append(
                R.NEAR_MISS_MARKER.diagnostic(
                    f"more lines start like turn markers; only the first {MAX_NEAR_MISSES} are reported",
                    loc.at(s, e),
                )
            )
            break
        shown = text[s:e]
        out.append(
            R.NEAR_MISS_MARKER.diagnostic(
                f"{shown!r} starts a line but is not a turn marker (markers are exactly '\\n\\nHuman:' and "
                "'\\n\\nAssistant:'); read as text",
                loc.at(s, e),
            )
        )
    return out


def _sorted(diags: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diags, key=lambda d: (d.location.line or 0, d.location.column or 0, d.code))
