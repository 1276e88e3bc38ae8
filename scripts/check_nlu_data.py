"""Check a pair of kefu NLU data files (Rasa YAML 3.1): validity, counts, markup, duplicates.

Usage:
    python scripts/check_nlu_data.py src/kefu/resources/nlu/en/train.yml \
        src/kefu/resources/nlu/en/test.yml

Reports examples per intent per split (flags < 70 train or < 20 test), entity counts, exact
duplicates (after lower-casing and dropping punctuation) within and across splits, and
near-duplicates between test and train (character 3-gram Jaccard above --threshold,
default 0.6). Exits 1 when anything is flagged.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

from kefu.nlu.taxonomy import ENTITY_TYPES, INTENTS

ENTITY = re.compile(r"\[([^\[\]]+)\]\(([a-z_]+)\)")
MIN_TRAIN, MIN_TEST = 70, 20


def load(path: Path) -> dict[str, list[str]]:
    """Examples (with markup) per intent; raises ValueError naming the bad block or line."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or str(data.get("version")) != "3.1":
        raise ValueError(f"{path}: expected a mapping with version '3.1' at the top")
    out: dict[str, list[str]] = {}
    for block in data.get("nlu") or []:
        intent = block.get("intent")
        if intent not in INTENTS:
            raise ValueError(
                f"{path}: unknown intent {intent!r}; use one of kefu.nlu.taxonomy.INTENTS"
            )
        if intent in out:
            raise ValueError(f"{path}: intent {intent!r} has two blocks; merge them")
        examples = []
        for line in str(block.get("examples", "")).splitlines():
            if not line.strip():
                continue
            if not line.startswith("- "):
                raise ValueError(f"{path}: [{intent}] line does not start with '- ': {line!r}")
            examples.append(line[2:].strip())
        out[intent] = examples
    return out


def plain(example: str) -> str:
    return ENTITY.sub(lambda m: m.group(1), example)


def markup_problems(where: str, example: str, entities: Counter[str]) -> list[str]:
    problems = []
    for m in ENTITY.finditer(example):
        value, kind = m.group(1), m.group(2)
        entities[kind] += 1
        if kind not in ENTITY_TYPES:
            problems.append(f"{where} unknown entity type {kind!r}: {example}")
        if value != value.strip():
            problems.append(f"{where} entity value has outer spaces {value!r}")
        if kind == "order_id" and not re.fullmatch(r"#?W\d{7}", value):
            problems.append(f"{where} order_id not '#W' + 7 digits: {value!r}")
        if kind == "item_id" and not re.fullmatch(r"\d{10}", value):
            problems.append(f"{where} item_id not 10 digits: {value!r}")
    rest = ENTITY.sub("", example)
    if "](" in rest or rest.count("[") != rest.count("]"):
        problems.append(f"{where} broken markup: {example}")
    if re.search(r"\bW\d{7}\b", rest):
        problems.append(f"{where} order id left unannotated: {example}")
    if re.search(r"(?<![\dA-Za-z])\d{10}(?!\d)", rest):  # not a carrier number (SF...)
        problems.append(f"{where} 10-digit id left unannotated: {example}")
    if re.search(r"\S+@\S+\.\w+", rest):
        problems.append(f"{where} e-mail left unannotated: {example}")
    return problems


def trigrams(text: str) -> set[str]:
    text = " " + re.sub(r"\s+", " ", text.lower().strip()) + " "
    return {text[i : i + 3] for i in range(len(text) - 2)}


def jaccard(a: set[str], b: set[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("test", type=Path)
    parser.add_argument(
        "--threshold", type=float, default=0.6, help="flag test lines above this 3-gram Jaccard"
    )
    args = parser.parse_args(argv)
    splits = {"train": load(args.train), "test": load(args.test)}
    problems: list[str] = []
    entities: Counter[str] = Counter()
    for split, data in splits.items():
        for intent, examples in data.items():
            for example in examples:
                problems += markup_problems(f"{split}/{intent}", example, entities)

    print(f"{'intent':24s} {'train':>5s} {'test':>5s}")
    for intent in INTENTS:
        n_train, n_test = len(splits["train"].get(intent, [])), len(splits["test"].get(intent, []))
        low = n_train < MIN_TRAIN or n_test < MIN_TEST
        print(f"{intent:24s} {n_train:5d} {n_test:5d}{'  <-- too few' if low else ''}")
        if low:
            problems.append(
                f"{intent}: {n_train} train / {n_test} test, need {MIN_TRAIN} / {MIN_TEST}"
            )
    totals = [sum(map(len, splits[s].values())) for s in ("train", "test")]
    print(f"{'total':24s} {totals[0]:5d} {totals[1]:5d}")
    print("entities:", ", ".join(f"{k} {v}" for k, v in entities.most_common()))

    seen: dict[str, str] = {}
    for split, data in splits.items():
        for intent, examples in data.items():
            for example in examples:
                key = re.sub(r"[^\w]+", " ", plain(example).lower()).strip()
                if key in seen:
                    problems.append(f"duplicate {split}/{intent} of {seen[key]}: {example}")
                else:
                    seen[key] = f"{split}/{intent}"

    train = [
        (intent, plain(e), trigrams(plain(e)))
        for intent, examples in splits["train"].items()
        for e in examples
    ]
    near = 0
    for intent, examples in splits["test"].items():
        for example in examples:
            grams = trigrams(plain(example))
            best = max(train, key=lambda t: jaccard(grams, t[2]))
            score = jaccard(grams, best[2])
            if score > args.threshold:
                near += 1
                problems.append(
                    f"near-duplicate {score:.2f} test/{intent} {plain(example)!r}"
                    f" ~ train/{best[0]} {best[1]!r}"
                )
    print(f"test lines with a train line above Jaccard {args.threshold}: {near}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
