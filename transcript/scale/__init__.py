"""Scale out: the per-record functions every engine maps over."""

from transcript.scale.records import ROW_FIELDS, Row, from_row, lint_file, lint_record, merge_rows, replay_record, to_row, to_rows

__all__ = ["ROW_FIELDS", "Row", "from_row", "lint_file", "lint_record", "merge_rows", "replay_record", "to_row", "to_rows"]
