"""Answers: the most relevant sentences of the best section, in the customer's language.

Extractive only: every sentence of an answer is a sentence of the knowledge base. The
section is read in the customer's language when the document has that version; when only
the other language has it, the answer says so and quotes it. When no section is close
enough to the question, the answer says kefu does not know and offers a human.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from kefu.knowledge.chunking import question_language, sentences
from kefu.knowledge.faq import match_faq
from kefu.knowledge.retrieval import ranking
from kefu.knowledge.tokenize import tokenize
from kefu.knowledge.types import Answer, Passage, Source

if TYPE_CHECKING:
    from kefu.knowledge.base import KnowledgeBase

MAX_SENTENCES = 3
MAX_CHARS = {"zh": 160, "en": 360}

DONT_KNOW = {
    "zh": "抱歉，本店的资料里没有找到这个问题的答案。需要为您转接人工客服吗？",
    "en": "Sorry, I couldn't find the answer to that in our store's information. "
          "Would you like me to connect you with a human agent?",
}
ONLY_IN_OTHER = {
    "zh": "这部分说明只有英文版本，原文如下：",
    "en": "This is only documented in Chinese; here is the original text:",
}
SOURCE_LINE = {"zh": "（来源：{}）", "en": "(Source: {})"}



def answer_language(question: str, lang: str | None) -> str:
    return lang if lang in ("zh", "en") else question_language(question)


def condense(kb: KnowledgeBase, question: str, question_vector: np.ndarray,
             passage: Passage) -> str:
    """The sentences of ``passage`` most relevant to ``question``, in their original order."""
    candidates = sentences(passage.text)
    lang = passage.lang
    if len(candidates) <= 1:
        return " ".join(candidates) if candidates else passage.text.strip()
    vectors = kb.sentence_vectors(passage)
    if len(vectors) != len(candidates):  # not indexed as stored: embed now
        vectors = kb.encoder.encode_passages([f"{passage.heading}: {c}" for c in candidates])
    similarity = vectors @ question_vector
    asked = set(tokenize(question))
    overlap = np.array([len(asked & set(tokenize(s))) / (len(asked) or 1) for s in candidates])
    scores = similarity + 0.1 * overlap
    chosen: list[int] = []
    length = 0
    for i in ranking(scores):
        if chosen and (len(chosen) >= MAX_SENTENCES
                       or length + len(candidates[i]) > MAX_CHARS.get(lang, 360)
                       or scores[i] < scores[chosen[0]] - 0.05):
            continue
        chosen.append(i)
        length += len(candidates[i])
    # A chosen lead-in ("Once issued, they take:") means nothing without its list: add
    # the items after it while they fit ("退款多久到账" wants every payment method).
    for i in sorted(chosen):
        if not candidates[i].endswith((":", "：")):
            continue
        for j in range(i + 1, len(candidates)):
            if j in chosen:
                continue
            if length + len(candidates[j]) > MAX_CHARS.get(lang, 360):
                break
            chosen.append(j)
            length += len(candidates[j])
    joiner = "" if lang == "zh" else " "
    return joiner.join(candidates[i] for i in sorted(chosen))


def _source(p: Passage) -> Source:
    return Source(doc=p.doc, section=p.section, title=p.title, heading=p.heading,
                  lang=p.lang, source_path=p.source_path)


def compose_answer(kb: KnowledgeBase, question: str, lang: str | None = None) -> Answer:
    lang = answer_language(question, lang)
    faq_pairs = [c for c in kb.chunks if c.question]
    matched = match_faq(question, faq_pairs)
    if matched:
        pair = matched[0]
        hit = Passage(doc=pair.doc, section=pair.section, text=pair.text, score=1.0,
                      lang=pair.lang, source_path=pair.source_path, title=pair.title,
                      heading=pair.heading, question=pair.question)
        hit = kb.version(hit, lang)
        body = ("" if hit.lang == "zh" else " ").join(sentences(hit.text))
        other = hit.lang != lang
        shown = f"{ONLY_IN_OTHER[lang]}\n{body}" if other else body
        return Answer(text=f"{shown}\n{SOURCE_LINE[lang].format(_source(hit).cite())}",
                      sources=(_source(hit),), confident=True, lang=lang, passages=(hit,),
                      other_language=other, faq=True, body=body)
    vector = kb.embed_question(question)
    passages = kb.search(question, lang, top_k=3, query_vector=vector)
    if not passages:
        return Answer(text=DONT_KNOW[lang], sources=(), confident=False, lang=lang)
    best = passages[0]
    if not kb.options.good_enough(best, question_language(question)):
        return Answer(text=DONT_KNOW[lang], sources=(), confident=False, lang=lang,
                      passages=tuple(passages))
    other = best.lang != lang
    body = condense(kb, question, vector, best)
    shown = f"{ONLY_IN_OTHER[lang]}\n“{body}”" if other else body
    return Answer(text=f"{shown}\n{SOURCE_LINE[lang].format(_source(best).cite())}",
                  sources=(_source(best),), confident=True, lang=lang,
                  passages=tuple(passages), other_language=other, body=body)
