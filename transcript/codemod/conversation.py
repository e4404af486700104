"""A prompt kept as a conversation in a string (an agent loop), migrated to a messages list.

Text Completions code often keeps the whole conversation in the prompt and extends it after
each call::

    prompt = f"{HUMAN_PROMPT} {first}{AI_PROMPT}"
    for q in questions:
        r = client.completions.create(..., prompt=prompt)
        prompt += r.completion + HUMAN_PROMPT + " " + q + AI_PROMPT

The string then always ends ready for the assistant (``"\\n\\nAssistant:"``), and each
extension adds the assistant's reply and the next Human turn.  With Messages the
conversation is a list, and each extension is a list of new messages::

    messages = [{"role": "user", "content": first}]
    for q in questions:
        r = client.messages.create(..., messages=messages)
        messages += [{"role": "assistant", "content": r.content[0].text}, {"role": "user", "content": q}]

The codemod makes that change only when it can prove it: the prompt is assigned once and
extended only with ``+=`` in the same scope, every text ends with the Assistant marker, each
extension converted after the first text leaves the first text's messages as they were,
and the name is used for nothing else.  Otherwise the call is left, with ``U008``.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import BaseAssignment

from transcript.codemod import codes
from transcript.codemod.calls import CallSite
from transcript.codemod.context import Context, LeftUnchanged, PromptPlan
from transcript.codemod.edits import Edit, Plan
from transcript.codemod.prompts import ConversionFailed, ConvertedPrompt, convert_template
from transcript.codemod.templates import NotFollowed, Template

__all__ = ["ConversationPlanner"]

_READY = "\n\nAssistant:"


class ConversationPlanner(Context):
    """Migrating a prompt string extended in place into a messages list."""

    def _conversation(self, site: CallSite, arg: cst.Arg, plan: Plan) -> PromptPlan:
        name = arg.value
        if not isinstance(name, cst.Name):
            raise self._extension_left(site, arg, "the prompt is not a name")
        assignments = self.symbols.assignments(name)
        scope = self.symbols.scopes.get(name)
        if any(a.scope is not scope for a in assignments):
            raise self._extension_left(site, arg, f"{name.value} is assigned in another scope")
        first = [a for a in assignments if not self.symbols.is_augmented(a)]
        extensions = [a for a in assignments if self.symbols.is_augmented(a)]
        if len(first) != 1 or not extensions:
            raise self._extension_left(site, arg, f"{name.value} is assigned more than once before it is extended")
        line = self.symbols.assigning_statement(first[0])
        value = self.symbols.value_of(first[0])
        if line is None or value is None:
            raise self._extension_left(site, arg, f"{name.value} is not assigned by a plain assignment")
        try:
            start = self.reader.read(value)
            initial = self._ready(convert_template(start, self.symbols, self.options.prompt_options), start, site, arg)
        except (NotFollowed, ConversionFailed) as exc:
            raise self._extension_left(site, arg, f"its first text cannot be converted ({_why(exc)})") from None
        if initial.system is not None and initial.system_has_holes:
            raise self._extension_left(site, arg, "its system text has run-time parts")
        additions = [self._extension(site, arg, start, initial, a) for a in extensions]
        self._only_uses(site, arg, name, assignments, additions)
        messages_name = self._conversation_name(first[0], line)
        self.watched.update(h.expr for h in initial.holes)
        for _statement, extended in additions:
            self.watched.update(h.expr for h in extended.holes)
        plan.add(line, self._assign_edit(line, messages_name, initial, list(initial.items)))
        plan.consumed.add(line)
        for statement, extended in additions:
            new_items = list(extended.items[len(initial.items) :])
            plan.add(statement, self._extend_edit(statement, messages_name, extended, new_items))
            plan.consumed.add(statement)
        plan.consumed.add(arg.value)
        system = cst.parse_expression(initial.system) if initial.system is not None else None
        return PromptPlan(initial, cst.Name(messages_name), system)

    def _ready(self, converted: ConvertedPrompt, template: Template, site: CallSite, arg: cst.Arg) -> ConvertedPrompt:
        if not template.text.rstrip(" ").endswith(_READY) or not template.pieces or not isinstance(template.pieces[-1], str):
            raise self._extension_left(site, arg, "a text of the conversation does not end with the Assistant marker")
        return converted

    def _extension(
        self, site: CallSite, arg: cst.Arg, start: Template, initial: ConvertedPrompt, assignment: BaseAssignment
    ) -> tuple[cst.SimpleStatementLine, ConvertedPrompt]:
        target = getattr(assignment, "node", None)
        augment = self.symbols.parent(target) if target is not None else None
        line = self.symbols.parent(augment) if augment is not None else None
        if not (
            isinstance(augment, cst.AugAssign)
            and isinstance(augment.operator, cst.AddAssign)
            and isinstance(line, cst.SimpleStatementLine)
            and len(line.body) == 1
        ):
            raise self._extension_left(site, arg, "the prompt is changed other than by `+=` on a line of its own")
        try:
            added = self.reader.read_part(augment.value)
            whole = start + added
            extended = self._ready(convert_template(whole, self.symbols, self.options.prompt_options), whole, site, arg)
        except (NotFollowed, ConversionFailed) as exc:
            raise self._extension_left(site, arg, f"an extension cannot be converted ({_why(exc)})") from None
        if extended.items[: len(initial.items)] != initial.items or extended.system != initial.system:
            raise self._extension_left(site, arg, "an extension changes the turns before it")
        return line, extended

    def _only_uses(
        self,
        site: CallSite,
        arg: cst.Arg,
        name: cst.Name,
        assignments: list[BaseAssignment],
        additions: list[tuple[cst.SimpleStatementLine, ConvertedPrompt]],
    ) -> None:
        """The prompt's name is read only as a legacy call's ``prompt=`` and by its own ``+=``."""
        targets = {getattr(a, "node", None) for a in assignments}
        for assignment in assignments:
            for reference in self.symbols.references(assignment):
                if reference in targets:
                    continue
                parent = self.symbols.parent(reference)
                keyword = parent.keyword.value if isinstance(parent, cst.Arg) and parent.keyword is not None else None
                if keyword != "prompt":
                    raise self._extension_left(
                        site, arg, f"{name.value} is also read elsewhere (line {self.symbols.position(reference)[0]})"
                    )

    def _conversation_name(self, first: BaseAssignment, line: cst.SimpleStatementLine) -> str:
        """One name per conversation, however many calls read it."""
        key = id(first)
        if key not in self.conversation_names:
            self.conversation_names[key] = self._fresh("messages", line.body[0])
        return self.conversation_names[key]

    def _assign_edit(self, line: cst.SimpleStatementLine, name: str, converted: ConvertedPrompt, items: list[str]) -> Edit:
        listing = cst.parse_expression(_listing(items))

        def edit(_node: cst.CSTNode) -> cst.CSTNode:
            value = self._filled(listing, converted)
            assign = cst.Assign(targets=[cst.AssignTarget(cst.Name(name))], value=value)
            return line.with_changes(body=[assign])

        return edit

    def _extend_edit(self, line: cst.SimpleStatementLine, name: str, converted: ConvertedPrompt, items: list[str]) -> Edit:
        listing = cst.parse_expression(_listing(items))

        def edit(_node: cst.CSTNode) -> cst.CSTNode:
            value = self._filled(listing, converted)
            augment = cst.AugAssign(target=cst.Name(name), operator=cst.AddAssign(), value=value)
            return line.with_changes(body=[augment])

        return edit

    def _extension_left(self, site: CallSite, arg: cst.Arg, why: str) -> LeftUnchanged:
        return self._left(
            codes.PROMPT_EXTENDED,
            site,
            f"the prompt is extended in place and {why}",
            arg,
            hint='keep a messages list: append {"role": "assistant", ...} and {"role": "user", ...}',
        )


def _listing(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _why(exc: Exception) -> str:
    if isinstance(exc, NotFollowed):
        return exc.reason
    if isinstance(exc, ConversionFailed):
        errors = [d.message for d in exc.diagnostics if d.severity.value == "error"]
        return errors[0] if errors else "the converter refused it"
    return str(exc)
