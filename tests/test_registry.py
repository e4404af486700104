"""The rule registry, and every registered rule's examples run as tests."""

from __future__ import annotations

import pytest

from transcript.core.registry import (
    REGISTRY,
    Registry,
    matches,
    register,
    rule,
)
from transcript.lint.examples import EXAMPLE_RUNNERS
from transcript.lint.families import load_all

load_all()
ALL_RULES = list(REGISTRY)


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.code for r in ALL_RULES])
def test_bad_example_triggers_the_rule(rule) -> None:
    """A rule's bad example, run through its runner's real pipeline, reports the rule."""
    runner = EXAMPLE_RUNNERS[rule.runner]
    codes = [d.code for d in runner(rule.bad, rule.example_options)]
    assert rule.code in codes, f"{rule.code} bad example reported {codes}"


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.code for r in ALL_RULES])
def test_good_example_does_not_trigger_the_rule(rule) -> None:
    """A rule's good example does not report the rule."""
    runner = EXAMPLE_RUNNERS[rule.runner]
    codes = [d.code for d in runner(rule.good, rule.example_options)]
    assert rule.code not in codes, f"{rule.code} good example reported {codes}"


def test_every_rule_has_complete_metadata() -> None:
    """Every rule has a summary, an explanation, examples that differ, and a runner."""
    assert len(ALL_RULES) >= 7
    for rule in ALL_RULES:
        assert rule.summary and rule.explanation, rule.code
        assert rule.bad != rule.good, rule.code
        assert rule.runner in EXAMPLE_RUNNERS, f"{rule.code}: no example runner {rule.runner}"


def test_registry_refuses_duplicates_and_bad_codes() -> None:
    """Codes and names are unique; codes are a capital and three digits; names kebab-case."""
    reg = Registry()
    kw = dict(severity="error", summary="s", explanation="e", bad="b", good="g", runner="k", registry=reg)
    register("Z001", "some-rule", **kw)
    with pytest.raises(ValueError):
        register("Z001", "other-rule", **kw)
    with pytest.raises(ValueError):
        register("Z002", "some-rule", **kw)
    with pytest.raises(ValueError):
        register("Z12", "short-code", **kw)
    with pytest.raises(ValueError):
        register("Z003", "Not_Kebab", **kw)
    assert reg["some-rule"].code == "Z001" and reg["z001"].name == "some-rule"


def test_selectors_match_by_prefix_and_all() -> None:
    """ALL, a family letter, a prefix or a full code select a rule."""
    assert matches("P101", ["ALL"]) and matches("P101", ["P"]) and matches("P101", ["p1"])
    assert matches("P101", ["X", "P101"]) and not matches("P101", ["P2", "X"])


def test_rule_decorator_returns_the_function_with_its_rule_attached() -> None:
    """@rule registers the function as the rule's check and keeps calling it unchanged."""
    reg = Registry()

    def twice(value: int, *, extra: int = 0) -> int:
        return 2 * value + extra

    decorated = rule(
        "Z010", "twice-rule", severity="warning", summary="s", explanation="e", bad="b", good="g", runner="k", registry=reg
    )(twice)
    assert decorated is twice
    assert decorated(3, extra=1) == 7
    assert decorated.rule is reg["Z010"] and reg["Z010"].check is twice
