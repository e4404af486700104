"""The HTTP server: uvicorn running the starlette app, from the command line or in a thread.

:func:`run` is ``transcript serve``: it binds the socket itself (so ``--port 0`` gets a
free port, and a port in use is a usage error, not a log line), prints exactly one line
to stderr once it accepts connections, ``transcript serve: listening on
http://HOST:PORT``, and returns when SIGINT or SIGTERM asks it to stop (open streams get
a moment to finish).  :class:`ServerThread` runs the same server in a background thread
on a free port of 127.0.0.1: what the tests and the pytest fixture use.

:func:`build_service` makes the :class:`~transcript.serve.service.Service` from the
options: the judge with the lint configuration, the answer sources (``--from``
recordings, ``--script``), the faults of ``--fault``, the recording proxy.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import uvicorn
from attrs import field, frozen

from transcript.lint.config import Config
from transcript.serve.answers import Answers, AnswerSource
from transcript.serve.app import build_app, quiet_disconnects
from transcript.serve.faults import Fault
from transcript.serve.judge import Judge
from transcript.serve.record import Recorder
from transcript.serve.recorded import RecordingError, Recordings, read_recordings
from transcript.serve.script import Script, ScriptError, read_script
from transcript.serve.service import Service

__all__ = ["ServeOptions", "ServerThread", "build_service", "read_sources", "run", "bind", "ServeError"]


class ServeError(Exception):
    """The server cannot start (a port in use, an unreadable recording): one line, exit 2."""


@frozen
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8080
    sources: tuple[AnswerSource, ...] = field(default=(), eq=False)
    faults: tuple[Fault, ...] = ()
    speed: float | None = None
    lint: bool = True
    strict: bool = False
    refuse_unknown_models: bool = False
    record: str | None = None
    upstream: str | None = None


def build_service(options: ServeOptions, config: Config | None = None, *, log: Callable[[str], None] | None = None) -> Service:
    judge = Judge(config, lint=options.lint, strict=options.strict, refuse_unknown_models=options.refuse_unknown_models)
    return Service(judge, Answers(options.sources), faults=options.faults, speed=options.speed, log=log)


def read_sources(recordings: Sequence[str | Path] = (), script: str | Path | None = None) -> list[AnswerSource]:
    """The answer sources of ``--from`` and ``--script`` (a :class:`ServeError` for one that cannot be read)."""
    sources: list[AnswerSource] = []
    try:
        if recordings:
            sources.append(Recordings(read_recordings(recordings)))
        if script is not None:
            sources.append(Script(read_script(script)))
    except (RecordingError, ScriptError) as exc:
        raise ServeError(str(exc)) from None
    return sources


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (``port`` 0: a free one)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.setblocking(False)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class _OneLine(logging.Handler):
    """uvicorn's own messages as single lines on stderr (no tracebacks)."""

    def emit(self, record: logging.LogRecord) -> None:
        sys.stderr.write(
            f"transcript serve: {record.getMessage().strip().splitlines()[0] if record.getMessage().strip() else ''}\n"
        )


def _configure_logging() -> None:
    logger = logging.getLogger("uvicorn.error")
    logger.handlers[:] = [_OneLine()]
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    quiet_disconnects()


class _Server(uvicorn.Server):
    """uvicorn's server, saying when it listens and stopping on signals without re-raising them."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None] | None = None) -> None:
        super().__init__(config)
        self._on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and self._on_ready is not None:
            self._on_ready()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def _config(service: Service, recorder: Recorder | None) -> uvicorn.Config:
    _configure_logging()
    return uvicorn.Config(
        build_app(service, recorder),
        lifespan="off",
        access_log=False,
        log_config=None,
        timeout_graceful_shutdown=2,
        timeout_keep_alive=30,
        server_header=False,
    )


def recorder_for(options: ServeOptions) -> Recorder | None:
    """The recording proxy of ``--record DIR --upstream URL`` (``None`` without them)."""
    if options.record is None or options.upstream is None:
        return None
    if not options.upstream.startswith(("http://", "https://")):
        raise ServeError(f"--upstream must be an http:// or https:// URL, not {options.upstream!r}")
    try:
        return Recorder(options.record, options.upstream)
    except OSError as exc:
        raise ServeError(f"{options.record}: cannot record there ({exc.strerror or exc})") from None


def run(
    service: Service, host: str, port: int, *, recorder: Recorder | None = None, announce: Callable[[str], None] | None = None
) -> None:
    """Serve until SIGINT or SIGTERM (``transcript serve``)."""
    sock = bind(host, port)
    url = url_of(sock)

    def ready() -> None:
        line = f"transcript serve: listening on {url}\n"
        if announce is not None:
            announce(line)
        else:
            sys.stderr.write(line)
            sys.stderr.flush()

    server = _Server(_config(service, recorder), ready)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


class ServerThread:
    """The server in a background thread on a free port (127.0.0.1 unless told otherwise).

    ``with ServerThread(service) as server: ... server.base_url ...``; :meth:`stop` asks it to
    stop and waits for the thread.
    """

    def __init__(self, service: Service, host: str = "127.0.0.1", port: int = 0, *, recorder: Recorder | None = None) -> None:
        self.service = service
        self.recorder = recorder
        self.host = host
        self.port = port
        self.base_url = ""
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None

    def start(self, timeout: float = 10.0) -> str:
        sock = bind(self.host, self.port)
        self.base_url = url_of(sock)
        self._server = _Server(_config(self.service, self.recorder), self._ready.set)

        def main() -> None:
            try:
                assert self._server is not None
                self._server.run(sockets=[sock])
            except BaseException as exc:  # noqa: BLE001 - reported by start()
                self._failure = exc
                self._ready.set()
            finally:
                sock.close()

        self._thread = threading.Thread(target=main, name="transcript-serve", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout) or self._failure is not None:
            self.stop()
            raise ServeError(f"the server did not start: {self._failure or 'timed out'}")
        return self.base_url

    def stop(self, timeout: float = 10.0) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None

    def __enter__(self) -> ServerThread:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
