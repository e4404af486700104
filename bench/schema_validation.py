"""Schema validation speed: ``transcript.protocol.schema`` against jsonschema, jsonschema-rs and check-jsonschema.

Generates request bodies of about 5 KB (text turns, a tool round trip, a small image,
cache breakpoints; every one valid), writes them to a temporary directory, and times
validating every file against ``messages-request.schema.json``:

* ``transcript``: read, parse (``load_json``, duplicate-key check included) and
  ``validate_document``, one file after another in this process.  The schema is compiled
  once by jsonschema-rs, which gives the verdict and, for an invalid file, the errors
  that become located ``V`` diagnostics;
* ``jsonschema-rs``: read, ``json.loads`` and ``iter_errors`` of one validator built once,
  the floor under the ``transcript`` figure (which adds parsing with positions and the
  diagnostics);
* ``jsonschema``: read, ``json.loads`` and ``Draft202012Validator.iter_errors`` with one
  validator built once, which is the core of what check-jsonschema does per file;
* ``check-jsonschema``: the real command over the same files, when it is installed
  (``pip install check-jsonschema``) or named with ``--check-jsonschema PATH``.

    python bench/schema_validation.py              # 10,000 files
    python bench/schema_validation.py --count 2000 --bad 10

``--bad N`` makes every N-th file invalid (a misspelt field), so the path that explains
errors is timed too.  The figures go to stdout.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transcript.core.jsontext import load_json  # noqa: E402
from transcript.protocol.schema import load_schema, validate_document  # noqa: E402

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg=="
WORDS = "the quick brown fox jumps over a lazy dog while seven wizards quietly judge boxing matches".split()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def make_request(i: int) -> dict:
    rng = random.Random(i)
    tool = {
        "name": "get_weather",
        "description": "Get the current weather for a city.",
        "input_schema": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}},
            "required": ["city"],
        },
    }
    messages: list[dict] = []
    for turn in range(rng.randint(4, 6)):
        user: list[dict] = []
        if turn and messages[-1]["content"][-1]["type"] == "tool_use":
            user.append(
                {"type": "tool_result", "tool_use_id": messages[-1]["content"][-1]["id"], "content": sentence(rng, 8)}
            )
        if turn == 0:
            user.append({"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}})
        user.append({"type": "text", "text": sentence(rng, rng.randint(30, 60))})
        messages.append({"role": "user", "content": user})
        assistant: list[dict] = [{"type": "text", "text": sentence(rng, rng.randint(20, 50))}]
        if rng.random() < 0.5:
            assistant.append(
                {
                    "type": "tool_use",
                    "id": f"toolu_{i:06d}{turn:02d}abc",
                    "name": "get_weather",
                    "input": {"city": "Paris"},
                }
            )
        messages.append({"role": "assistant", "content": assistant})
    last = messages[-1]["content"][-1]
    final: list[dict] = []
    if last["type"] == "tool_use":
        final.append({"type": "tool_result", "tool_use_id": last["id"], "content": [{"type": "text", "text": "18C"}]})
    final.append({"type": "text", "text": "Thanks!", "cache_control": {"type": "ephemeral"}})
    messages.append({"role": "user", "content": final})
    return {
        "model": "claude-sonnet-4-5",
        "max_tokens": 2048,
        "system": [{"type": "text", "text": sentence(rng, 20), "cache_control": {"type": "ephemeral"}}],
        "tools": [tool],
        "tool_choice": {"type": "auto"},
        "temperature": 0.5,
        "messages": messages,
    }


def write_files(directory: Path, count: int, bad_every: int) -> list[Path]:
    paths = []
    for i in range(count):
        body = make_request(i)
        if bad_every and i % bad_every == 0:
            body["stop_sequence"] = ["END"]
        path = directory / f"req{i:05d}.json"
        path.write_text(json.dumps(body, indent=2), encoding="utf-8")
        paths.append(path)
    return paths


def time_transcript(paths: list[Path]) -> tuple[float, int]:
    problems = 0
    start = time.perf_counter()
    for path in paths:
        text = path.read_bytes().decode("utf-8")
        value, diags = load_json(text)
        if value is not None:
            diags = validate_document(text, value, "messages-request")
        problems += len(diags)
    return time.perf_counter() - start, problems


def time_jsonschema_rs(paths: list[Path]) -> tuple[float, int]:
    import jsonschema_rs

    validator = jsonschema_rs.validator_for(dict(load_schema("messages-request")))
    problems = 0
    start = time.perf_counter()
    for path in paths:
        problems += sum(1 for _ in validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
    return time.perf_counter() - start, problems


def time_jsonschema(paths: list[Path]) -> tuple[float, int]:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(dict(load_schema("messages-request")))
    problems = 0
    start = time.perf_counter()
    for path in paths:
        problems += sum(1 for _ in validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
    return time.perf_counter() - start, problems


def time_check_jsonschema(command: str, paths: list[Path], directory: Path) -> float:
    schema_file = ROOT / "schemas" / "messages-request.schema.json"
    start = time.perf_counter()
    subprocess.run(
        [command, "--schemafile", str(schema_file), *[p.name for p in paths]],
        cwd=directory,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--bad", type=int, default=0, help="make every N-th file invalid")
    parser.add_argument("--check-jsonschema", default=shutil.which("check-jsonschema"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        paths = write_files(directory, args.count, args.bad)
        size = sum(p.stat().st_size for p in paths) / len(paths)
        print(f"{len(paths)} request files, {size / 1024:.1f} KB on average")
        ours, ours_problems = time_transcript(paths)
        per_file = ours / len(paths) * 1000
        print(f"transcript.protocol.schema  {ours:8.2f} s  {per_file:7.3f} ms/file  ({ours_problems} diagnostics)")
        rs, rs_problems = time_jsonschema_rs(paths)
        print(
            f"jsonschema-rs      {rs:8.2f} s  {rs / len(paths) * 1000:7.3f} ms/file  ({rs_problems} errors)"
            f"  -> transcript takes {ours / rs:.1f}x its time"
        )
        plain, plain_problems = time_jsonschema(paths)
        print(
            f"jsonschema         {plain:8.2f} s  {plain / len(paths) * 1000:7.3f} ms/file  ({plain_problems} errors)"
            f"  -> transcript is {plain / ours:.1f}x faster"
        )
        if args.check_jsonschema:
            cj = time_check_jsonschema(args.check_jsonschema, paths, directory)
            print(
                f"check-jsonschema   {cj:8.2f} s  {cj / len(paths) * 1000:7.3f} ms/file"
                f"  -> transcript is {cj / ours:.1f}x faster"
            )
        else:
            print("check-jsonschema   not installed (pip install check-jsonschema, or --check-jsonschema PATH)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
