"""Finding the Text Completions call sites of a module, and the pieces of each.

A :class:`CallSite` is one call of the legacy API: ``client.completions.create(...)`` (also
``.with_raw_response.create``), the 0.2-era ``client.completion(...)``,
``completion_stream``, ``acompletion`` and ``acompletion_stream``, or ``client.count_tokens``.
The receiver must be known to be an Anthropic client (:class:`~transcript.codemod.symbols.Symbols`),
or the call must carry ``max_tokens_to_sample``, which no other API has.
"""

from __future__ import annotations

import libcst as cst
from attrs import frozen

from transcript.codemod.symbols import Sym, Symbols

__all__ = ["LEGACY_METHODS", "CallSite", "find_call_sites"]

#: 0.2-era client methods -> (asynchronous, streaming).
LEGACY_METHODS = {
    "completion": (False, False),
    "completion_stream": (False, True),
    "acompletion": (True, False),
    "acompletion_stream": (True, True),
}


@frozen(eq=False)
class CallSite:
    """One legacy call.

    ``kind`` is ``create`` (the 0.3+ ``completions.create``), ``legacy`` (a 0.2-era method)
    or ``count_tokens``.  ``raw`` is a ``with_raw_response`` call; ``asynchronous`` a call on
    an async client (or ``acompletion``); ``cumulative`` a 0.2 stream, whose events carried
    the whole text so far; ``client`` is what the receiver is known to be.
    """

    call: cst.Call
    receiver: cst.BaseExpression
    kind: str
    client: Sym
    raw: bool = False
    asynchronous: bool = False
    streaming_method: bool = False
    cumulative: bool = False
    assumed: bool = False  # the receiver is not known to be a client: max_tokens_to_sample says it is

    def keyword(self, name: str) -> cst.Arg | None:
        for arg in self.call.args:
            if arg.keyword is not None and arg.keyword.value == name:
                return arg
        return None


def find_call_sites(symbols: Symbols) -> list[CallSite]:
    """Every legacy call of the module, in source order."""
    sites = []
    for call in symbols.index.calls:
        site = _site(call, symbols)
        if site is not None:
            sites.append(site)
    return sorted(sites, key=lambda s: symbols.position(s.call))


def _has_keyword(call: cst.Call, name: str) -> bool:
    return any(a.keyword is not None and a.keyword.value == name for a in call.args)


def _site(call: cst.Call, symbols: Symbols) -> CallSite | None:
    func = call.func
    if not isinstance(func, cst.Attribute):
        return None
    method = func.attr.value
    legacy_keywords = _has_keyword(call, "max_tokens_to_sample")
    if method == "create" and isinstance(func.value, cst.Attribute):
        middle = func.value
        raw = False
        if middle.attr.value == "with_raw_response" and isinstance(middle.value, cst.Attribute):
            raw = True
            middle = middle.value
        if middle.attr.value != "completions":
            return None
        receiver = middle.value
        client = symbols.symbol(receiver)
        if client.kind != "client" and not legacy_keywords:
            return None
        return CallSite(
            call,
            receiver,
            "create",
            client,
            raw=raw,
            asynchronous=client.is_async_client or _awaited(call, symbols),
            assumed=client.kind != "client",
        )
    if method in LEGACY_METHODS:
        receiver = func.value
        client = symbols.symbol(receiver)
        if client.kind != "client" and not legacy_keywords:
            return None
        asynchronous, streaming = LEGACY_METHODS[method]
        return CallSite(
            call,
            receiver,
            "legacy",
            client,
            asynchronous=asynchronous,
            streaming_method=streaming,
            cumulative=streaming,
            assumed=client.kind != "client",
        )
    if method == "count_tokens":
        receiver = func.value
        client = symbols.symbol(receiver)
        if client.kind not in ("client", "module"):  # anthropic.count_tokens: the 0.2 module function
            return None
        return CallSite(call, receiver, "count_tokens", client, asynchronous=client.is_async_client)
    return None


def _awaited(call: cst.Call, symbols: Symbols) -> bool:
    return isinstance(symbols.parent(call), cst.Await)
