"""The knowledge base of a running assistant: opened once per process, on first need.

The dialogue engine holds a :class:`KnowledgeSource`, not a :class:`KnowledgeBase`: most
turns never ask the knowledge base anything, so nothing is loaded (and nothing indexed)
until the first question that needs it. Opening it brings the index up to date with its
folder (the shipped knowledge base unless ``kefu kb index DIR`` chose another): unchanged
files only cost a hash, and :func:`kefu.knowledge.base.index_lock` keeps two processes
from indexing at once. The encoder is the intent model's own when that model is a frozen
head on the prepared e5 encoder, so the process holds one copy of the weights.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kefu.knowledge.base import KnowledgeBase, Progress, default_kb_dir
from kefu.knowledge.store import IndexStore
from kefu.knowledge.types import IndexReport

if TYPE_CHECKING:
    from kefu.nlu.encoder import SentenceEncoder
    from kefu.nlu.encoder.onnx import OnnxSentenceEncoder
    from kefu.settings import Settings

log = logging.getLogger(__name__)


class KnowledgeSource:
    """A knowledge base opened by ``opener`` on the first :meth:`get`, then kept.

    Thread-safe: HTTP workers asking their first questions together open it once.
    """

    def __init__(self, opener: Callable[[], KnowledgeBase]) -> None:
        self._opener = opener
        self._kb: KnowledgeBase | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @classmethod
    def of(cls, kb: KnowledgeBase) -> KnowledgeSource:
        """A source over an already open knowledge base (tests, embedding callers)."""
        source = cls(lambda: kb)
        source._kb = kb
        return source

    @classmethod
    def from_settings(cls, settings: Settings,
                      encoder: Callable[[], SentenceEncoder | OnnxSentenceEncoder | None]
                      | None = None
                      ) -> KnowledgeSource:
        """The configured index (``knowledge.db`` in KEFU_HOME, or the store's PostgreSQL
        database), brought up to date when first needed. ``encoder`` gives an already
        loaded e5 encoder to share (None: load the configured one)."""

        def opener() -> KnowledgeBase:
            from kefu.knowledge.retrieval import E5Encoder

            shared = encoder() if encoder is not None else None
            kb = KnowledgeBase.open(settings, auto_index=False,
                                    encoder=E5Encoder(shared) if shared is not None else None)
            refresh(kb)
            return kb

        return cls(opener)

    def get(self) -> KnowledgeBase:
        if self._kb is None:
            with self._lock:
                if self._kb is None:
                    self._kb = self._opener()
        return self._kb

    @property
    def is_open(self) -> bool:
        return self._kb is not None

    def open_in_background(self) -> None:
        """Start opening it in a thread (an interactive chat, so the first question does
        not wait for the index to load); :meth:`get` then waits for that thread's work."""
        if self._kb is not None or self._thread is not None:
            return

        def run() -> None:
            try:
                # loading the sections, BM25 and jieba's dictionary happens on first search
                self.get().search("退货 return", top_k=1)
            except Exception:  # noqa: BLE001 - get() raises it again where it is needed
                log.exception("opening the knowledge base failed")

        self._thread = threading.Thread(target=run, name="kefu-kb-open", daemon=True)
        self._thread.start()

    def settle(self) -> None:
        """Let a background opening finish: leaving the process while ONNX Runtime builds
        its threads aborts it ("terminate called without an active exception")."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def close(self) -> None:
        """Close the knowledge base (after :meth:`settle`)."""
        self.settle()
        if self._kb is not None:
            self._kb.close()
            self._kb = None


def refresh(kb: KnowledgeBase, progress: Progress | None = None) -> IndexReport | None:
    """Bring the index up to date with the folder it was built from (the shipped
    knowledge base when it is empty). Unchanged files are only hashed."""
    folder = indexed_folder(kb.store)
    if not folder.is_dir():
        # indexed from a folder that has since moved: keep serving what was indexed
        log.warning("the knowledge base folder %s is gone; using the index as it is", folder)
        return None
    report = kb.index(folder, progress=progress)
    if report.embedded:
        log.info("knowledge base %s: %d sections embedded in %.1f s", folder, report.embedded,
                 report.seconds)
    return report


def indexed_folder(store: IndexStore) -> Path:
    root = store.get_meta("root")
    return Path(root) if root else default_kb_dir()


def is_current(settings: Settings) -> bool:
    """Whether the configured index matches its folder file for file (by hash) and was
    built by this kefu's recipe; checked without loading any model."""
    import hashlib

    from kefu.knowledge.base import INDEX_RECIPE, default_index_url
    from kefu.knowledge.chunking import find_documents

    store = IndexStore(default_index_url(settings))
    try:
        folder = indexed_folder(store)
        if store.get_meta("recipe") != INDEX_RECIPE:
            return False
        if not folder.is_dir():
            return True  # nothing to compare with: refresh() keeps the index as it is
        on_disk = {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                   for p in find_documents(folder)}
        return bool(on_disk) and on_disk == store.document_hashes()
    finally:
        store.dispose()


def prepare(settings: Settings, progress: Progress | None = None) -> IndexReport | None:
    """Index the configured knowledge base ahead of the first question (``kefu demo``),
    with ``progress``; None when it was already up to date (no model is loaded then)."""
    if is_current(settings):
        return None
    kb = KnowledgeBase.open(settings, auto_index=False)
    try:
        return refresh(kb, progress)
    finally:
        kb.close()

