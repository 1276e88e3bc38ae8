"""Fixtures of the understanding layer: the base encoder, prepared once per test session.

Preparing costs about 7 s and 1.3 GB; set KEFU_TEST_MODELS_DIR to a directory CI caches
to do it once across runs. Tests that use the model share one xdist group, so a single
worker prepares and loads it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kefu.nlu.classifier import IntentClassifier
from kefu.nlu.encoder import SentenceEncoder, default_base_model_dir, prepare_base_model
from kefu.nlu.frozen import train_frozen_head
from kefu.nlu.options import TrainingOptions
from kefu.nlu.types import Example


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cached = os.environ.get("KEFU_TEST_MODELS_DIR")
    if cached:
        return Path(cached)
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def e5_dir(models_dir: Path) -> Path:
    return prepare_base_model(default_base_model_dir(models_dir)).directory


@pytest.fixture(scope="session")
def encoder(e5_dir: Path) -> SentenceEncoder:
    return SentenceEncoder.load(e5_dir)


SMALL_DATA = {
    "order_status": [
        "where is my order", "has my package shipped yet", "track my order #W2378156",
        "when will my parcel arrive", "what's the status of my order",
        "我的订单到哪了", "快递什么时候到", "帮我查一下物流", "订单发货了吗", "包裹现在在哪里",
    ],
    "return_item": [
        "I want to return these shoes", "how do I send this back", "return my headphones",
        "can I get a return label", "I'd like to return an item",
        "我想退货", "这个耳机怎么退", "申请退货", "衣服不合适想退掉", "退货流程是什么",
    ],
    "greeting": [
        "hello", "hi there", "good morning", "hey", "hello, anyone there?",
        "你好", "在吗", "您好", "早上好", "哈喽",
    ],
    "out_of_scope": [
        "what is the capital of France", "tell me a joke about cats", "who won the football game",
        "how tall is mount everest", "write me a poem",
        "今天天气怎么样", "给我讲个笑话", "珠穆朗玛峰有多高", "帮我写一首诗", "谁赢了昨天的比赛",
    ],
}


@pytest.fixture(scope="session")
def small_examples() -> list[Example]:
    return [Example(text=text, intent=intent, source=f"small:{i}")
            for intent, texts in SMALL_DATA.items() for i, text in enumerate(texts)]


@pytest.fixture(scope="session")
def frozen_model(small_examples: list[Example], encoder: SentenceEncoder) -> IntentClassifier:
    return train_frozen_head(small_examples, encoder,
                             TrainingOptions(validation_fraction=0.2, c_values=(4.0, 16.0)))
