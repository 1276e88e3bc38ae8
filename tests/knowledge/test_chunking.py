"""Markdown -> sections: ids, titles, FAQ pairs, languages, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kefu.errors import DataFormatError
from kefu.knowledge.chunking import (
    MAX_SECTION_CHARS,
    chunk_markdown,
    doc_id_and_language,
    find_documents,
    sentence_pairs,
    slugify,
    text_language,
)
from kefu.knowledge.tokenize import stem_en, tokenize

DOC = """# Returns

Everything about sending items back.

## Seven-day returns {#seven-day}

You may return items within 7 days.

## Who pays return shipping?

We pay when the item is faulty.

### Pickup

A courier collects the parcel.

## Q: Can I return opened lipstick? {#lipstick}

No, unless it is faulty.
"""


def test_sections_have_title_heading_and_stable_ids() -> None:
    chunks = chunk_markdown(DOC, "en/returns.md")
    assert [c.section for c in chunks] == [
        "intro", "seven-day", "who-pays-return-shipping", "pickup", "lipstick"]
    assert {c.doc for c in chunks} == {"returns"}
    assert {c.title for c in chunks} == {"Returns"}
    assert {c.lang for c in chunks} == {"en"}
    assert chunks[1].heading == "Seven-day returns"
    assert chunks[1].text == "You may return items within 7 days."
    assert chunks[1].key == "returns#seven-day"
    assert [c.position for c in chunks] == [0, 1, 2, 3, 4]
    # the same text gives the same ids: they are stable across re-indexing
    assert [c.key for c in chunk_markdown(DOC, "en/returns.md")] == [c.key for c in chunks]


def test_adjacent_sentences_pair_up_for_embedding() -> None:
    body = "Once issued, they take:\n\n- Alipay: 1-3 days.\n- Cards: 5-7 days."
    assert sentence_pairs(body) == ["Once issued, they take: Alipay: 1-3 days.",
                                    "Alipay: 1-3 days. Cards: 5-7 days."]
    assert sentence_pairs("只有一句。") == []


def test_faq_headings_become_question_answer_pairs() -> None:
    chunks = chunk_markdown(DOC + "\n## 问：可以开发票吗？ {#fapiao}\n\n可以。\n", "faq.zh.md")
    pairs = {c.section: c.question for c in chunks if c.question}
    assert pairs == {"lipstick": "Can I return opened lipstick?", "fapiao": "可以开发票吗？"}


def test_language_from_folder_suffix_or_text() -> None:
    assert doc_id_and_language(Path("zh/returns.md")) == ("returns", "zh")
    assert doc_id_and_language(Path("policies/returns.en.md")) == ("returns", "en")
    assert doc_id_and_language(Path("returns.md")) == ("returns", None)
    assert text_language("七天无理由退货，运费由买家承担。") == "zh"
    assert text_language("Returns are free within 7 days (7 天).") == "en"
    detected = chunk_markdown("# 退货\n\n## 期限\n\n签收后七天内可退。", "r.md")
    assert {c.lang for c in detected} == {"zh"}


def test_sample_questions_are_parsed_in_both_languages_and_kept_out_of_the_text() -> None:
    english = chunk_markdown(
        "# Shipping\n\n## Costs {#costs}\n\nOrders over 99 yuan ship free.\n\n"
        "> Customers ask: How much is shipping? | Is delivery free? |\n"
        "> customers ask:Do you charge for delivery?\n\n"
        "> A quoted remark stays in the text.\n", "en/shipping.md")
    assert english[0].sample_questions == ("How much is shipping?", "Is delivery free?",
                                           "Do you charge for delivery?")
    assert english[0].text == ("Orders over 99 yuan ship free.\n\n"
                               "> A quoted remark stays in the text.")
    chinese = chunk_markdown("# 配送\n\n## 运费 {#costs}\n\n满 99 元包邮。\n\n"
                             "> 顾客常问：运费多少？｜周日送货吗？ | 包邮吗？\n", "zh/shipping.md")
    assert chinese[0].sample_questions == ("运费多少？", "周日送货吗？", "包邮吗？")
    assert chinese[0].text == "满 99 元包邮。"
    # a section without the line has none; the questions go with the section they are in
    assert chunk_markdown(DOC, "en/returns.md")[1].sample_questions == ()


def test_sample_questions_of_a_long_section_belong_to_its_first_part() -> None:
    body = "\n\n".join(["This paragraph is about shipping costs and delivery. " * 10] * 8)
    chunks = chunk_markdown(f"# Shipping\n\n## Costs {{#costs}}\n\n{body}\n\n"
                            "> Customers ask: How much is shipping?\n", "shipping.md")
    assert [c.sample_questions for c in chunks] == [("How much is shipping?",)] + [
        ()] * (len(chunks) - 1)


@pytest.mark.parametrize(("text", "message"), [
    ("# T\n\n## Costs\n\nFree over 99.\n\n> Customers ask: | \n",
     r"t\.md:7: a 'Customers ask:' line lists no question"),
    ("# T\n\n## 运费\n\n> 顾客常问：运费多少？\n\n## Next\n\ntext\n",
     r"t\.md:3: section '运费' has sample questions but no text"),
])
def test_malformed_sample_questions_name_the_file_and_line(text: str, message: str) -> None:
    with pytest.raises(DataFormatError, match=message):
        chunk_markdown(text, "t.md")


def test_chinese_headings_keep_their_characters_in_ids() -> None:
    assert slugify("运费说明") == "运费说明"
    assert slugify("Who pays return-shipping?") == "who-pays-return-shipping"


def test_a_repeated_section_id_names_the_file_and_line() -> None:
    text = "# T\n\n## Costs\n\na\n\n## Costs\n\nb\n"
    with pytest.raises(DataFormatError, match=r"shipping\.md:7: section id 'costs' is used "
                       r"twice \(first on line 3\)"):
        chunk_markdown(text, "shipping.md")


def test_long_sections_are_split_at_paragraphs() -> None:
    paragraph = "This paragraph is about shipping costs and delivery. " * 10
    body = "\n\n".join([paragraph] * 8)
    chunks = chunk_markdown(f"# Shipping\n\n## Costs {{#costs}}\n\n{body}\n", "shipping.md")
    assert len(chunks) > 1
    assert chunks[0].section == "costs"
    assert [c.section for c in chunks[1:]] == [f"costs-{i}" for i in range(2, len(chunks) + 1)]
    assert all(len(c.text) <= MAX_SECTION_CHARS for c in chunks)


def test_empty_sections_are_skipped_and_readme_is_not_a_document(tmp_path: Path) -> None:
    assert chunk_markdown("# T\n\n## Empty\n\n## Full\n\ntext\n", "t.md")[0].section == "full"
    (tmp_path / "README.md").write_text("# how to edit")
    (tmp_path / "zh").mkdir()
    (tmp_path / "zh" / "a.md").write_text("# A")
    assert find_documents(tmp_path) == [tmp_path / "zh" / "a.md"]
    with pytest.raises(DataFormatError, match="is not a directory"):
        find_documents(tmp_path / "missing")


def test_tokenizer_segments_chinese_and_normalises_english() -> None:
    assert tokenize("Refunds were shipped") == ["refund", "ship"]
    assert "退货" in tokenize("七天无理由退货的运费谁出？")
    assert "的" not in tokenize("七天无理由退货的运费谁出？")
    mixed = tokenize("PayPal退款要几天")
    assert "paypal" in mixed and "退款" in mixed
    assert stem_en("batteries") == "battery"
