"""detect_language: zh / en / mixed by the documented rule."""

from __future__ import annotations

import pytest

from kefu.nlu.language import LANGUAGES, detect_language


@pytest.mark.parametrize("text", [
    "我的订单到哪了", "亲，我的快递到哪里了？", "查物流", "好", "订单#W2378156现在什么状态",
    "用手机号13812345678下的单", "邮箱是zhang@example.com", "买了256GB的",
    # a Chinese sentence carrying a short English name or word stays Chinese
    "我想买 iPhone 15 Pro", "订单#W7745032 什么时候 ship", "AirPods 有货吗", "可以用 PayPal 付款吗",
])
def test_chinese(text):
    assert detect_language(text) == "zh"


@pytest.mark.parametrize("text", [
    "where is my order?", "I", "cancel #W2378156 please", "refund to john@example.com",
    "https://shop.example.com/orders/123", "my zip is 19122",
    "where is my order 亲 #W1120987",  # one Chinese particle in an English sentence
])
def test_english(text):
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", [
    "I want to cancel my order 我不想要了",
    "帮我 check 一下 the shipping status of my order",
    "my package 还没到，can you help",
    # an English sentence around a Chinese address: four English words are more than a name
    "send order #W4012739 to 上海市浦东新区世纪大道100号 instead",
])
def test_mixed(text):
    assert detect_language(text) == "mixed"


@pytest.mark.parametrize("text", ["", "   ", "12345", "#W2378156", "!!!", "👍"])
def test_nothing_to_judge_is_english(text):
    assert detect_language(text) == "en"


def test_ids_and_numbers_do_not_count_as_english():
    # without the rule the id, the number and the address would outvote three characters
    assert detect_language("查询 #W2378156 13812345678 a@b.co") == "zh"


def test_values_are_the_documented_ones():
    assert set(LANGUAGES) == {"zh", "en", "mixed"}
