"""The Messages protocol itself: its vocabulary, the model table, the JSON Schemas and the
``V`` codes of schema validation.  Knows no job (prompts, request lint, streams)."""
