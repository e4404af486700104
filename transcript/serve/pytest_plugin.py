"""The pytest plugin (entry point ``pytest11``): a ``transcript_server`` for each test.

``transcript_server`` is the server in-process on a free port of 127.0.0.1, started once
per session (per xdist worker) and reset for each test, as if new.  It gives:

- ``base_url``, for ``anthropic.Anthropic(base_url=transcript_server.base_url)``;
- ``exchanges``: every request seen, with its status, diagnostics and answer source;
  ``refused``: those the API would refuse; ``assert_no_refused()`` fails the test with
  each refused request's error and diagnostics;
- ``queue(**entry)``: the next answer, written as a script entry (``text=``,
  ``tool_use=``, ``thinking=``, ``error=``, ``fault=``, ``match=``...;
  :mod:`transcript.serve.script`); ``fault(spec)``: a fault for every request from now on.

``transcript_env`` is the same server with ``ANTHROPIC_BASE_URL`` and ``ANTHROPIC_API_KEY``
set for the test, for code that builds its own client.

Settings (``pytest.ini``, ``[tool.pytest.ini_options]``): ``transcript_from`` (recordings
to answer from, one per line), ``transcript_script`` (a script file), ``transcript_config``
(the lint configuration; default: the nearest ``transcript.toml`` or ``pyproject.toml``),
``transcript_target``.  The plugin loads the server only when a test asks for the fixture,
so pytest runs unchanged where the ``serve`` extra is not installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from transcript.lint.config import load_config
from transcript.serve.faults import parse_faults
from transcript.serve.script import Script

__all__ = ["TranscriptServer", "transcript_server", "transcript_env"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("transcript_from", "recordings transcript_server answers from (one path per line)", type="paths", default=[])
    parser.addini("transcript_script", "a script of answers for transcript_server", default="")
    parser.addini("transcript_config", "the lint configuration transcript_server judges requests with", default="")
    parser.addini("transcript_target", "anthropic, bedrock or vertex", default="")


class TranscriptServer:
    """A running ``transcript serve`` for one test."""

    def __init__(self, thread: Any, script: Script) -> None:
        self._thread = thread
        self._script = script
        self.base_url: str = thread.base_url
        self.service = thread.service

    @property
    def exchanges(self) -> list[Any]:
        return list(self.service.exchanges)

    @property
    def refused(self) -> list[Any]:
        return [e for e in self.exchanges if e.refused]

    def queue(self, **entry: Any) -> None:
        """The next answer to ``/v1/messages``, as a script entry (``text="Hi"``, ``tool_use={...}``...)."""
        self._script.add(entry)

    def fault(self, spec: str) -> None:
        """A fault for every request from now on (``"overloaded;times=1"``)."""
        self.service.faults = self.service.faults + parse_faults(spec)

    def reset(self) -> None:
        """Forget this test's exchanges, queued answers and faults."""
        self._script.clear()
        self.service.reset()

    def assert_no_refused(self) -> None:
        """Fail when the code under test sent a request the API would refuse."""
        lines = []
        for e in self.refused:
            message = e.error["error"]["message"] if e.error else ""
            codes = ", ".join(
                f"{d.code} {d.location.pointer or ''} {d.message}".strip() for d in e.diagnostics if d.severity.value == "error"
            )
            lines.append(f"{e.method} {e.path} -> {e.status}: {message}" + (f" [{codes}]" if codes else ""))
        if lines:
            raise AssertionError("requests the API would refuse:\n" + "\n".join(lines))


def _start(config: pytest.Config) -> Iterator[TranscriptServer]:
    # The serve extra is optional: the server is loaded only when a test asks for it.
    from transcript.serve.server import ServeOptions, ServerThread, build_service, read_sources

    script_path = config.getini("transcript_script") or None
    config_path = config.getini("transcript_config") or None
    lint_config = load_config(Path(config.rootpath, config_path) if config_path else None, start=config.rootpath)
    target = config.getini("transcript_target")
    if target:
        lint_config = lint_config.with_cli(target=target)
    queued = Script([])
    sources = read_sources(
        [str(p) for p in config.getini("transcript_from")], Path(config.rootpath, script_path) if script_path else None
    )
    service = build_service(ServeOptions(sources=(queued, *sources)), lint_config)
    thread = ServerThread(service)
    thread.start()
    try:
        yield TranscriptServer(thread, queued)
    finally:
        thread.stop()


@pytest.fixture(scope="session")
def _transcript_session_server(pytestconfig: pytest.Config) -> Iterator[TranscriptServer]:
    """One server for the session (per xdist worker); each test gets it reset."""
    yield from _start(pytestconfig)


@pytest.fixture
def transcript_server(_transcript_session_server: TranscriptServer) -> TranscriptServer:
    """A ``transcript serve`` for this test, as new: no exchanges, nothing queued, no faults,
    recordings and script from their start (see :class:`TranscriptServer`)."""
    server = _transcript_session_server
    server.reset()
    return server


@pytest.fixture
def transcript_env(transcript_server: TranscriptServer, monkeypatch: pytest.MonkeyPatch) -> TranscriptServer:
    """``transcript_server`` with ``ANTHROPIC_BASE_URL`` and ``ANTHROPIC_API_KEY`` set for the test."""
    monkeypatch.setenv("ANTHROPIC_BASE_URL", transcript_server.base_url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-transcript-test")
    return transcript_server
