"""``transcript serve``: a local Messages API that judges every request as the server does.

The package is layered above the linter and the stream replayer and below the command
line.  Its modules, from the wire inwards:

- :mod:`~transcript.serve.server`: the uvicorn server (the ``listening`` line, signals,
  an in-process :class:`~transcript.serve.server.ServerThread` for tests);
- :mod:`~transcript.serve.app`: the starlette application and its routes;
- :mod:`~transcript.serve.service`: one request's work, independent of the HTTP stack
  (headers, lint, answer, faults, the reply), and the exchanges kept;
- :mod:`~transcript.serve.headers`: ``anthropic-version``, ``anthropic-beta`` and the API
  key headers, read and judged here (the linter sees only bodies);
- :mod:`~transcript.serve.judge`: a request body linted with the configuration of
  ``transcript lint`` and turned into a verdict;
- :mod:`~transcript.serve.errors`: diagnostics as the API's error JSON and statuses;
- :mod:`~transcript.serve.answers`, :mod:`~transcript.serve.recorded`,
  :mod:`~transcript.serve.script`, :mod:`~transcript.serve.synthetic`: where an answer
  comes from (a recording, a script, or a synthetic Message that respects the request,
  whose forced tool input :mod:`~transcript.serve.instances` makes valid for its schema);
- :mod:`~transcript.serve.legacy`: ``/v1/complete`` through the migration;
- :mod:`~transcript.serve.render`: one Message as its stream of SSE events;
- :mod:`~transcript.serve.faults`: rate limits, overloads, broken streams on demand;
- :mod:`~transcript.serve.record`: the recording proxy;
- :mod:`~transcript.serve.pytest_plugin`: the ``transcript_server`` fixture.

Only :mod:`~transcript.serve.app`, :mod:`~transcript.serve.server` and
:mod:`~transcript.serve.record` need the ``serve`` extra (uvicorn, starlette, httpx);
the rest is plain Python over the toolkit's library.
"""
