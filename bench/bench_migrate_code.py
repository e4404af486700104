"""The codemod on a repository: ``transcript migrate TREE --check`` (issue 11).

A generated tree of ``--files`` (10,000) Python modules of 100 to 300 lines, of which
``--legacy`` (1%) call the Text Completions API (the shapes of samples/codemod/: f-string,
concatenation with a system preamble, a stream loop, the 0.2 client with dict responses,
the async client) and the others are ordinary code: most of it plain, some calling the
Messages API through ``anthropic`` (not legacy), one in 500 calling OpenAI's
``client.chat.completions`` (which the cheap pre-filter lets through to the parser, and
the codemod then leaves alone).

Timed in CPU seconds (user + system, of the process and its children: the cores are shared,
and CPU time is not inflated by other work, as the wall clock is; both are printed), the
median of ``--rounds`` runs each:

(a) ``transcript migrate TREE --check``, the whole command in a subprocess; its output must
    name exactly the legacy files;
(b) the baseline, parsing every file with LibCST (``libcst.parse_module``, in-process):
    measured on ``--baseline-sample`` files spread over the tree (0: all of them; the full
    baseline takes minutes) and scaled to the tree;
(c) just reading the files (``read_bytes`` and decoding, in-process);
(d) in-process, the library's own pass (read, then ``migrate_source``: the pre-filter on
    every file, the codemod on those it lets through), without the process start and the
    discovery of (a), its time split between the files the pre-filter stopped, the others it
    let through, and the legacy files;
(e) from (d): files per second of ``migrate_source`` on the legacy files only (those that
    need rewriting).

The default run (10,000 files, one round) takes about two minutes on 2 shared cores;
``--rounds 3`` gives medians.

    python bench/bench_migrate_code.py
    python bench/bench_migrate_code.py --files 50000 --rounds 5 --baseline-sample 0
    python bench/bench_migrate_code.py --tree /tmp/tree   # keep the tree, to time the command again
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import libcst

from transcript.codemod.migrate import CodeOptions, may_need_migration, migrate_source

TRANSCRIPT = shutil.which("transcript", path=str(Path(sys.executable).parent)) or "transcript"
MODEL_MAP = {"claude-2.1": "claude-sonnet-4-5"}

WORDS = [
    *["order", "invoice", "customer", "account", "report", "user", "item", "price", "total", "cache", "record", "batch", "queue"],
    *["session", "token", "event", "payload", "config", "result", "entry", "value", "index", "window", "buffer", "metric"],
]

# ---------------------------------------------------------------------------- the tree


def _name(rng: random.Random, parts: int = 2) -> str:
    return "_".join(rng.choice(WORDS) for _ in range(parts))


def _class_name(rng: random.Random) -> str:
    return "".join(w.title() for w in rng.sample(WORDS, 2))


def _function(rng: random.Random) -> str:
    name, arg, other = _name(rng), rng.choice(WORDS), rng.choice(WORDS)
    body = rng.choice(
        [
            f"""\
    total = 0
    for {other} in {arg}:
        if {other} is None:
            continue
        total += len(str({other}))
    return total
""",
            f"""\
    result = {{}}
    for key, {other} in sorted({arg}.items()):
        result.setdefault(key[:1], []).append({other})
    return result
""",
            f"""\
    try:
        with open({arg}, encoding='utf-8') as handle:
            lines = handle.read().splitlines()
    except OSError as exc:
        logger.warning('cannot read %s: %s', {arg}, exc)
        return []
    return [line.strip() for line in lines if line and not line.startswith('#')]
""",
            f"""\
    if not {arg}:
        raise ValueError('{name}: empty {arg}')
    {other} = [x * 2 for x in {arg} if isinstance(x, int)]
    return sum({other}) / max(len({other}), 1)
""",
        ]
    )
    return f'def {name}({arg}, {other}_limit: int = {rng.randint(1, 500)}):\n    """{name.replace("_", " ").capitalize()}."""\n{body}\n\n'


def _class(rng: random.Random) -> str:
    cls, field_a, field_b = _class_name(rng), rng.choice(WORDS), rng.choice(WORDS) + "_count"
    methods = "".join(
        f"    def {_name(rng)}(self, {w}):\n        # keep the {w} for later\n"
        f"        self.{field_a}.append({w})\n        self.{field_b} += 1\n        return self.{field_b}\n\n"
        for w in rng.sample(WORDS, rng.randint(2, 5))
    )
    return (
        f'@dataclass\nclass {cls}:\n    """A {cls} and what it holds."""\n\n'
        f"    {field_a}: list = field(default_factory=list)\n    {field_b}: int = 0\n    name: str = '{_name(rng)}'\n\n"
        f"{methods}    def __repr__(self) -> str:\n        return f'{cls}({{self.name!r}}, {{self.{field_b}}})'\n\n\n"
    )


def _table(rng: random.Random) -> str:
    rows = "".join(f"    '{_name(rng)}': ({rng.randint(0, 99)}, '{rng.choice(WORDS)}'),\n" for _ in range(rng.randint(4, 12)))
    return f"{_name(rng).upper()} = {{\n{rows}}}\n\n\n"


def _messages_api(rng: random.Random) -> str:
    """Ordinary code of today: the Messages API (nothing for the codemod)."""
    name = _name(rng)
    return (
        f"def ask_{name}(client: anthropic.Anthropic, question: str) -> str:\n"
        f"    message = client.messages.create(\n        model='claude-sonnet-4-5',\n        max_tokens={rng.randint(100, 2000)},\n"
        f"        system='You answer questions about {rng.choice(WORDS)}s.',\n"
        "        messages=[{'role': 'user', 'content': question}],\n    )\n"
        "    return ''.join(block.text for block in message.content if block.type == 'text')\n\n\n"
    )


def _openai(rng: random.Random) -> str:
    """Another vendor's chat completions: the pre-filter lets it through, the codemod leaves it."""
    return (
        f"def summarise_{_name(rng)}(client, text):\n"
        "    reply = client.chat.completions.create(\n        model='gpt-4o-mini',\n"
        "        messages=[{'role': 'user', 'content': 'Summarise: ' + text}],\n    )\n"
        "    return reply.choices[0].message.content\n\n\n"
    )


LEGACY_IMPORTS = "import anthropic\nfrom anthropic import AI_PROMPT, HUMAN_PROMPT, Anthropic, AsyncAnthropic\n"

LEGACY_SHAPES = [
    # f-string, sync, the response read where it is made
    """\
def legacy_{n}(client: Anthropic, question: str) -> str:
    completion = client.completions.create(
        model='claude-2.1',
        max_tokens_to_sample=300,
        prompt=f'{{HUMAN_PROMPT}} {{question}}{{AI_PROMPT}}',
    )
    return completion.completion.strip()


""",
    # a system preamble by concatenation, a stop list holding HUMAN_PROMPT
    """\
PREAMBLE_{n} = 'You are a support agent for the {w} team.'


def legacy_{n}(client, question):
    prompt = PREAMBLE_{n} + HUMAN_PROMPT + ' ' + question + AI_PROMPT
    response = client.completions.create(model='claude-2.1', max_tokens_to_sample=200,
                                         stop_sequences=[HUMAN_PROMPT, 'END'], prompt=prompt)
    return response.completion


""",
    # a stream loop
    """\
def legacy_{n}(client: Anthropic, topic: str) -> None:
    stream = client.completions.create(
        prompt=f'{{HUMAN_PROMPT}} Write about {{topic}}.{{AI_PROMPT}}',
        max_tokens_to_sample=500,
        model='claude-2.1',
        stream=True,
    )
    for event in stream:
        print(event.completion, end='', flush=True)


""",
    # the 0.2 client: a dict response
    """\
def legacy_{n}(key: str) -> str:
    c = anthropic.Client(key)
    resp = c.completion(
        prompt=f'{{anthropic.HUMAN_PROMPT}} Name a {w}.{{anthropic.AI_PROMPT}}',
        stop_sequences=[anthropic.HUMAN_PROMPT],
        model='claude-2.1',
        max_tokens_to_sample=100,
    )
    return resp['completion']


""",
    # the async client
    """\
async def legacy_{n}(client: AsyncAnthropic, text: str) -> str:
    result = await client.completions.create(
        model='claude-2.1',
        max_tokens_to_sample=150,
        prompt=f'{{HUMAN_PROMPT}} Summarize:\\n\\n{{text}}{{AI_PROMPT}}',
    )
    return result.completion


""",
]

HEADER = "from __future__ import annotations\n\nimport logging\nimport os\nfrom dataclasses import dataclass, field\n"


def make_module(i: int, kind: str) -> str:
    """Module ``i`` of the tree, 100 to 300 lines: ``plain``, ``messages``, ``openai`` or ``legacy``."""
    rng = random.Random(i)
    target = rng.randint(100, 300)
    doc = f'"""The {rng.choice(WORDS)} {rng.choice(WORDS)} module ({i}): helpers for the {rng.choice(WORDS)} service."""\n\n'
    imports = HEADER + ("import anthropic\n" if kind == "messages" else "") + (LEGACY_IMPORTS if kind == "legacy" else "")
    parts = [doc, imports, "\nlogger = logging.getLogger(__name__)\n\n\n"]
    if kind == "legacy":
        parts.append(rng.choice(LEGACY_SHAPES).format(n=i, w=rng.choice(WORDS)))
    elif kind == "messages":
        parts.append(_messages_api(rng))
    elif kind == "openai":
        parts.append(_openai(rng))
    while sum(p.count("\n") for p in parts) < target:
        parts.append(rng.choice([_function, _function, _class, _table])(rng))
    return "".join(parts)


def write_tree(root: Path, files: int, legacy: int) -> list[Path]:
    """The tree (packages of 100 modules); returns the legacy files, spread evenly over it."""
    every = files // legacy if legacy else files + 1
    legacy_files = []
    for i in range(files):
        if i % every == every // 2 and len(legacy_files) < legacy:
            kind = "legacy"
        elif i % 33 == 5:
            kind = "messages"
        elif i % 499 == 11:
            kind = "openai"
        else:
            kind = "plain"
        path = root / f"pkg{i // 100:03d}" / f"mod{i:05d}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make_module(i, kind), encoding="utf-8")
        if kind == "legacy":
            legacy_files.append(path)
    return legacy_files


# ---------------------------------------------------------------------------- the timings


def cpu_seconds() -> float:
    """User and system seconds of this process and of its finished children: unlike the wall
    clock, not inflated when other work shares the cores."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def median_seconds(run: Callable[[], object], rounds: int) -> tuple[float, float, object]:
    """(median CPU seconds, median wall seconds, the last result) of ``rounds`` runs."""
    cpu, wall, result = [], [], None
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        result = run()
        cpu.append(cpu_seconds() - start_cpu)
        wall.append(time.perf_counter() - start)
    return statistics.median(cpu), statistics.median(wall), result


def read_all(paths: list[Path]) -> int:
    return sum(len(p.read_bytes().decode("utf-8")) for p in paths)


def parse_all(paths: list[Path]) -> int:
    return sum(len(libcst.parse_module(p.read_bytes().decode("utf-8")).body) for p in paths)


def migrate_all(paths: list[Path], legacy: set[Path], options: CodeOptions) -> dict[str, float]:
    """One in-process pass (read, ``migrate_source``), its seconds split by file: the legacy
    files, the others the pre-filter let through, the others it stopped; and the counts."""
    seconds = {"legacy": 0.0, "through": 0.0, "stopped": 0.0, "n_through": 0, "n_changed": 0}
    for p in paths:
        start = time.process_time()
        text = p.read_bytes().decode("utf-8")
        changed = migrate_source(text, options).changed
        took = time.process_time() - start
        kind = "legacy" if p in legacy else "through" if may_need_migration(text) else "stopped"
        seconds[kind] += took
        seconds["n_through"] += kind == "through"
        seconds["n_changed"] += changed
    return seconds


def command(root: Path) -> tuple[int, list[str]]:
    proc = subprocess.run(
        [TRANSCRIPT, "migrate", str(root), "--check", "--model-map", "claude-2.1=claude-sonnet-4-5"],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.returncode, [line.removeprefix("would migrate ") for line in proc.stdout.splitlines()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--legacy", type=int, default=None, help="legacy files (default: 1%% of --files)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--baseline-sample", type=int, default=300, help="files LibCST parses for (b); 0: all")
    parser.add_argument("--tree", type=Path, help="write the tree here and keep it (default: a temporary folder)")
    args = parser.parse_args()
    legacy_count = args.legacy if args.legacy is not None else max(1, args.files // 100)
    options = CodeOptions(model_map=MODEL_MAP)

    with tempfile.TemporaryDirectory() as tmp:
        root = args.tree or Path(tmp) / "tree"
        if root.exists():
            raise SystemExit(f"{root} exists: give a new folder")
        legacy = write_tree(root, args.files, legacy_count)
        paths = sorted(root.rglob("*.py"))
        lines = sum(p.read_text(encoding="utf-8").count("\n") for p in paths)
        megabytes = sum(p.stat().st_size for p in paths) / 1e6
        print(
            f"tree: {len(paths):,} files, {lines:,} lines ({lines / len(paths):.0f} a file), {megabytes:.1f} MB; "
            f"{len(legacy)} use the legacy API; median of {args.rounds} rounds"
        )

        n = len(paths)

        def row(label: str, cpu: float, wall: float, note: str = "") -> None:
            print(f"{label:<40} {cpu:8.2f} s cpu {wall:8.2f} s wall {n / cpu:9,.0f} files/s  {note}")

        cpu_a, wall_a, (status, named) = median_seconds(lambda: command(root), args.rounds)
        if status != 1 or sorted(named) != sorted(str(p) for p in legacy):
            raise SystemExit(f"migrate --check named {len(named)} files (exit {status}), expected the {len(legacy)} legacy ones")
        row("(a) transcript migrate TREE --check", cpu_a, wall_a, f"(exit 1, names exactly the {len(named)} legacy files)")

        sample = paths if args.baseline_sample <= 0 else paths[:: max(1, n // args.baseline_sample)]
        cpu_b, wall_b, _ = median_seconds(lambda: parse_all(sample), args.rounds)
        scale = n / len(sample)
        how = "all files" if sample is paths else f"{len(sample)} files measured, scaled to {n:,}"
        row("(b) libcst.parse_module, every file", cpu_b * scale, wall_b * scale, f"({how})")

        cpu_c, wall_c, _ = median_seconds(lambda: read_all(paths), args.rounds)
        row("(c) reading the files", cpu_c, wall_c)

        cpu_d, wall_d, split = median_seconds(lambda: migrate_all(paths, set(legacy), options), args.rounds)
        if split["n_changed"] != len(legacy):
            raise SystemExit(f"migrate_source changed {split['n_changed']} files, expected the {len(legacy)} legacy ones")
        row("(d) in-process: read + migrate_source", cpu_d, wall_d, "of which (cpu):")
        stopped = n - len(legacy) - split["n_through"]
        print(f"      {stopped:6,} files the pre-filter stopped    {split['stopped']:8.2f} s")
        print(
            f"      {split['n_through']:6,} others it let through         {split['through']:8.2f} s  (parsed; nothing to migrate)"
        )
        print(f"      {len(legacy):6,} legacy files                   {split['legacy']:8.2f} s")
        per_file = split["legacy"] / len(legacy)
        print(f"(e) legacy files only: {1 / per_file:.1f} files/s ({1000 * per_file:.0f} ms cpu a file)")

        print("ratios (cpu):")
        print(f"    (a) / (b)  the command against LibCST parsing every file:  {cpu_a / cpu_b / scale:7.3f}")
        print(f"    (a) / (c)  the command against reading the files:          {cpu_a / cpu_c:7.1f}")
        print(f"    (d) / (c)  the in-process pass against reading the files:  {cpu_d / cpu_c:7.1f}")
        print(f"    the files the pre-filter stopped, against reading them:    {split['stopped'] / (cpu_c * stopped / n):7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
