"""Generate ``tests/data/streams/<name>.expected.json`` from the official Anthropic SDK.

Each capture is served, byte for byte, by an in-memory HTTP transport to a real
``anthropic.Anthropic`` client, and ``client.beta.messages.stream(...).get_final_message()``
(the beta MessageStream, a superset of the stable one: it also folds ``compaction_delta``,
``mcp_tool_use`` input, ``fallback`` blocks and ``context_management``) builds the Message.
The stable ``client.messages.stream`` path is run too; where both succeed they are compared
and any difference is printed.  The result is ``message.to_dict(mode="json")``.

A capture the SDK cannot turn into a Message (it raises) gets an expected file of the form
``{"sdk_error": "<exception type>: <message>"}`` so the test knows the SDK failed there.

Usage (needs ``pip install anthropic``; no network is used)::

    python tests/tools/gen_stream_expected.py [tests/data/streams]
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path


def sdk_final_message(data: bytes, *, beta: bool = True) -> dict:
    """The Message the official SDK's MessageStream builds from raw SSE bytes."""
    import anthropic

    try:
        import httpx2 as httpx  # anthropic >= 2 uses httpx2
    except ImportError:  # pragma: no cover - anthropic 0.x/1.x
        import httpx  # type: ignore[no-redef]

    def handler(request):  # noqa: ANN001 - an httpx request
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=data)

    client = anthropic.Anthropic(
        api_key="test-key",
        base_url="http://sdk.invalid",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        max_retries=0,
    )
    resource = client.beta.messages if beta else client.messages
    with resource.stream(
        model="claude-sonnet-4-5", max_tokens=16, messages=[{"role": "user", "content": "hi"}]
    ) as stream:
        message = stream.get_final_message()
    return message.to_dict(mode="json")


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "data" / "streams"
    import anthropic

    warnings.filterwarnings("ignore")  # pydantic serializer noise on beta-only block types
    print(f"anthropic {anthropic.__version__}")
    for path in sorted(folder.glob("*.sse")):
        data = path.read_bytes()
        try:
            expected: dict = sdk_final_message(data, beta=True)
        except Exception as exc:  # noqa: BLE001 - recorded, not hidden
            expected = {"sdk_error": f"{type(exc).__name__}: {exc}"[:500]}
        try:
            stable = sdk_final_message(data, beta=False)
            if "sdk_error" not in expected and stable != expected:
                print(f"  note: {path.name}: stable and beta MessageStream differ")
        except Exception as exc:  # noqa: BLE001
            print(f"  note: {path.name}: stable MessageStream raised {type(exc).__name__}")
        out = path.with_name(path.name[: -len(".sse")] + ".expected.json")
        out.write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        status = expected.get("sdk_error", "ok")
        print(f"{path.name}: {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
