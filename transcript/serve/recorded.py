"""Recorded answers (``--from``): captures paired with the requests they answered.

What is read:

- **directories**, walked recursively, in the pairing of the shipped samples:
  ``X.request.json`` with ``X.sse`` (a raw stream, optionally with the HTTP headers ``curl
  -i`` prints, and ``X.times.json``: the seconds at which each event arrived, as ``--record``
  writes it) or ``X.response.json`` (a Message, a token count, or an error body, whose
  status follows its error type); ``X.meta.json`` (written by ``--record``) may give the
  ``path`` and ``status``;
- **HAR files**: each entry with a ``POST`` body and a response (an event stream, with
  Chrome's ``_eventSourceMessages`` and their times where present, or JSON);
- **JSONL files**: one exchange a line, ``{"request": {...}, "response": {...}}`` or
  ``{"request": {...}, "sse": "event: ...\\n\\n..."}``, with an optional ``"path"`` and
  ``"status"``.

The endpoint of an exchange is its path when known (``/v1/messages``,
``/v1/messages/count_tokens``, ``/v1/complete``; a pair whose name says ``count_tokens``),
else its shape: a ``prompt`` is a legacy
completion, a response of only ``input_tokens`` a token count.

Matching: a request is answered by the first unused recording of its endpoint whose
request body is equal to it as JSON once normalised, else by the next unused recording in
order (file names sorted, HAR and JSONL in their order).  Normalising ignores key order,
whitespace and ``stream`` (so a stream request can be answered from a JSON recording, and
the other way round: the server renders or replays).  When every match has been used, the
last one answers again.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson
from attrs import field, frozen

from transcript.serve.answers import Answer, Query
from transcript.serve.errors import STATUS_OF, ApiError

__all__ = ["Recording", "Recordings", "RecordingError", "read_recordings", "normalised", "endpoint_of_path"]

_PATHS = {"/v1/messages": "messages", "/v1/messages/count_tokens": "count_tokens", "/v1/complete": "complete"}


class RecordingError(Exception):
    """A recording that cannot be read: one line naming the file."""


@frozen
class Recording:
    endpoint: str
    request: Any
    response: Any = None
    sse: bytes | None = None
    times: tuple[float, ...] | None = None
    status: int = 200
    origin: str = ""
    key: bytes = field(default=b"", eq=False)


def normalised(request: Any) -> bytes:
    """The request as compared: JSON with sorted keys, ``stream`` left out."""
    if isinstance(request, dict):
        request = {k: v for k, v in request.items() if k != "stream"}
    return orjson.dumps(request, option=orjson.OPT_SORT_KEYS)


def endpoint_of_path(path: str | None) -> str | None:
    if not path:
        return None
    path = path.split("?", 1)[0].rstrip("/")
    for known, endpoint in sorted(_PATHS.items(), key=lambda kv: -len(kv[0])):
        if path.endswith(known):
            return endpoint
    return None


def _endpoint(request: Any, response: Any, path: str | None) -> str:
    by_path = endpoint_of_path(path)
    if by_path:
        return by_path
    if isinstance(request, dict) and "prompt" in request:
        return "complete"
    if isinstance(response, dict) and set(response) <= {"input_tokens", "context_management"} and "input_tokens" in response:
        return "count_tokens"
    return "messages"


def _status(response: Any, given: Any) -> int:
    if isinstance(given, int) and 100 <= given < 600:
        return given
    if isinstance(response, dict) and response.get("type") == "error" and isinstance(response.get("error"), dict):
        return STATUS_OF.get(str(response["error"].get("type")), 400)
    return 200


def _strip_http_head(data: bytes) -> bytes:
    if not data.lstrip().startswith(b"HTTP/"):
        return data
    for sep in (b"\r\n\r\n", b"\n\n"):
        at = data.find(sep)
        if at >= 0:
            return data[at + len(sep) :]
    return b""


def _load(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise RecordingError(f"{path}: cannot read the recording ({exc})") from None


def _make(endpoint: str, request: Any, response: Any, sse: bytes | None, times: Any, status: Any, origin: str) -> Recording:
    t = tuple(float(x) for x in times) if isinstance(times, list) and all(isinstance(x, (int, float)) for x in times) else None
    return Recording(endpoint, request, response, sse, t, _status(response, status), origin, normalised(request))


def _from_directory(root: Path) -> Iterator[Recording]:
    for request_file in sorted(root.rglob("*.request.json")):
        stem = request_file.name[: -len(".request.json")]
        base = request_file.with_name(stem)
        sse_file, response_file = base.with_suffix(base.suffix + ".sse"), base.with_name(stem + ".response.json")
        meta_file, times_file = base.with_name(stem + ".meta.json"), base.with_name(stem + ".times.json")
        meta = _load(meta_file) if meta_file.is_file() else {}
        meta = meta if isinstance(meta, dict) else {}
        request = _load(request_file)
        sse = response = times = None
        if sse_file.is_file():
            sse = _strip_http_head(sse_file.read_bytes())
            times = _load(times_file) if times_file.is_file() else None
        elif response_file.is_file():
            response = _load(response_file)
        else:
            continue  # a request with no answer recorded beside it
        path = meta.get("path") or ("/v1/messages/count_tokens" if "count_tokens" in stem else None)
        yield _make(_endpoint(request, response, path), request, response, sse, times, meta.get("status"), str(request_file))


def _har_text(content: dict[str, Any]) -> bytes | None:
    text = content.get("text")
    if not isinstance(text, str):
        return None
    if content.get("encoding") == "base64":
        try:
            return base64.b64decode(text)
        except ValueError:
            return None
    return text.encode("utf-8")


def _from_har(path: Path, value: Any) -> Iterator[Recording]:
    entries = value.get("log", {}).get("entries") if isinstance(value.get("log"), dict) else None
    if not isinstance(entries, list):
        raise RecordingError(f"{path}: a HAR file needs log.entries")
    for n, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        req, resp = entry.get("request") or {}, entry.get("response") or {}
        post = (req.get("postData") or {}).get("text") if isinstance(req, dict) else None
        if not isinstance(post, str) or not isinstance(resp, dict):
            continue
        try:
            request = orjson.loads(post)
        except orjson.JSONDecodeError:
            continue
        raw_content = resp.get("content")
        content: dict[str, Any] = raw_content if isinstance(raw_content, dict) else {}
        raw = _har_text(content)
        messages = resp.get("_eventSourceMessages") or entry.get("_eventSourceMessages")
        sse: bytes | None = None
        response: Any = None
        times: list[float] | None = None
        if isinstance(messages, list) and messages:
            parts: list[bytes] = []
            arrived: list[float] = []
            for m in messages:
                if isinstance(m, dict) and isinstance(m.get("data"), str):
                    name = f"event: {m['type']}\n" if isinstance(m.get("type"), str) and m["type"] != "message" else ""
                    parts.append(f"{name}data: {m['data']}\n\n".encode())
                    at = m.get("time")
                    arrived.append(float(at) if isinstance(at, (int, float)) else 0.0)
            sse = b"".join(parts)
            times = [t - arrived[0] for t in arrived] if arrived else None
        elif raw is not None and "event-stream" in str(content.get("mimeType", "")):
            sse = raw
        elif raw is not None:
            try:
                response = orjson.loads(raw)
            except orjson.JSONDecodeError:
                continue
        else:
            continue
        url = req.get("url") if isinstance(req.get("url"), str) else None
        yield _make(_endpoint(request, response, url), request, response, sse, times, resp.get("status"), f"{path} entry {n}")


def _from_jsonl(path: Path, data: bytes) -> Iterator[Recording]:
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise RecordingError(f"{path}:{number}: invalid JSON ({exc})") from None
        if not isinstance(record, dict) or "request" not in record or not ("response" in record or "sse" in record):
            raise RecordingError(
                f'{path}:{number}: a line must be {{"request": ..., "response": ...}} or {{"request": ..., "sse": "..."}}'
            )
        sse = record["sse"].encode("utf-8") if isinstance(record.get("sse"), str) else None
        response = record.get("response") if sse is None else None
        endpoint = _endpoint(record["request"], response, record.get("path"))
        yield _make(endpoint, record["request"], response, sse, record.get("times"), record.get("status"), f"{path}:{number}")


def read_recordings(paths: Sequence[str | Path]) -> list[Recording]:
    """Every recording under ``paths`` (a :class:`RecordingError` for one that cannot be read)."""
    found: list[Recording] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(_from_directory(path))
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise RecordingError(f"{path}: cannot read ({exc.strerror or exc})") from None
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            found.extend(_from_jsonl(path, data))
            continue
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError:
            raise RecordingError(f"{path}: not a HAR file, a JSONL file or a directory of recordings") from None
        if isinstance(value, dict) and "log" in value:
            found.extend(_from_har(path, value))
        else:
            raise RecordingError(f"{path}: not a HAR file, a JSONL file or a directory of recordings")
    return found


class Recordings:
    """The recordings as an answer source."""

    def __init__(self, recordings: Sequence[Recording]) -> None:
        self.recordings = list(recordings)
        self._used = [False] * len(self.recordings)
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Every recording unused again."""
        with self._lock:
            self._used = [False] * len(self.recordings)

    def answer(self, query: Query) -> Answer | None:
        key = normalised(query.request) if query.endpoint != "complete" else normalised(_original(query))
        with self._lock:
            mine = [i for i, r in enumerate(self.recordings) if r.endpoint == query.endpoint]
            same = [i for i in mine if self.recordings[i].key == key]
            fresh = [i for i in same if not self._used[i]] or [i for i in mine if not self._used[i]]
            if fresh:
                chosen = fresh[0]
            elif same:
                chosen = same[-1]
            else:
                return None
            self._used[chosen] = True
        return _answer(self.recordings[chosen])


def _original(query: Query) -> Any:
    try:
        return orjson.loads(query.data)
    except orjson.JSONDecodeError:
        return query.request


def _answer(recording: Recording) -> Answer:
    source = f"recorded:{recording.origin}"
    if recording.sse is not None:
        return Answer(sse=recording.sse, times=recording.times, source=source)
    response = recording.response
    if recording.status != 200:
        if isinstance(response, dict) and isinstance(response.get("error"), dict):
            err = response["error"]
            return Answer(error=ApiError(recording.status, str(err.get("type")), str(err.get("message"))), source=source)
        return Answer(body=response, status=recording.status, source=source)
    if isinstance(response, dict) and response.get("type") == "message":
        return Answer(message=response, source=source)
    return Answer(body=response, source=source)  # a token count, a Completion: sent as recorded
