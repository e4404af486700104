"""Benchmark: legacy prompt -> messages on generated prompts of 1 MB, 10 MB and 100 MB.

    python bench/bench_convert.py            # 1 MB (1k turns), 10 MB (10k), 100 MB (100k)
    python bench/bench_convert.py --quick    # 0.1 MB, 1 MB, 10 MB

For each size it times ``transcript.prompt_to_messages`` (grammar, rules, messages and
meta: the whole conversion) and, as the baseline, a plain ``str.split`` of the prompt
on the two markers, which does no checking and builds no messages.  It prints MB/s (of
UTF-8 input), the ratio to the baseline, the growth of time from one size to the next
(10x the input should take at most 11x the time), and the peak memory during the
conversion relative to the input (traced with tracemalloc in a separate run, so the
timings are not slowed by tracing; the input itself is counted).  For information it
also times the way back, messages -> prompt (``render MB/s``).

Targets: linear growth (ratio <= 11 per 10x), >= 20 MB/s on the 100 MB prompt, peak
memory < 4x the input.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from transcript import messages_to_prompt, prompt_to_messages  # noqa: E402

HUMAN = "\n\nHuman:"
ASSISTANT = "\n\nAssistant:"
WORDS = (
    "the model reads a prompt of turns and writes the next one while a careful reader checks every "
    "marker spacing newline and prefill before the migration to messages café naïve résumé"
).split()


def paragraphs(count: int, size: int, seed: int = 7) -> list[str]:
    """Distinct pseudo-text paragraphs of about ``size`` characters, with line breaks."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        words: list[str] = []
        length = 0
        line = 0
        while length < size:
            w = rng.choice(WORDS)
            words.append(w)
            length += len(w) + 1
            line += len(w) + 1
            if line > 70:
                words.append("\n")
                line = 0
        out.append(" ".join(words).replace(" \n ", "\n"))
    return out


def make_prompt(total_bytes: int, turns: int) -> str:
    """A system prompt and ``turns`` turns: alternating Human/Assistant turns with text,
    starting and ending with Human, then the final ``\n\nAssistant:`` (the last turn)."""
    per_turn = max(16, total_bytes // turns - len(ASSISTANT) - 1)
    pool = paragraphs(64, per_turn)
    parts = ["You are a helpful assistant. Answer briefly."]
    text_turns = turns - 1 if turns % 2 == 0 else turns
    for i in range(text_turns):
        marker = HUMAN if i % 2 == 0 else ASSISTANT
        parts.append(marker)
        parts.append(" ")
        parts.append(pool[i % len(pool)])
    parts.append(ASSISTANT)
    return "".join(parts)


def baseline(text: str) -> int:
    """The plain split: cut on the Human marker, then each piece on the Assistant marker."""
    n = 0
    for chunk in text.split(HUMAN):
        n += len(chunk.split(ASSISTANT))
    return n


def best_time(func, arg, repeat: int) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = func(arg)
        elapsed = time.perf_counter() - start
        del result
        best = min(best, elapsed)
    return best


def peak_memory(text: str) -> int:
    """Bytes traced at the peak of one conversion, the input excluded (it exists before)."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    result = prompt_to_messages(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.ok, result.diagnostics[:3]
    del result
    return peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="0.1, 1 and 10 MB instead of 1, 10 and 100 MB")
    parser.add_argument("--repeat", type=int, default=5, help="timing runs per size (best is kept)")
    args = parser.parse_args()
    sizes = [(100_000, 100), (1_000_000, 1_000), (10_000_000, 10_000)]
    if not args.quick:
        sizes = [(1_000_000, 1_000), (10_000_000, 10_000), (100_000_000, 100_000)]

    print(f"python {sys.version.split()[0]}; prompt -> messages with transcript.prompt_to_messages")
    header = (
        f"{'size':>9} {'turns':>7} {'time s':>8} {'MB/s':>7} {'split s':>8} {'x split':>8} {'growth':>7} "
        f"{'peak/input':>10} {'render MB/s':>11}"
    )
    print(header)
    print("-" * len(header))
    previous: float | None = None
    rows = []
    for total, turns in sizes:
        text = make_prompt(total, turns)
        nbytes = len(text.encode("utf-8"))
        check = prompt_to_messages(text)
        if not check.ok or check.diagnostics or len(check.value["messages"]) not in (turns - 1, turns):
            print(f"conversion of the {total} byte prompt failed: {check.diagnostics[:3]}", file=sys.stderr)
            return 1
        messages = check.value
        del check
        repeat = args.repeat if nbytes < 50_000_000 else max(1, args.repeat - 2)
        elapsed = best_time(prompt_to_messages, text, repeat)
        split = best_time(baseline, text, repeat)
        mem_ratio = (sys.getsizeof(text) + peak_memory(text)) / sys.getsizeof(text)
        render = best_time(messages_to_prompt, messages, repeat)
        del messages
        growth = elapsed / previous if previous else None
        previous = elapsed
        mbps = nbytes / elapsed / 1e6
        rows.append((nbytes, elapsed, mbps, growth, mem_ratio))
        print(
            f"{nbytes / 1e6:>7.1f}MB {turns:>7} {elapsed:>8.3f} {mbps:>7.1f} {split:>8.3f} "
            f"{elapsed / split:>8.1f} {('%.2fx' % growth) if growth else '-':>7} {mem_ratio:>9.2f}x "
            f"{nbytes / render / 1e6:>11.1f}"
        )
        del text
        gc.collect()

    last = rows[-1]
    growths = [r[3] for r in rows if r[3] is not None]
    print()
    print(f"growth per 10x input: {', '.join('%.2fx' % g for g in growths)} (target <= 11x)")
    print(f"throughput on the largest prompt: {last[2]:.1f} MB/s (target >= 20 MB/s)")
    print(f"peak memory: {max(r[4] for r in rows):.2f}x the input (target < 4x)")
    ok = all(g <= 11 for g in growths) and last[2] >= 20 and max(r[4] for r in rows) < 4
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
