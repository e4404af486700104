"""Legacy prompt -> system text and messages (converter spec 4.2).

:func:`parse_prompt` reads the prompt with the grammar (:mod:`transcript.prompt.grammar`)
and then applies the spec's rules in order: CRLF markers, the start repair, near-miss
markers, the first turn, the system text, separators, the final turn, empty turns,
same-role runs.  Every finding is a diagnostic of a ``P0xx`` rule located at a line and
column of the prompt; only whitespace is ever repaired by default, and ``strict`` turns
each repair into an error.  The result carries :class:`~transcript.prompt_meta.PromptMeta`
so rendering it again reproduces the prompt byte for byte when only information
diagnostics were raised.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator, Sequence
from typing import Any

from attrs import field, frozen

from transcript.core.diagnostics import (
    MAX_PER_CODE,
    Diagnostic,
    DiagnosticSink,
    LineIndex,
    Location,
    Severity,
    diagnostic_tuple,
)
from transcript.core.jsontext import acyclic
from transcript.prompt import codes
from transcript.prompt.grammar import RawTurns, markers, parse_raw
from transcript.prompt.meta import PromptMeta

__all__ = ["ParseOptions", "ParseResult", "parse_prompt", "EMPTY_TURN_POLICIES", "MERGE_POLICIES"]

MERGE_POLICIES = ("none", "blocks", "join")
EMPTY_TURN_POLICIES = ("error", "drop", "placeholder:TEXT")
#: Near misses reported before one line says how many more there are (the per-code cap).
MAX_NEAR_MISSES = MAX_PER_CODE

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
    diagnostics: tuple[Diagnostic, ...] = field(converter=diagnostic_tuple)


class _Locator:
    """Line and column of offsets, with the line index built only if something is reported."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._index: LineIndex | None = None

    def at(self, offset: int, end: int | None = None) -> Location:
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index.location(offset, end=end)


def _show(text: str, limit: int = 40) -> str:
    shown = text if len(text) <= limit else text[:limit] + "..."
    return repr(shown)


def parse_prompt(text: str, options: ParseOptions | None = None, *, messages: bool = True) -> ParseResult:
    """Convert a legacy prompt.  Never raises on any string.

    With ``messages=False`` only the diagnostics are found (what lint needs): the messages
    and the meta are not built, and the result's ``value`` and ``meta`` are ``None``.
    """
    if not isinstance(text, str):
        raise TypeError("parse_prompt takes a str")
    # a long prompt makes a message per turn, and no reference cycles
    with acyclic(len(text), above=1_000_000):
        return _Parser(text, options or ParseOptions(), messages=messages).run()


class _Parser:
    """One conversion: the steps of spec 4.2 in order, sharing the text and the findings."""

    def __init__(self, text: str, opts: ParseOptions, *, messages: bool = True) -> None:
        self.text = text
        self.opts = opts
        self.messages = messages  # build the messages (else only the diagnostics)
        self.R = codes
        self.mk = markers()
        self.loc = _Locator(text)
        self.diags = DiagnosticSink()
        self.repair = Severity.ERROR if opts.strict else Severity.WARNING
        self.failed = False
        self.system: str | None = None
        self.system_raw = ""
        self.leading = self.mk.human
        self.final_slot = False
        self.final_suffix = ""
        self.turns = RawTurns(text, self.mk.human, self.mk.assistant)  # the turns, once read
        self.prefill: str | None = None  # the final turn's text without its trailing whitespace
        self.prefill_at = -1  # the turn it belongs to
        self.placeholder: str | None = None  # set once empty turns get the placeholder

    def add(
        self,
        rule: Any,
        message: str,
        start: int,
        end: int | None = None,
        *,
        severity: Severity | None = None,
        hint: str | None = None,
    ) -> None:
        if self.diags.skip(rule.code, severity or rule.severity):
            return  # past the code's cap: counted, not located
        self.diags.add(rule.diagnostic(message, self.loc.at(start, end), severity=severity, hint=hint))

    def failure(self) -> ParseResult:
        return ParseResult(None, None, _sorted(self.diags.result()))

    def run(self) -> ParseResult:
        if not self.crlf_markers():
            return self.failure()
        raw = parse_raw(self.text, lenient_start=self.opts.lenient_start)
        turns = self.turns = raw.turns
        self.near_misses(self._lead_end(turns))
        if not self.first_turn(turns):
            return self.failure()
        self.start_repair(turns)
        self.system_text(raw.system)
        count = self.final_turn(turns)
        self.separators(count)
        entries = self.empty_turns(count)
        if entries is None:
            return self.failure()
        entries = self.unwrap_system(entries)
        groups = self.same_role_runs(entries)
        self.assistant_before_slot(entries, turns)
        if self.failed or self.diags.errors:
            return self.failure()
        return self.build(entries, groups)

    # The parse keeps no object per turn: a message turn is an index into ``self.turns``,
    # its text the prompt's (read when needed), but for the two texts a policy changes.
    def content(self, i: int) -> str:
        """The text turn ``i`` becomes: the prefill without its trailing whitespace, the
        placeholder for an empty turn (with that policy), else the turn's text."""
        if i == self.prefill_at:
            assert self.prefill is not None
            return self.prefill
        if self.placeholder is not None and self.turns.blank(i):
            return self.placeholder
        return self.turns.text(i)

    # 1. CRLF markers.
    def crlf_markers(self) -> bool:
        R, mk = self.R, self.mk
        found = [self.text.find(m.replace("\n", "\r\n")) for m in (mk.human, mk.assistant)]
        found = [f for f in found if f >= 0]
        if not found:
            return True
        crlf = min(found)
        if not self.opts.normalize_newlines:
            self.add(
                R.CRLF_MARKERS,
                "turn markers are written with CRLF line ends; Text Completions only reads "
                "'\\n\\nHuman:' and '\\n\\nAssistant:' with LF",
                crlf,
                hint="convert with --normalize-newlines to replace every CRLF with LF",
            )
            return False
        self.add(
            R.CRLF_MARKERS,
            "CRLF line ends were replaced with LF throughout the prompt (turn markers were written with CRLF)",
            crlf,
            severity=Severity.WARNING,
        )
        # CRLF counts as one line end, so lines and columns stay those of the original.
        self.text = self.text.replace("\r\n", "\n")
        self.loc = _Locator(self.text)
        return True

    def _lead_end(self, turns: RawTurns) -> int:
        """End of a repaired first marker ('Human:' at 0): not a near miss."""
        if turns and turns.start(0) == 0 and turns.marker(0) not in (self.mk.human, self.mk.assistant):
            return turns.marker_end(0)
        return 0

    # 3. Near-miss markers.
    def near_misses(self, lead_end: int) -> None:
        """Every line that starts like a turn marker but is not one; past the cap, only counted."""
        text, rule = self.text, self.R.NEAR_MISS_MARKER
        for s, e in _near_misses(text, lead_end):
            self.add(
                rule,
                f"{text[s:e]!r} starts a line but is not a turn marker (markers are exactly '\\n\\nHuman:' and "
                "'\\n\\nAssistant:'); read as text",
                s,
                e,
            )

    # 4. A first Human turn.
    def first_turn(self, turns: RawTurns) -> bool:
        R = self.R
        if all(turns.is_assistant(i) for i in range(len(turns))):
            if self.text.lstrip()[:1] in ("{", "["):
                hint = "the input looks like JSON; to render messages as a prompt use --to prompt"
            elif not self.opts.lenient_start and re.match(r"\n*Human:", self.text):
                hint = "the first marker lacks its two newlines; --lenient-start reads it as the first turn"
            else:
                hint = "a prompt is optional system text, then '\\n\\nHuman: ...', ending with '\\n\\nAssistant:'"
            self.add(R.NO_HUMAN_TURN, "the prompt has no '\\n\\nHuman:' turn", turns.word_start(0) if turns else 0, hint=hint)
            return False
        first = turns[0]
        if first.role != "user":
            self.add(
                R.FIRST_TURN_NOT_HUMAN,
                "the first turn is an Assistant turn; a prompt must start with '\\n\\nHuman:' "
                "after the optional system text",
                first.word_start,
                first.marker_end,
            )
            self.failed = True  # keep going: report the other problems too
        return True

    # 2. Start repair.
    def start_repair(self, turns: RawTurns) -> None:
        first = turns[0]
        if first.start == 0 and first.role == "user" and first.marker != self.mk.human:
            self.leading = first.marker
            self.add(
                self.R.MISSING_LEADING_NEWLINES,
                f"the prompt starts with {first.marker!r} instead of '\\n\\nHuman:'; read as the first Human turn",
                0,
                first.marker_end,
                severity=self.repair,
                hint="start the prompt with two newlines before 'Human:'",
            )

    # 5. System text.
    def system_text(self, raw_system: str) -> None:
        if not raw_system:
            return
        if not raw_system.isspace():
            self.system = raw_system
            return
        self.system_raw = raw_system
        self.add(
            self.R.WHITESPACE_SYSTEM_DROPPED,
            f"the text before the first turn is only whitespace ({_show(raw_system)}); no system prompt",
            0,
            len(raw_system),
            severity=self.repair,
        )

    # 7. The final turn.
    def final_turn(self, turns: RawTurns) -> int:
        """How many turns become messages (all, or all but the generation slot); sets the
        prefill text when its trailing whitespace was stripped."""
        R = self.R
        last = turns[-1]
        if last.role == "user":
            self.add(
                R.NO_FINAL_ASSISTANT,
                "the prompt does not end with an '\\n\\nAssistant:' turn; the messages end with the user turn",
                last.word_start,
                last.marker_end,
                severity=self.repair,
                hint="end the prompt with '\\n\\nAssistant:'",
            )
            return len(turns)
        raw_text = (" " if last.sep else "") + last.text
        if raw_text == "":
            self.final_slot = True
            return len(turns) - 1
        if raw_text.isspace():
            self.final_slot = True
            self.final_suffix = raw_text
            self.add(
                R.FINAL_ASSISTANT_WHITESPACE,
                f"the final Assistant turn is only whitespace ({_show(raw_text)}); read as the generation slot",
                last.marker_end,
                last.end,
                severity=self.repair,
                hint="end the prompt with '\\n\\nAssistant:' and nothing after it",
            )
            return len(turns) - 1
        content = last.text
        stripped = content.rstrip()
        if stripped == content:
            return len(turns)
        suffix = content[len(stripped) :]
        if self.opts.strict:
            self.add(
                R.PREFILL_TRAILING_WHITESPACE,
                f"the prefill ends with whitespace ({_show(suffix)}), which the Messages API rejects "
                "for a final assistant message",
                last.text_start + len(stripped),
                last.end,
                severity=Severity.ERROR,
            )
            return len(turns)
        self.final_suffix = suffix
        self.add(
            R.PREFILL_TRAILING_WHITESPACE,
            f"trailing whitespace {_show(suffix)} removed from the prefill (the Messages API "
            "rejects a final assistant message ending in whitespace)",
            last.text_start + len(stripped),
            last.end,
            severity=Severity.WARNING,
        )
        self.prefill, self.prefill_at = stripped, len(turns) - 1
        return len(turns)

    # 6. Turn text and separators.
    def separators(self, count: int) -> None:
        rule, turns = self.R.NO_SEPARATOR, self.turns
        for i in range(count):
            if not turns.sep(i) and turns.has_text(i):
                self.add(rule, "no space after the turn marker; the text starts right after the colon", turns.marker_end(i))

    # 9. Empty turns.
    def empty_turns(self, count: int) -> Sequence[int] | None:
        """The message turns kept (indices), every empty one reported."""
        R, opts, turns = self.R, self.opts, self.turns
        placeholder = opts.placeholder
        drop = opts.empty_turns == "drop"
        kept = array("q") if drop else None
        for i in range(count):
            if i == self.prefill_at or not turns.blank(i):
                if kept is not None:
                    kept.append(i)
                continue
            role = "Human" if turns.role(i) == "user" else "Assistant"
            start, end = turns.word_start(i), turns.end(i)
            if drop:
                self.add(R.EMPTY_TURN, f"empty {role} turn dropped", start, end, severity=Severity.WARNING)
                continue
            if placeholder is not None:
                self.add(
                    R.EMPTY_TURN,
                    f"empty {role} turn replaced with the placeholder {_show(placeholder)}",
                    start,
                    end,
                    severity=Severity.WARNING,
                )
                self.placeholder = placeholder
            else:
                self.add(
                    R.EMPTY_TURN,
                    f"the {role} turn is empty{' (whitespace only)' if turns.has_text(i) else ''}; the Messages API "
                    "rejects empty text",
                    start,
                    end,
                    hint="remove the turn, or convert with --empty-turns drop or --empty-turns placeholder:TEXT",
                )
                self.failed = True
        if kept is None:
            return range(count)
        if len(kept) != count:
            if not kept:
                self.add(R.NO_HUMAN_TURN, "no turn is left after dropping the empty ones", 0)
                return None
            if turns.role(kept[0]) == "assistant" and turns.role(0) == "user":
                self.add(
                    R.FIRST_TURN_NOT_HUMAN,
                    "after dropping the empty first Human turn the messages start with an assistant turn, "
                    "which older API versions and gateways reject",
                    turns.word_start(kept[0]),
                    turns.marker_end(kept[0]),
                    severity=Severity.WARNING,
                    hint="use --empty-turns placeholder:TEXT instead",
                )
        return kept

    # 5b. <admin>/<system> Human turns (opt-in).
    def unwrap_system(self, entries: Sequence[int]) -> Sequence[int]:
        turns = self.turns
        if not (self.opts.unwrap_system_tags and self.system is None and len(entries) >= 2):
            return entries
        head = entries[0]
        if turns.role(head) != "user" or turns.role(entries[1]) != "user":
            return entries  # unwrapping would leave the messages starting with the assistant
        m = _UNWRAP.fullmatch(self.content(head))
        if m is None or not m.group(2).strip():
            return entries
        self.system = m.group(2)
        self.system_raw = ""
        self.add(
            self.R.SYSTEM_UNWRAPPED,
            f"the first Human turn was a <{m.group(1)}> block; its content became the system prompt",
            turns.word_start(head),
            turns.end(head),
            severity=Severity.WARNING,
        )
        return entries[1:]

    # 8. Same-role runs.
    def same_role_runs(self, entries: Sequence[int]) -> array[int]:
        """Where each run of one role starts among ``entries`` (only for a merge)."""
        turns = self.turns
        merge = self.opts.merge
        tail = {
            "none": "; kept as separate messages (the Messages API combines them)",
            "blocks": "; merged into one message of text blocks",
            "join": "",
        }[merge]
        runs = array("q")
        keep = merge != "none"  # the runs are found only for a merge; "none" keeps the entries
        previous: bool | None = None
        rule = self.R.CONSECUTIVE_SAME_ROLE_TURNS
        for k, i in enumerate(entries):
            assistant = turns.is_assistant(i)
            if previous is assistant:
                self.add(
                    rule,
                    f"two {'Assistant' if assistant else 'Human'} turns in a row{tail}",
                    turns.word_start(i),
                    turns.marker_end(i),
                )
            elif keep:
                runs.append(k)
            previous = assistant
        return runs

    def assistant_before_slot(self, entries: Sequence[int], turns: RawTurns) -> None:
        if self.final_slot and entries and turns.is_assistant(entries[-1]):
            last = len(turns) - 1
            self.add(
                self.R.ASSISTANT_BEFORE_SLOT,
                "the prompt asks for a new Assistant turn right after an Assistant turn; as messages, the model "
                "would continue the previous assistant message instead",
                turns.word_start(last),
                turns.marker_end(last),
                severity=self.repair,
            )

    # 10. Messages and meta.
    def build(self, entries: Sequence[int], runs: array[int]) -> ParseResult:
        turns = self.turns
        merge = self.opts.merge
        messages: list[dict[str, Any]] = []
        no_sep: list[int] = []
        content = self.content
        if not self.messages:
            self.joined_runs(entries, runs)
            return ParseResult(None, None, _sorted(self.diags.result()))
        if merge == "none":
            for i in entries:
                if not turns.sep(i):
                    no_sep.append(len(messages))
                messages.append({"role": turns.role(i), "content": content(i)})
        else:
            sep = self.opts.join_separator
            bounds = [*runs, len(entries)]
            for a, b in zip(bounds, bounds[1:]):
                group = entries[a:b]
                first = group[0]
                role = turns.role(first)
                if not turns.sep(first):
                    no_sep.append(len(messages))
                if merge == "blocks":
                    messages.append({"role": role, "content": [{"type": "text", "text": content(i)} for i in group]})
                    continue
                if len(group) > 1:
                    self.add(
                        self.R.TURNS_JOINED,
                        f"{len(group)} consecutive {'Human' if role == 'user' else 'Assistant'} turns joined "
                        f"into one message with {sep!r} between them",
                        turns.word_start(first),
                        turns.end(group[-1]),
                        severity=Severity.WARNING,
                    )
                messages.append({"role": role, "content": sep.join(content(i) for i in group)})
        value: dict[str, Any] = {}
        if self.system is not None:
            value["system"] = self.system
        value["messages"] = messages
        meta = PromptMeta(
            no_sep=no_sep,
            system_raw=self.system_raw,
            leading_marker=self.leading,
            final_slot=self.final_slot,
            final_suffix=self.final_suffix,
        )
        return ParseResult(value, meta, _sorted(self.diags.result()))

    def joined_runs(self, entries: Sequence[int], runs: array[int]) -> None:
        """What joining the runs reports, without joining them."""
        if self.opts.merge != "join":
            return
        turns, sep = self.turns, self.opts.join_separator
        bounds = [*runs, len(entries)]
        for a, b in zip(bounds, bounds[1:]):
            if b - a > 1:
                first = entries[a]
                role = turns.role(first)
                self.add(
                    self.R.TURNS_JOINED,
                    f"{b - a} consecutive {'Human' if role == 'user' else 'Assistant'} turns joined "
                    f"into one message with {sep!r} between them",
                    turns.word_start(first),
                    turns.end(entries[b - 1]),
                    severity=Severity.WARNING,
                )


def _near_misses(text: str, lead_end: int) -> Iterator[tuple[int, int]]:
    """Where every line that starts like a turn marker but is not one has its word and ends."""
    mk = markers()
    exact = {mk.human.lstrip("\n"), mk.assistant.lstrip("\n")}
    m0 = _NEAR_START.match(text)
    if m0 is not None and lead_end == 0:
        yield m0.start(1), m0.end()
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
            and m.group()[1:] in exact
        ):
            continue  # an exact marker
        yield word_start, m.end()


def _sorted(diags: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diags, key=lambda d: (d.location.line or 0, d.location.column or 0, d.code))
