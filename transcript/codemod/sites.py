"""One legacy call site migrated whole, or left unchanged with the reason.

The checks come first (keyword arguments only, a prompt, ``stream=`` literal); then the
client (a 0.2 ``Client(key)`` becomes ``Anthropic(api_key=key)``), the response's readers
(:mod:`transcript.codemod.responses`), the prompt (read as a template and converted by the
project's converter; a name used only here becomes ``messages = [...]`` where it was built),
the arguments (:mod:`transcript.codemod.arguments`), and the call itself.  Every edit goes
into the site's own plan, merged only when nothing stopped it."""

from __future__ import annotations

import attrs
import libcst as cst

from transcript.codemod import codes
from transcript.codemod.arguments import SAMPLING, ArgumentPlanner
from transcript.codemod.calls import CallSite
from transcript.codemod.context import LeftUnchanged, PromptPlan
from transcript.codemod.conversation import ConversationPlanner
from transcript.codemod.edits import Plan, attribute_chain, keyword_arg
from transcript.codemod.prompts import ConversionFailed, ConvertedPrompt, convert_template
from transcript.codemod.responses import ResponseReader
from transcript.codemod.templates import NotFollowed
from transcript.core.diagnostics import Diagnostic


class SiteMigrator(ResponseReader, ArgumentPlanner, ConversationPlanner):
    """Migrating one call site."""

    def _site(self, site: CallSite, plan: Plan) -> list[Diagnostic]:
        call = site.call
        notes: list[Diagnostic] = []
        keywords: dict[str, cst.Arg] = {}
        for arg in call.args:
            if arg.star:
                raise self._left(
                    codes.CALL_LEFT,
                    site,
                    f"its arguments are unpacked ({arg.star}{self.symbols.code(arg.value).strip()})",
                    arg,
                    hint="pass the parameters as keywords, so the codemod can rename them",
                )
            if arg.keyword is None:
                raise self._left(codes.CALL_LEFT, site, "it has a positional argument", arg)
            keywords[arg.keyword.value] = arg
        if "prompt" not in keywords:
            raise self._left(codes.CALL_LEFT, site, "it has no prompt= argument")
        streaming = site.streaming_method
        stream_arg = keywords.get("stream")
        if stream_arg is not None and not site.streaming_method:
            value = stream_arg.value
            if isinstance(value, cst.Name) and value.value in ("True", "False"):
                streaming = value.value == "True"
            else:
                raise self._left(codes.CALL_LEFT, site, "stream= is not True or False where the call is written", stream_arg)
        if site.raw and streaming:
            raise self._left(codes.CALL_LEFT, site, "a raw streaming response is read event by event")
        value_node: cst.CSTNode = call
        parent = self.symbols.parent(call)
        if isinstance(parent, cst.Await):
            value_node = parent
        elif site.kind == "legacy" and site.asynchronous and not site.streaming_method:
            raise self._left(codes.CALL_LEFT, site, "the coroutine is not awaited where it is made")

        client_note = self._client(site, plan)
        if streaming:
            loop_note = self._stream_loop(site, value_node, plan)
        else:
            loop_note = None
            self._response(site, value_node, plan)

        prompt = self._prompt(site, keywords["prompt"], plan)
        notes.extend(self._prompt_notes(site, keywords["prompt"], prompt))
        args, request, arg_notes = self._arguments(site, keywords, prompt, plan, drop_stream=streaming)
        notes.extend(arg_notes)
        method = (
            ("messages", "stream")
            if streaming
            else ("messages", "with_raw_response", "create")
            if site.raw
            else ("messages", "create")
        )

        def rewrite(node: cst.CSTNode, original: cst.Call = call) -> cst.CSTNode:
            assert isinstance(node, cst.Call)
            receiver = _receiver(node.func, site)
            new = node.with_changes(func=attribute_chain(receiver, *method), args=args(node))
            self.built[original] = new
            return new

        plan.add(call, rewrite)
        notes.extend(self._refusals(request, keywords))
        target = ".".join(method)
        said = f"{self._describe(site)}(...) migrated to {self.symbols.code(site.receiver).strip()}.{target}(...)"
        extra = [n for n in (client_note, loop_note) if n]
        sampling = [name for name in SAMPLING if name in keywords]
        if sampling:
            extra.append(f"{', '.join(sampling)} sent in extra_body (the SDK's messages.create takes no sampling parameters)")
        if site.assumed:
            extra.append("the receiver is taken to be an Anthropic client (it passes max_tokens_to_sample)")
        notes.append(codes.CALL_MIGRATED.diagnostic(said + ("; " + "; ".join(extra) if extra else ""), self.at(call)))
        if site.cumulative:
            notes.append(
                codes.CUMULATIVE_STREAM.diagnostic(
                    "the 0.2 stream gave the whole text so far in each event; the migrated loop adds up the deltas "
                    "to keep that meaning",
                    self.at(call),
                    hint="if the loop only printed the new text, print each text of text_stream directly",
                )
            )
        return notes

    def _client(self, site: CallSite, plan: Plan) -> str | None:
        """A 0.2 client is made with ``Client(api_key)``: make it ``Anthropic(api_key=...)``
        (``AsyncAnthropic`` for one used by ``acompletion``)."""
        if site.kind != "legacy":
            return None
        ctor = site.client.node if site.client.kind == "client" else None
        if not isinstance(ctor, cst.Call):
            return "the client is made elsewhere: make it with anthropic.Anthropic(api_key=...)"
        if site.client.name not in ("Client", "AsyncClient"):
            if site.client.is_async_client != site.asynchronous:
                kind = "asynchronous" if site.asynchronous else "synchronous"
                raise self._left(codes.CALL_LEFT, site, f"the {kind} call is made on a client that is not {kind}")
            return None
        wanted = "AsyncAnthropic" if site.asynchronous else "Anthropic"
        have = self.ctor_class.get(ctor)
        if have is not None and have != wanted:
            raise self._left(
                codes.CALL_LEFT,
                site,
                "one 0.2 client serves synchronous and asynchronous calls; the Messages SDK has a client for each",
                hint="make an anthropic.AsyncAnthropic() for the asynchronous calls",
            )
        if have is None:
            self.ctor_class[ctor] = wanted
            plan.add(ctor, lambda node: _new_client(node, wanted))
        return None

    def _prompt(self, site: CallSite, arg: cst.Arg, plan: Plan) -> PromptPlan:
        try:
            template = self.reader.read(arg.value)
        except NotFollowed as exc:
            if exc.extended:
                return self._conversation(site, arg, plan)
            rule = codes.PROMPT_EXTENDED if exc.extended else codes.PROMPT_NOT_FOLLOWED
            hint = (
                'keep a messages list: append {"role": "assistant", ...} and {"role": "user", ...}'
                if exc.extended
                else "build a messages list where the prompt is built"
            )
            raise self._left(rule, site, exc.reason, exc.node or arg, hint=hint) from None
        try:
            converted = convert_template(template, self.symbols, self.options.prompt_options)
        except NotFollowed as exc:
            raise self._left(codes.PROMPT_NOT_FOLLOWED, site, exc.reason, arg) from None
        except ConversionFailed as failed:
            located = [self._in_prompt(d, arg) for d in failed.diagnostics]
            left = self._left(codes.PROMPT_NOT_FOLLOWED, site, "the converter could not read the prompt (see its errors)", arg)
            raise LeftUnchanged(*located, *left.diagnostics) from None
        statement = self.symbols.enclosing(arg, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
        block = self._indent(statement) if statement is not None else ""
        here = self._indent(arg)
        relative = here[len(block) :] if here.startswith(block) else ""
        self.watched.update(h.expr for h in converted.holes)
        messages: cst.BaseExpression = cst.parse_expression(converted.messages(relative, self._width(arg)))
        system = cst.parse_expression(converted.system) if converted.system is not None else None
        plan.consumed.add(arg.value)
        top = arg.value
        if isinstance(top, cst.Name) and template.followed and template.followed[-1] is top:
            assignment = self.symbols.reaching(top)
            line = self.symbols.assigning_statement(assignment) if assignment is not None else None
            refs = self.symbols.references(assignment) if assignment is not None else []
            if line is not None and refs == [top] and self.symbols.scopes.get(line.body[0]) is self.symbols.scopes.get(site.call):
                messages, system = self._rewrite_assignment(line, converted, messages, system, plan)
        return PromptPlan(converted, messages, system)

    def _rewrite_assignment(
        self,
        line: cst.SimpleStatementLine,
        converted: ConvertedPrompt,
        messages: cst.BaseExpression,
        system: cst.BaseExpression | None,
        plan: Plan,
    ) -> tuple[cst.BaseExpression, cst.BaseExpression | None]:
        """``prompt = f"..."`` used only by the call becomes ``messages = [...]``, evaluated
        where the prompt was (and ``system = ...`` when the system text has run-time parts)."""
        messages_name = self._fresh("messages", line.body[0])
        messages = cst.parse_expression(converted.messages("", len(self._indent(line)) + len(messages_name) + 3))
        statements = []
        if system is not None and converted.system_has_holes:
            system_name = self._fresh("system", line.body[0])
            statements.append(
                cst.SimpleStatementLine(body=[cst.Assign(targets=[cst.AssignTarget(cst.Name(system_name))], value=system)])
            )
            system = cst.Name(system_name)
        statements.append(
            cst.SimpleStatementLine(body=[cst.Assign(targets=[cst.AssignTarget(cst.Name(messages_name))], value=messages)])
        )
        first = statements[0].with_changes(leading_lines=line.leading_lines)
        statements[0] = first
        statements[-1] = statements[-1].with_changes(trailing_whitespace=line.trailing_whitespace)

        def replace(_node: cst.CSTNode) -> cst.CSTNode | cst.FlattenSentinel:
            filled = []
            for statement in statements:
                assign = statement.body[0]
                assert isinstance(assign, cst.Assign)
                value = self._filled(assign.value, converted)
                filled.append(statement.with_changes(body=[assign.with_changes(value=value)]))
            return filled[0] if len(filled) == 1 else cst.FlattenSentinel(filled)

        plan.add(line, replace)
        plan.consumed.add(line)
        return cst.Name(messages_name), system

    def _in_prompt(self, diagnostic: Diagnostic, arg: cst.Arg) -> Diagnostic:
        where = ""
        if diagnostic.location.line is not None:
            where = f" (prompt line {diagnostic.location.line}, column {diagnostic.location.column})"
        return attrs.evolve(diagnostic, message=diagnostic.message + where, location=self.at(arg.value))

    def _prompt_notes(self, site: CallSite, arg: cst.Arg, prompt: PromptPlan) -> list[Diagnostic]:
        notes = [self._in_prompt(d, arg) for d in prompt.converted.diagnostics]
        if prompt.converted.stripped_prefill:
            notes.append(
                codes.PREFILL_EXPRESSION.diagnostic(
                    "the prefill ends with a run-time value: .rstrip() was added, as the API refuses a final "
                    "assistant message that ends with whitespace",
                    self.at(arg.value),
                )
            )
        return notes

    def _count_tokens(self, site: CallSite, plan: Plan) -> list[Diagnostic]:
        call = site.call
        if site.client.kind == "module":
            raise self._left(
                codes.CALL_LEFT,
                site,
                f"{site.client.name}.count_tokens (a local tokenizer) was removed, and the token counting API needs a client",
                hint="call client.messages.count_tokens(model=..., messages=[...]).input_tokens",
            )
        if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
            raise self._left(codes.CALL_LEFT, site, "count_tokens takes one text")
        if len(self.models) != 1:
            why = (
                "the file's migrated calls name no model" if not self.models else "the file's migrated calls name several models"
            )
            raise self._left(
                codes.CALL_LEFT,
                site,
                f"the token counting API needs a model, and {why}",
                hint="call client.messages.count_tokens(model=..., messages=[...]) yourself",
            )
        model = cst.parse_expression(next(iter(self.models)))
        text = call.args[0].value

        def rewrite(node: cst.CSTNode) -> cst.CSTNode:
            assert isinstance(node, cst.Call)
            receiver = _receiver(node.func, site)
            content = node.args[0].value
            messages = cst.List(
                [
                    cst.Element(
                        cst.Dict(
                            [
                                cst.DictElement(cst.SimpleString('"role"'), cst.SimpleString('"user"')),
                                cst.DictElement(cst.SimpleString('"content"'), content),
                            ]
                        )
                    )
                ]
            )
            counted = cst.Call(
                func=attribute_chain(receiver, "messages", "count_tokens"),
                args=[
                    keyword_arg("model", model).with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                    keyword_arg("messages", messages),
                ],
            )
            return cst.Attribute(value=counted, attr=cst.Name("input_tokens"))

        if isinstance(self.symbols.parent(call), cst.Await) or site.asynchronous:
            raise self._left(codes.CALL_LEFT, site, "an asynchronous count_tokens is rewritten by hand")
        plan.add(call, rewrite)
        del text
        return [
            codes.COUNT_TOKENS.diagnostic(
                "client.count_tokens counted locally; client.messages.count_tokens asks the API for the model, "
                "and counts the text as a user message (a few tokens more)",
                self.at(call),
            )
        ]


def _receiver(func: cst.BaseExpression, site: CallSite) -> cst.BaseExpression:
    """The client expression of a (migrated-children) call's ``func``."""
    assert isinstance(func, cst.Attribute)
    if site.kind == "create":
        middle = func.value
        assert isinstance(middle, cst.Attribute)
        if site.raw:
            middle = middle.value
            assert isinstance(middle, cst.Attribute)
        return middle.value
    return func.value


def _new_client(node: cst.CSTNode, wanted: str) -> cst.CSTNode:
    assert isinstance(node, cst.Call)
    func = node.func
    if isinstance(func, cst.Attribute):
        func = func.with_changes(attr=cst.Name(wanted))
    elif isinstance(func, cst.Name):
        func = func.with_changes(value=wanted)
    args = list(node.args)
    if args and args[0].keyword is None and not args[0].star:
        args[0] = keyword_arg("api_key", args[0].value).with_changes(comma=args[0].comma)
    return node.with_changes(func=func, args=args)
