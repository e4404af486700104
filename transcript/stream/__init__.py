"""Captured event streams: the SSE decoder, capture formats, the replayer and the ``S`` codes."""
