"""Chinese e-commerce NER (Taobao titles): kefu's EntityExtractor vs a character CRF.

    .venv/bin/python benchmarks/ner_zh.py [--limit-test N] [--crf-iterations N] [--no-crf]
        [--no-write]

Gold types: ``HCCX`` product type, ``HPPX`` brand (also ``XH`` model, ``MISC``). kefu
extracts ``product`` (its span may hold brand + product, "小米手环") and has no brand type,
so three views are reported: exact span (seqeval-style) of kefu ``product`` against
``HCCX``; overlap (a kefu product span that overlaps a gold span counts, each gold span
matched once); and for brands, the share of gold brand spans inside some kefu product span.
The CRF (sklearn-crfsuite, character n-gram features, trained on train.txt) gives exact
F1 per original type. Writes the section ``ner-zh`` of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nlu_common import DATA_ROOT, load_average, measure_latency  # noqa: E402
from _report import machine, today, write_section  # noqa: E402

Span = tuple[str, int, int]  # type, start, end (exclusive)
Sentence = tuple[str, list[str]]  # text, BIO tags


def read_bio(path: Path) -> list[Sentence]:
    out: list[Sentence] = []
    chars: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            if chars:
                out.append(("".join(chars), tags))
                chars, tags = [], []
            continue
        char, _, tag = line.rpartition(" ")
        chars.append(char[:1] or " ")
        tags.append(tag)
    if chars:
        out.append(("".join(chars), tags))
    return out


def spans(tags: list[str]) -> set[Span]:
    found: set[Span] = set()
    kind, start = None, 0
    for i, tag in enumerate([*tags, "O"]):
        if kind is not None and not tag.startswith("I-" + kind):
            found.add((kind, start, i))
            kind = None
        if tag.startswith("B-") or (tag.startswith("I-") and kind is None):
            kind, start = tag[2:], i
    return found


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "gold": n_gold,
            "predicted": n_pred}


def exact(gold: list[set[Span]], pred: list[set[Span]], kind: str) -> dict[str, float]:
    g = [{s for s in x if s[0] == kind} for x in gold]
    p = [{s for s in x if s[0] == kind} for x in pred]
    tp = sum(len(a & b) for a, b in zip(g, p, strict=True))
    return prf(tp, sum(map(len, p)), sum(map(len, g)))


def overlap(gold: list[set[Span]], pred: list[set[Span]], gold_kinds: set[str]) -> dict:
    """A predicted span is right when it overlaps a not yet matched gold span."""
    tp = n_pred = n_gold = 0
    for g_set, p_set in zip(gold, pred, strict=True):
        g_list = sorted(s for s in g_set if s[0] in gold_kinds)
        used: set[int] = set()
        n_gold += len(g_list)
        for _, ps, pe in sorted(p_set):
            n_pred += 1
            hit = next((j for j, (_, gs, ge) in enumerate(g_list)
                        if j not in used and ps < ge and gs < pe), None)
            if hit is not None:
                used.add(hit)
                tp += 1
    return prf(tp, n_pred, n_gold)


def run_kefu(test: list[Sentence]) -> dict:
    from kefu.nlu.entities import EntityExtractor

    extractor = EntityExtractor()
    started = time.perf_counter()
    predicted = [{("product", e.start, e.end) for e in extractor.extract(text, "zh")
                  if e.type == "product"} for text, _ in test]
    seconds = time.perf_counter() - started
    gold = [spans(tags) for _, tags in test]
    as_hccx = [{("HCCX", s, e) for _, s, e in p} for p in predicted]
    brands = [(s, e) for g in gold for k, s, e in g if k == "HPPX"]
    inside = sum(any(ps <= s and e <= pe for _, ps, pe in p)
                 for g, p in zip(gold, predicted, strict=True)
                 for k, s, e in g if k == "HPPX")
    texts = [t for t, _ in test[:200]]
    return {
        "product_exact_vs_HCCX": exact(gold, as_hccx, "HCCX"),
        "product_overlap_vs_HCCX": overlap(gold, predicted, {"HCCX"}),
        "product_overlap_vs_HCCX_or_HPPX": overlap(gold, predicted, {"HCCX", "HPPX"}),
        "brand_inside_product_share": round(inside / len(brands), 4) if brands else 0.0,
        "brands": len(brands),
        "seconds": round(seconds, 1),
        "latency": measure_latency(lambda t: extractor.extract(t, "zh"), texts).to_dict(),
    }


def features(text: str, i: int) -> dict[str, object]:
    def at(j: int) -> str:
        return text[j] if 0 <= j < len(text) else ("<s>" if j < 0 else "</s>")

    c = at(i)
    return {"bias": 1.0, "c": c, "c-1": at(i - 1), "c+1": at(i + 1), "c-2": at(i - 2),
            "c+2": at(i + 2), "c-1c": at(i - 1) + c, "cc+1": c + at(i + 1),
            "c-2c-1": at(i - 2) + at(i - 1), "c+1c+2": at(i + 1) + at(i + 2),
            "c-1cc+1": at(i - 1) + c + at(i + 1), "digit": c.isdigit(),
            "latin": c.isascii() and c.isalpha()}


def run_crf(train: list[Sentence], test: list[Sentence], iterations: int) -> dict:
    import sklearn_crfsuite

    started = time.perf_counter()
    crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=0.05, c2=0.05, max_iterations=iterations,
                               all_possible_transitions=True)
    crf.fit([[features(t, i) for i in range(len(t))] for t, _ in train],
            [tags for _, tags in train])
    seconds = time.perf_counter() - started
    predicted = crf.predict([[features(t, i) for i in range(len(t))] for t, _ in test])
    gold = [spans(tags) for _, tags in test]
    pred = [spans(list(tags)) for tags in predicted]
    result: dict = {kind: exact(gold, pred, kind) for kind in ("HCCX", "HPPX", "XH", "MISC")}
    tp = sum(len(a & b) for a, b in zip(gold, pred, strict=True))
    result["micro"] = prf(tp, sum(map(len, pred)), sum(map(len, gold)))
    result["train_seconds"] = round(seconds, 1)
    result["iterations"] = iterations
    return result


def row(name: str, m: dict) -> str:
    return (f"| {name} | {100 * m['precision']:.1f} | {100 * m['recall']:.1f} | "
            f"{100 * m['f1']:.1f} | {m['gold']} | {m['predicted']} |")


def render(r: dict) -> str:
    k = r["kefu"]
    lines = ["## Chinese e-commerce NER (ecommerce_ner_zh, Taobao titles)", "",
             f"- Command: `{r['command']}`", f"- Date: {r['date']}; machine: {r['machine']}; "
             f"load average {r['load']} (shared machine)",
             f"- Test: {r['test_sentences']} sentences. No published leaderboard for this split "
             "(see the data README).", "",
             "kefu's `EntityExtractor` (rules + LAC, no training on this set) has a `product` "
             "type and no brand type; its product span follows kefu's convention (modifiers "
             "and brand included: 小米手环), which differs from this set's split into brand "
             "(HPPX) + product type (HCCX).", "",
             "| system / view | P % | R % | F1 % | gold | predicted |",
             "| --- | --- | --- | --- | --- | --- |",
             row("kefu product vs HCCX, exact span", k["product_exact_vs_HCCX"]),
             row("kefu product vs HCCX, overlap", k["product_overlap_vs_HCCX"]),
             row("kefu product vs HCCX or HPPX, overlap", k["product_overlap_vs_HCCX_or_HPPX"])]
    crf = r.get("crf")
    if crf:
        for kind, label in (("HCCX", "product type"), ("HPPX", "brand"), ("XH", "model"),
                            ("MISC", "misc"), ("micro", "all types, micro")):
            lines.append(row(f"CRF baseline, {label} ({kind}), exact span", crf[kind]))
    lines += ["", f"Brands: kefu extracts no brand type (brand F1 0); "
              f"{100 * k['brand_inside_product_share']:.1f}% of the {k['brands']} gold brand "
              "spans lie inside a kefu product span.",
              f"kefu extraction latency per title: p50 {k['latency']['p50_ms']} ms, p95 "
              f"{k['latency']['p95_ms']} ms ({k['latency']['n']} titles, after warm-up)."]
    if crf:
        lines.append(f"CRF: sklearn-crfsuite, character 1-3-gram window features, "
                     f"{crf['iterations']} L-BFGS iterations on train.txt, trained in "
                     f"{crf['train_seconds']} s.")
    else:
        lines.append("CRF baseline: not run in this invocation.")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit-test", type=int, default=None)
    parser.add_argument("--crf-iterations", type=int, default=100)
    parser.add_argument("--no-crf", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    root = DATA_ROOT / "ecommerce_ner_zh"
    if not root.is_dir():
        raise SystemExit(f"{root} is missing; set KEFU_BENCH_DATA")
    test = read_bio(root / "test.txt")[:args.limit_test]
    result: dict = {"command": "python " + " ".join([Path(sys.argv[0]).as_posix()]
                                                    + sys.argv[1:]),
                    "date": today(), "machine": machine(), "load": load_average(),
                    "test_sentences": len(test)}
    result["kefu"] = run_kefu(test)
    print("kefu", result["kefu"], flush=True)
    if not args.no_crf:
        result["crf"] = run_crf(read_bio(root / "train.txt"), test, args.crf_iterations)
        print("crf", result["crf"], flush=True)
    text = render(result)
    print(text)
    if not args.no_write:
        write_section("ner-zh", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
