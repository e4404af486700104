"""``--jobs N`` (transcript.scale.jobs): files and the chunks of large JSONL files on worker
processes, with the report of ``--jobs 1``, in every format."""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.lint.config import ConfigResolver
from transcript.lint.driver import lint_paths
from transcript.request.codes import DUPLICATE_CUSTOM_ID
from transcript.scale import lint_paths_jobs
from transcript.scale.jobs import BATCH, _whole_batch, lint_chunk, plan_chunks

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FORMATS = ["text", "json", "sarif", "junit", "github"]
REQUEST = {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}]}


def generated_jsonl(path: Path, lines: int, seed: int = 12) -> Path:
    """A log of requests and batch lines, some wrong, some repeated, some broken, CRLF here and there."""
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        for i in range(lines):
            k = rnd.random()
            eol = "\r\n" if rnd.random() < 0.1 else "\n"
            if k < 0.45:
                params = {**REQUEST, "max_tokens": rnd.choice([64, -1, 64, 64])}
                f.write(json.dumps({"custom_id": f"req-{rnd.randrange(lines // 2 + 1)}", "params": params}) + eol)
            elif k < 0.75:
                role = rnd.choice(["user", "user", "bot"])
                f.write(json.dumps({**REQUEST, "messages": [{"role": role, "content": f"q{i} ünï"}]}, ensure_ascii=False) + eol)
            elif k < 0.85:
                f.write('{"model": "claude-sonnet-4-5", "max_tokens": ' + eol)
            elif k < 0.9:
                f.write(eol)
            else:
                f.write('{"custom_id": "no spaces!", "params": 7}' + eol)
    return path


@pytest.fixture(scope="module")
def big_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_jsonl(tmp_path_factory.mktemp("jobs") / "log.jsonl", 1500)


def _rows(results) -> list[tuple[str, str | None, list]]:
    return [(r.name, r.kind, r.diagnostics) for r in results if not r.skipped]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_directory_of_samples_reports_the_same_on_two_jobs(cli, fmt: str) -> None:
    serial = cli(["lint", str(SAMPLES), "--jobs", "1", "--format", fmt])
    parallel = cli(["lint", str(SAMPLES), "-j", "2", "--format", fmt])
    assert serial.exit_code == parallel.exit_code == 0, serial.stderr + parallel.stderr
    assert parallel.stdout == serial.stdout and serial.stdout.strip()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_large_jsonl_in_chunks_reports_the_same_as_whole(cli, big_jsonl: Path, fmt: str) -> None:
    """Cut into chunks of ~3 KB (dozens of them) on two workers, the report is the whole file's."""
    serial = cli(["lint", str(big_jsonl), "--jobs", "1", "--format", fmt, "--chunk-size", str(1 << 30)])
    parallel = cli(["lint", str(big_jsonl), "--jobs", "2", "--format", fmt, "--chunk-size", "3000"])
    assert serial.exit_code == parallel.exit_code == 1, serial.stderr + parallel.stderr
    assert parallel.stdout == serial.stdout


def test_chunks_keep_file_lines_duplicates_and_caps(big_jsonl: Path) -> None:
    """The library view: the diagnostics (not only their rendering) are the whole file's, with
    custom_ids repeated across chunks, codes past their cap, and real file lines."""
    whole = _rows(lint_paths([str(big_jsonl)]))
    codes = {d.code for d in whole[0][2]}
    assert {DUPLICATE_CUSTOM_ID.code, "X004", "X008"} <= codes, codes
    assert sum(d.message.startswith("... and") for d in whole[0][2]) == len(codes)  # every code past its cap
    for jobs, chunk in ((1, 2000), (2, 2000), (2, 100_000), (3, 1)):
        assert _rows(lint_paths_jobs([str(big_jsonl)], jobs=jobs, chunk_bytes=chunk)) == whole, (jobs, chunk)


class _Deferred(Future):
    """A future whose call runs when its result is first asked for."""

    def __init__(self, pool: _Counting, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        super().__init__()
        self._pool, self._call = pool, (fn, args)

    def result(self, timeout: float | None = None) -> Any:
        if self._call is not None:
            fn, args = self._call
            self._call = None
            self.set_result(fn(*args))
            self._pool.taken(fn)
        return super().result(timeout)


class _Counting(Executor):
    """An executor that runs each call when its result is taken, counting the chunks
    submitted and not yet taken in: what a pool would hold at most."""

    def __init__(self) -> None:
        self.open = self.most = self.chunks = 0
        self.batches: list[int] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        if fn is _whole_batch:
            self.batches.append(len(args[0]))
        if fn is lint_chunk:
            self.chunks += 1
            self.open += 1
            self.most = max(self.most, self.open)
        return _Deferred(self, fn, args)

    def taken(self, fn: Callable[..., Any]) -> None:
        if fn is lint_chunk:
            self.open -= 1


def test_a_large_file_has_a_few_chunks_in_flight_whatever_its_size(big_jsonl: Path) -> None:
    """Memory is bounded by the chunk size, not the file: the chunks of a file are submitted
    as its parts are taken in, at most the window (four a job) at a time."""
    whole = _rows(lint_paths([str(big_jsonl)]))
    for jobs in (1, 2):
        pool = _Counting()
        assert _rows(lint_paths_jobs([str(big_jsonl)], jobs=jobs, chunk_bytes=1000, pool=pool)) == whole
        assert pool.chunks > 40 and 1 <= pool.most <= 4 * jobs, (pool.chunks, pool.most)


def test_small_files_go_many_to_a_task_and_larger_ones_fewer(tmp_path: Path) -> None:
    """A task carries up to ``BATCH`` small files (a task costs the parent about as much as a
    lint), but no more than about 4 KB a file's worth of bytes, so large files spread out."""
    small, large = tmp_path / "small", tmp_path / "large"
    small.mkdir()
    large.mkdir()
    for n in range(150):
        (small / f"r{n:03}.json").write_text(json.dumps(REQUEST), encoding="utf-8")
    for n in range(8):
        text = json.dumps({**REQUEST, "system": "x" * 100_000})
        (large / f"r{n}.json").write_text(text, encoding="utf-8")
    for folder, expected in ((small, [BATCH, BATCH, 150 - 2 * BATCH]), (large, [3, 3, 2])):
        pool = _Counting()
        assert _rows(lint_paths_jobs([str(folder)], jobs=2, pool=pool)) == _rows(lint_paths([str(folder)]))
        assert pool.batches == expected


def test_each_file_keeps_its_own_configuration(tmp_path: Path) -> None:
    """Two directories, one ignoring a code in its transcript.toml: with --jobs each file is
    judged with its own configuration, as serially."""
    for name in ("plain", "quiet"):
        (tmp_path / name).mkdir()
        generated_jsonl(tmp_path / name / "log.jsonl", 300, seed=3)
        shutil.copy(SAMPLES / "prompts" / "few_shot.txt", tmp_path / name / "few_shot.txt")
    (tmp_path / "quiet" / "transcript.toml").write_text('ignore = ["X004", "P003"]\n', encoding="utf-8")
    resolver = ConfigResolver()
    serial = _rows(lint_paths([str(tmp_path)], resolver=resolver))
    parallel = _rows(lint_paths_jobs([str(tmp_path)], jobs=2, resolver=ConfigResolver(), chunk_bytes=4000))
    assert parallel == serial
    by_name = {Path(name).relative_to(tmp_path).as_posix(): {d.code for d in found} for name, _k, found in serial}
    assert "X004" in by_name["plain/log.jsonl"] and "X004" not in by_name["quiet/log.jsonl"]
    assert "P003" in by_name["plain/few_shot.txt"] and "P003" not in by_name["quiet/few_shot.txt"]


def test_a_chunk_that_is_not_text_makes_the_file_read_whole(tmp_path: Path) -> None:
    """Bad UTF-8, or a NUL, far into a large file: the one located X diagnostic a whole read gives."""
    for bad in (b"\xff\xfe", b"\x00"):
        path = generated_jsonl(tmp_path / "bad.jsonl", 400)
        data = path.read_bytes()
        cut = data.index(b"\n", len(data) * 3 // 4) + 1
        path.write_bytes(data[:cut] + b'{"model": "' + bad + b'"}\n' + data[cut:])
        whole = _rows(lint_paths([str(path)]))
        assert [d.code[0] for d in whole[0][2]] == ["X"]
        assert _rows(lint_paths_jobs([str(path)], jobs=2, chunk_bytes=2000)) == whole


def test_not_jsonl_and_standard_input_are_linted_whole(cli) -> None:
    """A large file of another kind is never cut; standard input is read in this process."""
    path = SAMPLES / "legacy" / "requests.jsonl"  # legacy completion JSONL: not cut into chunks
    assert _rows(lint_paths_jobs([str(path)], jobs=2, chunk_bytes=10)) == _rows(lint_paths([str(path)]))
    text = (SAMPLES / "prompts" / "few_shot.txt").read_text(encoding="utf-8")
    one = cli(["lint", "-", "--kind", "prompt", "-j", "1"], input=text)
    two = cli(["lint", "-", str(SAMPLES / "responses"), "--kind", "prompt", "-j", "2"], input=text)
    assert one.stdout and one.stdout.splitlines()[0] in two.stdout.splitlines()


def test_jobs_below_one_is_a_usage_error(cli) -> None:
    for args in (["--jobs", "0"], ["-j", "-2"], ["--chunk-size", "0"]):
        result = cli(["lint", str(SAMPLES), *args])
        assert result.exit_code == 2 and result.stderr.startswith("transcript: error: ") and len(result.stderr.splitlines()) == 1


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.binary(max_size=30).map(lambda b: b.replace(b"\n", b"")), max_size=25),
    st.booleans(),
    st.integers(min_value=1, max_value=80),
)
def test_chunks_cover_the_file_and_end_at_line_ends(lines: list[bytes], last_eol: bool, chunk: int) -> None:
    data = b"\n".join(lines) + (b"\n" if last_eol else b"")
    with tempfile.NamedTemporaryFile() as f:
        f.write(data)
        f.flush()
        ranges = plan_chunks(f.name, len(data), chunk)
    assert b"".join(data[a:b] for a, b in ranges) == data
    assert all(a < b for a, b in ranges)
    assert all(data[b - 1 : b] == b"\n" for _a, b in ranges[:-1])
    assert all(b - a <= chunk or b"\n" not in data[a + chunk : b - 1] for a, b in ranges)
