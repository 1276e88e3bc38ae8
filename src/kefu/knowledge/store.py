"""Where the index lives: a SQLite file by default, PostgreSQL when configured.

One SQLAlchemy schema (tables ``kb_documents``, ``kb_chunks``, ``kb_meta``) serves both.
Each chunk keeps its BM25 tokens (so loading needs no segmentation), its embedding, one
embedding per sentence, one per pair of adjacent sentences and one per sample question
("Customers ask: ...") as float32 bytes (the
PostgreSQL server here has no pgvector; ranking is done in numpy, which for a store's few
hundred sections takes well under a millisecond).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    insert,
    select,
)
from sqlalchemy.engine import Engine, make_url

from kefu.knowledge.types import Chunk

metadata = MetaData()
# Bumped when the tables change; an index of another version is dropped and rebuilt.
SCHEMA_VERSION = "4"

documents = Table(
    "kb_documents", metadata,
    Column("source_path", String(500), primary_key=True),
    Column("doc", String(200), nullable=False),
    Column("lang", String(8), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("chunks", Integer, nullable=False),
    Column("indexed_at", DateTime(timezone=True), nullable=False),
)

chunks = Table(
    "kb_chunks", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_path", String(500), nullable=False, index=True),
    Column("doc", String(200), nullable=False),
    Column("section", String(200), nullable=False),
    Column("lang", String(8), nullable=False),
    Column("title", Text, nullable=False),
    Column("heading", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("question", Text, nullable=True),
    Column("position", Integer, nullable=False),
    Column("tokens", Text, nullable=False),  # BM25 tokens joined by spaces
    Column("embedding", LargeBinary, nullable=False),  # float32, little-endian
    # one embedding per sentence of ``text`` (chunking.sentences), row after row
    Column("sentence_embeddings", LargeBinary, nullable=False),
    # one embedding per pair of adjacent sentences (chunking.sentence_pairs), likewise
    Column("pair_embeddings", LargeBinary, nullable=False),
    # the section's sample questions, one a line, and their embeddings (as queries)
    Column("sample_questions", Text, nullable=False),
    Column("question_embeddings", LargeBinary, nullable=False),
)

meta = Table(
    "kb_meta", metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)


@dataclass(frozen=True)
class StoredChunk:
    chunk: Chunk
    tokens: tuple[str, ...]
    embedding: np.ndarray
    sentence_embeddings: np.ndarray  # (sentences, dimension)
    pair_embeddings: np.ndarray  # (sentences - 1, dimension): adjacent sentences together
    question_embeddings: np.ndarray  # (sample questions, dimension)


@contextmanager
def index_lock(url: str) -> Iterator[None]:
    """Held while an index is written: two processes indexing one database at once (test
    workers, serve workers answering their first question) would interleave their
    deletes and inserts. SQLite files lock next to the file; other databases lock a file
    in the temporary directory named after the URL (one machine)."""
    from filelock import FileLock

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(str(parsed.database)).expanduser()
        lock = path.with_name(path.name + ".lock")
    else:
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
        lock = Path(tempfile.gettempdir()) / f"kefu-kb-{digest}.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(lock)):
        yield


class IndexStore:
    """The persisted index of one knowledge base."""

    def __init__(self, url: str) -> None:
        self.url = url
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "",
                                                                              ":memory:"):
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url)
        with index_lock(url):  # processes opening a new index together create it once
            metadata.create_all(self.engine)
            if self.get_meta("schema") != SCHEMA_VERSION:
                # an index is derived data: rebuilding it is always safe
                metadata.drop_all(self.engine)
                metadata.create_all(self.engine)
                self.set_meta("schema", SCHEMA_VERSION)

    def dispose(self) -> None:
        self.engine.dispose()

    def document_hashes(self) -> dict[str, str]:
        """``source_path -> sha256`` of every indexed file."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(documents.c.source_path, documents.c.sha256))
            return {row.source_path: row.sha256 for row in rows}

    def replace_document(self, source_path: str, sha256: str, doc_chunks: Sequence[Chunk],
                         tokens: Sequence[Sequence[str]], embeddings: np.ndarray,
                         sentence_embeddings: Sequence[np.ndarray],
                         pair_embeddings: Sequence[np.ndarray],
                         question_embeddings: Sequence[np.ndarray]) -> None:
        """Put one file's chunks in place of what was indexed for it, all or nothing."""
        doc = doc_chunks[0].doc if doc_chunks else source_path
        lang = doc_chunks[0].lang if doc_chunks else ""
        with self.engine.begin() as conn:
            conn.execute(delete(chunks).where(chunks.c.source_path == source_path))
            conn.execute(delete(documents).where(documents.c.source_path == source_path))
            conn.execute(insert(documents).values(
                source_path=source_path, doc=doc, lang=lang, sha256=sha256,
                chunks=len(doc_chunks), indexed_at=datetime.now(UTC)))
            if doc_chunks:
                conn.execute(insert(chunks), [
                    {"source_path": c.source_path, "doc": c.doc, "section": c.section,
                     "lang": c.lang, "title": c.title, "heading": c.heading, "text": c.text,
                     "question": c.question, "position": c.position, "tokens": " ".join(t),
                     "embedding": np.asarray(e, dtype="<f4").tobytes(),
                     "sentence_embeddings": np.asarray(se, dtype="<f4").tobytes(),
                     "pair_embeddings": np.asarray(pe, dtype="<f4").tobytes(),
                     "sample_questions": "\n".join(c.sample_questions),
                     "question_embeddings": np.asarray(qe, dtype="<f4").tobytes()}
                    for c, t, e, se, pe, qe in zip(doc_chunks, tokens, embeddings,
                                                   sentence_embeddings, pair_embeddings,
                                                   question_embeddings, strict=True)])

    def remove_document(self, source_path: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(chunks).where(chunks.c.source_path == source_path))
            conn.execute(delete(documents).where(documents.c.source_path == source_path))

    def clear(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(chunks))
            conn.execute(delete(documents))

    def load(self) -> list[StoredChunk]:
        """Every chunk, in file and section order."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(chunks).order_by(chunks.c.source_path,
                                                        chunks.c.position)).all()
        out = []
        for r in rows:
            embedding = np.frombuffer(r.embedding, dtype="<f4")
            dimension = embedding.shape[0]
            out.append(StoredChunk(
                chunk=Chunk(doc=r.doc, section=r.section, lang=r.lang, title=r.title,
                            heading=r.heading, text=r.text, source_path=r.source_path,
                            position=r.position, question=r.question,
                            sample_questions=tuple(filter(None,
                                                          r.sample_questions.split("\n")))),
                tokens=tuple(r.tokens.split()) if r.tokens else (),
                embedding=embedding,
                sentence_embeddings=np.frombuffer(r.sentence_embeddings, dtype="<f4")
                .reshape(-1, dimension),
                pair_embeddings=np.frombuffer(r.pair_embeddings, dtype="<f4")
                .reshape(-1, dimension),
                question_embeddings=np.frombuffer(r.question_embeddings, dtype="<f4")
                .reshape(-1, dimension),
            ))
        return out

    def get_meta(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()

    def set_meta(self, key: str, value: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(meta).where(meta.c.key == key))
            conn.execute(insert(meta).values(key=key, value=value))
