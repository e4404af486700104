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

import ast
import io
import re
import tokenize

import libcst as cst
from attrs import field, frozen
from libcst.metadata import MetadataWrapper

from transcript.codemod import codes
from transcript.codemod.calls import find_call_sites
from transcript.codemod.context import CodeOptions, LeftUnchanged
from transcript.codemod.edits import Plan, apply_edits
from transcript.codemod.index import index_module
from transcript.codemod.names import NameRewriter
from transcript.codemod.sites import SiteMigrator
from transcript.core.diagnostics import Diagnostic, Location, Severity, diagnostic_tuple, sort_diagnostics

__all__ = ["CodeMigration", "CodeOptions", "may_need_migration", "migrate_source"]


#: What a module must contain to be worth parsing: every site and name the codemod rewrites.
_PREFILTER = re.compile(
    r"completions|\.a?completion(?:_stream)?\b|HUMAN_PROMPT|AI_PROMPT|count_tokens|anthropic_bedrock|max_tokens_to_sample"
)


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


#: Words one of which every module the codemod rewrites holds: looked for with ``in`` (a
#: fast substring search) before the regular expression, which is three times slower.
_WORDS = ("completion", "HUMAN_PROMPT", "AI_PROMPT", "count_tokens", "anthropic_bedrock", "max_tokens_to_sample")


def may_need_migration(text: str) -> bool:
    """The cheap test done before parsing: could ``text`` hold anything the codemod rewrites?"""
    return any(word in text for word in _WORDS) and _PREFILTER.search(text) is not None


def migrate_source(text: str, options: CodeOptions | None = None) -> CodeMigration:
    """Migrate one Python module's source (see the module's documentation)."""
    options = options or CodeOptions()
    if not may_need_migration(text):
        return CodeMigration(text, text)
    refused, compiles = _unparseable(text)
    if refused is not None:
        return CodeMigration(text, text, [refused])
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return CodeMigration(text, text, [_syntax_error(text, exc)])
    except RecursionError:
        return CodeMigration(text, text, [_too_deep("parse")])
    except cst.CSTValidationError as exc:  # what Python compiles but LibCST refuses (some identifiers)
        where = Location(line=1, column=1)
        return CodeMigration(text, text, [codes.SYNTAX_ERROR.diagnostic(f"LibCST cannot read the module: {exc}", where)])
    try:
        index = index_module(module)
        if not index.has_candidates:
            return CodeMigration(text, text)
        migrator = _Migrator(MetadataWrapper(module, unsafe_skip_copy=True), index, options)
        result = migrator.run()
    except RecursionError:
        return CodeMigration(text, text, [_too_deep("migrate")])
    migrated = result.code
    if compiles and migrated != text and _unparseable(migrated)[1] is False:
        # a safety net: never hand back code the running Python cannot compile
        fault = codes.CALL_LEFT.diagnostic(
            "internal fault: the migrated module would not compile, so nothing was changed (please report this)",
            Location(line=1, column=1),
        )
        return CodeMigration(text, text, [fault])
    return CodeMigration(text, migrated, sort_diagnostics(migrator.diagnostics))


#: Python's own limit of nested brackets; LibCST's native parser overflows its stack (and
#: the process dies) on much deeper ones, so they are refused before it sees them.
_MAX_BRACKETS = 200


def _too_deep(what: str) -> Diagnostic:
    return codes.SYNTAX_ERROR.diagnostic(f"the module is nested too deeply to {what}", Location(line=1, column=1))


def _unparseable(text: str) -> tuple[Diagnostic | None, bool]:
    """U011 for a module Python itself cannot compile for nesting (LibCST would crash or crawl
    on it), and whether the running Python compiles the module.  A plain syntax error is left
    for LibCST to judge: it reads newer syntax than the running Python."""
    try:
        compile(text, "<module>", "exec", dont_inherit=True, flags=ast.PyCF_ONLY_AST)
    except (RecursionError, MemoryError):
        return _too_deep("compile (Python itself refuses it)"), False
    except SyntaxError as error:
        nested = "nested" in (error.msg or "")
        if nested or _bracket_depth(text) > _MAX_BRACKETS:
            found = codes.SYNTAX_ERROR.diagnostic(
                f"not valid Python: {error.msg}" if nested else "not valid Python: brackets are nested too deeply",
                Location(line=error.lineno, column=error.offset),
            )
            return found, False
        return None, False
    except ValueError:  # a NUL byte
        return codes.SYNTAX_ERROR.diagnostic("not valid Python: the source holds a NUL byte", Location(line=1, column=1)), False
    return None, True


def _bracket_depth(text: str) -> int:
    """The deepest nesting of brackets outside strings and comments (read with the tokenizer)."""
    depth = deepest = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
                deepest = max(deepest, depth)
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
    except (tokenize.TokenError, SyntaxError, RecursionError, MemoryError):
        pass
    return deepest


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


class _Migrator(SiteMigrator, NameRewriter):
    """The migration of one module: every site, then the names and imports."""

    def run(self) -> cst.Module:
        sites = find_call_sites(self.symbols)
        counts = [s for s in sites if s.kind == "count_tokens"]
        for site in sites:
            if site.kind == "count_tokens":
                continue
            plan = Plan()
            try:
                notes = self._site(site, plan)
            except LeftUnchanged as left:
                self.diagnostics.extend(left.diagnostics)
                continue
            self.diagnostics.extend([*notes, *self.plan.merge(plan)])
        for site in counts:
            plan = Plan()
            try:
                notes = self._count_tokens(site, plan)
            except LeftUnchanged as left:
                self.diagnostics.extend(left.diagnostics)
                continue
            self.diagnostics.extend([*notes, *self.plan.merge(plan)])
        self._constants()
        self._imports()
        return apply_edits(self.module, self.plan.edits, watched=self.watched, updated=self.updated)
