// Replays captured SSE files through the TypeScript SDK's BetaMessageStream and MessageStream
// and prints, as one JSON object, each file's final Message or the error the SDK raised
// ({"beta": ..., "stable": ...} per file).  No network: the client's
// fetch answers every request with the capture's bytes.
//
//   node tests/tools/ts_sdk_replay.cjs <path to node_modules/@anthropic-ai/sdk> capture.sse...
"use strict";
const fs = require("fs");

async function replay(Anthropic, file, beta) {
  const bytes = fs.readFileSync(file);
  const client = new Anthropic({
    apiKey: "test-key",
    baseURL: "http://sdk.invalid",
    maxRetries: 0,
    fetch: async () => new Response(bytes, { status: 200, headers: { "content-type": "text/event-stream" } }),
  });
  const resource = beta ? client.beta.messages : client.messages;
  const stream = resource.stream({
    model: "claude-sonnet-4-5", max_tokens: 16, messages: [{ role: "user", content: "hi" }],
  });
  stream.on("error", () => {});
  try {
    const message = await stream.finalMessage();
    return { message: JSON.parse(JSON.stringify(message)) };
  } catch (err) {
    return { sdk_error: `${err.constructor.name}: ${String(err.message).slice(0, 300)}` };
  }
}

async function main() {
  const [sdkPath, ...files] = process.argv.slice(2);
  const mod = require(sdkPath);
  const Anthropic = mod.default || mod.Anthropic || mod;
  const out = {};
  for (const file of files) {
    out[file] = { beta: await replay(Anthropic, file, true), stable: await replay(Anthropic, file, false) };
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => { process.stderr.write(String(err && err.stack || err) + "\n"); process.exit(2); });
