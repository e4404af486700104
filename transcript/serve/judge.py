"""A request body judged as ``transcript lint`` judges a file, and the verdict the server acts on.

:class:`Judge` holds the configuration (``[tool.transcript]``, ``--select``/``--ignore``,
``--target``, severity overrides: the same :class:`~transcript.lint.config.Config` as
``transcript lint``) and lints each body through the request linter's public functions
(:func:`~transcript.request.lint.lint_request_into` and
:func:`~transcript.request.lint.locate`), or the legacy migration rules for
``/v1/complete``.  The first error-severity diagnostic becomes the API's error answer
(:func:`~transcript.serve.errors.diagnostic_error`); warnings and infos do not block.

With ``refuse_unknown_models`` a model the model table does not know (``R013``, an info
for ``transcript lint``) is refused as the API refuses it: 404 ``not_found_error``
``model: NAME``.  Off by default, since the table may lag behind the API.

Where the server is more lenient than a linter should be, the judge follows the server:
a duplicate key (``X006``) is a warning here, since the API's JSON parser keeps the last
value.  With ``lint=False`` only what the server cannot do without (a JSON object) is
checked: the floor the benchmark compares against.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from attrs import field, frozen

from transcript.core.diagnostics import Diagnostic, DiagnosticSink, Severity, diagnostic_tuple, sort_diagnostics
from transcript.core.jsontext import load_json, not_an_object
from transcript.core.sources import decode_text
from transcript.lint import KINDS, Document, LintOptions
from transcript.lint.config import Config
from transcript.request.lint import lint_request_into, locate
from transcript.serve.errors import MAX_BODY, ApiError, diagnostic_error, too_large

__all__ = ["Judge", "Verdict", "lint_options"]


@frozen
class Verdict:
    """What the judge found in one body: the parsed value (``None`` when it did not parse),
    every diagnostic kept by the configuration, and the error answer when one blocks it."""

    value: Any
    diagnostics: tuple[Diagnostic, ...] = field(converter=diagnostic_tuple, factory=tuple)
    error: ApiError | None = None
    text: str | None = None

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is not Severity.ERROR]


def lint_options(config: Config, betas: Sequence[str] = ()) -> LintOptions:
    """The linter's options for one request: the configuration's target, betas and models,
    and the request's ``anthropic-beta`` header."""
    return LintOptions(target=config.target, betas=(*config.betas, *betas), models=config.models)


class Judge:
    """Lints request bodies with one configuration."""

    def __init__(
        self, config: Config | None = None, *, lint: bool = True, strict: bool = False, refuse_unknown_models: bool = False
    ) -> None:
        self.config = config or Config()
        self.lint = lint
        self.strict = strict
        self.refuse_unknown_models = refuse_unknown_models

    def messages(self, data: bytes, *, betas: Sequence[str] = (), count_tokens: bool = False) -> Verdict:
        """Judge a ``/v1/messages`` (or ``/v1/messages/count_tokens``) body."""
        body = self._body(data, "a Messages request body (a JSON object)")
        if isinstance(body, Verdict):
            return body
        text, value, early = body
        options = lint_options(self.config, betas)
        sink = DiagnosticSink()
        lint_request_into(sink, value, options, body_size=len(data), count_tokens=count_tokens)
        sink.place(lambda kept: locate(kept, text))
        return self._verdict(value, early + sort_diagnostics(sink.result()), text)

    def completion(self, data: bytes) -> Verdict:
        """Judge a legacy ``/v1/complete`` body with the migration rules (``L`` codes)."""
        body = self._body(data, "a Text Completions request body (a JSON object)")
        if isinstance(body, Verdict):
            return body
        text, value, early = body
        found = KINDS["completion-request"].lint(Document(text), LintOptions(target=self.config.target))
        # L013 (the migrated request would be refused) is about a future /v1/messages call
        return self._verdict(value, early + [d for d in found if d.code not in ("L013", "X006")], text)

    def _body(self, data: bytes, expected: str) -> Verdict | tuple[str, dict[str, Any], list[Diagnostic]]:
        """The steps every endpoint shares: the size limit, the parse, an object; then either the
        verdict already reached (refused, or linting off) or what the endpoint's rules judge."""
        if len(data) > MAX_BODY:
            return Verdict(None, error=too_large())
        text, value, early = self._parse(data)
        if text is None or value is None and early:
            return self._verdict(None, early, text)
        if not isinstance(value, dict):
            return self._verdict(None, early + [not_an_object(value, expected)], text)
        if not self.lint:
            return Verdict(value, early, text=text)
        return text, value, early

    def _parse(self, data: bytes) -> tuple[str | None, Any, list[Diagnostic]]:
        text, diagnostics = decode_text(data)
        if text is None:
            return None, None, diagnostics
        value, diagnostics = load_json(text)
        if diagnostics and diagnostics[0].code == "X006":
            # the server keeps the last of two equal keys: a warning, and the body read again
            value, _ = load_json(text, check_duplicates=False)
            return text, value, [diagnostics[0].with_severity(Severity.WARNING)]
        return text, value, diagnostics

    def _verdict(self, value: Any, diagnostics: Iterable[Diagnostic], text: str | None) -> Verdict:
        kept = self.config.apply(diagnostics)
        if self.strict:
            kept = [d.with_severity(Severity.ERROR) if d.severity is Severity.WARNING else d for d in kept]
        if self.refuse_unknown_models:
            kept = [d.with_severity(Severity.ERROR) if d.code == "R013" else d for d in kept]
        first = next((d for d in kept if d.severity is Severity.ERROR), None)
        if first is None and value is None:
            # a body that did not parse is refused even when its code is ignored
            first = next(iter(diagnostics), None)
        error = diagnostic_error(first, text) if first is not None else None
        return Verdict(value, kept, error, text)
