"""Dask (transcript.scale.dask, the dask extra): bags of records and paths into bags of rows,
and ``--dask`` giving the local report; on one LocalCluster of two worker processes for the
module (the tests share an xdist group, so one process runs them all).  Skipped without the extra."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_scale_jobs import generated_jsonl

from transcript.lint.driver import lint_paths
from transcript.scale import lint_paths_jobs, lint_record, merge_rows, replay_record, to_rows
from transcript.scale.records import lint_file
from transcript.scale.replay_jobs import replay_path, replay_paths_jobs, stream_files

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
HAS_DASK = importlib.util.find_spec("dask") is not None and importlib.util.find_spec("distributed") is not None
needs_dask = pytest.mark.skipif(not HAS_DASK, reason="the dask extra is not installed")
pytestmark = pytest.mark.xdist_group("dask")

REQUESTS = [
    {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}]},
    {"model": "claude-sonnet-4-5", "max_tokens": -1, "messages": [{"role": "bot", "content": "Hi"}]},
    '{"model": "claude-sonnet-4-5", "max_tokens": ',
    b'{"model": "claude-sonnet-4-5", "max_tokens": 5, "messages": [{"role": "user", "content": "\xff"}]}',
]


@pytest.fixture(scope="module")
def client():
    if not HAS_DASK:
        pytest.skip("the dask extra is not installed")
    from transcript.scale.dask import connect

    with connect("local") as c:
        yield c


@needs_dask
def test_a_bag_of_records_gives_the_rows_of_lint_record(client) -> None:
    import dask.bag as db

    from transcript.scale.dask import lint_bag

    local = [row for record in REQUESTS for row in lint_record(record, "request")]
    assert lint_bag(db.from_sequence(REQUESTS, npartitions=2), "request").compute() == local
    keyed = [(f"rec-{n}", record) for n, record in enumerate(REQUESTS)]
    rows = lint_bag(db.from_sequence(keyed, npartitions=3), "request", keyed=True).compute()
    assert {row["file"] for row in rows} == {"rec-1", "rec-2", "rec-3"}
    by_record = merge_rows(rows)
    assert by_record == merge_rows(row for rid, record in keyed for row in lint_record(record, "request", record_id=rid))


@needs_dask
def test_bags_of_streams_and_paths_give_the_local_rows(client) -> None:
    import dask.bag as db

    from transcript.scale.dask import lint_paths_bag, replay_bag, replay_paths_bag

    streams = sorted(str(p) for p in (SAMPLES / "streams").rglob("*.sse"))
    data = [Path(p).read_bytes() for p in streams]
    assert replay_bag(db.from_sequence(data, npartitions=2)).compute() == [r for d in data for r in replay_record(d)]
    keyed = replay_bag(db.from_sequence(list(zip(streams, data)), npartitions=2), keyed=True).compute()
    assert keyed == [r for p, d in zip(streams, data) for r in replay_record(d, record_id=p)] and keyed
    captures = list(stream_files([str(SAMPLES / "streams")]))
    expected = [r for p in captures for r in to_rows(replay_path(p).diagnostics, p)]
    assert replay_paths_bag(captures).compute() == expected
    files = sorted(str(p) for p in SAMPLES.rglob("*.json"))
    assert lint_paths_bag(files).compute() == [r for p in files for r in lint_file(p)]
    assert lint_paths_bag([]).compute() == []


@needs_dask
def test_the_jobs_plan_on_the_cluster_is_the_local_one(client, tmp_path: Path) -> None:
    """Chunks of a large JSONL file and batches of small files as cluster tasks: the results
    of one local process, in the same order."""
    from transcript.scale.dask import ClientPool, workers

    generated_jsonl(tmp_path / "log.jsonl", 800)
    paths = [str(tmp_path), str(SAMPLES)]
    pool = ClientPool(client)
    on_cluster = list(lint_paths_jobs(paths, jobs=workers(client), pool=pool, chunk_bytes=4000))
    assert [(r.name, r.diagnostics) for r in on_cluster] == [(r.name, r.diagnostics) for r in lint_paths(paths)]
    replayed = list(replay_paths_jobs([str(SAMPLES / "streams")], jobs=workers(client), pool=pool))
    assert replayed == list(replay_paths_jobs([str(SAMPLES / "streams")], jobs=1))
    assert workers(client) == 2


@needs_dask
def test_dask_address_reports_what_a_local_run_does(cli, client, tmp_path: Path) -> None:
    """The command line against a running scheduler (the module's cluster, at its address:
    what ``--dask tcp://scheduler:8786`` does; ``--dask local`` is :func:`connect`'s cluster)."""
    address = client.scheduler.address
    generated_jsonl(tmp_path / "log.jsonl", 600)
    local = cli(["lint", str(tmp_path), str(SAMPLES), "-j", "1", "--chunk-size", "3000", "--format", "json"])
    on_dask = cli(["lint", str(tmp_path), str(SAMPLES), "--dask", address, "--chunk-size", "3000", "--format", "json"])
    assert local.exit_code == on_dask.exit_code == 1
    assert on_dask.stdout == local.stdout and json.loads(local.stdout)["diagnostics"]
    local = cli(["replay", str(SAMPLES / "streams"), "-j", "1"])
    on_dask = cli(["replay", str(SAMPLES / "streams"), "--dask", address])
    assert local.exit_code == on_dask.exit_code == 1
    assert (on_dask.stdout, on_dask.stderr) == (local.stdout, local.stderr)


@needs_dask
def test_a_scheduler_that_cannot_be_reached_is_an_error(client) -> None:
    from transcript.scale.dask import connect

    with pytest.raises((OSError, TimeoutError)), connect("tcp://127.0.0.1:9", timeout=0.5):
        pass


def test_dask_without_the_extra_is_one_line_and_exit_2(cli, tmp_path: Path) -> None:
    """``dask`` that cannot be imported (a stand-in raising ImportError first on the path)."""
    (tmp_path / "dask").mkdir()
    (tmp_path / "dask" / "__init__.py").write_text("raise ImportError(\"No module named 'dask'\")\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "NO_COLOR": "1"}
    script = Path(sys.executable).parent / "transcript"
    for args in (["lint", str(SAMPLES), "--dask", "local"], ["replay", str(SAMPLES / "streams"), "--dask", "local"]):
        done = subprocess.run([str(script), *args], capture_output=True, text=True, env=env, timeout=60, check=False)
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.splitlines() == ["transcript: error: --dask needs the dask extra: pip install 'transcript[dask]'"]
    both = cli(["lint", str(SAMPLES), "--dask", "local", "--jobs", "2"])
    assert both.exit_code == 2 and len(both.stderr.splitlines()) == 1
