"""Model lifecycle: a retired model is an error, a deprecated one a warning with its date;
a spelling the API still accepts but has deprecated is a warning with the current one.

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


@rule(
    "R018",
    "deprecated-spelling",
    severity="warning",
    summary="A parameter spelling the API still accepts but has deprecated: the current one is named.",
    explanation="""
        Some spellings keep working after a newer one replaces them.  The official SDK warns,
        for claude-opus-4-6 and claude-mythos-preview: `Using Claude with claude-opus-4-6 and
        'thinking.type=enabled' is deprecated. Use 'thinking.type=adaptive' instead`
        (`anthropic/_data/models_to_warn_with_thinking_enabled.py`); the model table records
        which thinking types are deprecated for which model.  A warning, not an error: the
        request still works.  Replace `{"type": "enabled", "budget_tokens": N}` with
        `{"type": "adaptive"}` (and `output_config.effort` to steer how much it thinks).
    """,
    bad='{"model": "claude-opus-4-6", "max_tokens": 4096, "thinking": {"type": "enabled", "budget_tokens": 2048}, "messages": [{"role": "user", "content": "Hello"}]}',
    good='{"model": "claude-opus-4-6", "max_tokens": 4096, "thinking": {"type": "adaptive"}, "messages": [{"role": "user", "content": "Hello"}]}',
    runner="request",
)
def deprecated_spelling(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    model = ctx.model
    mode = ctx.thinking_type
    if model is None or not model.deprecated_thinking or mode not in model.deprecated_thinking:
        return
    current = [m for m in (model.thinking or ()) if m not in model.deprecated_thinking]
    instead = f"; use thinking.type '{current[0]}' instead" if current else ""
    yield deprecated_spelling.rule.diagnostic(
        f"thinking.type '{mode}' is deprecated on {ctx.model_id}{instead}",
        Location(pointer="/thinking/type"),
        hint='{"type": "adaptive"}' if "adaptive" in current else None,
    )
