"""Legacy prompt rules (``P``), P0xx: reading a prompt (P1xx, writing one, are in
:mod:`transcript.prompt.render_codes`).

The codes are emitted from inside the converter (:mod:`transcript.prompt.parse`); this
module registers them with their examples, each a prompt (runner ``prompt``).  Each rule names the converter-spec diagnostic(s) it stands
for; where the spec has an ``E_`` and a ``W_`` name for one concept under different
policies, one code covers both and its severity follows the policy.
"""

from __future__ import annotations

from transcript.core.registry import register

PROMPT = "prompt"

# --------------------------------------------------------------------------- parse

CRLF_MARKERS = register(
    "P001",
    "crlf-markers",
    severity="error",
    summary="Turn markers are written with CRLF line ends.",
    explanation="""
        Spec names: E_CRLF_MARKERS, W_CRLF_NORMALIZED.

        Text Completions matches `\\n\\nHuman:` and `\\n\\nAssistant:` exactly, with LF
        line ends.  A prompt saved on Windows has `\\r\\n\\r\\nHuman:`, which the API does
        not read as a turn at all.  This is an error; with `--normalize-newlines` every
        CRLF in the prompt is replaced with LF and the finding is a warning (the text
        of the turns changed).
    """,
    bad="\r\n\r\nHuman: Hi\r\n\r\nAssistant:",
    good="\n\nHuman: Hi\n\nAssistant:",
    runner=PROMPT,
)

MISSING_LEADING_NEWLINES = register(
    "P002",
    "missing-leading-newlines",
    severity="warning",
    summary="The prompt starts with 'Human:' instead of '\\n\\nHuman:'.",
    explanation="""
        Spec name: W_MISSING_LEADING_NEWLINES.

        The API documented that it "lightly sanitizes" a prompt starting with `Human:`
        and accepted it; the converter reads it as the first Human turn and warns
        (`--strict`: error).  With `--lenient-start`, one newline or three and more
        before `Human:` at the very start are read the same way (LangChain's
        `^\\n*Human:`); without it they are text.
    """,
    bad="Human: Hi\n\nAssistant:",
    good="\n\nHuman: Hi\n\nAssistant:",
    runner=PROMPT,
)

NEAR_MISS_MARKER = register(
    "P003",
    "near-miss-marker",
    severity="info",
    summary="A line starts like a turn marker but is not one.",
    explanation="""
        Spec name: I_NEAR_MISS_MARKER.

        Only `\\n\\nHuman:` and `\\n\\nAssistant:` (two LF, exact case, no space before
        the colon) are markers.  `\\nAssistant:` after one newline, `human:`, `Human :`,
        `H:`, `A:`, `User:` and `System:` are text, exactly as the API read them; the
        API's own example of an invalid prompt is `"\\n\\nHuman: Hello, Claude
        \\nAssistant:"` ("`\\n\\nAssistant:` only has one `\\n`").  Reported as information
        so a prompt that meant a turn there can be fixed.
    """,
    bad="\n\nHuman: a\nAssistant: b\n\nAssistant:",
    good="\n\nHuman: Quote: Human: hi\n\nAssistant:",
    runner=PROMPT,
)

NO_HUMAN_TURN = register(
    "P004",
    "no-human-turn",
    severity="error",
    summary="The prompt has no '\\n\\nHuman:' turn.",
    explanation="""
        Spec name: E_NO_HUMAN_TURN.

        The API rejected such prompts: `prompt must start with "\\n\\nHuman:" turn`.
        Text with no marker, or with only Assistant markers, has no user message to
        convert.  (JSON given where a prompt was expected lands here too; convert it
        with `--to prompt`.)
    """,
    bad="Hello, world",
    good="\n\nHuman: Hello, world\n\nAssistant:",
    runner=PROMPT,
)

FIRST_TURN_NOT_HUMAN = register(
    "P005",
    "first-turn-not-human",
    severity="error",
    summary="The first turn is an Assistant turn.",
    explanation="""
        Spec name: E_FIRST_TURN_NOT_HUMAN.

        The API requires the first turn after the optional system text to be a Human
        turn: `prompt must start with "\\n\\nHuman:" turn after an optional system
        prompt`.  Also reported, as a warning, when `--empty-turns drop` removed the
        first Human turn and the messages now start with the assistant.
    """,
    bad="\n\nAssistant: Hi\n\nHuman: Q\n\nAssistant:",
    good="\n\nHuman: Q\n\nAssistant:",
    runner=PROMPT,
)

WHITESPACE_SYSTEM_DROPPED = register(
    "P006",
    "whitespace-system-dropped",
    severity="warning",
    summary="The text before the first turn is only whitespace and is dropped.",
    explanation="""
        Spec name: W_WHITESPACE_SYSTEM_DROPPED.

        Text before the first `\\n\\nHuman:` is the system prompt, kept verbatim.  When
        it is only whitespace there is no system prompt; the whitespace is kept in the
        conversion's meta so rendering can restore it.  `--strict`: error.
    """,
    bad="  \n\nHuman: Hi\n\nAssistant:",
    good="Be terse.\n\nHuman: Hi\n\nAssistant:",
    runner=PROMPT,
)

SYSTEM_UNWRAPPED = register(
    "P007",
    "system-unwrapped",
    severity="warning",
    summary="An <admin> or <system> Human turn was made the system prompt.",
    explanation="""
        Spec name: W_SYSTEM_UNWRAPPED.

        Before Claude 2.1, libraries such as LiteLLM and LlamaIndex wrote the system
        prompt as a Human turn, `\\n\\nHuman: <admin>...</admin>`.  The converter never
        unwraps it by default (it is a user turn as far as the model knew); with
        `--unwrap-system-tags` a first Human turn that is exactly one such block, and
        is followed by another Human turn, becomes the system prompt, with this warning.
    """,
    bad="\n\nHuman: <admin>Be terse</admin>\n\nHuman: Hi\n\nAssistant:",
    good="Be terse\n\nHuman: Hi\n\nAssistant:",
    runner=PROMPT,
    example_options={"unwrap_system_tags": True},
)

NO_SEPARATOR = register(
    "P008",
    "no-separator",
    severity="info",
    summary="No space after a turn marker.",
    explanation="""
        Spec name: I_NO_SEP.

        The SDKs write `f"{HUMAN_PROMPT} {text}"`: one space after the colon, which is
        not part of the text.  Without it the text starts right after the colon; it is
        converted as is and the conversion's meta remembers it, so rendering restores
        the exact bytes.
    """,
    bad="\n\nHuman:Hi\n\nAssistant:",
    good="\n\nHuman: Hi\n\nAssistant:",
    runner=PROMPT,
)

FINAL_ASSISTANT_WHITESPACE = register(
    "P009",
    "final-assistant-whitespace",
    severity="warning",
    summary="Whitespace after the final '\\n\\nAssistant:'.",
    explanation="""
        Spec name: W_FINAL_ASSISTANT_WHITESPACE.

        `"...\\n\\nAssistant: "` was accepted by the API (it removed trailing spaces),
        but Messages cannot express a whitespace-only prefill: the final turn is read
        as the generation slot and the whitespace dropped.  `--strict`: error.
    """,
    bad="\n\nHuman: Hi\n\nAssistant: ",
    good="\n\nHuman: Hi\n\nAssistant:",
    runner=PROMPT,
)

PREFILL_TRAILING_WHITESPACE = register(
    "P010",
    "prompt-prefill-trailing-whitespace",
    severity="warning",
    summary="The prefill (final Assistant text) ends with whitespace.",
    explanation="""
        Spec names: W_PREFILL_RSTRIPPED, E_PREFILL_TRAILING_WHITESPACE.

        The Messages API rejects it: `messages: final assistant content cannot end
        with trailing whitespace`.  By default the trailing whitespace is removed (and
        kept in meta; `--restore-prefill-whitespace` writes it back when rendering)
        with a warning; `--strict` makes it an error.  Leading whitespace is never
        touched.
    """,
    bad="\n\nHuman: Hi\n\nAssistant: {\n",
    good="\n\nHuman: Hi\n\nAssistant: {",
    runner=PROMPT,
)

NO_FINAL_ASSISTANT = register(
    "P011",
    "no-final-assistant",
    severity="warning",
    summary="The prompt does not end with an '\\n\\nAssistant:' turn.",
    explanation="""
        Spec names: W_NO_FINAL_ASSISTANT, E_NO_FINAL_ASSISTANT.

        Text Completions rejected it (`prompt must end with "\\n\\nAssistant:" turn`).
        Messages accepts a conversation ending with the user, so by default the
        messages end with that user turn and this is a warning; `--strict`: error.
    """,
    bad="\n\nHuman: Hi",
    good="\n\nHuman: Hi\n\nAssistant:",
    runner=PROMPT,
)

CONSECUTIVE_SAME_ROLE_TURNS = register(
    "P012",
    "consecutive-same-role-turns",
    severity="info",
    summary="Two turns of the same role in a row.",
    explanation="""
        Spec name: I_CONSECUTIVE_SAME_ROLE.

        Legal in Text Completions, and in Messages ("Consecutive user or assistant
        turns in your request will be combined into a single turn"), so they stay
        separate messages.  `--merge blocks` makes one message with one text block per
        turn; `--merge join` joins their text (a warning, P013).
    """,
    bad="\n\nHuman: a\n\nHuman: b\n\nAssistant:",
    good="\n\nHuman: a\n\nAssistant: x\n\nHuman: b\n\nAssistant:",
    runner=PROMPT,
)

TURNS_JOINED = register(
    "P013",
    "turns-joined",
    severity="warning",
    summary="Consecutive same-role turns were joined into one text.",
    explanation="""
        Spec name: W_TURNS_JOINED.

        With `--merge join` a run of same-role turns becomes one message whose text is
        the turns' texts with `--join-separator` (default two newlines) between them.
        The text differs from what the model saw, hence the warning.
    """,
    bad="\n\nHuman: a\n\nHuman: b\n\nAssistant:",
    good="\n\nHuman: a b\n\nAssistant:",
    runner=PROMPT,
    example_options={"merge": "join"},
)

EMPTY_TURN = register(
    "P014",
    "empty-turn",
    severity="error",
    summary="A turn has no text (or only whitespace).",
    explanation="""
        Spec names: E_EMPTY_TURN, W_EMPTY_TURN_DROPPED, W_EMPTY_TURN_PLACEHOLDER.

        The Messages API rejects empty and whitespace-only text (`messages: text
        content blocks must be non-empty`).  An error by default; `--empty-turns drop`
        removes the turn and `--empty-turns placeholder:TEXT` replaces its text, each
        with a warning.  (A final whitespace-only Assistant turn is the generation
        slot instead: P009.)
    """,
    bad="\n\nHuman:\n\nAssistant: Hi\n\nHuman: Q\n\nAssistant:",
    good="\n\nHuman: Hello\n\nAssistant: Hi\n\nHuman: Q\n\nAssistant:",
    runner=PROMPT,
)

ASSISTANT_BEFORE_SLOT = register(
    "P015",
    "assistant-turn-before-slot",
    severity="warning",
    summary="The prompt asks for a new Assistant turn right after an Assistant turn.",
    explanation="""
        `"...\\n\\nAssistant: x\\n\\nAssistant:"` asks the model for a fresh Assistant
        turn after one it already wrote.  As messages the last assistant message is a
        prefill, which the model continues without a turn break, so the meaning shifts
        slightly: a warning (`--strict`: error).  The conversion's meta remembers the
        final marker, so rendering with meta writes it back.  (Not in the converter
        spec's list; it follows from its rule 7.)
    """,
    bad="\n\nHuman: a\n\nAssistant: x\n\nAssistant:",
    good="\n\nHuman: a\n\nAssistant: x\n\nHuman: more\n\nAssistant:",
    runner=PROMPT,
)

BYTE_ORDER_MARK = register(
    "P016",
    "byte-order-mark",
    severity="warning",
    summary="The prompt starts with a byte order mark, which the conversion drops.",
    explanation="""
        A leading U+FEFF (the UTF-8 byte order mark some editors write) is an encoding
        artefact, not text the model should see, so it does not become system text: the
        conversion drops it and says so, because the prompt written back from the
        messages will not start with it (the one place the round trip is not exact).
        Positions are counted without it, as editors show them.
    """,
    bad="\ufeff\n\nHuman: Hi\n\nAssistant:",
    good="\n\nHuman: Hi\n\nAssistant:",
    runner=PROMPT,
)
