"""Migrating Python code that calls the Text Completions API (a LibCST codemod)."""
