"""Document summaries, offline: time for a synthetic 20-page directive and for a batch of 100
documents on 2 cores, with the tasks-only pipeline of ee83558 as the baseline in the same run.

    .venv/bin/python -m benchmarks.summaries [--pages 20] [--batch 100] [--repeat 3]

The directive is synthesised from the 10 reference documents of tests/data/summaries: their
bodies (from the first "Chương"/"Điều" line to "Nơi nhận") one after another as chapters, the
articles renumbered through the whole text and the day numbers and figures shifted in each
round, repeated until it reaches `--pages` pages of 500 words. The batch is the reference
documents with the same variations, `--batch` of them, summarised by 2 worker processes that
each load the model once (as a worker does). Rows: the baseline (extract_tasks only), the
summary with the lexical scores only, the summary with the packaged embeddings (e5-fast)
loaded, and the same including the model's load. The load average is printed: the machine is
shared, so the figures are upper bounds.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from pipelines.chunking import chunk_text
from pipelines.minutes.assign import Embedder
from pipelines.summarise import DocumentChunk, DocumentInput, extract_tasks, summarise
from pipelines.summarise.evaluate import Dataset

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "summaries"
WORDS_PER_PAGE = 500
_ROMAN_NUMERALS = "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX"
_ROMAN = _ROMAN_NUMERALS.split()


def _dataset() -> Dataset:
    return Dataset.model_validate_json((DATA / "dataset.json").read_text(encoding="utf-8"))


def _body(text: str) -> list[str]:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(r"(Chương|Điều)\s", line)), 0)
    end = next((i for i, line in enumerate(lines) if line.startswith("Nơi nhận")), len(lines))
    return [line for line in lines[start:end] if not re.match(r"Chương\s", line)]


def _vary(line: str, round_: int) -> str:
    """Shift day numbers and small figures so no round repeats another word for word."""
    if round_ == 0:
        return line

    def day(m: re.Match[str]) -> str:
        return f"{m.group(1)}{(int(m.group(2)) + round_ * 3 - 1) % 28 + 1}"

    line = re.sub(r"(ngày\s+)(\d{1,2})(?!\d)", day, line)
    return re.sub(
        r"(?<![\d/])([1-9])( (?:chi bộ|đảng viên|lần|buổi))",
        lambda m: f"{int(m.group(1)) + round_}{m.group(2)}",
        line,
    )


def directive(pages: int) -> tuple[DocumentInput, int]:
    """The synthetic directive and its word count."""
    header = [
        "ĐẢNG BỘ THÀNH PHỐ HỒNG LAM",
        "ĐẢNG ỦY PHƯỜNG BẾN ĐÒ",
        "Số 09-CT/ĐU",
        "Bến Đò, ngày 10 tháng 9 năm 2025",
        "",
        "CHỈ THỊ",
        "VỀ TĂNG CƯỜNG CÔNG TÁC XÂY DỰNG ĐẢNG TRONG ĐẢNG BỘ PHƯỜNG",
        "",
    ]
    docs = _dataset().documents
    out, words, article, chapter, round_ = list(header), 0, 0, 0, 0
    while words < pages * WORDS_PER_PAGE:
        for doc in docs:
            if words >= pages * WORDS_PER_PAGE:
                break
            out += ["", f"Chương {_ROMAN[chapter % len(_ROMAN)]}", doc.title.upper(), ""]
            chapter += 1
            for line in _body((DATA / doc.file).read_text(encoding="utf-8")):

                def renumber(m: re.Match[str]) -> str:
                    nonlocal article
                    article += 1
                    return f"Điều {article}."

                line = re.sub(r"^Điều\s+\d+\.", renumber, _vary(line, round_))
                out.append(line)
                words += len(line.split())
        round_ += 1
    chunks = [
        DocumentChunk(id=f"c{c.ordinal}", **c.model_dump()) for c in chunk_text("\n".join(out))
    ]
    import datetime as dt

    doc = DocumentInput(
        title="Chỉ thị về tăng cường công tác xây dựng Đảng",
        symbol="09-CT/ĐU",
        issued=dt.date(2025, 9, 10),
        chunks=chunks,
    )
    return doc, words


def batch(n: int) -> list[DocumentInput]:
    """`n` documents: the reference documents, varied in each round."""
    docs = _dataset().documents
    out: list[DocumentInput] = []
    for i in range(n):
        gold = docs[i % len(docs)]
        text = "\n".join(
            _vary(line, i // len(docs))
            for line in (DATA / gold.file).read_text(encoding="utf-8").splitlines()
        )
        chunks = [DocumentChunk(id=f"c{c.ordinal}", **c.model_dump()) for c in chunk_text(text)]
        out.append(
            DocumentInput(title=gold.title, symbol=gold.symbol, issued=gold.issued, chunks=chunks)
        )
    return out


def _median(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


_worker_embedder: Embedder | None = None


def _init(mode: str) -> None:
    global _worker_embedder
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if mode == "e5":
        from pipelines.summarise.reading import packaged_embedder

        _worker_embedder = packaged_embedder()
        _worker_embedder.embed_passages(["khởi động"])


def _work(args: tuple[str, DocumentInput]) -> int:
    mode, doc = args
    if mode == "tasks":
        return len(extract_tasks(doc))
    summary = summarise(doc, _worker_embedder if mode == "e5" else None)
    return len(summary.key_points)


def run_batch(mode: str, docs: list[DocumentInput], workers: int) -> float:
    t = time.perf_counter()
    # spawn, not fork: the parent holds the model's threads, and a forked child can hang on them
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, context, _init, (mode,)) as pool:
        list(pool.map(_work, [(mode, d) for d in docs], chunksize=4))
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) > 2:
        os.sched_setaffinity(0, set(cores[:2]))
    doc, words = directive(args.pages)
    summarise(batch(1)[0])  # underthesea's models loaded once, outside the timings
    rows: list[tuple[str, float, str]] = []
    t_base, tasks = _median(lambda: extract_tasks(doc), args.repeat)
    rows.append(("tasks only (ee83558, baseline)", t_base, f"{len(tasks)} tasks"))
    t_lex, lex = _median(lambda: summarise(doc), args.repeat)
    rows.append(
        ("summary, lexical scores", t_lex, f"{len(lex.key_points)} points, {len(lex.tasks)} tasks")
    )

    from pipelines.summarise.reading import packaged_embedder

    t = time.perf_counter()
    embedder = packaged_embedder()
    embedder.embed_passages(["khởi động"])
    load = time.perf_counter() - t
    t_e5, e5 = _median(lambda: summarise(doc, embedder), args.repeat)
    rows.append(
        ("summary, e5-fast loaded", t_e5, f"{len(e5.key_points)} points, {len(e5.tasks)} tasks")
    )
    rows.append(("summary, e5-fast with model load", t_e5 + load, f"load {load:.2f} s"))

    docs = batch(args.batch)
    batch_rows = [
        (f"{args.batch} docs, tasks only (baseline), 2 processes", run_batch("tasks", docs, 2)),
        (f"{args.batch} docs, summary lexical, 2 processes", run_batch("lexical", docs, 2)),
        (
            f"{args.batch} docs, summary e5-fast, 2 processes (each loads the model)",
            run_batch("e5", docs, 2),
        ),
    ]
    load1, load5, _ = os.getloadavg()
    print(
        f"synthetic directive: {words} words (~{words / WORDS_PER_PAGE:.0f} pages), "
        f"{len(doc.chunks)} chunks; {len(os.sched_getaffinity(0))} cores; "
        f"load average {load1:.1f} (1 min) {load5:.1f} (5 min); target < 3 s"
    )
    print("| run | seconds | per document | result |")
    print("|---|---|---|---|")
    for name, secs, note in rows:
        print(f"| 20-page directive: {name} | {secs:.2f} | - | {note} |")
    for name, secs in batch_rows:
        print(f"| {name} | {secs:.2f} | {secs / args.batch:.3f} | - |")


if __name__ == "__main__":
    main()
