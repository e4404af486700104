"""Request payloads judged as the API server judges them: the request context, the semantic
rules (``R``, ``M``, ``T``, ``I``, ``C``, ``K``), responses and JSONL batches."""
