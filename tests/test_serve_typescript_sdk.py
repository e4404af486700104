"""The official TypeScript SDK (``@anthropic-ai/sdk``) against the server, where node has it.

The SDK is found through ``TRANSCRIPT_NODE_MODULES`` (a ``node_modules`` directory holding
``@anthropic-ai/sdk``, e.g. after ``npm install @anthropic-ai/sdk`` in a scratch directory)
or node's own resolution; the test is skipped when node or the SDK is missing.  Nothing is
installed here: tests stay offline.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from serve_helpers import running

NODE = shutil.which("node")

SCRIPT = r"""
const Anthropic = require("@anthropic-ai/sdk");
const client = new Anthropic({ baseURL: process.env.BASE_URL, apiKey: "test", maxRetries: 2 });
(async () => {
  const out = {};
  const ask = (text) => ({ model: "claude-sonnet-4-5", max_tokens: 50, messages: [{ role: "user", content: text }] });
  const created = await client.messages.create(ask("Hello from node"));
  out.created = created.content[0].text;
  const stream = client.messages.stream(ask("Streamed text"));
  out.streamed = (await stream.finalMessage()).content[0].text;
  try {
    await client.messages.create({ model: "claude-sonnet-4-5", max_tokens: 50, messages: [] });
  } catch (e) {
    out.status = e.status; out.message = e.error && e.error.error && e.error.error.message;
  }
  const retried = await client.messages.create(
    { model: "claude-sonnet-4-5", max_tokens: 50, messages: [{ role: "user", content: "after a 529" }] },
    { headers: { "x-transcript-fault": "overloaded;times=1;retry-after=0.1" } });
  out.retried = retried.content[0].text;
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(String(e)); process.exit(1); });
"""


def _sdk_path() -> str | None:
    if NODE is None:
        return None
    env = {**os.environ}
    extra = os.environ.get("TRANSCRIPT_NODE_MODULES")
    if extra:
        env["NODE_PATH"] = extra
    done = subprocess.run([NODE, "-e", "require.resolve('@anthropic-ai/sdk')"], env=env, capture_output=True, timeout=30)
    return (extra or "") if done.returncode == 0 else None


@pytest.mark.skipif(_sdk_path() is None, reason="node or @anthropic-ai/sdk not available (set TRANSCRIPT_NODE_MODULES)")
def test_the_typescript_sdk(tmp_path: Path) -> None:
    assert NODE is not None
    script = tmp_path / "check.cjs"
    script.write_text(SCRIPT)
    with running() as server:
        env = {**os.environ, "BASE_URL": server.base_url, "NODE_PATH": _sdk_path() or ""}
        done = subprocess.run([NODE, str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "created": "Hello from node",
        "streamed": "Streamed text",
        "status": 400,
        "message": "messages: at least one message is required",
        "retried": "after a 529",
    }
    assert [e.status for e in server.service.exchanges][-2:] == [529, 200]
