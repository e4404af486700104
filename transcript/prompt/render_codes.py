"""Legacy prompt rules (``P``), P1xx: writing messages as a prompt.

The codes are emitted from inside the renderer (:mod:`transcript.prompt.render`); this
module registers them with their examples, each messages written as JSON (runner
``prompt-render``).  Each rule names the converter-spec diagnostic(s) it stands for.
(P0xx, reading a prompt, are in :mod:`transcript.prompt.codes`.)
"""

from __future__ import annotations

from transcript.core.registry import register

RENDER = "prompt-render"

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

NUL_IN_CONTENT = register(
    "P118",
    "nul-in-content",
    severity="warning",
    summary="A text holds U+0000, which makes the prompt file binary to text tools.",
    explanation="""
        JSON may carry `"\\u0000"` (the API accepts it), but a prompt file with a NUL byte
        reads as binary to editors, grep and transcript (X002).  The NUL is kept.
    """,
    bad='[{"role": "user", "content": "a\\u0000b"}]',
    good='[{"role": "user", "content": "ab"}]',
    runner=RENDER,
)
