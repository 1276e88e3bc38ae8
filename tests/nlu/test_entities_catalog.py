"""CatalogMatcher (fuzzy, bilingual) and evaluate_entities."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from kefu.errors import InvalidInput
from kefu.nlu.entities import CatalogMatcher, CatalogProduct, EntityExtractor, evaluate_entities
from kefu.nlu.types import Entity, Example

CATALOG = [
    CatalogProduct("1656367028", "Mechanical Keyboard", "机械键盘", ("mech keyboard",)),
    CatalogProduct("9523456873", "T-Shirt", "T恤"),
    CatalogProduct("2524789262", "Wireless Earbuds", "无线耳机", ("earbuds",)),
    CatalogProduct("1801728040", "Robot Vacuum", "扫地机器人"),
    ("4896585277", "Electric Kettle", "电热水壶"),
    ("8310926033", "Water Bottle", "水杯", ("tumbler",)),
]


@pytest.fixture(scope="module")
def matcher() -> CatalogMatcher:
    return CatalogMatcher(CATALOG)


def matches(matcher: CatalogMatcher, text: str) -> list[tuple[str, str]]:
    out = []
    for e in matcher.find(text):
        assert text[e.start:e.end] == e.text
        assert e.source == "catalog"
        out.append((e.value, e.text))
    return out


@pytest.mark.parametrize("text, expected", [
    ("my mechanical keyboard is broken", [("1656367028", "mechanical keyboard")]),
    ("两件T恤", [("9523456873", "T恤")]),
    ("I want two t-shirts", [("9523456873", "t-shirts")]),
    ("我的扫地机器人不动了", [("1801728040", "扫地机器人")]),
    ("my mech keyboard", [("1656367028", "mech keyboard")]),
    ("电热水壶和水杯", [("4896585277", "电热水壶"), ("8310926033", "水杯")]),
])
def test_exact_matches_in_both_languages(matcher, text, expected):
    assert matches(matcher, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("my mechanicl keybord is broken", [("1656367028", "mechanicl keybord")]),
    ("the wireles earbuds stopped working", [("2524789262", "wireles earbuds")]),
    ("robot vaccum", [("1801728040", "robot vaccum")]),
    ("electric kettel", [("4896585277", "electric kettel")]),
    ("我的机戒键盘坏了", [("1656367028", "机戒键盘")]),  # a homophone typo
    ("扫地机器仁", [("1801728040", "扫地机器仁")]),
])
def test_typos_match_fuzzily(matcher, text, expected):
    assert matches(matcher, text) == expected


@pytest.mark.parametrize("text", [
    "where is my order", "I want a refund", "我要退款", "keys board", "water", "bottle of wine",
])
def test_unrelated_text_matches_nothing(matcher, text):
    assert matches(matcher, text) == []


def test_fuzzy_matches_have_lower_confidence(matcher):
    exact = matcher.find("electric kettle")[0]
    fuzzy = matcher.find("electric kettel")[0]
    assert exact.confidence == 1.0
    assert 0.8 < fuzzy.confidence < 1.0


def test_an_empty_store_catalog_means_no_catalog():
    extractor = EntityExtractor(catalog=[])
    assert extractor.catalog is None
    assert [(e.type, e.value) for e in extractor.extract("my mechanical keyboard")] == [
        ("product", "mechanical keyboard")]


def test_bad_catalog_records_are_refused():
    with pytest.raises(InvalidInput, match="at least one product"):
        CatalogMatcher([])
    with pytest.raises(InvalidInput, match="catalog record"):
        CatalogMatcher(["just a string"])  # type: ignore[list-item]


def test_extractor_prefers_catalog_ids_over_generic_products():
    extractor = EntityExtractor(catalog=CATALOG)
    ents = extractor.extract("两千以内的机械键盘有红色的吗")
    assert [(e.type, e.value, e.source) for e in ents] == [
        ("money", "<=2000", "rule"), ("product", "1656367028", "catalog"),
        ("option", "red", "rule")]
    # no catalog: the generic noun list keeps the mention as written
    generic = EntityExtractor().extract("两千以内的机械键盘有红色的吗")
    assert ("product", "机械键盘") in [(e.type, e.value) for e in generic]


TAU_PRODUCTS = Path("/work/shared/data/taubench_retail/tau1/products.json")


@pytest.mark.skipif(not TAU_PRODUCTS.is_file(), reason="tau-bench data not on this machine")
def test_tau_bench_catalog_is_fast_and_matches_every_name():
    products = json.loads(TAU_PRODUCTS.read_text())
    matcher = CatalogMatcher([(pid, p["name"], "") for pid, p in products.items()])
    for pid, p in products.items():
        found = matcher.find(f"I have a question about my {p['name'].lower()} please")
        assert [e.value for e in found] == [pid], p["name"]
    start = time.perf_counter()
    for _ in range(50):
        matcher.find("the wirless earbuds and the mechanical keybaord I ordered yesterday")
    per_message = (time.perf_counter() - start) / 50
    assert per_message < 0.05, f"{per_message * 1000:.1f} ms per message"


# --- evaluate_entities -----------------------------------------------------------------

class FixedExtractor:
    def __init__(self, answers: dict[str, list[Entity]]) -> None:
        self.answers = answers

    def extract(self, text: str, lang: str | None = None) -> list[Entity]:
        return self.answers[text]


def test_evaluate_entities_counts_exact_type_and_span():
    gold_a = (Entity("order_id", "#W1234567", 0, 8), Entity("date", "x", 10, 15))
    gold_b = (Entity("product", "键盘", 0, 2),)
    examples = [Example("W1234567, today", "order_status", gold_a),
                Example("键盘坏了", "warranty_repair", gold_b)]
    extractor = FixedExtractor({
        "W1234567, today": [Entity("order_id", "#W1234567", 0, 8),
                            Entity("date", "x", 9, 15)],  # wrong span
        "键盘坏了": [Entity("product", "键盘", 0, 2), Entity("option", "red", 2, 3)],
    })
    scores = evaluate_entities(extractor, examples)
    assert scores["order_id_f1"] == 1.0
    assert scores["date_precision"] == 0.0 and scores["date_recall"] == 0.0
    assert scores["product_f1"] == 1.0
    assert scores["option_precision"] == 0.0 and scores["option_support"] == 0.0
    assert scores["micro_precision"] == pytest.approx(2 / 4)
    assert scores["micro_recall"] == pytest.approx(2 / 3)
    assert scores["micro_f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert scores["examples"] == 2.0
    only = evaluate_entities(extractor, examples, types=["order_id"])
    assert only["micro_f1"] == 1.0 and "date_f1" not in only


def test_evaluate_entities_on_shipped_data_is_reasonable():
    from kefu.nlu.data import load_examples, shipped_data

    paths = shipped_data("train")
    if not paths:
        pytest.skip("no shipped NLU data yet")
    examples = [e for p in paths for e in load_examples(p)][:400]
    scores = evaluate_entities(EntityExtractor(), examples)
    assert scores["micro_f1"] > 0.6
    assert scores["order_id_f1"] > 0.9


def test_english_only_catalogs_match_chinese_mentions():
    matcher = CatalogMatcher([("1656367028", "Mechanical Keyboard", ""),
                              ("6817146515", "Headphones", ""),
                              ("2524789262", "Wireless Earbuds", "")])
    assert [(e.value, e.text) for e in matcher.find("我的机械键盘坏了")] == [
        ("1656367028", "机械键盘")]
    # the longer translated name wins: 无线耳机 is the earbuds, 耳机 alone the headphones
    assert [e.value for e in matcher.find("无线耳机和耳机")] == ["2524789262", "6817146515"]
    assert CatalogMatcher([("1", "Mechanical Keyboard", "")], chinese_aliases=False).find(
        "机械键盘") == []


def test_a_store_chinese_name_is_not_overridden_by_translations():
    matcher = CatalogMatcher([("1", "Tablet", "平板电脑"), ("2", "Laptop", "")])
    assert [e.value for e in matcher.find("平板电脑")] == ["1"]
    assert [e.value for e in matcher.find("笔记本电脑")] == ["2"]


def test_catalog_words_inside_other_words_are_not_products():
    extractor = EntityExtractor(catalog=[("1", "Smartphone", ""), ("2", "Wallet", "钱包")])
    assert [e.type for e in extractor.extract("手机号13812345678")] == ["phone"]
    assert extractor.extract("多少钱包邮") == []
    assert [e.value for e in extractor.extract("我的手机屏幕碎了")] == ["1"]
