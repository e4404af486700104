"""``transcript lint``'s library: every kind of input in one table, the lint driver, the
configuration, the example runners and the registry with every family in it.

This package stands above every job (prompt, request, legacy, stream) and below the
output formats and the command line.
"""

from __future__ import annotations

from transcript.lint.driver import iter_files, lint_source, lint_text
from transcript.lint.kinds import KINDS, Document, Kind, detect_kind
from transcript.request.context import LintOptions

__all__ = ["KINDS", "Document", "Kind", "LintOptions", "detect_kind", "iter_files", "lint_source", "lint_text"]
