"""Rule families.  Each module here registers one family's codes (``X``, ``P``, ``S``...),
the example runner for its kind of input, and the lint kinds it serves.

Nothing is imported eagerly: call :func:`load_all` before reading the whole registry
(the command line, SARIF output and the test suite do).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from transcript.registry import REGISTRY, Registry

__all__ = ["load_all"]


@cache
def load_all() -> Registry:
    """Import every rule module in this package, so every code is registered."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    return REGISTRY
