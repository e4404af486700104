"""``replay --record-pointer`` (transcript.stream.replay.replay_records): a JSONL log whose
records each hold a stream (its SSE text, or its list of events) at a JSON pointer."""

from __future__ import annotations

import json
from pathlib import Path

from transcript.stream.replay import replay_all, replay_records

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "streams"


def test_each_record_is_replayed_as_its_stream_would_be(cli, tmp_path: Path) -> None:
    text = (SAMPLES / "valid" / "text.sse").read_text(encoding="utf-8")
    cut = (SAMPLES / "invalid" / "truncated.sse").read_text(encoding="utf-8")
    events = [json.loads(line) for line in (SAMPLES / "valid" / "events.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    log = tmp_path / "log.jsonl"
    records = [{"id": 1, "response": {"body": text}}, {"id": 2, "response": {"body": cut}}, {"id": 3, "response": {"events": events}},
               {"id": 4, "response": {}}, {"id": 5, "response": {"body": 7}}]
    log.write_text("".join(json.dumps(r) + "\n" for r in records[:3]) + "\n" + "".join(json.dumps(r) + "\n" for r in records[3:]), encoding="utf-8")
    body = list(replay_records(log, "/response/body"))
    assert [r.record_line for r in body] == [1, 2, 3, 5, 6]
    assert body[0].message == next(replay_all(text.encode())).message and body[0].complete
    alone = next(replay_all(cut.encode()))
    assert body[1].message == alone.message and [d.code for d in body[1].diagnostics] == [d.code for d in alone.diagnostics]
    line = log.read_text(encoding="utf-8").splitlines()[1]
    for d in body[1].diagnostics:  # at the stream's value in the real record, naming the line inside the stream
        assert d.location.line == 2 and line[d.location.column - 1 :].startswith('"event:') and d.message.startswith("stream line ")
        assert d.location.pointer == "/response/body"
    assert [d.code for r in body[2:] for d in r.diagnostics] == ["X011", "X011", "X011"]
    events_replayed = list(replay_records(log, "/response/events"))[2]
    assert events_replayed.complete and events_replayed.message == next(replay_all(SAMPLES / "valid" / "events.jsonl")).message
    shown = cli(["replay", str(log), "--record-pointer", "/response/body", "-j", "2"])
    lines = [json.loads(x) for x in shown.stdout.splitlines()]
    assert shown.exit_code == 1 and [x["line"] for x in lines] == [1, 2, 3, 5, 6] and lines[0]["complete"] is True
    assert f"{log}:2:" in shown.stderr and "X011" in shown.stderr
