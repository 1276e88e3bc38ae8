"""Character n-gram features: the same vectors as scikit-learn's TfidfVectorizer."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from kefu.errors import ModelNotReady
from kefu.nlu.ngrams import CharNgrams

TRAIN = ["where is my order", "wheres my parcel??", "I want to return these shoes",
         "我的订单到哪了", "快递什么时候到", "申请退货", "return my order pls",
         "帮我check一下订单", "where  is\tit", "退货退款"] * 3
TEXTS = ["where is my order #W2378156", "我想退货", "", "   ", "a", "ab  cd\tEF",
         "Wheres My ORDER", "完全没见过的字"]


def test_vectors_equal_scikit_learns() -> None:
    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True,
                                min_df=2).fit(TRAIN)
    ngrams = CharNgrams.fit(TRAIN)
    assert ngrams.vocabulary == reference.vocabulary_
    np.testing.assert_allclose(ngrams.transform(TEXTS).toarray(),
                               reference.transform(TEXTS).toarray(), atol=1e-6)
    analyzer = reference.build_analyzer()
    assert all(ngrams.ngrams(t) == analyzer(t) for t in TEXTS)


def test_round_trip_through_json() -> None:
    ngrams = CharNgrams.fit(TRAIN)
    loaded = CharNgrams.from_dict(json.loads(json.dumps(ngrams.to_dict(), ensure_ascii=False)))
    assert loaded.vocabulary == ngrams.vocabulary
    np.testing.assert_allclose(loaded.transform(TEXTS).toarray(),
                               ngrams.transform(TEXTS).toarray(), atol=1e-6)


def test_unknown_and_empty_texts_give_empty_vectors() -> None:
    ngrams = CharNgrams.fit(TRAIN)
    ids, values = ngrams.features("")
    assert len(ids) == 0 and len(values) == 0
    assert ngrams.transform(["", "完全没见过"]).shape == (2, ngrams.size)


def test_small_data_keeps_every_ngram() -> None:
    assert CharNgrams.fit(["hi", "hey"]).size > 0  # min_df=2 would leave nothing


def test_broken_file_says_retrain() -> None:
    with pytest.raises(ModelNotReady, match="retrain"):
        CharNgrams.from_dict({"terms": ["a"]})
    with pytest.raises(ValueError, match="idf"):
        CharNgrams({"a": 0, "b": 1}, np.ones(1, dtype=np.float32))


def test_keyboard_mashing_looks_like_noise_and_words_do_not() -> None:
    ngrams = CharNgrams.fit(TRAIN * 2 + ["do you sell shoes", "my order never arrived",
                                         "thanks a lot", "please cancel it"])
    assert ngrams.looks_like_noise("qwzx plorf vrum")
    assert ngrams.looks_like_noise("zzzz xxxx")
    assert not ngrams.looks_like_noise("where is my order #W2378156")
    assert not ngrams.looks_like_noise("qwzx")  # one word: too little to judge
    assert not ngrams.looks_like_noise("qwzx plorf 退货")  # Chinese is never judged
