"""Search and answers with the real e5 encoder: both languages, across languages, sources,
extractive condensation, "don't know", FAQ pairs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kefu.knowledge import KnowledgeBase
from kefu.knowledge.answer import DONT_KNOW, ONLY_IN_OTHER
from kefu.knowledge.chunking import sentences
from kefu.knowledge.retrieval import E5Encoder
from kefu.knowledge.store import IndexStore
from tests.knowledge.conftest import write_kb

pytestmark = pytest.mark.xdist_group("nlu_model")

ONE_LANGUAGE_KB = {
    "gift-wrap.en.md": "# Gift wrapping\n\n## Price {#price}\n\nGift wrapping costs 10 yuan "
                       "per order. You can add a handwritten card for free.\n",
    "fapiao.zh.md": "# 发票\n\n## 开票时间 {#when}\n\n电子发票在签收后 3 个工作日内开具，"
                    "并发送到您的邮箱。\n",
    "pets.en.md": "# Pets\n\n## Pet food {#food}\n\nWe sell dry dog food and cat litter. "
                  "Pet food cannot be returned once opened.\n",
}


@pytest.fixture(scope="module")
def one_language_kb(tmp_path_factory: pytest.TempPathFactory, e5: E5Encoder
                    ) -> Iterator[KnowledgeBase]:
    root = write_kb(tmp_path_factory.mktemp("kb"), ONE_LANGUAGE_KB)
    kb = KnowledgeBase(IndexStore(f"sqlite:///{root / 'index.db'}"), e5)
    kb.index(root)
    yield kb
    kb.close()


def test_chinese_questions_find_english_passages_and_the_reverse(
        one_language_kb: KnowledgeBase) -> None:
    hit = one_language_kb.search("礼品包装要多少钱？", top_k=1)[0]
    assert (hit.key, hit.lang) == ("gift-wrap#price", "en")
    hit = one_language_kb.search("When will I get my electronic invoice?", top_k=1)[0]
    assert (hit.key, hit.lang) == ("fapiao#when", "zh")


def test_an_answer_only_documented_in_the_other_language_says_so(
        one_language_kb: KnowledgeBase) -> None:
    answer = one_language_kb.answer("礼品包装收费吗？", "zh")
    assert answer.confident and answer.other_language and answer.lang == "zh"
    assert answer.text.startswith(ONLY_IN_OTHER["zh"])
    assert "Gift wrapping costs 10 yuan per order." in answer.text
    assert answer.sources[0].source_path == "gift-wrap.en.md"


@pytest.mark.slow
def test_search_in_each_language_returns_that_languages_version(
        shipped_kb: KnowledgeBase) -> None:
    zh = shipped_kb.search("退货的运费是谁出？", "zh", top_k=5)
    assert zh[0].key == "returns#return-shipping" and zh[0].lang == "zh"
    assert zh[0].source_path == "zh/returns.md" and "运费" in zh[0].text
    assert [p.score for p in zh] == sorted((p.score for p in zh), reverse=True)
    assert len({p.key for p in zh}) == 5  # one passage per section, not per language
    en = shipped_kb.search("How long does a refund to Alipay take?", "en", top_k=3)
    assert en[0].key == "refunds#timing" and en[0].lang == "en"
    assert "Alipay: 1-3 business days." in en[0].text
    # the same Chinese question, shown in English: the English version of the section
    crossed = shipped_kb.search("退货的运费是谁出？", "en", top_k=1)[0]
    assert crossed.key == "returns#return-shipping" and crossed.lang == "en"


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_each_retriever_alone_finds_an_easy_question(shipped_kb: KnowledgeBase,
                                                     mode: str) -> None:
    hits = shipped_kb.search("积分什么时候过期", "zh", top_k=3, mode=mode)
    assert "membership#expiry" in [p.key for p in hits]


@pytest.mark.slow
@pytest.mark.parametrize(("question", "lang", "key"), [
    ("退款到支付宝要几天？", "zh", "refunds#timing"),
    ("Can I get a special VAT invoice for my company?", "en", "invoices#company"),
    ("七天无理由退货从哪天开始算？", "zh", "returns#seven-day-returns"),
])
def test_answers_quote_the_section_in_the_customers_language_and_cite_it(
        shipped_kb: KnowledgeBase, question: str, lang: str, key: str) -> None:
    answer = shipped_kb.answer(question)
    assert answer.confident and answer.lang == lang and not answer.other_language
    source = answer.sources[0]
    assert f"{source.doc}#{source.section}" == key and source.lang == lang
    body, cite = answer.text.rsplit("\n", 1)
    assert source.heading in cite and source.title in cite
    # extractive: every sentence of the answer is a sentence of the cited section
    section = next(c for c in shipped_kb.chunks if c.key == key and c.lang == lang)
    written = sentences(section.text)
    joiner = "" if lang == "zh" else " "
    assert body and all(s in written for s in _split(body, written, joiner))
    assert len(body) < len(section.text)  # condensed, not the whole section


def _split(body: str, written: list[str], joiner: str) -> list[str]:
    """The answer body back into the section's sentences (longest first)."""
    parts: list[str] = []
    rest = body
    while rest:
        match = max((s for s in written if rest.startswith(s)), key=len, default=None)
        if match is None:
            return [rest]  # not made of the section's sentences: fails the assertion
        parts.append(match)
        rest = rest[len(match):].removeprefix(joiner)
    return parts


@pytest.mark.slow
@pytest.mark.parametrize("question", [
    # shares 北京 and 天气 with the delivery-times section (BM25 2.5, under min_bm25)
    "明天北京天气怎么样", "明天天气怎么样", "给我讲个笑话", "世界杯冠军是谁",
    "What's the capital of Australia?", "Recommend me a good movie",
    "How do I cook rice?",
])
def test_off_topic_questions_get_dont_know_and_a_human(shipped_kb: KnowledgeBase,
                                                       question: str) -> None:
    answer = shipped_kb.answer(question)
    assert not answer.confident and answer.sources == ()
    assert answer.text == DONT_KNOW[answer.lang]
    assert ("人工" in answer.text) if answer.lang == "zh" else ("human" in answer.text)


@pytest.mark.slow
def test_faq_questions_asked_nearly_verbatim_get_the_pairs_answer(
        shipped_kb: KnowledgeBase) -> None:
    answer = shipped_kb.answer("客服工作时间是什么时候")
    assert answer.faq and answer.confident
    assert (answer.sources[0].doc, answer.sources[0].section) == ("faq", "service-hours")
    assert "9:00 至 22:00" in answer.text
    english = shipped_kb.answer("how do I reset my password", "en")
    assert english.faq and "10 minutes" in english.text


def test_an_empty_index_knows_nothing(tmp_path: Path, e5: E5Encoder) -> None:
    kb = KnowledgeBase(IndexStore(f"sqlite:///{tmp_path / 'empty.db'}"), e5)
    assert kb.search("退货", top_k=3) == []
    answer = kb.answer("how do returns work?")
    assert not answer.confident and answer.text == DONT_KNOW["en"]
