"""Text Completions bodies migrated to the Messages API and back, and the ``L`` codes."""
