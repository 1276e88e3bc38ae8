"""The engine's small parts, without a model: references, cues, addresses, templates."""

from __future__ import annotations

import re
import string

import pytest

from kefu.dialogue import nlg
from kefu.dialogue.addresses import parse_address
from kefu.dialogue.flows.filling import closest_item
from kefu.dialogue.flows.verification import introduced_name, name_then_zip
from kefu.dialogue.references import by_ordinal, other_than, resolve
from kefu.dialogue.understanding import (
    asks_for_human,
    is_affirm,
    is_correction,
    is_deny,
    ordinal,
    ordinals,
    payment_mentions,
    starts_with_yes,
)

LISTED = ["#W3", "#W2", "#W1"]  # newest first, as kefu lists orders


@pytest.mark.parametrize(("text", "expected"), [
    ("the second one", 2), ("第二个", 2), ("2", 2), ("the last one", -1), ("最后一个", -1),
    ("first", 1), ("第3单", 3), ("where is my order", None)])
def test_ordinal(text: str, expected: int | None) -> None:
    assert ordinal(text) == expected


def test_several_ordinals() -> None:
    assert ordinals("第二件和第三件") == [2, 3]
    assert ordinals("the first and the third") == [1, 3]


def test_references_resolve_against_the_last_list() -> None:
    assert by_ordinal("the second one", LISTED) == "#W2"
    assert by_ordinal("the fifth", LISTED) is None
    assert resolve("no, the other order", LISTED, focus="#W3") == "#W2"
    assert resolve("不是这个，是上一个", LISTED, focus="#W2") == "#W3"
    assert resolve("那个订单呢", LISTED, focus="#W1") == "#W1"
    assert resolve("what about it?", LISTED, focus="#W2") == "#W2"
    assert other_than("#W1", LISTED) == "#W2"
    assert resolve("hello", LISTED, focus="#W2") is None


@pytest.mark.parametrize("text", ["yes", "Yes please", "ok", "sure", "go ahead", "confirm",
                                  "是", "是的", "确认", "好的", "对", "可以", "嗯嗯"])
def test_affirm_words(text: str) -> None:
    assert is_affirm(text)
    assert not is_deny(text)


@pytest.mark.parametrize("text", ["no", "nope", "不要", "不是", "算了", "no thanks"])
def test_deny_words(text: str) -> None:
    assert is_deny(text)
    assert not is_affirm(text)


def test_affirm_needs_an_explicit_yes() -> None:
    assert not is_affirm("yes but first tell me the refund amount for my other order please")
    assert is_affirm("alright then", intent="affirm", confidence=0.95)
    assert not is_affirm("hmm ok whatever lol", intent="affirm", confidence=0.76)


def test_other_cues() -> None:
    assert asks_for_human("can I talk to a real person") and asks_for_human("转人工")
    assert not asks_for_human("where is my order")
    assert is_correction("no, the other order") and is_correction("不是这个，是上一个")
    assert not is_correction("where is my other order?")
    assert payment_mentions("refund to my gift card") == ([], ["gift_card"])
    assert payment_mentions("use paypal_1234567") == (["paypal_1234567"], ["paypal"])
    assert payment_mentions("用支付宝") == ([], ["alipay"])


def test_addresses() -> None:
    assert parse_address("445 Maple Drive, Suite 394, Fort Worth, TX 76165") == {
        "address1": "445 Maple Drive", "address2": "Suite 394", "city": "Fort Worth",
        "state": "TX", "country": "USA", "zip": "76165"}
    missing_zip = parse_address("12 Elm St, Austin, TX")
    assert missing_zip is not None and missing_zip["zip"] == ""
    zh = parse_address("新地址是广东省深圳市南山区科技园路1号华润城3栋1201室，邮编518057")
    assert zh == {"address1": "南山区科技园路1号", "address2": "华润城3栋1201室",
                  "city": "深圳市", "state": "广东省", "country": "China", "zip": "518057"}
    assert parse_address("where is my order") is None


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_template_has_both_languages_with_the_same_fields() -> None:
    templates = nlg.load_templates()
    assert len(templates) > 60
    for key, by_lang in templates.items():
        en = set().union(*(_fields(t) for t in by_lang["en"]))
        zh = set().union(*(_fields(t) for t in by_lang["zh"]))
        assert en == zh, f"{key}: the languages use different fields"
        for wording in by_lang["zh"]:
            if not re.search(r"[A-Za-z\u4e00-\u9fff]", re.sub(r"\{\w+\}", "", wording)):
                continue  # a bare layout line ("{n}. {order_id} · {date}")
            assert re.search(r"[\u4e00-\u9fff]", wording), f"{key}: zh wording not Chinese"


def test_wording_choice_is_stable_and_varies() -> None:
    first = nlg.render("not_understood", "en", ("conversation-a", 1))
    assert first == nlg.render("not_understood", "en", ("conversation-a", 1))
    seen = {nlg.render("not_understood", "en", (f"c{n}", 1)) for n in range(20)}
    assert len(seen) == 2


def test_missing_field_is_an_error() -> None:
    from kefu.errors import InvalidInput

    with pytest.raises(InvalidInput, match="order_id"):
        nlg.render("order_not_found", "en", ())


@pytest.mark.parametrize(("text", "expected"), [
    ("Ethan Garcia, 80280", ("Ethan Garcia", "80280")),
    ("Yusuf Rossi 19122", ("Yusuf Rossi", "19122")),
    ("I'm Yusuf Rossi, zip code 19122", ("Yusuf Rossi", "19122")),
    ("John Smith and my zip is 12345", ("John Smith", "12345")),
    ("王芳 100101", ("王芳", "100101")),
    ("我叫Yusuf Rossi，邮编19122", ("Yusuf Rossi", "19122")),
    ("where is order 12345", None), ("cancel my order", None)])
def test_a_name_and_a_zip_code_alone(text: str, expected: tuple[str, str] | None) -> None:
    assert name_then_zip(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("我叫Yusuf Rossi，邮编19122", "Yusuf Rossi"), ("我是Ethan Garcia", "Ethan Garcia"),
    ("my name is ethan garcia", "ethan garcia"), ("我叫王芳，邮编100101", "王芳"),
    ("this is Ava Lee and my zip code is 94103", "Ava Lee"),
    ("I am looking for a jacket", None), ("我是想问一下", None), ("I'm not sure", None)])
def test_an_introduced_name(text: str, expected: str | None) -> None:
    assert introduced_name(text) == expected


@pytest.mark.parametrize("text", ["是的，帮我申请维修", "好的，申请维修吧", "yes please, file it",
                                  "ok go ahead and repair it"])
def test_a_yes_that_says_more(text: str) -> None:
    assert starts_with_yes(text)
    assert not is_affirm(text)  # enough to accept an offer, never a write


@pytest.mark.parametrize("text", ["是不是还在保修", "好不好用", "对不起", "yes, but not now",
                                  "no", "不用了"])
def test_not_a_yes(text: str) -> None:
    assert not starts_with_yes(text)


def test_the_item_a_message_names_most_closely() -> None:
    items = [{"item_id": "1", "name": "Homely Air Purifier S2", "name_zh": "家悦空气净化器 S2"},
             {"item_id": "2", "name": "Warmly Air Purifier Air", "name_zh": "暖居空气净化器 Air"}]
    assert closest_item("订单里的家悦空气净化器坏了", items) == ["1"]
    assert closest_item("the Warmly air purifier broke", items) == ["2"]
    assert closest_item("订单里的空气净化器坏了", items) == []  # both fit: ask which
