"""``transcript lint --fix`` / ``--diff``: each linted file's fixes applied in place, or shown as a diff."""

from __future__ import annotations

import sys

from transcript.cli.common import OptionError
from transcript.core.sources import decode_source
from transcript.lint.autofix import FixResult, fix_text
from transcript.lint.driver import FileResult
from transcript.request.context import LintOptions

__all__ = ["fix_file"]


def fix_file(
    result: FileResult, *, kind: str | None, strict: bool, unsafe: bool, write: bool, stdin: bool = False
) -> FixResult | None:
    """Fix one linted file (``None`` when it has nothing fixable or cannot be read as text).

    With ``write`` the fixed text replaces the file (standard input: it goes to standard
    output, as ruff does); otherwise nothing is written.
    """
    if result.source is None or not result.diagnostics:
        return None
    text, problems = decode_source(result.source)
    if text is None or problems:
        return None
    options = LintOptions(target=result.config.target, strict=strict, betas=result.config.betas, models=result.config.models)
    fixed = fix_text(text, result.name, kind=kind or result.kind, options=options, config=result.config, unsafe=unsafe)
    if write and stdin:
        sys.stdout.write(fixed.text)
        sys.stdout.flush()
    elif write and fixed.changed:
        try:
            with open(result.name, "w", encoding="utf-8", errors="surrogatepass", newline="") as out:
                out.write(fixed.text)
        except OSError as exc:
            raise OptionError(f"{result.name}: cannot write the fixes ({exc.strerror or exc})") from None
    return fixed
