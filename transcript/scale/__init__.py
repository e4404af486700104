"""Scale out: the per-record functions every engine maps over, and ``--jobs`` on local cores."""

from transcript.scale.jobs import default_jobs, lint_paths_jobs
from transcript.scale.records import ROW_FIELDS, Row, from_row, lint_file, lint_record, merge_rows, replay_record, to_row, to_rows

__all__ = [
    "ROW_FIELDS",
    "Row",
    "default_jobs",
    "from_row",
    "lint_file",
    "lint_paths_jobs",
    "lint_record",
    "merge_rows",
    "replay_record",
    "to_row",
    "to_rows",
]
