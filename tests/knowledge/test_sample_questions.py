"""Sample questions ("> Customers ask: ..."): matched question to question, stored in the
index, re-embedded only with their file, never quoted in answers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kefu.knowledge import KnowledgeBase
from kefu.knowledge.base import RetrievalOptions
from kefu.knowledge.chunking import chunk_markdown, sentences
from kefu.knowledge.store import IndexStore
from tests.knowledge.conftest import HashingEncoder, write_kb

RETURNS = ("# Returns\n\n## Seven-day returns {#seven-day}\n\nItems may be returned within "
           "7 days of delivery without a reason.\n\n"
           "> Customers ask: Don't want it anymore, can I send it back? | Can I return "
           "something I never used?\n\n"
           "## Shoe warranty {#shoes}\n\nShoes have a 6-month warranty against sole defects.\n")
QUESTION = "I don't want the shoes anymore, can I send them back?"
# with the hashing encoder any cosine may answer; the e5 thresholds are not for it
ANY_COSINE = RetrievalOptions(min_cosine_zh=0.0, min_cosine_en=0.0,
                              min_cosine_with_bm25_zh=0.0, min_cosine_with_bm25_en=0.0,
                              min_cosine_across=0.0)


def _kb(tmp_path: Path, text: str, encoder: HashingEncoder | None = None) -> KnowledgeBase:
    root = write_kb(tmp_path / "kb", {"en/returns.md": text})
    kb = KnowledgeBase(IndexStore(f"sqlite:///{tmp_path / 'index.db'}"),
                       encoder or HashingEncoder(), ANY_COSINE)
    kb.index(root)
    return kb


def test_a_customers_wording_finds_the_section_through_its_sample_questions(
        tmp_path: Path) -> None:
    plain = "\n".join(line for line in RETURNS.splitlines() if "Customers ask" not in line)
    without = _kb(tmp_path / "without", plain)
    assert without.search(QUESTION, "en", top_k=1, mode="dense")[0].key == "returns#shoes"
    with_questions = _kb(tmp_path / "with", RETURNS)
    hits = with_questions.search(QUESTION, "en", top_k=2, mode="dense")
    assert [p.key for p in hits] == ["returns#seven-day", "returns#shoes"]
    assert with_questions.search(QUESTION, "en", top_k=1)[0].key == "returns#seven-day"


def test_the_question_weight_decides_how_much_sample_questions_count(tmp_path: Path) -> None:
    kb = _kb(tmp_path, RETURNS)
    vector = kb.embed_question(QUESTION)
    mixed = kb.dense_scores(vector)
    kb.options = RetrievalOptions(sample_question_weight=0.0)
    passage_only = kb.dense_scores(vector)
    assert mixed[0] > passage_only[0]  # the section with sample questions gains
    assert mixed[1] == pytest.approx(passage_only[1])  # the one without keeps its score
    with pytest.raises(Exception, match="sample_question_weight must be between 0 and 1"):
        RetrievalOptions(sample_question_weight=1.5)


def test_answers_never_quote_the_sample_questions(tmp_path: Path) -> None:
    kb = _kb(tmp_path, RETURNS)
    for asked in ("Don't want it anymore, can I send it back?",
                  "Can I return something I never used?"):
        answer = kb.answer(asked, "en")
        assert answer.confident and answer.sources[0].section == "seven-day"
        assert "Customers ask" not in answer.text and asked not in answer.text
        assert answer.body == "Items may be returned within 7 days of delivery without a reason."


def test_sample_questions_and_their_embeddings_round_trip(tmp_path: Path) -> None:
    store = IndexStore(f"sqlite:///{tmp_path / 'index.db'}")
    chunks = chunk_markdown(RETURNS, "en/returns.md")
    vectors = np.eye(2, 4, dtype=np.float32)
    none = [np.zeros((0, 4), dtype=np.float32)] * 2
    asked = [np.ones((2, 4), dtype=np.float32), np.zeros((0, 4), dtype=np.float32)]
    store.replace_document("en/returns.md", "abc", chunks, [["return"], ["shoe"]], vectors,
                           none, none, asked)
    loaded = store.load()
    assert [s.chunk for s in loaded] == chunks
    assert loaded[0].chunk.sample_questions == (
        "Don't want it anymore, can I send it back?", "Can I return something I never used?")
    np.testing.assert_array_equal(loaded[0].question_embeddings, asked[0])
    assert loaded[1].question_embeddings.shape == (0, 4)
    store.dispose()


def test_changed_sample_questions_re_embed_only_their_file(tmp_path: Path) -> None:
    encoder = HashingEncoder()
    kb = _kb(tmp_path, RETURNS, encoder)
    root = tmp_path / "kb"
    write_kb(root, {"en/shipping.md": "# Shipping\n\n## Costs {#costs}\n\nShipping is free "
                                      "over 99 yuan.\n\n> Customers ask: How much is "
                                      "delivery?\n"})
    encoder.embedded.clear()
    report = kb.index(root)
    assert report.added == ("en/shipping.md",) and report.unchanged == ("en/returns.md",)
    assert encoder.embedded and all("99 yuan" in text or text.startswith("Shipping")
                                    for text in encoder.embedded)
    assert kb.search("how much is delivery", "en", top_k=1, mode="dense")[0].key == (
        "shipping#costs")
    (root / "en" / "shipping.md").write_text(
        "# Shipping\n\n## Costs {#costs}\n\nShipping is free over 99 yuan.\n\n"
        "> Customers ask: Do I pay for postage?\n", encoding="utf-8")
    assert kb.index(root).updated == ("en/shipping.md",)
    costs = next(c for c in kb.chunks if c.key == "shipping#costs")
    assert costs.sample_questions == ("Do I pay for postage?",)
    assert kb.search("do I pay for postage", "en", top_k=1, mode="dense")[0].key == (
        "shipping#costs")


@pytest.mark.slow
def test_every_shipped_section_lists_how_customers_ask_for_it(
        shipped_kb: KnowledgeBase) -> None:
    for chunk in shipped_kb.chunks:
        assert 2 <= len(chunk.sample_questions) <= 4, chunk.key
        assert "Customers ask" not in chunk.text and "顾客常问" not in chunk.text


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "doc"), [("en", "returns"), ("zh", "shipping")])
def test_shipped_answers_quote_sections_never_their_sample_questions(
        shipped_kb: KnowledgeBase, lang: str, doc: str) -> None:
    for chunk in (c for c in shipped_kb.chunks if c.doc == doc and c.lang == lang):
        answer = shipped_kb.answer(chunk.sample_questions[0], lang)
        if not answer.confident:
            continue
        assert not any(q in answer.text for q in chunk.sample_questions)
        section = next(c for c in shipped_kb.chunks
                       if c.key == f"{answer.sources[0].doc}#{answer.sources[0].section}"
                       and c.lang == answer.sources[0].lang)
        assert set(sentences(answer.body)) <= set(sentences(section.text))
