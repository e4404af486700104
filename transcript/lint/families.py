"""Every rule family, registered: the one place that knows them all.

Each job keeps its codes in its own ``codes`` module (which imports nothing but the
registry) and its rule functions beside its engine; importing them registers them.
:func:`load_all` returns the registry with every family in it (for ``transcript rules``,
configuration checks, SARIF output and the test suite).
"""

from __future__ import annotations

from transcript.codemod import codes as codemod_codes
from transcript.core import codes as input_codes
from transcript.core.registry import REGISTRY, Registry
from transcript.legacy import codes as legacy_codes
from transcript.lint.fixes import register_fixes
from transcript.prompt import codes as prompt_codes
from transcript.prompt import render_codes as prompt_render_codes
from transcript.protocol import codes as schema_codes
from transcript.request import codes as batch_codes
from transcript.request import rules as request_rules
from transcript.stream import codes as stream_codes

__all__ = ["FAMILIES", "load_all"]

#: The modules that register codes and rules, by family letter(s).
FAMILIES = {
    "X": input_codes,
    "V": schema_codes,
    "P0": prompt_codes,
    "P1": prompt_render_codes,
    "R M T I C K": request_rules,
    "R1": batch_codes,
    "L": legacy_codes,
    "S L1": stream_codes,
    "U": codemod_codes,
}


register_fixes(REGISTRY)


def load_all() -> Registry:
    """The registry, with every family registered (they are, once this module is imported),
    and each fixable rule with its fix."""
    return REGISTRY
