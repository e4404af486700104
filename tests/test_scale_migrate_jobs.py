"""``migrate --jobs N`` (transcript.scale.migrate_jobs): the lines of a large JSONL file
migrated in chunks on worker processes, with the output and report of a whole-file run."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.core.diagnostics import DiagnosticSink, sort_diagnostics
from transcript.legacy.migrate import join_jsonl, migrate_jsonl_part, migrate_text
from transcript.scale.migrate_jobs import chunked_jsonl, migrate_jsonl_jobs

FORMATS = ["text", "json", "sarif", "junit", "github"]
MAP = ["--model-map", "claude-2=claude-sonnet-4-5", "--model-map", "claude-instant-1=claude-haiku-4-5"]
OPTIONS = {"model_map": {"claude-2": "claude-sonnet-4-5", "claude-instant-1": "claude-haiku-4-5"}}


def legacy_line(rnd: random.Random, i: int) -> str:
    """A legacy request or response, some wrong, some broken, some blank (CRLF here and there)."""
    k = rnd.random()
    eol = "\r\n" if rnd.random() < 0.1 else "\n"
    if k < 0.6:
        body = {"model": rnd.choice(["claude-2", "claude-instant-1", "claude-9"]), "prompt": f"\n\nHuman: hi {i} ü\n\nAssistant:",
                "max_tokens_to_sample": rnd.choice([100, -1, 300])}
        return json.dumps(body, ensure_ascii=False) + eol
    if k < 0.75:
        return '{"model": "claude-2", "prompt": ' + eol
    if k < 0.8:
        return eol
    return json.dumps({"completion": " Hello", "stop_reason": rnd.choice(["stop_sequence", "max_tokens", "odd"]), "model": "claude-2"}) + eol


@pytest.fixture(scope="module")
def big_legacy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rnd = random.Random(5)
    path = tmp_path_factory.mktemp("migrate") / "legacy.jsonl"
    path.write_text("".join(legacy_line(rnd, i) for i in range(1200)), encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize("fmt", FORMATS)
def test_chunks_on_two_jobs_write_and_report_what_a_whole_file_run_does(cli, big_legacy: Path, fmt: str, tmp_path: Path) -> None:
    whole = cli(["migrate", str(big_legacy), *MAP, "--format", fmt, "--chunk-size", str(1 << 30), "-o", str(tmp_path / "whole.jsonl")])
    chunked = cli(["migrate", str(big_legacy), *MAP, "--format", fmt, "--chunk-size", "2500", "-j", "2", "-o", str(tmp_path / "parts.jsonl")])
    assert whole.exit_code == chunked.exit_code == 1, whole.stderr + chunked.stderr
    assert chunked.stderr == whole.stderr and whole.stderr.strip()
    assert (tmp_path / "parts.jsonl").read_bytes() == (tmp_path / "whole.jsonl").read_bytes()
    assert (tmp_path / "whole.jsonl").read_bytes().count(b"\n") > 500


def test_the_parts_give_the_whole_files_records_and_diagnostics(big_legacy: Path) -> None:
    """The library view, with real file line numbers, codes past their cap and every job count."""
    text = big_legacy.read_text(encoding="utf-8")
    whole = migrate_text(text, jsonl=True, **OPTIONS)
    assert any(d.message.startswith("... and") for d in whole.diagnostics)
    size = big_legacy.stat().st_size
    for jobs, chunk in ((1, 3000), (2, 700), (2, 1)):
        sink = DiagnosticSink()
        parts = list(migrate_jsonl_jobs(str(big_legacy), size, OPTIONS, jobs=jobs, chunk_bytes=chunk))
        assert None not in parts and len(parts) > 1
        records = list(join_jsonl([p for p in parts if p is not None], sink))
        assert records == list(whole.records), (jobs, chunk)
        assert sort_diagnostics(sink.result()) == sort_diagnostics(whole.diagnostics), (jobs, chunk)


def test_a_chunk_that_is_not_text_makes_the_file_read_whole(cli, big_legacy: Path, tmp_path: Path) -> None:
    data = big_legacy.read_bytes()
    cut = data.index(b"\n", len(data) // 2) + 1
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(data[:cut] + b'{"prompt": "\xff"}\n' + data[cut:])
    whole = cli(["migrate", str(bad), *MAP, "--chunk-size", str(1 << 30)])
    chunked = cli(["migrate", str(bad), *MAP, "--chunk-size", "2000", "-j", "2"])
    assert whole.exit_code == chunked.exit_code == 1
    assert chunked.stderr == whole.stderr and " X0" in whole.stderr and chunked.stdout == whole.stdout == ""


def test_what_is_not_cut(tmp_path: Path, big_legacy: Path) -> None:
    assert chunked_jsonl(str(big_legacy), 100) == big_legacy.stat().st_size
    assert chunked_jsonl(str(big_legacy), 1 << 30) is None  # no larger than a chunk
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + big_legacy.read_bytes())
    assert chunked_jsonl(str(bom), 100) is None
    array = tmp_path / "array.jsonl"
    array.write_text("[" + "1," * 500 + "1]\n", encoding="utf-8")
    assert chunked_jsonl(str(array), 100) is None
    assert chunked_jsonl(str(tmp_path / "missing.jsonl"), 100) is None


def test_jobs_below_one_is_a_usage_error(cli, big_legacy: Path) -> None:
    result = cli(["migrate", str(big_legacy), "--jobs", "0"])
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.lists(st.integers(min_value=0, max_value=40), max_size=6))
def test_any_cut_at_line_ends_joins_to_the_whole(seed: int, cuts: list[int]) -> None:
    """Invariant: parts cut anywhere at line ends join to the whole text's migration."""
    rnd = random.Random(seed)
    lines = [legacy_line(rnd, i) for i in range(rnd.randint(0, 40))]
    text = "".join(lines)
    whole = migrate_text(text, jsonl=True, **OPTIONS)
    bounds = sorted({min(c, len(lines)) for c in cuts} | {0, len(lines)})
    parts = [migrate_jsonl_part("".join(lines[a:b]), **OPTIONS) for a, b in itertools.pairwise(bounds)]
    sink = DiagnosticSink()
    assert list(join_jsonl(parts, sink)) == list(whole.records)
    assert sort_diagnostics(sink.result()) == sort_diagnostics(whole.diagnostics)
