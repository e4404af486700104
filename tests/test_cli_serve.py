"""``transcript serve`` as a user runs it: the listening line, a free port, signals, usage errors."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from conftest import run_cli
from serve_helpers import HEADERS, body

from transcript.cli import main
from transcript.cli import serve as serve_command
from transcript.serve.server import bind

LISTENING = re.compile(r"^transcript serve: listening on (http://127\.0\.0\.1:(\d+))\n$")


def _command() -> list[str]:
    script = Path(sys.executable).with_name("transcript")
    return [str(script)] if script.exists() else [sys.executable, "-m", "transcript"]


def _read_line(proc: subprocess.Popen[bytes], timeout: float = 20.0) -> str:
    assert proc.stderr is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stderr, selectors.EVENT_READ)
        if not sel.select(timeout):
            raise AssertionError("the server did not print its listening line in time")
    return proc.stderr.readline().decode("utf-8")


@contextmanager
def serving(*args: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    proc = subprocess.Popen(
        [*_command(), "serve", "--port", "0", *args],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        line = _read_line(proc)
        m = LISTENING.match(line)
        assert m, line
        yield proc, m.group(1)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_it_listens_on_a_free_port_answers_and_stops_cleanly_on_a_signal(sig: signal.Signals) -> None:
    with serving() as (proc, url):
        assert httpx.post(url + "/v1/messages", json=body(), headers=HEADERS, timeout=10).status_code == 200
        proc.send_signal(sig)
        assert proc.wait(15) == 0
        assert proc.stderr is not None
        assert proc.stderr.read() == b""  # the listening line was the only one
        assert proc.stdout is not None and proc.stdout.read() == b""


def test_refused_requests_are_logged_one_line_each() -> None:
    with serving() as (proc, url):
        httpx.post(url + "/v1/messages", json=body(messages=[]), headers=HEADERS, timeout=10)
        line = _read_line(proc)
        assert line.startswith(
            "transcript serve: POST /v1/messages 400 messages: at least one message is required R001@/messages"
        )
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0


def test_lint_options_apply(tmp_path: Path) -> None:
    (tmp_path / "transcript.toml").write_text('ignore = ["R001"]\n')
    with serving("--config", str(tmp_path / "transcript.toml"), "--quiet") as (proc, url):
        assert httpx.post(url + "/v1/messages", json=body(messages=[]), headers=HEADERS, timeout=10).status_code == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(15) == 0
    with serving("--no-lint", "-q") as (proc, url):
        assert httpx.post(url + "/v1/messages", json=body(temperature=9), headers=HEADERS, timeout=10).status_code == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(15) == 0


def test_a_port_in_use_is_a_usage_error() -> None:
    taken = bind("127.0.0.1", 0)
    try:
        result = run_cli(["serve", "--port", str(taken.getsockname()[1])])
    finally:
        taken.close()
    assert result.exit_code == 2
    assert re.fullmatch(r"transcript: error: cannot listen on 127\.0\.0\.1:\d+: .+\n", result.stderr)


def test_bad_options_are_usage_errors() -> None:
    result = run_cli(["serve", "--fault", "meteor"])
    assert result.exit_code == 2 and result.stderr.startswith("transcript: error: --fault: unknown fault 'meteor'")
    assert run_cli(["serve", "--select", "Q9"]).exit_code == 2
    alone = run_cli(["serve", "--record", "out"])
    assert alone.exit_code == 2 and alone.stderr == "transcript: error: --record and --upstream go together\n"
    missing = run_cli(["serve", "--from", "no-such.jsonl"])
    assert missing.exit_code == 2 and missing.stderr.startswith("transcript: error: no-such.jsonl: cannot read")
    assert run_cli(["serve", "--speed", "0"]).exit_code == 2


def test_it_serves_recordings_from_the_command_line() -> None:
    corpus = Path(__file__).parent / "data" / "corpus"
    with serving("--from", str(corpus), "-q") as (proc, url):
        sent = (corpus / "llma_text_stream.request.json").read_bytes()
        r = httpx.post(url + "/v1/messages", content=sent, headers={**HEADERS, "content-type": "application/json"}, timeout=10)
        assert r.content == (corpus / "llma_text_stream.sse").read_bytes()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0


def test_without_the_serve_extra_it_says_so_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = serve_command.importlib.util.find_spec
    monkeypatch.setattr(serve_command.importlib.util, "find_spec", lambda name, *a: None if name == "uvicorn" else real(name, *a))
    with pytest.raises(SystemExit) as exit_info:
        main(["serve"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    needs = "transcript serve needs the serve extra (uvicorn is not installed)"
    assert err == f"transcript: error: {needs}: pip install 'transcript[serve]'\n"
