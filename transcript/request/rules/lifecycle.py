"""Model lifecycle: a retired model is an error, a deprecated one a warning with its date.

The dates are the model table's (``retires``, from the SDK's deprecation table); they are
judged against the lint's ``today`` option (the current date by default).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from transcript.core.diagnostics import Diagnostic, Location, Severity
from transcript.core.registry import rule
from transcript.request.context import RequestContext


def _today(ctx: RequestContext) -> str:
    return ctx.options.today or dt.date.today().isoformat()


@rule(
    "R015",
    "model-retired-or-deprecated",
    severity="error",
    summary="The model is retired (an error) or deprecated (a warning with its end-of-life date).",
    explanation="""
        The official SDK warns when a request names a deprecated model: `The model
        'claude-opus-4-5' is deprecated and will reach end-of-life on January 22nd, 2027`
        (its deprecation table, `anthropic/_data/deprecated_models.py`).  After that date the
        API no longer serves the model.  transcript reads the dates from its model table: a
        model past its end-of-life date is an error, one before it a warning naming the
        date.  Migrate to a current model of the same family.
    """,
    bad='{"model": "claude-mythos-preview", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hello"}]}',
    good='{"model": "claude-mythos-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hello"}]}',
    runner="request",
)
def model_lifecycle(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    model = ctx.model
    if model is None or not (model.deprecated or model.retires):
        return
    where = Location(pointer="/model")
    if model.retires and model.retires <= _today(ctx):
        yield model_lifecycle.rule.diagnostic(
            f"the model {ctx.model_id!r} reached end-of-life on {model.retires}: the API no longer serves it",
            where,
            hint="migrate to a current model (see the model deprecations page)",
        )
    elif model.deprecated:
        when = f" and reaches end-of-life on {model.retires}" if model.retires else ""
        yield model_lifecycle.rule.diagnostic(
            f"the model {ctx.model_id!r} is deprecated{when}",
            where,
            severity=Severity.WARNING,
            hint="migrate to a newer model before that date",
        )
