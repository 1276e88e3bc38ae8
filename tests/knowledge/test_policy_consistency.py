"""The shipped knowledge base says what the demo shop's settings and data say.

The numbers customers are told (return and exchange windows, refund times per payment
method, cancellation reasons, that an order's items may be changed once, warranty months
per category) are read out of the Markdown and compared with ``demo_policy()`` and the
demo catalog's warranty terms. Change a setting without the text (or the reverse) and
this fails.
"""

from __future__ import annotations

import re

import pytest

from kefu.knowledge import default_kb_dir
from kefu.knowledge.chunking import chunk_markdown, find_documents
from kefu.store import rules
from kefu.store.demo.build import demo_policy
from kefu.store.demo.catalog import CATEGORIES

POLICY = demo_policy()
METHOD_NAMES = {  # payment source -> how the documents name it
    "gift_card": ("Gift card", "礼品卡"), "alipay": ("Alipay", "支付宝"),
    "wechat_pay": ("WeChat Pay", "微信支付"), "credit_card": ("Credit card", "信用卡"),
    "debit_card": ("Debit card", "借记卡"), "paypal": ("PayPal", "PayPal"),
}
REASONS_ZH = {"no longer needed": "不再需要", "ordered by mistake": "误下单"}


def section(doc: str, section_id: str, lang: str) -> str:
    path = default_kb_dir() / lang / f"{doc}.md"
    for chunk in chunk_markdown(path.read_text(encoding="utf-8"), f"{lang}/{doc}.md"):
        if chunk.section == section_id:
            return chunk.text
    raise AssertionError(f"{lang}/{doc}.md has no section {section_id}")


def all_text(lang: str) -> str:
    return "\n".join(p.read_text(encoding="utf-8")
                     for p in find_documents(default_kb_dir() / lang))


def test_the_shipped_kb_has_every_section_in_both_languages() -> None:
    keys = {}
    for lang in ("zh", "en"):
        keys[lang] = {c.key for p in find_documents(default_kb_dir() / lang)
                      for c in chunk_markdown(p.read_text(encoding="utf-8"),
                                              f"{lang}/{p.name}")}
    assert keys["zh"] == keys["en"]
    assert len(keys["en"]) >= 50
    docs = {key.split("#")[0] for key in keys["en"]}
    assert {"shipping", "returns", "refunds", "exchanges", "warranty", "invoices", "payment",
            "membership", "promotions", "price-protection", "order-changes",
            "privacy"} <= docs


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_no_reason_return_period_is_the_return_window(lang: str) -> None:
    pattern = r"(\d+)\s*天无理由" if lang == "zh" else r"(\d+)-day no-reason"
    found = [int(n) for n in re.findall(pattern, all_text(lang))]
    assert found, "the documents no longer mention the no-reason return period"
    assert set(found) == {POLICY.return_window_days}
    text = section("returns", "seven-day-returns", lang)
    window = (f"签收后 {POLICY.return_window_days} 天" if lang == "zh"
              else f"within {POLICY.return_window_days} days of delivery")
    assert window in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_exchange_window_is_the_setting(lang: str) -> None:
    pattern = r"签收后\s*(\d+)\s*天内" if lang == "zh" else r"within (\d+) days of delivery"
    found = {int(n) for n in re.findall(pattern, section("exchanges", "window", lang))}
    assert found == {POLICY.exchange_window_days}
    # the warranty's "faulty on arrival" section repeats both windows
    arrival = section("warranty", "faulty-on-arrival", lang)
    assert str(POLICY.exchange_window_days) in arrival
    assert str(POLICY.return_window_days) in arrival


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_refund_times_per_payment_method_are_the_settings(lang: str) -> None:
    lines = section("refunds", "timing", lang).splitlines()
    for source, names in METHOD_NAMES.items():
        name = names[0] if lang == "en" else names[1]
        line = next((x for x in lines if x.lstrip("- ").startswith(name)), None)
        assert line is not None, f"no refund time for {name}"
        assert POLICY.refund_time(source).describe(lang) in line, line
    assert set(METHOD_NAMES) == set(POLICY.refund_timing)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cancellation_reasons_and_item_changes_are_the_settings(lang: str) -> None:
    cancel = section("order-changes", "cancel", lang)
    for reason in POLICY.cancellation_reasons:
        assert (REASONS_ZH[reason] if lang == "zh" else reason) in cancel
    assert ("两种" in cancel) if lang == "zh" else ("one of two reasons" in cancel)
    assert len(POLICY.cancellation_reasons) == 2
    # rules.py: an order whose items were modified becomes "pending (item modified)" and
    # cannot be modified again
    assert rules.ITEMS_MODIFIED == "pending (item modified)"
    items = section("order-changes", "items", lang)
    assert ("只能修改 1 次" if lang == "zh" else "modified only once") in items


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_warranty_months_per_category_are_the_catalog_terms(lang: str) -> None:
    lines = section("warranty", "periods", lang).splitlines()
    for category in CATEGORIES:
        name = category.name_zh if lang == "zh" else category.name_en
        line = next((x for x in lines if x.lstrip("- ").startswith(name)), None)
        assert line is not None, f"no warranty line for {name}"
        months = re.search(r"(\d+)\s*(?:个月|months?)", line)
        assert months and int(months.group(1)) == category.warranty_months, line
        if not category.repair_available:
            assert ("维修" not in line or "不提供维修" in line) if lang == "zh" \
                else ("repair" not in line or "not repaired" in line), line


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_points_arrive_when_the_return_window_ends(lang: str) -> None:
    text = section("membership", "earning", lang)
    days = re.search(r"签收 (\d+) 天后" if lang == "zh" else r"(\d+) days after delivery", text)
    assert days and int(days.group(1)) == POLICY.return_window_days
