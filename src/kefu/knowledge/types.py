"""The plain data types of the knowledge base: chunks, passages, answers, index reports."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Chunk:
    """One section of one Markdown document, as indexed.

    ``doc`` is the file's stem (``returns``), ``section`` a stable id within it
    (``seven-day-returns``); the same ``doc#section`` in two languages is the same topic.
    """

    doc: str
    section: str
    lang: str  # "zh" or "en"
    title: str  # the document title (its "# " heading, else the file name)
    heading: str  # the section heading
    text: str  # the section body, Markdown as written
    source_path: str  # path relative to the knowledge base directory
    position: int  # order of the section in its file
    question: str | None = None  # set for FAQ pairs ("## Q: ..." / "## 问：...")
    # how customers ask for this section ("> Customers ask: ..."), matched, never quoted
    sample_questions: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.doc}#{self.section}"

    def index_text(self) -> str:
        """What the section's embedding sees: title, heading and body."""
        return f"{self.title}. {self.heading}\n{self.text}"

    def bm25_text(self) -> str:
        """What BM25 sees: title, heading, body and the sample questions."""
        return "\n".join((self.index_text(), *self.sample_questions))


@dataclass(frozen=True)
class Passage:
    """A retrieved section with its score (higher is better) and how each retriever saw it."""

    doc: str
    section: str
    text: str
    score: float
    lang: str
    source_path: str
    title: str = ""
    heading: str = ""
    bm25_score: float = 0.0
    dense_score: float = 0.0  # cosine between question and passage embeddings
    question: str | None = None
    # the language of the version that scored dense_score (may differ from ``lang``)
    matched_lang: str = ""

    @property
    def key(self) -> str:
        return f"{self.doc}#{self.section}"


@dataclass(frozen=True)
class Source:
    """Where an answer comes from, to cite it."""

    doc: str
    section: str
    title: str
    heading: str
    lang: str
    source_path: str

    def cite(self) -> str:
        return f"{self.title} › {self.heading}"


@dataclass(frozen=True)
class Answer:
    """A reply to a knowledge question. ``confident`` False means: say so, offer a human.

    ``text`` is the whole reply (passage and source line); ``body`` the condensed passage
    alone, for callers that word the reply themselves (the dialogue's templates).
    """

    text: str
    sources: tuple[Source, ...]
    confident: bool
    lang: str
    passages: tuple[Passage, ...] = field(default=(), compare=False)
    # True when the answer quotes a passage in the other language (no version in ``lang``).
    other_language: bool = False
    faq: bool = False  # answered from a question-answer pair matched exactly
    body: str = ""


@dataclass(frozen=True)
class IndexReport:
    """What ``KnowledgeBase.index`` did."""

    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    chunks: int  # chunks in the index afterwards
    embedded: int  # chunks embedded this time
    seconds: float = field(default=0.0, compare=False)

    @property
    def changed(self) -> tuple[str, ...]:
        return self.added + self.updated + self.removed
