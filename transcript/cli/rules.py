"""``transcript rules`` and ``transcript rule CODE``: the rule catalogue, from the registry."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

from transcript.cli.app import app
from transcript.core.registry import Rule, matches
from transcript.lint.families import load_all
from transcript.lint.kinds import KIND_RUNNERS, KINDS

__all__ = ["catalogue_markdown", "explain_rule", "list_rules", "rule_markdown"]


def _rules(selectors: list[str] | None, runner: str | None, kind: str | None = None) -> list[Rule]:
    registry = load_all()
    runners = KIND_RUNNERS[kind] if kind is not None else None
    return [
        r
        for r in registry
        if (not selectors or matches(r.code, selectors))
        and (runner is None or r.runner == runner)
        and (runners is None or r.runner in runners)
    ]


def _check_kind(value: Optional[str]) -> Optional[str]:  # noqa: UP007
    if value is not None and value not in KINDS:
        raise typer.BadParameter(f"unknown kind {value!r} (choose from {', '.join(sorted(KINDS))}; see 'transcript kinds')")
    return value


def _check_runner(value: Optional[str]) -> Optional[str]:  # noqa: UP007
    runners = sorted({r.runner for r in load_all()})
    if value is not None and value not in runners:
        raise typer.BadParameter(f"unknown runner {value!r} (choose from {', '.join(runners)})")
    return value


def rule_markdown(r: Rule) -> str:
    """One rule as a Markdown section (used by ``transcript rule`` and the generated docs)."""
    fence = "````" if "```" in r.bad + r.good else "```"
    return "\n".join(
        [
            f"## {r.code} `{r.name}`",
            "",
            f"*{r.severity.value}* · runner `{r.runner}`" + (f" · fix ({r.fix.applicability}): {r.fix.summary}" if r.fix else ""),
            "",
            r.summary,
            "",
            r.explanation,
            "",
            "Bad:",
            "",
            f"{fence}{_lang(r.runner)}",
            _shown(r.bad),
            fence,
            "",
            "Good:",
            "",
            f"{fence}{_lang(r.runner)}",
            _shown(r.good),
            fence,
            "",
        ]
    )


def _shown(example: str) -> str:
    """An example as text a reader can see: carriage returns and other controls spelled out."""
    if len(example) > 2000:
        example = example[:2000] + "…"
    return "".join(ch if ch in "\n\t" or ord(ch) >= 0x20 else f"\\x{ord(ch):02x}".replace("\\x0d", "\\r") for ch in example)


def _lang(runner: str) -> str:
    json_runners = {"request", "response", "json", "jsonl", "schema-request", "schema-message", "prompt-render", "legacy"}
    return "json" if runner in json_runners else "text"


def catalogue_markdown() -> str:
    """The whole rule catalogue as Markdown: docs/rules.md is generated from this."""
    registry = load_all()
    head = [
        "# Rules",
        "",
        "Generated from the rule registry by `transcript rules --format markdown`; do not edit by hand.",
        "",
        "Rules marked *safe* in the fix column are repaired by `transcript lint --fix`, *unsafe* ones by",
        "`--fix --unsafe-fixes` (they change what is sent).",
        "",
        "| code | name | severity | fix | summary |",
        "|---|---|---|---|---|",
    ]
    head += [
        f"| [{r.code}](#{r.code.lower()}-{r.name}) | `{r.name}` | {r.severity.value} | {r.fix.applicability if r.fix else ''} | {r.summary} |"
        for r in registry
    ]
    return "\n".join(head) + "\n\n" + "\n".join(rule_markdown(r) for r in registry)


@app.command("rules")
def list_rules(
    select: Annotated[
        Optional[list[str]],  # noqa: UP007
        typer.Argument(help="Codes or prefixes to list (default: all)."),
    ] = None,
    runner: Annotated[
        Optional[str],  # noqa: UP007
        typer.Option("--runner", callback=_check_runner, help="Only rules whose examples this runner reads (request, prompt, stream...)."),
    ] = None,
    kind: Annotated[
        Optional[str],  # noqa: UP007
        typer.Option("--kind", "-k", callback=_check_kind, help="Only rules that lint can report for this kind of input (the names of 'transcript kinds')."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", "--output-format", help="text, json or markdown.")] = "text",
) -> None:
    """List the rules: code, name, default severity and summary.

    \b
    Examples:
      transcript rules
      transcript rules P M --format json
      transcript rules --kind bedrock-request
      transcript rules --format markdown > docs/rules.md
    """
    if fmt not in ("text", "json", "markdown"):
        raise typer.BadParameter(f"unknown format {fmt!r} (choose from text, json, markdown)", param_hint="--format")
    chosen = _rules(select, runner, kind)
    if fmt == "json":
        typer.echo(
            json.dumps(
                [
                    {
                        "code": r.code,
                        "name": r.name,
                        "severity": r.severity.value,
                        "runner": r.runner,
                        "summary": r.summary,
                        "url": r.url,
                        "fix": {"applicability": r.fix.applicability, "summary": r.fix.summary} if r.fix else None,
                        "explanation": r.explanation,
                        "bad": r.bad,
                        "good": r.good,
                    }
                    for r in chosen
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    elif fmt == "markdown":
        typer.echo(catalogue_markdown(), nl=False)
    else:
        for r in chosen:
            fixable = f" [fix: {r.fix.applicability}]" if r.fix else ""
            typer.echo(f"{r.code}  {r.name:<36} {r.severity.value:<8} {r.summary}{fixable}")


@app.command("rule")
def explain_rule(
    code: Annotated[str, typer.Argument(help="A rule code (P001) or name (no-human-turn).")],
) -> None:
    """Explain one rule, with a bad and a good example.

    \b
    Example:
      transcript rule X004
    """
    found = load_all().get(code)
    if found is None:
        raise typer.BadParameter(f"no rule {code!r} (see 'transcript rules')", param_hint="CODE")
    typer.echo(rule_markdown(found), nl=False)
