"""Properties of the codemod over generated legacy programs and arbitrary text.

The programs are built from the styles the codemod reads (clients, prompt expressions,
response reads, streams, stop lists); for each: migrating twice gives what migrating once
gives, the result is Python 3.10, and a program migrated without errors no longer names
anything anthropic 1.0 removed.  On any text at all, the codemod returns a result (it
never raises).
"""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.codemod.migrate import CodeOptions, migrate_source

OPTIONS = CodeOptions(model_map={"claude-2.1": "claude-sonnet-4-5"})

QUESTION = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    lambda s: s.strip() == s and "Human" not in s and "Assistant" not in s
)

PROMPTS = [
    'f"{HUMAN_PROMPT} {q}{AI_PROMPT}"',
    'HUMAN_PROMPT + " " + q + AI_PROMPT',
    '"\\n\\nHuman: {}\\n\\nAssistant:".format(q)',
    '"\\n\\nHuman: %s\\n\\nAssistant:" % q',
    'f"Be brief.{HUMAN_PROMPT} {q}{AI_PROMPT} Sure:"',
    'f"{anthropic.HUMAN_PROMPT} {q}{anthropic.AI_PROMPT}"',
]
READS = ["return r.completion", "print(r.completion, r.stop_reason)", "return r.completion.strip()"]


@st.composite
def programs(draw: st.DrawFn) -> str:
    asynchronous = draw(st.booleans())
    prompt = draw(st.sampled_from(PROMPTS))
    literal = draw(QUESTION)
    named = draw(st.booleans())
    stream = draw(st.booleans())
    stops = draw(st.sampled_from(["", ", stop_sequences=[HUMAN_PROMPT]", ', stop_sequences=[HUMAN_PROMPT, "END"]']))
    client = "AsyncAnthropic" if asynchronous else "Anthropic"
    lines = [
        "import anthropic",
        "from anthropic import AI_PROMPT, HUMAN_PROMPT, " + client,
        "",
        f"client = {client}()",
        "",
        "",
        f"{'async ' if asynchronous else ''}def ask(q: str):",
        f"    q = q + {literal!r}",
    ]
    argument = prompt
    if named:
        lines.append(f"    prompt = {prompt}")
        argument = "prompt"
    call = f'client.completions.create(model="claude-2.1", max_tokens_to_sample=64, prompt={argument}{stops}'
    awaited = "await " if asynchronous else ""
    if stream:
        loop = "async for" if asynchronous else "for"
        lines.append(f"    {loop} event in {awaited}{call}, stream=True):")
        lines.append('        print(event.completion, end="")')
    else:
        lines.append(f"    r = {awaited}{call})")
        lines.append("    " + draw(st.sampled_from(READS)))
    return "\n".join(lines) + "\n"


@settings(max_examples=60)
@given(programs())
def test_migrating_twice_is_migrating_once(source: str) -> None:
    once = migrate_source(source, OPTIONS)
    twice = migrate_source(once.source, OPTIONS)
    assert twice.source == once.source
    assert once.changed


@settings(max_examples=60)
@given(programs())
def test_a_migrated_program_is_python_3_10_and_names_nothing_removed(source: str) -> None:
    migration = migrate_source(source, OPTIONS)
    ast.parse(migration.source, feature_version=(3, 10))
    if migration.ok:
        for removed in ("HUMAN_PROMPT", "AI_PROMPT", ".completions.", "max_tokens_to_sample", ".completion"):
            assert removed not in migration.source, (removed, migration.source)


@given(st.text(max_size=300), st.sampled_from(["", "completions", "HUMAN_PROMPT", "anthropic_bedrock", ".completion("]))
def test_the_codemod_never_raises_on_any_text(text: str, keyword: str) -> None:
    migration = migrate_source(keyword + text)
    assert isinstance(migration.source, str)


@given(st.lists(st.sampled_from(["(", ")", "[", "]", "x", ",", "HUMAN_PROMPT", "f'{", "}'", "\n", " ", ":", "=", "+"]), max_size=60))
def test_the_codemod_never_raises_on_token_soup(tokens: list[str]) -> None:
    migrate_source("from anthropic import HUMAN_PROMPT\n" + "".join(tokens))
