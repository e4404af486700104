"""The code that reads a migrated call's response, rewritten with it.

A Completion's ``.completion`` (or a 0.2 dict's ``["completion"]``) becomes the Message's
``.content[0].text``, ``.stop`` becomes ``.stop_sequence``, a raw response's ``.parse()`` is
followed, and a comparison with ``stop_reason`` ``"stop_sequence"`` is flagged (``U006``).  A
streaming ``for`` loop over the events becomes ``with client.messages.stream(...) as stream:
for text in stream.text_stream:`` (with an accumulator for a 0.2 cumulative stream).  A
response used any other way stops the migration of its call (``U004``, ``U002``)."""

from __future__ import annotations

import libcst as cst

from transcript.codemod import codes
from transcript.codemod.calls import CallSite
from transcript.codemod.context import Context
from transcript.codemod.edits import Edit, Plan, attribute_chain, replace_with, text_of
from transcript.core.diagnostics import Severity

_RESPONSE_ATTRS = frozenset(["id", "model", "type", "_request_id"])

#: Calls that only show a value: a whole response given to one is still migrated.
_DISPLAY = frozenset(["print", "str", "repr", "pprint", "debug", "info", "warning", "error", "exception", "log", "echo", "write"])
_RAW_ATTRS = frozenset(
    ["headers", "http_response", "status_code", "request_id", "retries_taken", "elapsed", "url", "method", "http_request"]
)


class ResponseReader(Context):
    """Following responses and streaming loops."""

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
            inner = value.expression if isinstance(value, cst.Await) else value
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
                self._stop_reason(parent, plan)
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
                plan.add(parent, _attribute_instead(new))
                if key == "stop_reason":
                    self._stop_reason(parent, plan)
                return
            raise self._left(
                codes.RESPONSE_NOT_FOLLOWED,
                site,
                f"the response is read with [{self.symbols.code(parent.slice[0]).strip() if parent.slice else ''}]",
                parent,
            )
        if self._displayed(node):
            plan.notes.append(
                codes.RESPONSE_NOT_FOLLOWED.diagnostic(
                    "the response is printed whole: a Message prints differently from a Completion",
                    self.at(node),
                    severity=Severity.WARNING,
                    hint="print its text, .content[0].text, to keep the output",
                )
            )
            return
        raise self._left(
            codes.RESPONSE_NOT_FOLLOWED,
            site,
            f"the response is used as {self._use(node)}",
            node,
            hint="read the text where the call is (.completion) and pass that on",
        )

    def _displayed(self, node: cst.CSTNode) -> bool:
        """The whole response only shown (``print(r)``, ``f"{r}"``, ``str(r)``, ``log.info(r)``):
        the program still runs, though it shows something else."""
        parent = self.symbols.parent(node)
        if isinstance(parent, cst.FormattedStringExpression) and parent.expression is node:
            return True
        call = self.symbols.parent(parent) if isinstance(parent, cst.Arg) and parent.value is node else None
        if not isinstance(call, cst.Call):
            return False
        func = call.func
        name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else ""
        return name in _DISPLAY

    def _use(self, node: cst.CSTNode) -> str:
        parent = self.symbols.parent(node)
        if isinstance(parent, cst.Return):
            return "a return value"
        if isinstance(parent, cst.Arg):
            return "an argument of a call"
        if isinstance(parent, (cst.Element, cst.DictElement)):
            return "an element of a container"
        return "a value the codemod cannot follow"

    def _stop_reason(self, node: cst.CSTNode, plan: Plan) -> None:
        parent = self.symbols.parent(node)
        if isinstance(parent, cst.Comparison):
            others = [parent.left] + [c.comparator for c in parent.comparisons]
            for other in others:
                values = [other] if not isinstance(other, (cst.Tuple, cst.List, cst.Set)) else [e.value for e in other.elements]
                if any(isinstance(v, cst.SimpleString) and v.evaluated_value == "stop_sequence" for v in values):
                    plan.notes.append(
                        codes.STOP_REASON_MEANING.diagnostic(
                            'stop_reason "stop_sequence" meant the model finished its turn; Messages says "end_turn" for that',
                            self.at(parent),
                            hint='compare with ("end_turn", "stop_sequence") to keep the meaning',
                        )
                    )
                    return

    def _stream_loop(self, site: CallSite, value: cst.CSTNode, plan: Plan) -> str | None:
        parent = self.symbols.parent(value)
        loop: cst.For | None = None
        removed: cst.SimpleStatementLine | None = None
        between: list[cst.CSTNode] = []
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
                    between = later[: later.index(following)]
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
            if key != "completion" or parent is None:
                raise self._left(
                    codes.CALL_LEFT,
                    site,
                    f"the streaming loop reads {self.symbols.code(parent if key and parent is not None else reference).strip()}, not only the text",
                    reference,
                    hint="rewrite the loop with client.messages.stream(...) and stream.get_final_message()",
                )
            plan.add(parent, replace_with(cst.Name(total or text_name)))

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
            # the removed assignment's blank lines and comments stay where it was: on the with
            # statement that replaces it, or on the first statement that came between
            carried = list(removed.leading_lines) if removed is not None and not between else []
            leading = carried + list(node.leading_lines)
            return cst.With(
                items=[cst.WithItem(item=self.built[call], asname=cst.AsName(name=cst.Name(stream_name)))],
                body=cst.IndentedBlock(body=statements),
                asynchronous=cst.Asynchronous() if node.asynchronous else None,
                leading_lines=leading,
            )

        plan.add(loop, rebuild)
        plan.consumed.add(loop.iter)
        if removed is not None:
            plan.add(removed, replace_with(cst.RemovalSentinel.REMOVE))
            if between and hasattr(between[0], "leading_lines"):
                lines = list(removed.leading_lines)
                plan.add(between[0], lambda upd: upd.with_changes(leading_lines=[*lines, *upd.leading_lines]))  # type: ignore[attr-defined]
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


def _attribute_instead(name: str) -> Edit:
    """``RESPONSE["key"]`` -> ``RESPONSE.name`` (a 0.2 dict read as a Message's attribute)."""

    def edit(node: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(node, cst.Subscript)
        return cst.Attribute(value=node.value, attr=cst.Name(name))

    return edit


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
