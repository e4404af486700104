"""A legacy call's arguments as Messages arguments.

``prompt=`` becomes ``system=`` and ``messages=``, ``max_tokens_to_sample=`` becomes
``max_tokens=``, the built-in ``"\n\nHuman:"`` leaves ``stop_sequences``, ``model=`` is mapped
(``--model-map``) or flagged when retired, and the call, as far as its arguments are literal,
is judged by the request linter for its model (``L013``)."""

from __future__ import annotations

import functools
from typing import Any

import libcst as cst

from transcript.codemod import codes
from transcript.codemod.calls import CallSite
from transcript.codemod.context import Context, PromptPlan
from transcript.codemod.edits import Plan, keyword_arg, replace_with
from transcript.codemod.prompts import py_str
from transcript.codemod.symbols import PROMPT_CONSTANTS, Sym
from transcript.core.diagnostics import Diagnostic, Location
from transcript.legacy import codes as legacy_codes
from transcript.legacy.requests import LEGACY_OUTPUT_CAP, map_model, refusals
from transcript.protocol.models import is_text_completions_model, successor
from transcript.protocol.vocabulary import LEGACY_HUMAN_STOPS

#: Parameters messages.create takes as the legacy call did.
_KEPT = frozenset(["metadata", "extra_headers", "extra_query", "extra_body", "timeout"])
#: Sampling parameters: the API still reads them, but the SDK's messages.create (2.x) has no
#: keyword for them, so the migrated call sends them in ``extra_body``.
SAMPLING = ("temperature", "top_p", "top_k")


class ArgumentPlanner(Context):
    """Planning the arguments of a migrated call."""

    def _arguments(
        self, site: CallSite, keywords: dict[str, cst.Arg], prompt: PromptPlan, plan: Plan, *, drop_stream: bool
    ) -> tuple[Any, dict[str, Any], list[Diagnostic]]:
        notes: list[Diagnostic] = []
        request: dict[str, Any] = {}
        edits: dict[str, Any] = {}  # keyword -> "drop" | ("rename", new) | ("value", expr)
        model_arg = keywords.get("model")
        if model_arg is None:
            raise self._left(codes.CALL_LEFT, site, "it has no model= argument")
        model, model_notes = self._model(site, model_arg, plan)
        notes.extend(model_notes)
        if model is not None:
            request["model"] = model
        self.models.add(self._model_code(model_arg, model))
        limit = keywords.get("max_tokens_to_sample")
        if limit is None:
            raise self._left(codes.CALL_LEFT, site, "it has no max_tokens_to_sample= argument")
        edits["max_tokens_to_sample"] = ("rename", "max_tokens")
        number = _int_literal(limit.value)
        request["max_tokens"] = number if number is not None else 1
        if number is not None and number > LEGACY_OUTPUT_CAP:
            notes.append(
                legacy_codes.MAX_TOKENS_ABOVE_CAP.diagnostic(
                    f"max_tokens_to_sample {number} is above {LEGACY_OUTPUT_CAP}, the most the legacy models produced; "
                    "the Messages API rejects a max_tokens above the model's limit",
                    self.at(limit),
                )
            )
        value = prompt.converted.value
        if "system" in value:
            request["system"] = value["system"]
        request["messages"] = value.get("messages", [])
        stops = keywords.get("stop_sequences")
        if stops is not None:
            kept, stop_notes = self._stops(stops, plan)
            notes.extend(stop_notes)
            if kept is not None:
                request["stop_sequences"] = kept
                if not kept:
                    edits["stop_sequences"] = "drop"
        for name in SAMPLING:
            if name in keywords:
                sampling = _number_literal(keywords[name].value)
                if sampling is not None:
                    request[name] = sampling
        if drop_stream and "stream" in keywords:
            edits["stream"] = "drop"
        for name, arg in keywords.items():
            if name in ("model", "prompt", "max_tokens_to_sample", "stop_sequences", "stream", *SAMPLING) or name in _KEPT:
                continue
            notes.append(
                legacy_codes.UNKNOWN_FIELD.diagnostic(
                    f"{name}= is not a Text Completions parameter; carried over unchanged, but messages.create may not take it",
                    self.at(arg),
                )
            )
        original = list(site.call.args)

        def build(node: cst.Call) -> list[cst.Arg]:
            out: list[cst.Arg] = []
            updated = {old.keyword.value: new for old, new in zip(original, node.args) if old.keyword is not None}
            sampled = [(name, updated[name]) for name in SAMPLING if name in updated]
            for old, new in zip(original, node.args):
                name = old.keyword.value if old.keyword is not None else ""
                edit = edits.get(name)
                if sampled and (name == "extra_body" or name == sampled[0][0] and "extra_body" not in updated):
                    out.append(_with_sampling(new, sampled, extra_body=name == "extra_body"))
                    continue
                if edit == "drop" or name in SAMPLING:
                    # the argument before takes the dropped one's comma: its line break, if any, stays
                    if out:
                        out[-1] = out[-1].with_changes(comma=new.comma)
                    continue
                if name == "prompt":
                    # between system= and messages=: the spacing between this argument and the
                    # one before it (or after it), so a call written an argument a line stays so
                    last = old is original[-1]
                    comma = comma_like(out[-1] if out else None, None if last else new.comma)
                    if prompt.system is not None:
                        system = self._filled(prompt.system, prompt.converted)
                        out.append(keyword_arg("system", system, new).with_changes(comma=comma))
                    messages = self._filled(prompt.messages, prompt.converted)
                    out.append(keyword_arg("messages", messages, new).with_changes(comma=new.comma))
                    continue
                if isinstance(edit, tuple) and edit[0] == "rename":
                    new = new.with_changes(keyword=cst.Name(edit[1]))
                out.append(new)
            if out and original:
                out[-1] = out[-1].with_changes(comma=original[-1].comma)
            return out

        return build, request, notes

    def _model_code(self, arg: cst.Arg, model: str | None) -> str:
        if model is not None:
            return py_str(model)
        return self.symbols.code(arg.value).strip()

    def _model(self, site: CallSite, arg: cst.Arg, plan: Plan) -> tuple[str | None, list[Diagnostic]]:
        literal = arg.value
        if isinstance(literal, cst.Name):
            found = self.symbols.symbol(literal)
            if found.kind == "value" and isinstance(found.node, cst.SimpleString):
                literal = found.node
        model = literal.evaluated_value if isinstance(literal, cst.SimpleString) else None
        if not isinstance(model, str):
            note = codes.MODEL_NOT_LITERAL.diagnostic(
                f"the model {self.symbols.code(arg.value).strip()} is not a string the codemod can read: "
                "check it is not a retired Text Completions model",
                self.at(arg.value),
                hint="--model-map maps only models written as strings in the file",
            )
            return None, [note]
        mapped, said = map_model(model, self.options.model_map, self.at(literal))
        if said is not None:
            if mapped is not None and mapped != model:
                plan.add(literal, replace_with(cst.SimpleString(py_str(mapped))))
            return mapped, [said]
        if is_text_completions_model(model):
            suggested = successor(model)
            hint = f"--model-map {model}={suggested}" if suggested else f"--model-map {model}=<model id>"
            return model, [
                codes.LEGACY_MODEL.diagnostic(
                    f"{model!r} is a retired Text Completions model"
                    + (f"; the model table suggests {suggested!r}" if suggested else ""),
                    self.at(literal),
                    hint=hint,
                )
            ]
        return model, []

    def _stops(self, arg: cst.Arg, plan: Plan) -> tuple[list[str] | None, list[Diagnostic]]:
        """Drop the built-in ``"\\n\\nHuman:"`` from the stop list; the kept literal strings
        (``None`` when the list is not all literal)."""
        value = arg.value
        listing: cst.List | None = value if isinstance(value, cst.List) else None
        if isinstance(value, cst.Name):
            named = self.symbols.symbol(value)
            assignment = self.symbols.reaching(value)
            refs = self.symbols.references(assignment) if assignment is not None else []
            if named.kind == "value" and isinstance(named.node, cst.List) and refs == [value]:
                listing = named.node
            else:
                return None, [self._stop_warning(arg, f"the stop list {value.value} is changed or used elsewhere")]
        if listing is None:
            return None, [self._stop_warning(arg, "the stop list is built by an expression the codemod cannot read")]
        notes = []
        kept: list[str] = []
        drop = []
        literal = True
        for i, element in enumerate(listing.elements):
            if isinstance(element, cst.StarredElement):
                return None, [self._stop_warning(arg, "the stop list unpacks another list")]
            item = element.value
            found: Sym | None = self.symbols.symbol(item) if isinstance(item, (cst.Name, cst.Attribute)) else None
            text = item.evaluated_value if isinstance(item, cst.SimpleString) else None
            if found is not None and found.kind == "const":
                text = PROMPT_CONSTANTS[found.name]
            if text in LEGACY_HUMAN_STOPS:
                drop.append(i)
                notes.append(
                    legacy_codes.BUILTIN_STOP_REMOVED.diagnostic(
                        f"built-in stop sequence {text!r} removed (Messages ends the turn by itself)", self.at(element)
                    )
                )
                plan.consumed.add(element)
            elif isinstance(text, str):
                kept.append(text)
            else:
                literal = False
        if drop:
            plan.add(listing, functools.partial(_without, drop=drop))
        return (kept if literal else None), notes

    def _stop_warning(self, arg: cst.Arg, why: str) -> Diagnostic:
        return codes.STOP_LIST_NOT_FOLLOWED.diagnostic(
            f"{why}: check that it no longer holds the built-in '\\n\\nHuman:'", self.at(arg.value)
        )

    def _refusals(self, request: dict[str, Any], keywords: dict[str, cst.Arg]) -> list[Diagnostic]:
        """L013 for what the Messages API would refuse in the call, at the argument it came from."""
        if "model" not in request:
            return []

        def at(pointer: str) -> Location:
            arg = keywords.get(pointer.lstrip("/"))
            return self.at(arg.value) if arg is not None else Location()

        return refusals(request, at=at)


def comma_like(previous: cst.Arg | None, own: cst.Comma | cst.MaybeSentinel | None) -> cst.Comma:
    """A comma spaced as the previous argument's (its line break and indentation, in a call
    written one argument a line), else as ``own``, else ``", "``."""
    if previous is not None and isinstance(previous.comma, cst.Comma):
        return previous.comma
    if isinstance(own, cst.Comma):
        return own
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _with_sampling(arg: cst.Arg, sampled: list[tuple[str, cst.Arg]], *, extra_body: bool) -> cst.Arg:
    """``extra_body=`` holding the sampling parameters: added to the call's own ``extra_body``
    (a dict written out, or any other mapping unpacked first), or in place of the first one."""
    elements: list[cst.BaseDictElement] = [
        cst.DictElement(cst.SimpleString(f'"{name}"'), given.value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        for name, given in sampled
    ]
    if extra_body and isinstance(arg.value, cst.Dict):
        kept = list(arg.value.elements)
        if kept:
            kept[-1] = kept[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        elements = kept + elements
    elif extra_body:
        elements = [cst.StarredDictElement(arg.value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), *elements]
    elements[-1] = elements[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    body = cst.Dict(elements)
    if extra_body:
        return arg.with_changes(value=body)
    return keyword_arg("extra_body", body, arg).with_changes(comma=arg.comma)


def _int_literal(node: cst.BaseExpression) -> int | None:
    if isinstance(node, cst.Integer):
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            return None
    return None


def _number_literal(node: cst.BaseExpression) -> float | int | None:
    if isinstance(node, cst.Float):
        try:
            return float(node.value.replace("_", ""))
        except ValueError:
            return None
    return _int_literal(node)


def _without(listing: cst.CSTNode, *, drop: list[int]) -> cst.CSTNode:
    assert isinstance(listing, cst.List)
    elements = [e for i, e in enumerate(listing.elements) if i not in drop]
    if elements:
        elements[-1] = elements[-1].with_changes(comma=listing.elements[-1].comma)
    return listing.with_changes(elements=elements)
