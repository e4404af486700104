"""Input codes (``X``): bytes that are not text, text that is not JSON, a document of the
wrong kind.  Every job reads its input through :mod:`transcript.core.sources` and
:mod:`transcript.core.jsontext`, which report these."""

from __future__ import annotations

from transcript.core.registry import register

INVALID_UTF8 = register(
    "X001",
    "invalid-utf8",
    severity="error",
    summary="The input is not valid UTF-8.",
    explanation="""
        Prompts, request bodies and event streams are UTF-8 text; the API rejects bodies
        that are not.  The diagnostic points at the first byte that cannot be decoded.
        Re-encode the file as UTF-8 (for example with `iconv -f latin1 -t utf-8`).
    """,
    bad=r"caf\xe9",
    good="café",
    runner="input",
)

BINARY_INPUT = register(
    "X002",
    "binary-input",
    severity="error",
    summary="The input looks like binary data, not text.",
    explanation="""
        The input contains NUL bytes, which never occur in a prompt, a JSON body or an
        event stream.  It is probably a binary file (an image, an archive, a compiled
        file) passed by mistake.
    """,
    bad=r"\x00\x01\x02",
    good='{"model": "claude-sonnet-4-5"}',
    runner="input",
)

EMPTY_INPUT = register(
    "X003",
    "empty-input",
    severity="error",
    summary="The input is empty.",
    explanation="""
        There is nothing to convert, lint or replay: the file has no bytes (or only
        whitespace, for JSON).
    """,
    bad="",
    good="\n\nHuman: Hello\n\nAssistant:",
    runner="input",
)

INVALID_JSON = register(
    "X004",
    "invalid-json",
    severity="error",
    summary="The input is not valid JSON.",
    explanation="""
        The body does not parse as JSON (RFC 8259).  The diagnostic points at the line
        and column where parsing stopped.  `NaN` and `Infinity` are not JSON, and the API
        rejects them.
    """,
    bad='{"model": "claude-sonnet-4-5", }',
    good='{"model": "claude-sonnet-4-5"}',
    runner="json",
)

JSON_TOO_DEEP = register(
    "X005",
    "json-too-deep",
    severity="error",
    summary="The JSON nests deeper than the toolkit (and the API) will read.",
    explanation="""
        Arrays and objects may nest at most 1,024 levels deep.  Real request bodies nest
        a few dozen levels at most; deeper documents are corrupt or hostile.
    """,
    bad="[" * 1100 + "]" * 1100,
    good="[[[]]]",
    runner="json",
)

DUPLICATE_KEY = register(
    "X006",
    "duplicate-key",
    severity="error",
    summary="An object has the same key twice.",
    explanation="""
        JSON parsers disagree about duplicate keys: most keep the last value, some the
        first, some reject the document.  The API keeps one of them silently, so what
        you meant may not be what is sent.  Remove one of the two.
    """,
    bad='{"max_tokens": 1024, "max_tokens": 2048}',
    good='{"max_tokens": 1024}',
    runner="json",
)


INPUT_TOO_LARGE = register(
    "X009",
    "input-too-large",
    severity="error",
    summary="The input is larger than the toolkit reads (256 MiB).",
    explanation="""
        Inputs are read whole, up to 256 MiB (the most a Message Batches file may hold; a
        Messages request may be 32 MB).  Standard input, pipes and devices are read in
        chunks and never past the limit, so an endless input (`/dev/zero`, `yes`) ends
        with this diagnostic instead of exhausting memory.  `transcript replay` streams a
        capture given as a regular file, whatever its size.
    """,
    bad=r"0123456789",
    good=r"0123",
    runner="input",
    example_options={"limit": 8},
)


UNREADABLE_FILE = register(
    "X010",
    "unreadable-file",
    severity="error",
    summary="A file to check does not exist or cannot be read.",
    explanation="""
        A path named on the command line that does not exist, a directory where a file
        was expected, or a file found on a directory walk that cannot be opened (no
        permission, an I/O error).  It is reported at the file and the run goes on with
        the other inputs, so one bad path never hides the findings of the rest.
    """,
    bad="missing.request.json",
    good="hello.request.json",
    runner="path",
)


UNKNOWN_KIND = register(
    "X007",
    "unknown-kind",
    severity="error",
    summary="The kind of input cannot be told from its name or content.",
    explanation="""
        `transcript lint` reads legacy prompts, request and response bodies, JSONL
        batches and event streams, and picks the kind from the file extension and a look
        at the content.  When neither tells, name the kind with `--kind`.
    """,
    bad=r"\x7f\x7f\x7f",
    good="\n\nHuman: Hello\n\nAssistant:",
    runner="input-kind",
)


UNEXPECTED_DOCUMENT = register(
    "X008",
    "unexpected-json-document",
    severity="error",
    summary="The JSON document is not the kind of document expected here.",
    explanation="""
        A Messages request body is a JSON object (`{"model": ..., "max_tokens": ...,
        "messages": [...]}`); so are a response Message, an error body and each line of a
        JSONL batch.  A top-level array, string or number, or an object of no known shape,
        is reported here with what was expected.  Pass `--kind` when transcript guesses
        wrong, or exclude files that are not API payloads.
    """,
    bad='[{"role": "user", "content": "Hello"}]',
    good='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hello"}]}',
    runner="request",
)


RECORD_POINTER_UNRESOLVED = register(
    "X011",
    "record-pointer-unresolved",
    severity="error",
    summary="A JSONL record holds nothing at the --record-pointer.",
    explanation="""
        With `--record-pointer /request/body` each line of a JSONL log is a record that
        wraps the body to lint (an observability export, a proxy log), and the pointer
        (RFC 6901) selects it.  A record with no value there, or with a value that is not a
        JSON object, is reported at the record; every other diagnostic points into the
        real record (`/request/body/messages/0/...`).
    """,
    bad='{"request": {"headers": {}}}\n',
    good='{"request": {"body": {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}]}}}\n',
    runner="jsonl",
    example_options={"settings": {"record_pointer": "/request/body"}},
)
