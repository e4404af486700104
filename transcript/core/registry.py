"""The rule registry: every diagnostic code the toolkit can emit, with its metadata.

A rule is registered once, with a stable code (``P101``), a kebab-case name, a default
severity, a one-line summary, an explanation, and a bad and a good example written in
the input its *runner* reads (a legacy prompt, a request body, a stream...).  Rules that
judge a parsed input on their own are plain functions registered with :func:`rule`;
codes emitted from inside a process (the prompt parser, the SSE decoder) are registered
with :func:`register` and still carry examples.  ``transcript rules``, ``transcript rule
CODE``, the SARIF driver and the documentation all read from here, and the test suite
runs every rule's examples through the example runner its ``runner`` names
(:mod:`transcript.lint.examples`).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ParamSpec, Protocol, TypeVar, cast

import attrs
from attrs import field, frozen

from transcript.core.diagnostics import Diagnostic, Location, Severity

__all__ = [
    "RULES_URL",
    "Fix",
    "Rule",
    "RuleCheck",
    "Registry",
    "REGISTRY",
    "rule",
    "register",
    "matches",
]

_CODE = re.compile(r"^[A-Z][0-9]{3}$")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: Where ``docs/rules.md`` is published: each rule's documentation is an anchor in it
#: (:attr:`Rule.url`), linked from the text, JSON and SARIF reports.
RULES_URL = "https://github.com/transcript-project/transcript/blob/main/docs/rules.md"

P = ParamSpec("P")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)


def _freeze(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return dict(value or {})


@frozen
class Fix:
    """How a rule's finding is repaired: ``safe`` (the meaning is kept: ``--fix`` applies it)
    or ``unsafe`` (it changes what is sent: only with ``--unsafe-fixes``), what it does,
    and the function that returns the text edits for one diagnostic (its runner defines
    the arguments; :mod:`transcript.lint.fixes`)."""

    applicability: str
    summary: str
    edits: Callable[..., Any] = field(eq=False, repr=False)
    #: A bad example this fix repairs, when the rule's own is a case it leaves alone.
    example: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.applicability not in ("safe", "unsafe"):
            raise ValueError(f"a fix is safe or unsafe, not {self.applicability!r}")


@frozen
class Rule:
    """Metadata for one diagnostic code, and the check function when it has one."""

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    bad: str
    good: str
    #: The example runner that reads this rule's examples (``request``, ``prompt``, ``stream``...);
    #: for a check function, also the pipeline that calls it (``request`` or ``response``).
    runner: str
    check: Callable[..., Any] | None = field(default=None, eq=False, repr=False)
    example_options: Mapping[str, Any] = field(factory=dict, converter=_freeze, eq=False)
    #: How its findings are fixed (``--fix``), when they can be (:meth:`Registry.add_fix`).
    fix: Fix | None = field(default=None, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not _CODE.match(self.code):
            raise ValueError(f"rule code {self.code!r} must be one capital letter and three digits")
        if not _NAME.match(self.name):
            raise ValueError(f"rule name {self.name!r} must be kebab-case")
        if not self.summary or not self.explanation:
            raise ValueError(f"rule {self.code} needs a summary and an explanation")

    @property
    def family(self) -> str:
        return self.code[0]

    @property
    def url(self) -> str:
        """The rule's documentation: its section of ``docs/rules.md`` (``#x004-invalid-json``)."""
        return f"{RULES_URL}#{self.code.lower()}-{self.name}"

    def diagnostic(
        self,
        message: str,
        location: Location | None = None,
        *,
        severity: Severity | None = None,
        hint: str | None = None,
    ) -> Diagnostic:
        """A diagnostic of this rule (at its default severity unless told otherwise)."""
        return Diagnostic(
            code=self.code,
            name=self.name,
            severity=severity or self.severity,
            message=message,
            location=location or Location(),
            hint=hint,
        )


class RuleCheck(Protocol[P, R_co]):
    """A check function registered with :func:`rule`: its own signature, plus ``.rule``."""

    rule: Rule

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R_co: ...


class Registry:
    """All rules by code.  Codes and names are unique."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}
        self._names: dict[str, str] = {}

    def add(self, new: Rule) -> Rule:
        if new.code in self._rules:
            raise ValueError(f"rule code {new.code} is registered twice")
        if new.name in self._names:
            raise ValueError(f"rule name {new.name} is used by {self._names[new.name]} and {new.code}")
        self._rules[new.code] = new
        self._names[new.name] = new.code
        return new

    def add_fix(self, code: str, fix: Fix) -> Rule:
        """Give a registered rule its fix (once): the fix then lives with the rule."""
        found = self._rules[code]
        if found.fix is not None:
            raise ValueError(f"rule {code} has a fix already")
        self._rules[code] = fixed = attrs.evolve(found, fix=fix)
        return fixed

    def __getitem__(self, code_or_name: str) -> Rule:
        code = self._names.get(code_or_name, code_or_name.upper())
        return self._rules[code]

    def get(self, code_or_name: str) -> Rule | None:
        try:
            return self[code_or_name]
        except KeyError:
            return None

    def __contains__(self, code: object) -> bool:
        return code in self._rules

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self._rules.values(), key=lambda r: r.code))

    def __len__(self) -> int:
        return len(self._rules)

    def of_runner(self, *runners: str) -> list[Rule]:
        return [r for r in self if r.runner in runners]


REGISTRY = Registry()


def register(
    code: str,
    name: str,
    *,
    severity: Severity | str,
    summary: str,
    explanation: str,
    bad: str,
    good: str,
    runner: str,
    check: Callable[..., Any] | None = None,
    example_options: Mapping[str, Any] | None = None,
    registry: Registry | None = None,
) -> Rule:
    """Register a diagnostic code and return its :class:`Rule`."""
    new = Rule(
        code=code,
        name=name,
        severity=Severity(severity),
        summary=summary.strip(),
        explanation=_dedent(explanation),
        bad=bad,
        good=good,
        runner=runner,
        check=check,
        example_options=example_options,
    )
    return (registry if registry is not None else REGISTRY).add(new)


def rule(
    code: str,
    name: str,
    *,
    severity: Severity | str,
    summary: str,
    explanation: str,
    bad: str,
    good: str,
    runner: str,
    example_options: Mapping[str, Any] | None = None,
    registry: Registry | None = None,
) -> Callable[[Callable[P, R]], RuleCheck[P, R]]:
    """Decorator: register a plain check function as a rule.

    The function keeps its own signature, which its runner defines (for request rules:
    the parsed request plus a context).  The registered :class:`Rule` is attached to it
    as ``func.rule``.
    """

    def decorate(func: Callable[P, R]) -> RuleCheck[P, R]:
        registered = register(
            code,
            name,
            severity=severity,
            summary=summary,
            explanation=explanation,
            bad=bad,
            good=good,
            runner=runner,
            check=func,
            example_options=example_options,
            registry=registry,
        )
        # The function object itself becomes the RuleCheck: same signature, plus ``.rule``.
        checked = cast("RuleCheck[P, R]", func)
        checked.rule = registered
        return checked

    return decorate


def _dedent(text: str) -> str:
    return textwrap.dedent(text).strip()


def matches(code: str, selectors: Iterable[str]) -> bool:
    """Whether ``code`` is chosen by any selector: ``ALL``, a prefix (``P``, ``P1``) or a code."""
    for sel in selectors:
        sel = sel.strip().upper()
        if sel == "ALL" or (sel and code.startswith(sel)):
            return True
    return False
