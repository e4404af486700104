"""``replay --jobs N`` (transcript.scale.replay_jobs): many captures and directories of them
replayed on worker processes, with the output and report of ``--jobs 1``."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from transcript.scale.replay_jobs import capture_candidates, replay_path, replay_paths_jobs, stream_files
from transcript.stream.replay import replay_all
from transcript.stream.view import render_text

ROOT = Path(__file__).resolve().parent.parent
STREAMS = ROOT / "samples" / "streams"
FORMATS = [None, "text", "json", "sarif", "junit", "github"]


@pytest.fixture(scope="module")
def captures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every sample stream, many times over, beside files a walk passes over."""
    root = tmp_path_factory.mktemp("captures")
    for n in range(6):
        shutil.copytree(STREAMS, root / f"copy{n}")
    (root / "copy0" / "notes.txt").write_text("not a capture\n", encoding="utf-8")
    (root / "copy0" / "batch.jsonl").write_text('{"custom_id": "a", "params": {}}\n', encoding="utf-8")
    (root / ".hidden").mkdir()
    shutil.copy(STREAMS / "valid" / "text.sse", root / ".hidden" / "text.sse")
    return root


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_directory_on_two_jobs_prints_and_reports_what_one_does(cli, captures: Path, fmt: str | None) -> None:
    more = [] if fmt is None else ["--format", fmt]
    serial = cli(["replay", str(captures), "-j", "1", *more])
    parallel = cli(["replay", str(captures), "-j", "2", *more])
    assert serial.exit_code == parallel.exit_code == 1, serial.stderr
    assert parallel.stdout == serial.stdout and parallel.stderr == serial.stderr and serial.stderr.strip()


def test_each_stream_is_a_json_line_with_its_file(cli, captures: Path) -> None:
    result = cli(["replay", str(captures / "copy0" / "valid"), str(captures / "copy1" / "invalid" / "truncated.sse")])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    files = [line["file"] for line in lines]
    assert files == sorted(files) and files[-1].endswith("truncated.sse")
    har = [line for line in lines if line["file"].endswith("session.har")]
    assert har and all(isinstance(line["entry"], int) for line in har)
    by_file = {line["file"]: line for line in lines}
    one = replay_all(str(captures / "copy0" / "valid" / "text.sse"))
    assert by_file[str(captures / "copy0" / "valid" / "text.sse")]["message"] == next(one).output
    assert by_file[files[-1]]["complete"] is False and result.exit_code == 1


def test_the_walk_takes_captures_only(captures: Path) -> None:
    found = [Path(p).relative_to(captures).as_posix() for p in stream_files([str(captures)])]
    assert "copy0/notes.txt" not in found and "copy0/batch.jsonl" not in found
    assert not any(p.startswith(".hidden") for p in found)
    assert len(found) == 6 * len(list(STREAMS.rglob("*.*")))
    named = str(captures / "copy0" / "notes.txt")
    assert list(stream_files([named])) == [named]  # a file named is replayed whatever it is


def test_the_walk_passes_over_links_to_directories_and_what_is_not_a_regular_file(tmp_path: Path) -> None:
    """The walk lists each directory once (no stat of a plain file): links to files are
    followed, links to directories are not, a FIFO is never opened; the judging of content is
    the worker's (a walk's candidates are not read in this process)."""
    (tmp_path / "b").mkdir()
    shutil.copy(STREAMS / "valid" / "text.sse", tmp_path / "b" / "one.sse")
    (tmp_path / "a.sse").symlink_to(tmp_path / "b" / "one.sse")
    (tmp_path / "c").symlink_to(tmp_path / "b", target_is_directory=True)
    (tmp_path / "broken.sse").symlink_to(tmp_path / "gone.sse")
    os.mkfifo(tmp_path / "pipe.sse")
    (tmp_path / "b" / "not-a-capture.sse").write_text("hello\n", encoding="utf-8")
    found = [(Path(p).relative_to(tmp_path).as_posix(), named) for p, named in capture_candidates([str(tmp_path)])]
    assert found == [("a.sse", False), ("b/not-a-capture.sse", False), ("b/one.sse", False)]
    assert [Path(p).name for p in stream_files([str(tmp_path)])] == ["a.sse", "one.sse"]
    assert [r.name for r in replay_paths_jobs([str(tmp_path)], jobs=2)] == list(stream_files([str(tmp_path)]))


def test_the_text_view_of_several_files_is_each_conversation_under_its_name(cli, captures: Path) -> None:
    """Made on the workers, the text view is each stream's conversation under its file's name,
    a blank line between them, as one process writes it."""
    files = [str(captures / "copy0" / "valid" / "text.sse"), str(captures / "copy2" / "valid" / "session.har")]
    expected = []
    for file in files:
        for result in replay_all(file, timeline=True):
            where = "" if result.entry is None else f" entry {result.entry}"
            expected.append(f"==> {file}{where} <==\n" + render_text(result))
    assert len(expected) > 2
    for jobs in ("1", "2"):
        assert cli(["replay", *files, "--format", "text", "-j", jobs]).stdout == "\n".join(expected)


def test_the_results_are_those_of_one_process(captures: Path) -> None:
    paths = [str(captures)]
    assert list(replay_paths_jobs(paths, jobs=2)) == list(replay_paths_jobs(paths, jobs=1))
    assert [r.name for r in replay_paths_jobs(paths, jobs=3)] == list(stream_files(paths))


def test_a_file_that_cannot_be_read_is_reported_and_the_run_goes_on(cli, captures: Path, tmp_path: Path) -> None:
    missing = str(tmp_path / "gone.sse")
    assert [d.code for d in replay_path(missing).diagnostics] == ["X010"]
    result = cli(["replay", missing, str(captures / "copy0" / "valid" / "text.sse"), "-j", "2"])
    assert result.exit_code == 1 and f"{missing}: error X010" in result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_usage_errors(cli, captures: Path) -> None:
    for args in (["-", str(captures)], [str(captures), "--entry", "1"], [str(captures), "--jobs", "0"]):
        result = cli(["replay", *args], input="")
        assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1, (args, result.stderr)
