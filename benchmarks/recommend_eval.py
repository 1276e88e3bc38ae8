"""Leave-last-purchase-out evaluation of kefu's recommender on tau-bench and the demo shop.

    .venv/bin/python benchmarks/recommend_eval.py [--taubench DIR] [--no-write]

For each customer with at least two (non-cancelled) orders, the products of their last
order (by ``seq``, then ``placed_at``) are held out; every signal is fitted on the
remaining orders of all customers; each recommender then ranks 10 products for the
customer from their remaining history (no query, no constraints, availability ignored so a
held-out item that sold out still counts). HR@10 is the share of customers with a held-out
product in the 10; NDCG@10 uses binary relevance. Also: fit time, and recommend() latency
p50/p95 for the hybrid, without and with a text query (the query's e5 encoding included).
Writes its section of docs/benchmarks.md unless --no-write.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import machine, today, write_section  # noqa: E402

TAUBENCH = Path("/work/shared/data/taubench_retail/tau1")
DEPTH = 10
RANDOM_SEEDS = (0, 1, 2, 3, 4)
QUERIES = ("wireless earbuds", "机械键盘", "a water bottle for hiking", "保温杯",
           "running shoes", "适合跑步的鞋", "a gift for a child", "咖啡机", "office chair",
           "蓝牙音箱")


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def split(purchases: Mapping[str, Sequence[Any]]) -> tuple[dict[str, list[Any]],
                                                            dict[str, set[str]]]:
    """(training lines of every customer, held-out products of each test customer)."""
    train: dict[str, list[Any]] = {}
    held: dict[str, set[str]] = {}
    for customer, lines in purchases.items():
        orders = list(dict.fromkeys(line.order_id for line in lines))
        if len(orders) >= 2:
            last = orders[-1]
            held[customer] = {line.product_id for line in lines if line.order_id == last}
            train[customer] = [line for line in lines if line.order_id != last]
        else:
            train[customer] = list(lines)
    return train, held


def evaluate(recommender: Any, train: Mapping[str, list[Any]], held: Mapping[str, set[str]],
             *, timings: list[float] | None = None) -> tuple[float, float]:
    from kefu.recommend import Need

    need = Need(available_only=False)
    hits, gains = 0, 0.0
    for customer, wanted in held.items():
        started = time.perf_counter()
        ranked = recommender.recommend(need, customer, k=DEPTH, history=train[customer])
        if timings is not None:
            timings.append(time.perf_counter() - started)
        ids = [r.product_id for r in ranked]
        hits += any(p in wanted for p in ids)
        dcg = sum(1 / math.log2(i + 2) for i, p in enumerate(ids) if p in wanted)
        ideal = sum(1 / math.log2(i + 2) for i in range(min(len(wanted), DEPTH)))
        gains += dcg / ideal
    return hits / len(held), gains / len(held)


def planted_taste(products: Sequence[Any], *, customers: int = 300, seed: int = 11
                  ) -> dict[str, list[Any]]:
    """Synthetic histories over a real catalog with a planted taste: each customer has two
    favourite categories and buys there 80% of the time (a sanity check that the signals
    find structure when there is some; tau-bench's histories are random draws, the demo
    shop's follow its customers' tastes, see kefu.store.demo.tastes)."""
    import random
    from datetime import UTC, datetime, timedelta

    from kefu.recommend.catalog import PurchaseLine

    rng = random.Random(seed)
    by_category: dict[str, list[Any]] = {}
    for product in products:
        by_category.setdefault(product.category_id or "", []).append(product)
    categories = sorted(by_category)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    result: dict[str, list[Any]] = {}
    for number in range(customers):
        liked = rng.sample(categories, 2)
        lines = []
        for seq in range(rng.randint(2, 6)):
            for _ in range(rng.choice((1, 1, 2, 3))):
                pool = by_category[rng.choice(liked)] if rng.random() < 0.8 else products
                product = rng.choice(pool)
                variant = rng.choice(product.variants)
                lines.append(PurchaseLine(
                    order_id=f"#S{number:04d}{seq}", seq=seq,
                    placed_at=start + timedelta(days=seq), status="delivered",
                    product_id=product.product_id, item_id=variant.item_id,
                    price=variant.price, options=dict(variant.options)))
        result[f"synthetic_{number:04d}"] = lines
    return result


def run_store(name: str, store: Any, encoder: Any, cache_dir: Path, *,
              planted: bool = False) -> dict[str, Any]:
    from kefu.recommend import Need, Recommender
    from kefu.recommend.catalog import catalog_fingerprint, load_catalog, load_purchases
    from kefu.recommend.content import ContentIndex

    load = os.getloadavg()[0]
    products = load_catalog(store)
    purchases = planted_taste(products) if planted else load_purchases(store)
    train, held = split(purchases)
    started, cpu = time.perf_counter(), time.process_time()
    ContentIndex.build([p.text() for p in products], encoder,
                       fingerprint=catalog_fingerprint(products), cache_dir=cache_dir)
    embed_seconds, embed_cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    cached = ContentIndex.build([p.text() for p in products], encoder,
                                fingerprint=catalog_fingerprint(products), cache_dir=cache_dir)
    cached_seconds = time.perf_counter() - started
    modes = ["hybrid", "content", "co_purchase", "popularity", "random"]
    try:
        import implicit  # noqa: F401

        modes.insert(3, "als")
    except ImportError:
        print("implicit is not installed: no ALS row")
    results: dict[str, tuple[float, float, float]] = {}
    timings: list[float] = []
    for mode in modes:
        seeds = RANDOM_SEEDS if mode == "random" else (0,)
        scores = []
        fit = 0.0
        for seed in seeds:
            started = time.perf_counter()
            recommender = Recommender(mode=mode, seed=seed).fit_from(products, train, cached)
            fit = time.perf_counter() - started
            scores.append(evaluate(recommender, train, held,
                                   timings=timings if mode == "hybrid" else None))
        results[mode] = (statistics.mean(s[0] for s in scores),
                         statistics.mean(s[1] for s in scores), fit)
        print(f"{name} {mode:12s} HR@10 {results[mode][0]:.3f} NDCG@10 {results[mode][1]:.3f}"
              f" fit {fit:.2f} s")
    hybrid = Recommender(mode="hybrid").fit_from(products, train, cached)
    customers = list(held)
    query_times, query_cpu = [], []
    for i, query in enumerate(QUERIES * 2):
        hybrid._query_cache.clear()  # each call encodes its query
        started, cpu = time.perf_counter(), time.process_time()
        hybrid.recommend(Need(query=query), customers[i % len(customers)], k=3)
        query_times.append(time.perf_counter() - started)
        query_cpu.append(time.process_time() - cpu)
    repeats = sum(len(held[c] & {line.product_id for line in train[c]}) > 0 for c in held)
    return {
        "name": name, "load": load, "products": len(products), "customers": len(purchases),
        "test": len(held), "results": results, "embed": embed_seconds, "embed_cpu": embed_cpu,
        "cached": cached_seconds, "timings": timings, "query_times": query_times,
        "query_cpu": query_cpu,
        "repeat_share": repeats / len(held),
    }


def section(reports: list[dict[str, Any]]) -> str:
    lines = [
        "## Recommendations (leave-last-purchase-out)",
        "",
        f"Command: `.venv/bin/python benchmarks/recommend_eval.py`; machine: {machine()}; "
        f"date: {today()}. Load average during the run (other jobs share the machine): "
        f"{reports[0]['load']:.1f} at the start, {os.getloadavg()[0]:.1f} at the end.",
        "",
        "For each customer with ≥ 2 non-cancelled orders the last order's products are held "
        "out; all signals are fitted on the other orders; 10 products are ranked from the "
        "customer's remaining history (no query, no constraints). Random is the mean of "
        f"{len(RANDOM_SEEDS)} seeds. The demo shop's customers buy to stable tastes "
        "(favourite categories, brands, price band, sizes; repeat and complementary "
        "purchases: kefu.store.demo.tastes); tau-bench's histories are random draws over "
        "50 products. The last store is a sanity check, not a benchmark: the demo catalog "
        "with synthetic histories in which each customer buys from two favourite "
        "categories 80% of the time.",
        "",
        "| store | products | test customers | recommender | HR@10 (± 95% CI) | NDCG@10 | "
        "fit (s) |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    for report in reports:
        for mode, (hr, ndcg, fit) in report["results"].items():
            ci = 1.96 * math.sqrt(hr * (1 - hr) / report["test"])
            lines.append(f"| {report['name']} | {report['products']} | {report['test']} | "
                         f"{mode} | {hr:.3f} ± {ci:.3f} | {ndcg:.3f} | {fit:.2f} |")
    lines += ["", "Hybrid / popularity HR@10: " + "; ".join(
        f"{r['name']} {r['results']['hybrid'][0] / r['results']['popularity'][0]:.2f}×"
        for r in reports) + "."]
    lines += ["", "| store | embed catalog (s; CPU s) | cached embeddings (s) | "
              "recommend p50 / p95 (ms) | with a text query p50 / p95 (ms) | "
              "CPU time with a query p50 / p95 (ms, all threads) | "
              "held-out product already bought |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for r in reports:
        t, q, c = r["timings"], r["query_times"], r["query_cpu"]
        lines.append(
            f"| {r['name']} | {r['embed']:.1f}; {r['embed_cpu']:.1f} | {r['cached']:.2f} | "
            f"{percentile(t, .5) * 1000:.1f} / {percentile(t, .95) * 1000:.1f} | "
            f"{percentile(q, .5) * 1000:.1f} / {percentile(q, .95) * 1000:.1f} | "
            f"{percentile(c, .5) * 1000:.1f} / {percentile(c, .95) * 1000:.1f} | "
            f"{r['repeat_share']:.0%} |")
    from kefu.settings import get_settings

    lines += ["", "The text query is embedded by multilingual-e5-small as `load_encoder` gives it "
              f"(`nlu_backend` = `{get_settings().nlu_backend}`: ONNX Runtime fp32 unless "
              "`torch`); target p95 ≤ 30 ms."]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taubench", type=Path, default=TAUBENCH)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from kefu.knowledge.base import load_encoder
    from kefu.settings import get_settings
    from kefu.store import open_store
    from kefu.store.demo import build_demo_store
    from kefu.store.taubench import import_taubench

    settings = get_settings()
    encoder = load_encoder(settings)
    reports = []
    with tempfile.TemporaryDirectory(prefix="kefu-rec-eval-") as folder:
        cache_dir = Path(folder) / "cache"  # empty: the first fit embeds the catalog
        tau = open_store(f"sqlite:///{folder}/tau.db")
        import_taubench(tau, args.taubench)
        reports.append(run_store("tau-bench retail", tau, encoder, cache_dir))
        tau.dispose()
        demo = open_store(f"sqlite:///{folder}/demo.db")
        build_demo_store(demo)
        reports.append(run_store("demo shop", demo, encoder, cache_dir))
        reports.append(run_store("demo catalog, planted taste", demo, encoder, cache_dir,
                                 planted=True))
        demo.dispose()
    body = section(reports)
    print(body)
    if not args.no_write:
        print(f"wrote {write_section('recommend_eval', body)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
