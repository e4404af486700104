"""Legacy prompt rules (``P``): P0xx for reading a prompt, P1xx for writing one.

The codes are emitted from inside the converter (:mod:`transcript.prompt.parse`,
:mod:`transcript.prompt.render`); this module registers them with their examples, which
are of two sorts: a prompt (runner ``prompt``) and messages written as JSON (runner
``prompt-render``).  Each rule names the converter-spec diagnostic(s) it stands
for; where the spec has an ``E_`` and a ``W_`` name for one concept under different
policies, one code covers both and its severity follows the policy.
"""

from __future__ import annotations

from transcript.core.registry import register

PROMPT = "prompt"
RENDER = "prompt-render"

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

# -------------------------------------------------------------------------- render

SYSTEM_BLOCKS_JOINED = register(
    "P101",
    "system-blocks-joined",
    severity="info",
    summary="Several system text blocks were joined into one system text.",
    explanation="""
        Spec name: I_SYSTEM_BLOCKS_JOINED.

        A prompt has one system text; the blocks' texts are concatenated with nothing
        between them, which is what the model saw from Messages too.
    """,
    bad='{"system": [{"type": "text", "text": "A"}, {"type": "text", "text": "B"}], '
    '"messages": [{"role": "user", "content": "Hi"}]}',
    good='{"system": "AB", "messages": [{"role": "user", "content": "Hi"}]}',
    runner=RENDER,
)

BLOCK_ATTRIBUTE_DROPPED = register(
    "P102",
    "block-attribute-dropped",
    severity="warning",
    summary="A text block's cache_control or citations cannot be written in a prompt.",
    explanation="""
        Spec name: W_BLOCK_ATTR_DROPPED.

        A prompt is plain text: prompt caching breakpoints and citations on text
        blocks are lost.
    """,
    bad='{"system": [{"type": "text", "text": "A", "cache_control": {"type": "ephemeral"}}], '
    '"messages": [{"role": "user", "content": "Hi"}]}',
    good='{"system": [{"type": "text", "text": "A"}], "messages": [{"role": "user", "content": "Hi"}]}',
    runner=RENDER,
)

SYSTEM_ROLE_IN_MESSAGES = register(
    "P103",
    "system-role-in-messages",
    severity="error",
    summary="A message has the role 'system'.",
    explanation="""
        Spec name: E_SYSTEM_ROLE_IN_MESSAGES.

        The Messages API has no system role inside `messages` (the system prompt is
        the top-level `system`).  With `--hoist-system` a system message at index 0
        becomes the system text (information); anywhere else it stays an error.
    """,
    bad='[{"role": "system", "content": "Be terse"}, {"role": "user", "content": "Hi"}]',
    good='{"system": "Be terse", "messages": [{"role": "user", "content": "Hi"}]}',
    runner=RENDER,
)

UNKNOWN_ROLE = register(
    "P104",
    "unknown-role",
    severity="error",
    summary="A message's role is neither 'user' nor 'assistant'.",
    explanation="""
        Spec name: E_UNKNOWN_ROLE.

        A prompt only has Human and Assistant turns.  The converter never invents
        markers such as `\\n\\nTool:` (as LangChain's ChatMessage path did): the model
        was never trained on them.
    """,
    bad='[{"role": "user", "content": "Hi"}, {"role": "tool", "content": "42"}]',
    good='[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "42"}]',
    runner=RENDER,
)

TEXT_BLOCKS_JOINED = register(
    "P105",
    "text-blocks-joined",
    severity="info",
    summary="A message's text blocks were joined into one turn text.",
    explanation="""
        Spec name: I_TEXT_BLOCKS_JOINED.

        Several text blocks in one message are concatenated with nothing between them
        (`--block-join` chooses another separator).
    """,
    bad='[{"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}]',
    good='[{"role": "user", "content": "ab"}]',
    runner=RENDER,
)

UNSUPPORTED_BLOCK = register(
    "P106",
    "unsupported-block",
    severity="error",
    summary="A content block other than text cannot be written in a prompt.",
    explanation="""
        Spec names: E_UNSUPPORTED_BLOCK, W_BLOCK_DROPPED, W_BLOCK_PLACEHOLDER, W_TOOL_XML.

        Images, documents, tool use and results, thinking and server tool blocks have
        no Text Completions form: an error by default.  `--on-unsupported drop`
        removes them, `--on-unsupported placeholder` writes `[image]`-style
        placeholders, and `--tools-as-xml` writes tool_use and tool_result in the
        legacy `<function_calls>` / `<function_results>` XML; each is a warning.
    """,
    bad='[{"role": "user", "content": [{"type": "text", "text": "Look"}, '
    '{"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}}]}]',
    good='[{"role": "user", "content": [{"type": "text", "text": "Look"}]}]',
    runner=RENDER,
)

MARKER_IN_CONTENT = register(
    "P107",
    "marker-in-content",
    severity="error",
    summary="A text contains a turn marker, which would make a phantom turn.",
    explanation="""
        Spec names: E_MARKER_IN_CONTENT, W_MARKER_DEFUSED.

        Text Completions has no escaping: `\\n\\nHuman:` or `\\n\\nAssistant:` inside the
        system text or a message starts a new turn (prompt injection).  An error;
        `--defuse` rewrites them as `\\n\\nH:` / `\\n\\nA:` with a warning.
    """,
    bad='[{"role": "user", "content": "see\\n\\nHuman: x"}]',
    good='[{"role": "user", "content": "see Human: x"}]',
    runner=RENDER,
)

SYSTEM_LOOKS_LIKE_TURN = register(
    "P108",
    "system-looks-like-turn",
    severity="warning",
    summary="The system text starts with 'Human:'.",
    explanation="""
        Spec name: W_SYSTEM_LOOKS_LIKE_TURN.

        The API's sanitizer (and this converter) read a prompt starting with `Human:`
        as starting with a Human turn, so the system text would become a user turn.
        `--strict`: error.
    """,
    bad='{"system": "Human: be terse", "messages": [{"role": "user", "content": "Hi"}]}',
    good='{"system": "Be terse", "messages": [{"role": "user", "content": "Hi"}]}',
    runner=RENDER,
)

EMPTY_TURN_RENDERED = register(
    "P109",
    "empty-turn-rendered",
    severity="warning",
    summary="A message with empty or whitespace-only text was written as an empty turn.",
    explanation="""
        Spec name: W_EMPTY_TURN_RENDERED.

        An empty message is written as a bare marker (`\\n\\nHuman:` with no space); a
        whitespace-only one as is.  Reading the prompt back reports the empty turn
        (P014).  `--strict`: error.
    """,
    bad='[{"role": "user", "content": ""}]',
    good='[{"role": "user", "content": "x"}]',
    runner=RENDER,
)

FIRST_MESSAGE_ASSISTANT = register(
    "P110",
    "first-message-assistant",
    severity="error",
    summary="The first message is from the assistant.",
    explanation="""
        Spec names: E_FIRST_MESSAGE_ASSISTANT (and its warning under the policy).

        A prompt must start with a Human turn.  `--insert-empty-human` writes an empty
        `\\n\\nHuman:` turn first (LiteLLM's behaviour), with a warning.
    """,
    bad='[{"role": "assistant", "content": "Hi"}, {"role": "user", "content": "Q"}]',
    good='[{"role": "user", "content": "Q"}, {"role": "assistant", "content": "Hi"}]',
    runner=RENDER,
)

NO_MESSAGES = register(
    "P111",
    "no-messages",
    severity="error",
    summary="There are no messages to write.",
    explanation="""
        Spec name: E_NO_MESSAGES.

        A prompt needs at least one Human turn.
    """,
    bad="[]",
    good='[{"role": "user", "content": "Hi"}]',
    runner=RENDER,
)

CONSECUTIVE_SAME_ROLE_MESSAGES = register(
    "P112",
    "consecutive-same-role-messages",
    severity="info",
    summary="Two messages of the same role in a row are written as repeated markers.",
    explanation="""
        Spec name: I_CONSECUTIVE_SAME_ROLE.

        Legal in Text Completions: each message becomes its own turn.
    """,
    bad='[{"role": "user", "content": "a"}, {"role": "user", "content": "b"}]',
    good='[{"role": "user", "content": "a"}]',
    runner=RENDER,
)

PREFILL_TRAILING_WHITESPACE_RENDERED = register(
    "P113",
    "prefill-whitespace-rendered",
    severity="info",
    summary="The final assistant message (the prefill) ends with whitespace.",
    explanation="""
        Spec name: I_PREFILL_TRAILING_WHITESPACE.

        Text Completions tolerated it, so it is written verbatim; the same input is
        invalid for the Messages API, and reading the prompt back strips it (P010).
    """,
    bad='[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Sure, "}]',
    good='[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Sure,"}]',
    runner=RENDER,
)

INVALID_CONVERSATION = register(
    "P114",
    "invalid-conversation",
    severity="error",
    summary="The conversation is not shaped as Messages input.",
    explanation="""
        The renderer takes `{"system", "messages"}`, a whole Messages request body, or a
        bare list of messages; each message an object with a string `role` and a
        `content` that is a string or a list of content blocks (objects with a string
        `type`; text blocks with a string `text`).  Anything else is reported at its
        JSON pointer.
    """,
    bad='{"messages": "Hi"}',
    good='{"messages": [{"role": "user", "content": "Hi"}]}',
    runner=RENDER,
)

INVALID_PROMPT_META = register(
    "P115",
    "invalid-prompt-meta",
    severity="warning",
    summary="The conversation's prompt meta is malformed and was ignored.",
    explanation="""
        `transcript convert --meta` adds a `meta` object recording what the messages
        cannot (missing separators, dropped whitespace) so rendering gives back the
        exact prompt.  A `meta` that is not in that format is ignored in part or whole.
    """,
    bad='{"messages": [{"role": "user", "content": "Hi"}], "meta": {"version": 1, "no_sep": "all"}}',
    good='{"messages": [{"role": "user", "content": "Hi"}], "meta": {"version": 1, "final_slot": true}}',
    runner=RENDER,
)

WHITESPACE_SYSTEM_RENDERED = register(
    "P116",
    "whitespace-system-rendered",
    severity="warning",
    summary="The system text is only whitespace.",
    explanation="""
        Written as is, but reading the prompt back finds no system prompt (P006).
        `--strict`: error.
    """,
    bad='{"system": "  ", "messages": [{"role": "user", "content": "Hi"}]}',
    good='{"system": "Be terse", "messages": [{"role": "user", "content": "Hi"}]}',
    runner=RENDER,
)

CRLF_MARKER_IN_CONTENT = register(
    "P117",
    "crlf-marker-in-content",
    severity="warning",
    summary="A text contains a turn marker written with CRLF.",
    explanation="""
        `\\r\\n\\r\\nHuman:` is not a marker for Text Completions, but converters and
        gateways that normalize line ends turn it into one, and reading the prompt
        back reports it (P001).  `--strict`: error.
    """,
    bad='[{"role": "user", "content": "a\\r\\n\\r\\nHuman: b"}]',
    good='[{"role": "user", "content": "a\\r\\nb"}]',
    runner=RENDER,
)
