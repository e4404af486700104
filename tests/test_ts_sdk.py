"""Replay against the TypeScript SDK's (``@anthropic-ai/sdk``) BetaMessageStream and MessageStream on the corpus.

Needs ``node`` and the package (``npm install --prefix tests/tools @anthropic-ai/sdk``, or
``TRANSCRIPT_TS_SDK=/path/to/node_modules/@anthropic-ai/sdk``); skipped otherwise.  Offline:
``tests/tools/ts_sdk_replay.cjs`` serves each capture to the SDK's client from memory.

Where both build a Message they must agree, up to two documented differences (the TypeScript
SDK leaves out ``stop_details`` and a compaction block's ``encrypted_content`` when the stream
does not send them, where the Python SDK and the replayer write null; its parse helper adds
``parsed_output: null``).  Where the TypeScript SDK fails, the replayer's diagnostics must
say what the TypeScript SDK does there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from transcript.stream.replay import replay_file

ROOT = Path(__file__).resolve().parent
STREAMS = sorted((ROOT / "data" / "streams").glob("*.sse"))
SCRIPT = ROOT / "tools" / "ts_sdk_replay.cjs"


def _sdk() -> Path | None:
    for candidate in (os.environ.get("TRANSCRIPT_TS_SDK"), ROOT / "tools" / "node_modules" / "@anthropic-ai" / "sdk"):
        if candidate and (Path(candidate) / "package.json").is_file():
            return Path(candidate)
    return None


pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or _sdk() is None,
    reason="needs node and @anthropic-ai/sdk (npm install --prefix tests/tools @anthropic-ai/sdk)",
)


@cache
def ts_results() -> dict[str, Any]:
    done = subprocess.run(
        ["node", str(SCRIPT), str(_sdk()), *map(str, STREAMS)], capture_output=True, timeout=120, check=True
    )
    results: dict[str, Any] = json.loads(done.stdout)
    return results


def _normalized(ts: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in ts.items() if k != "parsed_output"}
    if "stop_details" not in out and ours.get("stop_details", 0) is None:
        out["stop_details"] = None
    for block, mine in zip(out.get("content", []), ours.get("content", [])):
        if isinstance(block, dict) and block.get("type") == "compaction" and "encrypted_content" not in block:
            if isinstance(mine, dict) and mine.get("encrypted_content", 0) is None:
                block["encrypted_content"] = None
    return out


@pytest.mark.parametrize("flavour", ["beta", "stable"])
@pytest.mark.parametrize("path", STREAMS, ids=[p.name for p in STREAMS])
def test_replay_agrees_with_the_typescript_sdk(path: Path, flavour: str) -> None:
    ts = ts_results()[str(path)][flavour]
    result = replay_file(path)
    if "sdk_error" in ts:
        if "request ended without sending any chunks" in ts["sdk_error"]:
            assert result.legacy and result.completion is not None
            return  # a legacy Text Completions stream: not a Messages stream for the SDK
        hints = " ".join(d.hint or "" for d in result.diagnostics)
        assert "TypeScript SDK" in hints, f"{path.name}: the TS SDK fails ({ts['sdk_error']}) and no diagnostic says so"
        return
    expected = _normalized(ts["message"], result.message)
    beta = ts_results()[str(path)]["beta"]
    if flavour == "stable" and "message" in beta and expected != _normalized(beta["message"], result.message):
        # the stable MessageStream leaves out what only the beta one folds (usage.iterations,
        # compaction deltas...): the replayer follows the beta stream, as the Python SDK's does
        assert result.message == _normalized(beta["message"], result.message)
        return
    assert result.message == expected
