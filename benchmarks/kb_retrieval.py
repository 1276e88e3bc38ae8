"""Retrieval quality and answer latency of kefu's knowledge base on the held-out questions.

    .venv/bin/python benchmarks/kb_retrieval.py [--questions FILE] [--no-write]

Indexes the shipped knowledge base (incrementally, in KEFU_HOME's knowledge.db), then for
each labelled question (benchmarks/data/kb_questions.yml) ranks the sections with BM25
alone, dense alone, hybrid (dense + weighted BM25, kefu's default) and reciprocal rank
fusion, and reports recall@1, recall@5 and MRR (over the top 10) per language, then times
``KnowledgeBase.answer`` (p50/p95) and counts the off-topic questions
(benchmarks/data/kb_offtopic.yml) answered confidently, which should be none. Writes its
section of docs/benchmarks.md unless --no-write.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import machine, today, write_section  # noqa: E402

QUESTIONS = Path(__file__).resolve().parent / "data" / "kb_questions.yml"
OFF_TOPIC = Path(__file__).resolve().parent / "data" / "kb_offtopic.yml"
MODES = ("bm25", "dense", "hybrid", "hybrid-rrf")
DEPTH = 10


def load_questions(path: Path) -> dict[str, list[tuple[str, str]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {lang: [(item["q"], item["a"]) for item in items] for lang, items in data.items()}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--off-topic", type=Path, default=OFF_TOPIC)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from kefu.knowledge import KnowledgeBase

    questions = load_questions(args.questions)
    started = time.perf_counter()
    kb = KnowledgeBase.open(auto_index=False)
    report = kb.index()
    print(f"index: {report.chunks} chunks, {report.embedded} embedded now, "
          f"{report.seconds:.1f} s (open+index {time.perf_counter() - started:.1f} s)")
    known = {c.key for c in kb.chunks}
    rows: list[str] = []
    missing = sorted({a for items in questions.values() for _, a in items} - known)
    if missing:
        raise SystemExit(f"labels name sections that do not exist: {missing}")
    search_ms: list[float] = []
    default = kb.options
    for lang, items in questions.items():
        vectors = kb.encoder.encode_queries([q for q, _ in items])
        for mode in MODES:
            r1 = r5 = rr = 0.0
            kb.options = replace(default, fusion="rrf") if mode == "hybrid-rrf" else default
            for (question, gold), vector in zip(items, vectors, strict=True):
                t = time.perf_counter()
                if mode == "hybrid":  # the whole search, embedding the question included
                    hits = kb.search(question, lang, top_k=DEPTH)
                    search_ms.append(1000 * (time.perf_counter() - t))
                else:
                    hits = kb.search(question, lang, top_k=DEPTH, query_vector=vector,
                                     mode=mode.removesuffix("-rrf"))
                keys = [p.key for p in hits]
                rank = keys.index(gold) + 1 if gold in keys else None
                r1 += rank == 1
                r5 += rank is not None and rank <= 5
                rr += 1 / rank if rank else 0.0
            n = len(items)
            rows.append(f"| {lang} | {mode} | {n} | {r1 / n:.3f} | {r5 / n:.3f} | {rr / n:.3f} |")
            print(rows[-1])
    kb.options = default
    answer_ms: list[float] = []
    confident = 0
    total = 0
    for lang, items in questions.items():
        for question, _ in items:
            t = time.perf_counter()
            answer = kb.answer(question, lang)
            answer_ms.append(1000 * (time.perf_counter() - t))
            confident += answer.confident
            total += 1
    off_topic = yaml.safe_load(args.off_topic.read_text(encoding="utf-8"))
    off_answered = [q for lang, items in off_topic.items() for q in items
                    if kb.answer(q, lang).confident]
    n_off = sum(len(items) for items in off_topic.values())
    print(f"off-topic answered confidently: {len(off_answered)}/{n_off} {off_answered}")
    latency = (f"hybrid search p50 {percentile(search_ms, 0.5):.0f} ms, "
               f"p95 {percentile(search_ms, 0.95):.0f} ms; answer p50 "
               f"{percentile(answer_ms, 0.5):.0f} ms, p95 {percentile(answer_ms, 0.95):.0f} ms "
               f"(mean {statistics.mean(answer_ms):.0f} ms); answered confidently "
               f"{confident}/{total}")
    print(latency)
    load = os.getloadavg()[0]
    body = "\n".join([
        "## Knowledge base retrieval (`benchmarks/kb_retrieval.py`)",
        "",
        f"Command: `.venv/bin/python benchmarks/kb_retrieval.py`; machine: {machine()}; "
        f"date: {today()}.",
        "",
        f"{sum(len(v) for v in questions.values())} held-out questions "
        f"(`benchmarks/data/kb_questions.yml`) over the shipped knowledge base "
        f"({report.chunks} sections in both languages; a hit is the labelled doc#section "
        f"in either language). MRR over the top {DEPTH}. `hybrid` is kefu's default "
        f"(dense score + {default.bm25_weight} x BM25 / the query's best BM25); "
        f"`hybrid-rrf` fuses the two rankings by reciprocal rank (k={default.rrf_k}, BM25 "
        f"weight {default.rrf_bm25_weight}). Dense: the mean of the e5 cosines of the "
        "section, of its best sentence and, counted twice, of its best pair of adjacent "
        f"sentences, mixed ({default.sample_question_weight} weight) with the cosine of the "
        "section's closest sample question (`> Customers ask:`, written without looking at "
        "these questions). Settings chosen on `benchmarks/data/kb_dev.yml`, not on these "
        "questions.",
        "",
        "| lang | retrieval | questions | recall@1 | recall@5 | MRR |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        f"Latency (one process, encoder on CPU; load average {load:.1f} on "
        f"{os.cpu_count()} CPUs at the end, so shared-machine figures run high): {latency}.",
        "",
        f"Off-topic questions (`benchmarks/data/kb_offtopic.yml`: weather, trivia, jokes) "
        f"answered confidently instead of \"I don't know\": {len(off_answered)}/{n_off}"
        + (f" ({'; '.join(off_answered)})." if off_answered else "."),
    ])
    if not args.no_write:
        print(f"wrote {write_section('kb_retrieval', body)}")
    kb.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
