"""What a parsed prompt remembers so that rendering it again gives back the same bytes.

Messages cannot say whether a turn had the conventional space after its marker, what
whitespace the dropped system text was, or which whitespace was stripped from the end
of a prefill.  :class:`PromptMeta` records those, alongside the messages; passed back
to the renderer, it makes ``render(parse(p)) == p`` whenever the parse raised only
information diagnostics.  It travels as a small JSON object (``transcript convert
--meta``) so the round trip also works across the command line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from attrs import field, frozen

__all__ = ["PromptMeta", "META_VERSION"]

META_VERSION = 1
HUMAN = "\n\nHuman:"


def _indices(items: Iterable[int]) -> tuple[int, ...]:
    return tuple(items)


@frozen
class PromptMeta:
    """Byte-level facts about a prompt that the messages do not carry.

    - ``no_sep``: indices of the rendered turns written without the space after the marker.
    - ``system_raw``: system text that was dropped (whitespace only), to write back.
    - ``leading_marker``: the first marker as written (``"Human:"`` when the leading
      newlines were missing).
    - ``final_slot``: the prompt ended with an Assistant marker and no prefill.
    - ``final_suffix``: whitespace removed at the very end (after the final marker, or
      from the end of the prefill); written back only on request.
    """

    no_sep: tuple[int, ...] = field(default=(), converter=_indices)
    system_raw: str = ""
    leading_marker: str = HUMAN
    final_slot: bool = True
    final_suffix: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": META_VERSION}
        if self.no_sep:
            out["no_sep"] = list(self.no_sep)
        if self.system_raw:
            out["system_raw"] = self.system_raw
        if self.leading_marker != HUMAN:
            out["leading_marker"] = self.leading_marker
        out["final_slot"] = self.final_slot
        if self.final_suffix:
            out["final_suffix"] = self.final_suffix
        return out

    @classmethod
    def from_json(cls, value: Any) -> tuple[PromptMeta | None, list[str]]:
        """Read meta written by :meth:`to_json`.  Returns the meta and a list of problems."""
        problems: list[str] = []
        if not isinstance(value, dict):
            return None, ["meta must be an object"]
        if value.get("version") != META_VERSION:
            return None, [f"meta version must be {META_VERSION}"]
        no_sep = value.get("no_sep", [])
        if not isinstance(no_sep, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in no_sep):
            problems.append("meta.no_sep must be a list of integers")
            no_sep = []
        strings = {}
        for key, default in (("system_raw", ""), ("leading_marker", HUMAN), ("final_suffix", "")):
            v = value.get(key, default)
            if not isinstance(v, str):
                problems.append(f"meta.{key} must be a string")
                v = default
            strings[key] = v
        if strings["system_raw"].strip():
            problems.append("meta.system_raw must be whitespace")
            strings["system_raw"] = ""
        if strings["leading_marker"].lstrip("\n") != HUMAN.lstrip("\n"):
            problems.append("meta.leading_marker must be newlines and 'Human:'")
            strings["leading_marker"] = HUMAN
        if strings["final_suffix"].strip():
            problems.append("meta.final_suffix must be whitespace")
            strings["final_suffix"] = ""
        final_slot = value.get("final_slot", True)
        if not isinstance(final_slot, bool):
            problems.append("meta.final_slot must be true or false")
            final_slot = True
        return cls(no_sep=no_sep, final_slot=final_slot, **strings), problems
