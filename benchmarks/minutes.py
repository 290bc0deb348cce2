"""Minutes drafting on a synthetic 60-minute meeting: about 9,000 words of Vietnamese transcript
in 5 agenda items, 40 members, notes and comments; offline mode, time and memory peak, with
the lexical fallback as the baseline in the same process.

    .venv/bin/python -m benchmarks.minutes [--words 9000] [--repeat 3]

Rows: lexical similarity + MMR (no model); the packaged embeddings (e5-fast) + MMR with the
model already loaded (as in a worker that keeps it); the same including the model's load.
"item accuracy" is the share of transcript sentences assigned to the item they were generated
for. "py peak MB" is tracemalloc's peak of Python allocations during one draft (a separate
run: tracing slows it); "RSS peak MB" is the process's high-water mark after the row. The last
row renders the baseline's draft to PDF (WeasyPrint): its seconds are the render's median, the
first render (fonts loaded) in its name. Runs pinned to 2 cores where the machine has more.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
import tracemalloc
from pathlib import Path
from typing import Any

from benchmarks.minutes_data import meeting
from pipelines.minutes import MinutesInput, draft_minutes
from pipelines.minutes.assign import Embedder
from pipelines.minutes.discussion import assign, collect, unique


def accuracy(data: MinutesInput, truth: list[int], embedder: Embedder | None) -> float:
    candidates = unique(collect(data))
    assign(data, candidates, embedder)
    spoken = [c for c in candidates if c.origin == "transcript"]
    hits = 0
    for c in spoken:
        seg = getattr(c.source, "first_segment", 0)
        hits += data.record.agenda[c.item].id == truth[seg]
    return hits / max(len(spoken), 1)


def rss_peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(
    name: str, data: MinutesInput, truth: list[int], embedder: Any, repeat: int, load: float = 0.0
) -> dict[str, Any]:
    walls, cpus = [], []
    for _ in range(repeat):
        c, t = time.process_time(), time.perf_counter()
        draft = draft_minutes(data, embedder=embedder)
        walls.append(time.perf_counter() - t + load)
        cpus.append(time.process_time() - c)
    tracemalloc.start()
    draft_minutes(data, embedder=embedder)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    kept = sum(
        1
        for s in draft.sections
        if s.key.startswith("item-")
        for x in s.sentences
        if x.part == "discussion"
    )
    return {
        "mode": name,
        "draft s (median)": sorted(walls)[len(walls) // 2],
        "CPU s": sorted(cpus)[len(cpus) // 2],
        "py peak MB": peak / 2**20,
        "RSS peak MB": rss_peak_mb(),
        "item accuracy": accuracy(data, truth, embedder),
        "kept": kept,
    }


def measure_pdf(data: MinutesInput, repeat: int) -> dict[str, Any]:
    from pipelines.minutes.pdf_export import render_pdf

    draft = draft_minutes(data)
    walls, cpus = [], []
    for _ in range(repeat):
        c, t = time.process_time(), time.perf_counter()
        render_pdf(draft)
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    tracemalloc.start()
    render_pdf(draft)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "mode": f"PDF render of the draft (first {walls[0]:.2f} s)",
        "draft s (median)": sorted(walls)[len(walls) // 2],
        "CPU s": sorted(cpus)[len(cpus) // 2],
        "py peak MB": peak / 2**20,
        "RSS peak MB": rss_peak_mb(),
        "item accuracy": "-",
        "kept": "-",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--words", type=int, default=9000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) > 2:
        os.sched_setaffinity(0, set(cores[:2]))
    data, truth = meeting(args.words)
    words = sum(len(s.text.split()) for s in data.transcript)
    rows = [measure("lexical + MMR (baseline)", data, truth, None, args.repeat)]

    from vectorstore.config import EmbeddingSettings
    from vectorstore.embeddings import make_embeddings

    t = time.perf_counter()
    embedder = make_embeddings(EmbeddingSettings())
    embedder.embed_passages(["khởi động"])
    load = time.perf_counter() - t
    rows.append(measure("e5-fast + MMR, model loaded", data, truth, embedder, args.repeat))
    rows.append(measure("e5-fast + MMR, with model load", data, truth, embedder, 1, load))
    rows.append(measure_pdf(data, max(args.repeat, 3)))

    print(
        f"synthetic meeting: {words} words in {len(data.transcript)} transcript segments, "
        f"{len(data.record.agenda)} agenda items, {len(data.record.attendance)} members, "
        f"{len(data.notes)} note lines, {len(data.record.comments)} comments; "
        f"{len(os.sched_getaffinity(0))} cores; model load {load:.2f} s; target < 10 s"
    )
    cols = list(rows[0])
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        cells = [
            r[c]
            if isinstance(r[c], str)
            else (str(r[c]) if isinstance(r[c], int) else f"{r[c]:.2f}")
            for c in cols
        ]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
