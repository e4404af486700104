"""Migrate Python source that calls the Text Completions API to the Messages API.

:func:`migrate_source` parses a module with LibCST (comments and formatting are kept),
finds the legacy call sites (:mod:`transcript.codemod.calls`), and migrates each one it can
prove safe, whole: the prompt becomes ``system`` and ``messages`` (read by the project's
own converter, :mod:`transcript.codemod.prompts`), the parameters are renamed or dropped,
the code reading the response is rewritten, a streaming loop becomes
``client.messages.stream(...)``.  A site it cannot prove safe is left unchanged, with a
located diagnostic saying why and what to do; nothing changes silently.  The prompt
constants anthropic 1.0 removed are then replaced by their values wherever they are still
used, their imports removed, and the ``anthropic_bedrock`` package replaced by
``anthropic``.  Migrating migrated code changes nothing.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Any

import attrs
import libcst as cst
from attrs import field, frozen
from libcst.metadata import MetadataWrapper

from transcript.codemod import codes
from transcript.codemod.calls import CallSite, find_call_sites
from transcript.codemod.edits import Plan, apply_edits, attribute_chain, keyword_arg, text_of
from transcript.codemod.prompts import ConversionFailed, ConvertedPrompt, convert_template, escape_text, py_str
from transcript.codemod.symbols import PROMPT_CONSTANTS, Symbols, dotted
from transcript.codemod.templates import NotFollowed, TemplateReader
from transcript.core.diagnostics import Diagnostic, Location, Severity, diagnostic_tuple, sort_diagnostics
from transcript.legacy import codes as legacy_codes
from transcript.legacy.requests import LEGACY_OUTPUT_CAP
from transcript.protocol.models import is_text_completions_model, successor
from transcript.protocol.vocabulary import LEGACY_HUMAN_STOPS
from transcript.request.context import LintOptions
from transcript.request.lint import lint_request_value

__all__ = ["CodeMigration", "CodeOptions", "may_need_migration", "migrate_source"]

#: What a module must contain to be worth parsing: every site and name the codemod rewrites.
_PREFILTER = re.compile(
    r"completions|\.a?completion(?:_stream)?\b|HUMAN_PROMPT|AI_PROMPT|count_tokens|anthropic_bedrock|max_tokens_to_sample"
)
_ALIAS = re.compile(r"^claude-(?:instant-)?v?\d+$")
_KEPT = frozenset(["temperature", "top_p", "top_k", "metadata", "extra_headers", "extra_query", "extra_body", "timeout"])
_RESPONSE_ATTRS = frozenset(["id", "model", "type", "_request_id"])
_RAW_ATTRS = frozenset(
    ["headers", "http_response", "status_code", "request_id", "retries_taken", "elapsed", "url", "method", "http_request"]
)


def _mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return dict(value or {})


@frozen
class CodeOptions:
    """``model_map``: old model -> new (``--model-map``); ``prompt_options``: the converter's
    reading policies (:func:`~transcript.prompt.convert.prompt_to_messages` keywords)."""

    model_map: Mapping[str, str] = field(factory=dict, converter=_mapping)
    prompt_options: Mapping[str, Any] = field(factory=dict, converter=_mapping)


@frozen
class CodeMigration:
    """The migrated source (the original when nothing changed) and what was found."""

    original: str
    source: str
    diagnostics: tuple[Diagnostic, ...] = field(converter=diagnostic_tuple, default=())

    @property
    def changed(self) -> bool:
        return self.source != self.original

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def may_need_migration(text: str) -> bool:
    """The cheap test done before parsing: could ``text`` hold anything the codemod rewrites?"""
    return _PREFILTER.search(text) is not None


def migrate_source(text: str, options: CodeOptions | None = None) -> CodeMigration:
    """Migrate one Python module's source (see the module's documentation)."""
    options = options or CodeOptions()
    if not may_need_migration(text):
        return CodeMigration(text, text)
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return CodeMigration(text, text, [_syntax_error(text, exc)])
    except RecursionError:
        return CodeMigration(
            text, text, [codes.SYNTAX_ERROR.diagnostic("the module is nested too deeply to parse", Location(line=1, column=1))]
        )
    try:
        migrator = _Migrator(MetadataWrapper(module, unsafe_skip_copy=True), options)
        result = migrator.run()
    except RecursionError:
        return CodeMigration(
            text, text, [codes.SYNTAX_ERROR.diagnostic("the module is nested too deeply to migrate", Location(line=1, column=1))]
        )
    return CodeMigration(text, result.code, sort_diagnostics(migrator.diagnostics))


def _syntax_error(text: str, exc: cst.ParserSyntaxError) -> Diagnostic:
    """U011 where Python's own parser stops (it names the line a reader expects), else LibCST's."""
    line, column, message = exc.raw_line, exc.raw_column + 1, exc.message
    try:
        compile(text, "<module>", "exec", dont_inherit=True, flags=ast.PyCF_ONLY_AST)
    except SyntaxError as error:
        line, column, message = error.lineno or line, error.offset or column, error.msg or message
    except (ValueError, RecursionError, MemoryError):
        pass
    return codes.SYNTAX_ERROR.diagnostic(f"not valid Python: {message}", Location(line=line, column=column))


class _Left(Exception):
    """A call site is left unchanged: the diagnostics say why."""

    def __init__(self, *diagnostics: Diagnostic) -> None:
        super().__init__(diagnostics[0].message if diagnostics else "")
        self.diagnostics = diagnostics


@frozen
class _PromptPlan:
    converted: ConvertedPrompt
    messages: cst.BaseExpression
    system: cst.BaseExpression | None


class _Migrator:
    def __init__(self, wrapper: MetadataWrapper, options: CodeOptions) -> None:
        self.symbols = Symbols(wrapper)
        self.module = wrapper.module
        self.options = options
        self.reader = TemplateReader(self.symbols)
        self.plan = Plan()
        self.diagnostics: list[Diagnostic] = []
        self.lines = self.module.code.splitlines()
        self.built: dict[cst.Call, cst.Call] = {}  # original call -> its migrated form (for stream loops)
        self.taken: dict[int, set[str]] = {}  # scope id -> names this run gave out
        self.ctor_class: dict[cst.Call, str] = {}
        self.models: set[str] = set()  # the code of the model argument of every migrated call
        self.renamed_from_imports: set[str] = set()  # Client -> Anthropic: names to import from anthropic

    # ------------------------------------------------------------------ driver

    def run(self) -> cst.Module:
        sites = find_call_sites(self.symbols)
        counts = [s for s in sites if s.kind == "count_tokens"]
        for site in sites:
            if site.kind == "count_tokens":
                continue
            plan = Plan()
            try:
                notes = self._site(site, plan)
            except _Left as left:
                self.diagnostics.extend(left.diagnostics)
                continue
            self.plan.merge(plan)
            self.diagnostics.extend(notes)
        for site in counts:
            plan = Plan()
            try:
                notes = self._count_tokens(site, plan)
            except _Left as left:
                self.diagnostics.extend(left.diagnostics)
                continue
            self.plan.merge(plan)
            self.diagnostics.extend(notes)
        self._constants()
        self._imports()
        return apply_edits(self.module, self.plan.edits)

    # ------------------------------------------------------------------ locations

    def at(self, node: cst.CSTNode | None) -> Location:
        if node is None or node not in self.symbols.positions:
            return Location()
        span = self.symbols.positions[node]
        return Location(
            line=span.start.line, column=span.start.column + 1, end_line=span.end.line, end_column=span.end.column + 1
        )

    def _indent(self, node: cst.CSTNode) -> str:
        line = self.symbols.position(node)[0]
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return text[: len(text) - len(text.lstrip())]

    def _width(self, arg: cst.Arg) -> int:
        """How far right the ``messages=`` list would start, were it on the argument's line."""
        line, column = self.symbols.position(arg)
        return column + len("messages=")

    def _fresh(self, name: str, node: cst.CSTNode) -> str:
        scope = self.symbols.scopes.get(node)
        taken = self.taken.setdefault(id(scope), set())
        candidate, n = name, 0
        while candidate in taken or (scope is not None and (candidate in scope or scope.accesses[candidate])):
            n += 1
            candidate = f"{name}_{n}"
        taken.add(candidate)
        return candidate

    def _describe(self, site: CallSite) -> str:
        return self.symbols.code(site.call.func).strip()

    def _left(self, rule: Any, site: CallSite, why: str, node: cst.CSTNode | None = None, hint: str | None = None) -> _Left:
        message = f"{self._describe(site)}(...) left unchanged: {why}"
        return _Left(rule.diagnostic(message, self.at(node or site.call), hint=hint))

    # ------------------------------------------------------------------ one call site

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
        if site.assumed:
            extra.append("the receiver is taken to be an Anthropic client (it passes max_tokens_to_sample)")
        notes.append(codes.CALL_MIGRATED.diagnostic(said + ("; " + "; ".join(extra) if extra else ""), self.at(call)))
        if site.cumulative:
            notes.append(
                codes.CUMULATIVE_STREAM.diagnostic(
                    "the 0.2 stream gave the whole text so far in each event; the migrated loop adds up the deltas "
                    "to keep that meaning",
                    self.at(call),
                    hint="if the loop only printed the new text, iterate stream.text_stream directly",
                )
            )
        return notes

    # ------------------------------------------------------------------ the client

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
            plan.add(ctor, lambda node: _new_client(node, wanted, self))
        return None

    # ------------------------------------------------------------------ the response

    def _response(self, site: CallSite, value: cst.CSTNode, plan: Plan) -> None:
        parent = self.symbols.parent(value)
        dict_style = site.kind == "legacy"
        if isinstance(parent, cst.Expr):
            return
        if isinstance(parent, (cst.Assign, cst.AnnAssign)) and parent.value is value:
            target = (
                parent.targets[0].target
                if isinstance(parent, cst.Assign) and len(parent.targets) == 1
                else getattr(parent, "target", None)
            )
            if isinstance(parent, cst.Assign) and len(parent.targets) != 1 or not isinstance(target, cst.Name):
                raise self._left(codes.RESPONSE_NOT_FOLLOWED, site, "the response is unpacked or assigned to several names")
            self._follow_name(site, target, plan, raw=site.raw, dict_style=dict_style)
            return
        self._read(site, value, plan, raw=site.raw, dict_style=dict_style)

    def _follow_name(self, site: CallSite, target: cst.Name, plan: Plan, *, raw: bool, dict_style: bool) -> None:
        assignments = self.symbols.assignments(target)
        mine = [a for a in assignments if getattr(a, "node", None) is target]
        if not mine:
            raise self._left(codes.RESPONSE_NOT_FOLLOWED, site, f"{target.value} cannot be followed")
        others = [a for a in assignments if a is not mine[0]]
        for other in others:
            value = self.symbols.value_of(other)
            inner = value.value if isinstance(value, cst.Await) else value
            if not (isinstance(inner, cst.Call) and _same_kind(inner, site)):
                raise self._left(
                    codes.RESPONSE_NOT_FOLLOWED,
                    site,
                    f"{target.value} is also assigned other values, so its reads cannot all be rewritten",
                    hint="give the response a name of its own",
                )
        for reference in self.symbols.references(mine[0]):
            self._read(site, reference, plan, raw=raw, dict_style=dict_style)

    def _read(self, site: CallSite, node: cst.CSTNode, plan: Plan, *, raw: bool, dict_style: bool) -> None:
        """One read of the response (``node`` is the response expression)."""
        parent = self.symbols.parent(node)
        if raw:
            if isinstance(parent, cst.Attribute) and parent.attr.value == "parse":
                grand = self.symbols.parent(parent)
                if isinstance(grand, cst.Call) and grand.func is parent:
                    holder = self.symbols.parent(grand)
                    if (
                        isinstance(holder, (cst.Assign, cst.AnnAssign))
                        and isinstance(holder, cst.Assign)
                        and len(holder.targets) == 1
                        and isinstance(holder.targets[0].target, cst.Name)
                    ):
                        self._follow_name(site, holder.targets[0].target, plan, raw=False, dict_style=False)
                        return
                    self._read(site, grand, plan, raw=False, dict_style=False)
                    return
            if isinstance(parent, cst.Attribute) and parent.attr.value in _RAW_ATTRS:
                return
            raise self._left(codes.RESPONSE_NOT_FOLLOWED, site, f"the raw response is used as {self._use(node)}", node)
        if isinstance(parent, cst.Attribute) and parent.value is node:
            name = parent.attr.value
            if name == "completion":
                plan.add(parent, lambda upd: text_of(upd.value))  # type: ignore[attr-defined]
                return
            if name == "stop_reason":
                self._stop_reason(parent)
                return
            if name == "stop":
                plan.add(parent, lambda upd: upd.with_changes(attr=cst.Name("stop_sequence")))  # type: ignore[attr-defined]
                return
            if name in _RESPONSE_ATTRS:
                return
            raise self._left(
                codes.RESPONSE_NOT_FOLLOWED, site, f"the response's .{name} has no Messages equivalent the codemod knows", parent
            )
        if dict_style and isinstance(parent, cst.Subscript) and parent.value is node:
            key = _subscript_key(parent)
            if key == "completion":
                plan.add(parent, lambda upd: text_of(upd.value))  # type: ignore[attr-defined]
                return
            if key in ("stop_reason", "stop", "model"):
                new = {"stop": "stop_sequence"}.get(key, key)
                plan.add(parent, lambda upd, new=new: cst.Attribute(value=upd.value, attr=cst.Name(new)))  # type: ignore[attr-defined]
                if key == "stop_reason":
                    self._stop_reason(parent)
                return
            raise self._left(
                codes.RESPONSE_NOT_FOLLOWED,
                site,
                f"the response is read with [{self.symbols.code(parent.slice[0]).strip() if parent.slice else ''}]",
                parent,
            )
        raise self._left(
            codes.RESPONSE_NOT_FOLLOWED,
            site,
            f"the response is used as {self._use(node)}",
            node,
            hint="read the text where the call is (.completion) and pass that on",
        )

    def _use(self, node: cst.CSTNode) -> str:
        parent = self.symbols.parent(node)
        if isinstance(parent, cst.Return):
            return "a return value"
        if isinstance(parent, cst.Arg):
            return "an argument of a call"
        if isinstance(parent, (cst.Element, cst.DictElement)):
            return "an element of a container"
        return "a value the codemod cannot follow"

    def _stop_reason(self, node: cst.CSTNode) -> None:
        parent = self.symbols.parent(node)
        if isinstance(parent, cst.Comparison):
            others = [parent.left] + [c.comparator for c in parent.comparisons]
            for other in others:
                values = [other] if not isinstance(other, (cst.Tuple, cst.List, cst.Set)) else [e.value for e in other.elements]
                if any(isinstance(v, cst.SimpleString) and v.evaluated_value == "stop_sequence" for v in values):
                    self.diagnostics.append(
                        codes.STOP_REASON_MEANING.diagnostic(
                            'stop_reason "stop_sequence" meant the model finished its turn; Messages says "end_turn" for that',
                            self.at(parent),
                            hint='compare with ("end_turn", "stop_sequence") to keep the meaning',
                        )
                    )
                    return

    # ------------------------------------------------------------------ streams

    def _stream_loop(self, site: CallSite, value: cst.CSTNode, plan: Plan) -> str | None:
        parent = self.symbols.parent(value)
        loop: cst.For | None = None
        removed: cst.SimpleStatementLine | None = None
        removed_name: str | None = None
        if isinstance(parent, cst.For) and parent.iter is value:
            loop = parent
        elif isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name):
            name = parent.targets[0].target
            line = self.symbols.parent(parent)
            assignments = [a for a in self.symbols.assignments(name) if getattr(a, "node", None) is name]
            refs = self.symbols.references(assignments[0]) if assignments else []
            if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 and len(refs) == 1:
                # the loop over the stream, later in the same block (what comes between cannot
                # touch the stream: the loop is its only use); the request is then made there
                later = self._later_statements(line)
                following = next((s for s in later if isinstance(s, cst.For) and s.iter is refs[0]), None)
                if following is not None:
                    loop, removed, removed_name = following, line, name.value
        if loop is None:
            raise self._left(
                codes.CALL_LEFT,
                site,
                "the stream is not read by a for loop where it is made",
                hint="iterate it right away: for event in client.completions.create(..., stream=True)",
            )
        if loop.orelse is not None:
            raise self._left(codes.CALL_LEFT, site, "the streaming loop has an else clause", loop)
        if not isinstance(loop.target, cst.Name):
            raise self._left(codes.CALL_LEFT, site, "the streaming loop unpacks its events", loop.target)
        if bool(loop.asynchronous) != site.asynchronous:
            raise self._left(codes.CALL_LEFT, site, "the loop and the client disagree on async", loop)
        event = loop.target
        assignments = [a for a in self.symbols.assignments(event) if getattr(a, "node", None) is event]
        if not assignments or len(self.symbols.assignments(event)) != 1:
            raise self._left(codes.CALL_LEFT, site, f"{event.value} is also assigned elsewhere", loop.target)
        stream_name = removed_name if removed_name is not None else self._fresh("stream", loop)
        text_name = self._fresh("text", loop)
        total = self._fresh("completion", loop) if site.cumulative else None
        for reference in self.symbols.references(assignments[0]):
            if not self._inside(reference, loop.body):
                raise self._left(codes.CALL_LEFT, site, f"{event.value} is used after the loop", reference)
            parent = self.symbols.parent(reference)
            key = None
            if isinstance(parent, cst.Attribute) and parent.value is reference:
                key = parent.attr.value
            elif isinstance(parent, cst.Subscript) and parent.value is reference:
                key = _subscript_key(parent)
            if key != "completion":
                raise self._left(
                    codes.CALL_LEFT,
                    site,
                    f"the streaming loop reads {self.symbols.code(parent if key else reference).strip()}, not only the text",
                    reference,
                    hint="rewrite the loop with client.messages.stream(...) and stream.get_final_message()",
                )
            plan.add(parent, lambda _upd, name=(total or text_name): cst.Name(name))  # type: ignore[misc]

        call = site.call

        def rebuild(node: cst.CSTNode) -> cst.CSTNode:
            assert isinstance(node, cst.For)
            body = node.body
            assert isinstance(body, cst.IndentedBlock)
            inner: list[cst.BaseStatement] = list(body.body)
            if total:
                inner.insert(0, cst.parse_statement(f"{total} += {text_name}\n"))
            new_loop = node.with_changes(
                target=cst.Name(text_name),
                iter=attribute_chain(cst.Name(stream_name), "text_stream"),
                body=body.with_changes(body=inner),
                leading_lines=[],
            )
            statements: list[cst.BaseStatement] = [new_loop]
            if total:
                statements.insert(0, cst.parse_statement(f'{total} = ""\n'))
            leading = list(removed.leading_lines if removed is not None else ()) + list(node.leading_lines)
            return cst.With(
                items=[cst.WithItem(item=self.built[call], asname=cst.AsName(name=cst.Name(stream_name)))],
                body=cst.IndentedBlock(body=statements),
                asynchronous=cst.Asynchronous() if node.asynchronous else None,
                leading_lines=leading,
            )

        plan.add(loop, rebuild)
        plan.consumed.add(loop.iter)
        if removed is not None:
            plan.add(removed, lambda _upd: cst.RemovalSentinel.REMOVE)
        return f"the loop now iterates {stream_name}.text_stream"

    def _later_statements(self, line: cst.SimpleStatementLine) -> list[cst.CSTNode]:
        block = self.symbols.parent(line)
        body = getattr(block, "body", None)
        if not isinstance(body, (list, tuple)):
            return []
        for i, statement in enumerate(body):
            if statement is line:
                return list(body[i + 1 :])
        return []

    def _inside(self, node: cst.CSTNode, ancestor: cst.CSTNode) -> bool:
        current: cst.CSTNode | None = node
        while current is not None:
            if current is ancestor:
                return True
            current = self.symbols.parent(current)
        return False

    # ------------------------------------------------------------------ the prompt

    def _prompt(self, site: CallSite, arg: cst.Arg, plan: Plan) -> _PromptPlan:
        try:
            template = self.reader.read(arg.value)
        except NotFollowed as exc:
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
            raise _Left(*located, *left.diagnostics) from None
        statement = self.symbols.enclosing(arg, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
        block = self._indent(statement) if statement is not None else ""
        here = self._indent(arg)
        relative = here[len(block) :] if here.startswith(block) else ""
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
        return _PromptPlan(converted, messages, system)

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
            return statements[0] if len(statements) == 1 else cst.FlattenSentinel(statements)

        plan.add(line, replace)
        plan.consumed.add(line)
        return cst.Name(messages_name), system

    def _in_prompt(self, diagnostic: Diagnostic, arg: cst.Arg) -> Diagnostic:
        where = ""
        if diagnostic.location.line is not None:
            where = f" (prompt line {diagnostic.location.line}, column {diagnostic.location.column})"
        return attrs.evolve(diagnostic, message=diagnostic.message + where, location=self.at(arg.value))

    def _prompt_notes(self, site: CallSite, arg: cst.Arg, prompt: _PromptPlan) -> list[Diagnostic]:
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

    # ------------------------------------------------------------------ the arguments

    def _arguments(
        self, site: CallSite, keywords: dict[str, cst.Arg], prompt: _PromptPlan, plan: Plan, *, drop_stream: bool
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
        for name in ("temperature", "top_p", "top_k"):
            if name in keywords:
                number = _number_literal(keywords[name].value)
                if number is not None:
                    request[name] = number
        if drop_stream and "stream" in keywords:
            edits["stream"] = "drop"
        for name, arg in keywords.items():
            if name in ("model", "prompt", "max_tokens_to_sample", "stop_sequences", "stream") or name in _KEPT:
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
            for old, new in zip(original, node.args):
                name = old.keyword.value if old.keyword is not None else ""
                edit = edits.get(name)
                if edit == "drop":
                    continue
                if name == "prompt":
                    # between system= and messages=: the spacing between this argument and the
                    # one before it (or after it), so a call written an argument a line stays so
                    last = old is original[-1]
                    comma = _comma_like(out[-1] if out else None, None if last else new.comma)
                    if prompt.system is not None:
                        out.append(keyword_arg("system", prompt.system, new).with_changes(comma=comma))
                    out.append(keyword_arg("messages", prompt.messages, new).with_changes(comma=new.comma))
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
        if not isinstance(literal, cst.SimpleString):
            return None, []
        model = literal.evaluated_value
        if not isinstance(model, str):
            return None, []
        mapping = self.options.model_map
        if model in mapping:
            new = mapping[model]
            plan.add(literal, lambda _upd, new=new: cst.SimpleString(py_str(new)))
            note = legacy_codes.MODEL_ALIAS.diagnostic(
                f"model {model!r} mapped to {new!r}", self.at(literal), severity=Severity.INFO
            )
            return new, [note]
        if _ALIAS.match(model):
            return model, [
                legacy_codes.MODEL_ALIAS.diagnostic(
                    f"{model!r} is a major-version alias, which the Messages API does not accept",
                    self.at(literal),
                    hint=f"name the model to use: --model-map {model}=<model id>",
                )
            ]
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
            found = self.symbols.symbol(value)
            assignment = self.symbols.reaching(value)
            refs = self.symbols.references(assignment) if assignment is not None else []
            if found.kind == "value" and isinstance(found.node, cst.List) and refs == [value]:
                listing = found.node
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
            found = self.symbols.symbol(item) if isinstance(item, (cst.Name, cst.Attribute)) else None
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
            plan.add(listing, lambda upd, drop=drop: _without(upd, drop))  # type: ignore[arg-type]
        return (kept if literal else None), notes

    def _stop_warning(self, arg: cst.Arg, why: str) -> Diagnostic:
        return codes.STOP_LIST_NOT_FOLLOWED.diagnostic(
            f"{why}: check that it no longer holds the built-in '\\n\\nHuman:'", self.at(arg.value)
        )

    def _refusals(self, request: dict[str, Any], keywords: dict[str, cst.Arg]) -> list[Diagnostic]:
        if "model" not in request:
            return []
        found = []
        for d in lint_request_value(request, LintOptions()):
            if d.severity is not Severity.ERROR:
                continue
            head = (d.location.pointer or "").split("/")[1:2]
            source = {"messages": "prompt", "system": "prompt", "max_tokens": "max_tokens_to_sample"}.get(
                head[0] if head else "", head[0] if head else ""
            )
            arg = keywords.get(source)
            found.append(
                legacy_codes.MIGRATED_REQUEST_REFUSED.diagnostic(
                    f"for {request['model']}, the Messages API would refuse the migrated call: {d.code} {d.message}",
                    self.at(arg.value if arg is not None else None) if arg is not None else Location(),
                    hint=d.hint,
                )
            )
        return found

    # ------------------------------------------------------------------ count_tokens

    def _count_tokens(self, site: CallSite, plan: Plan) -> list[Diagnostic]:
        call = site.call
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

    # ------------------------------------------------------------------ names and imports

    def _constants(self) -> None:
        """Every remaining use of HUMAN_PROMPT / AI_PROMPT becomes the string it held."""
        inlined: dict[cst.FormattedString, dict[cst.CSTNode, str]] = {}
        for node in _names(self.module):
            if isinstance(self.symbols.parent(node), cst.Attribute) and self.symbols.parent(node).value is node:  # type: ignore[union-attr]
                continue  # the base of a longer chain: the chain is looked at itself
            if self._in_import(node) or self._consumed(node):
                continue
            found = self.symbols.symbol(node)
            if found.kind != "const":
                continue
            value = PROMPT_CONSTANTS[found.name]
            part = self.symbols.parent(node)
            whole = self.symbols.parent(part) if part is not None else None
            if isinstance(part, cst.FormattedStringExpression) and part.expression is node:
                # inside an f-string: the value becomes text of the f-string (before Python 3.12
                # an f-string's expression cannot hold a backslash or the string's own quote)
                text = {"r": repr(value), "a": ascii(value)}.get(part.conversion or "", value)
                if not isinstance(whole, cst.FormattedString) or "r" in whole.prefix.lower() or part.format_spec:
                    self.diagnostics.append(
                        codes.LEGACY_NAME_REPLACED.diagnostic(
                            f"{self.symbols.code(node).strip()} (removed in anthropic 1.0) could not be replaced here: "
                            f"write its value {py_str(value)} yourself",
                            self.at(node),
                            severity=Severity.ERROR,
                        )
                    )
                    continue
                inlined.setdefault(whole, {})[part] = text
            else:
                self.plan.add(node, lambda _upd, value=value: cst.SimpleString(py_str(value)))
            self.diagnostics.append(
                codes.LEGACY_NAME_REPLACED.diagnostic(
                    f"{self.symbols.code(node).strip()} (removed in anthropic 1.0) replaced by its value {py_str(value)}",
                    self.at(node),
                )
            )
        for fstring, parts in inlined.items():
            self.plan.add(fstring, lambda upd, original=fstring, parts=parts: _inline_parts(original, upd, parts))

    def _consumed(self, node: cst.CSTNode) -> bool:
        current: cst.CSTNode | None = node
        while current is not None:
            if current in self.plan.consumed:
                return True
            current = self.symbols.parent(current)
        return False

    def _in_import(self, node: cst.CSTNode) -> bool:
        return self.symbols.enclosing(node, (cst.Import, cst.ImportFrom)) is not None

    def _imports(self) -> None:
        for statement in _imports(self.module):
            if isinstance(statement, cst.ImportFrom):
                self._import_from(statement)
            else:
                self._import(statement)

    def _import_from(self, statement: cst.ImportFrom) -> None:
        module = dotted(statement.module) if statement.module is not None else None
        if statement.relative or module not in ("anthropic", "anthropic_bedrock") or isinstance(statement.names, cst.ImportStar):
            return
        removed = {
            i
            for i, alias in enumerate(statement.names)
            if isinstance(alias.name, cst.Name) and alias.name.value in PROMPT_CONSTANTS
        }
        rename_module = module == "anthropic_bedrock"
        added = sorted(set(self.ctor_class.values())) if module == "anthropic" and self._named_client_imported(statement) else []
        if not removed and not rename_module and not added:
            return
        line = self.symbols.parent(statement)

        def rewrite(node: cst.CSTNode) -> cst.CSTNode | cst.RemovalSentinel:
            assert isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar)
            names = [a for i, a in enumerate(node.names) if i not in removed]
            present = {a.name.value for a in names if isinstance(a.name, cst.Name)}
            names += [cst.ImportAlias(name=cst.Name(n)) for n in added if n not in present]
            if not names:
                return cst.RemovalSentinel.REMOVE
            names = [a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for a in names[:-1]] + [
                names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            ]
            new = node.with_changes(names=names)
            if rename_module:
                new = new.with_changes(module=cst.Name("anthropic"))
            return new

        self.plan.add(statement, rewrite)
        if (
            removed
            and isinstance(line, cst.SimpleStatementLine)
            and len(line.body) == 1
            and len(removed) == len(statement.names)
            and not added
        ):
            self.plan.add(line, lambda _upd: cst.RemovalSentinel.REMOVE)

    def _named_client_imported(self, statement: cst.ImportFrom) -> bool:
        assert not isinstance(statement.names, cst.ImportStar)
        return any(isinstance(a.name, cst.Name) and a.name.value in ("Client", "AsyncClient") for a in statement.names) and any(
            isinstance(c.func, cst.Name) for c in self.ctor_class
        )

    def _import(self, statement: cst.Import) -> None:
        if not any(dotted(a.name) == "anthropic_bedrock" for a in statement.names):
            return
        for node in _names(self.module):
            if (
                isinstance(node, cst.Name)
                and node.value == "anthropic_bedrock"
                and not self._in_import(node)
                and self.symbols.symbol(node).kind == "module"
            ):
                self.plan.add(node, lambda _upd: cst.Name("anthropic"))
        has_anthropic = any(
            isinstance(s, cst.Import) and any(dotted(a.name) == "anthropic" and a.asname is None for a in s.names)
            for s in _imports(self.module)
        )

        def rewrite(node: cst.CSTNode) -> cst.CSTNode | cst.RemovalSentinel:
            assert isinstance(node, cst.Import)
            names = []
            for alias in node.names:
                if dotted(alias.name) == "anthropic_bedrock":
                    if has_anthropic:
                        continue
                    alias = alias.with_changes(name=cst.Name("anthropic"))
                names.append(alias)
            if not names:
                return cst.RemovalSentinel.REMOVE
            names[-1] = names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return node.with_changes(names=names)

        self.plan.add(statement, rewrite)


def _names(module: cst.Module) -> list[cst.BaseExpression]:
    out: list[cst.BaseExpression] = []
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Name, cst.Attribute)):
            out.append(node)
        stack.extend(node.children)
    return out


def _imports(module: cst.Module) -> list[cst.Import | cst.ImportFrom]:
    out: list[cst.Import | cst.ImportFrom] = []
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            out.append(node)
            continue
        stack.extend(node.children)
    return out


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


def _new_client(node: cst.CSTNode, wanted: str, migrator: _Migrator) -> cst.CSTNode:
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


def _comma_like(previous: cst.Arg | None, own: cst.Comma | cst.MaybeSentinel | None) -> cst.Comma:
    """A comma spaced as the previous argument's (its line break and indentation, in a call
    written one argument a line), else as ``own``, else ``", "``."""
    if previous is not None and isinstance(previous.comma, cst.Comma):
        return previous.comma
    if isinstance(own, cst.Comma):
        return own
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _inline_parts(original: cst.FormattedString, updated: cst.CSTNode, texts: dict[cst.CSTNode, str]) -> cst.BaseExpression:
    """An f-string with the given expression parts (of ``original``) written as text; a plain
    string when no expression is left."""
    assert isinstance(updated, cst.FormattedString)
    quote = original.start[len(original.prefix) :]
    parts: list[cst.BaseFormattedStringContent] = []
    for before, after in zip(original.parts, updated.parts):
        if before in texts:
            text = escape_text(texts[before], quote[0]).replace("{", "{{").replace("}", "}}")
            parts.append(cst.FormattedStringText(text))
        else:
            parts.append(after)
    merged: list[cst.BaseFormattedStringContent] = []
    for part in parts:
        if merged and isinstance(part, cst.FormattedStringText) and isinstance(merged[-1], cst.FormattedStringText):
            merged[-1] = cst.FormattedStringText(merged[-1].value + part.value)
        else:
            merged.append(part)
    if all(isinstance(p, cst.FormattedStringText) for p in merged):
        raw = "".join(p.value for p in merged if isinstance(p, cst.FormattedStringText)).replace("{{", "{").replace("}}", "}")
        prefix = updated.prefix.replace("f", "").replace("F", "")
        return cst.SimpleString(prefix + quote + raw + quote, lpar=updated.lpar, rpar=updated.rpar)
    return updated.with_changes(parts=merged)


def _same_kind(call: cst.Call, site: CallSite) -> bool:
    func = call.func
    return (
        isinstance(func, cst.Attribute)
        and isinstance(site.call.func, cst.Attribute)
        and func.attr.value == site.call.func.attr.value
    )


def _subscript_key(node: cst.Subscript) -> str | None:
    if len(node.slice) != 1:
        return None
    index = node.slice[0].slice
    if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
        value = index.value.evaluated_value
        return value if isinstance(value, str) else None
    return None


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


def _without(listing: cst.List, drop: list[int]) -> cst.List:
    elements = [e for i, e in enumerate(listing.elements) if i not in drop]
    if elements:
        elements[-1] = elements[-1].with_changes(comma=listing.elements[-1].comma)
    return listing.with_changes(elements=elements)
