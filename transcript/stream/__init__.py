"""Captured event streams, replayed into the final Message.

Modules, in the order an event passes through them:

- :mod:`~transcript.stream.sse`: the WHATWG event-stream decoder (``SseDecoder``,
  ``SseEvent``) and the capped ``DiagnosticSink``;
- :mod:`~transcript.stream.captures`: capture formats (raw SSE with or without HTTP
  headers, HAR, JSONL), detected by content, and their events;
- :mod:`~transcript.stream.events`: ``RawEvent``, an event as a capture hands it to the
  replayer, and the location of a stream diagnostic;
- :mod:`~transcript.stream.replayer`: ``Replayer``, the order checks and dispatch of
  events, and ``ReplayResult``;
- :mod:`~transcript.stream.accumulator`: ``MessageAccumulator``, the Message built from
  its events as the official SDK builds it;
- :mod:`~transcript.stream.blocks`: the replayer's content-block kinds, from the protocol
  vocabulary;
- :mod:`~transcript.stream.partial_json`: the best-effort parse of unfinished tool JSON;
- :mod:`~transcript.stream.completion`: legacy Text Completions streams, and their
  Completion as a Message (through :mod:`transcript.legacy.migrate`);
- :mod:`~transcript.stream.timeline`: the timeline of events, alike neighbours merged;
- :mod:`~transcript.stream.replay`: whole captures in one call (``replay_all``,
  ``replay_file``, ``lint_stream``), HAR diagnostics relocated to the HAR file;
- :mod:`~transcript.stream.view`: the text view of a replayed stream (``render_text``);
- :mod:`~transcript.stream.codes`: the ``S`` codes (the ``L1xx`` legacy-stream codes are in
  :mod:`transcript.legacy.codes`).
"""
