"""Opening the knowledge base for a running assistant: once per process, on first need,
indexed by one process at a time, sharing the intent model's encoder."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from kefu.knowledge import KnowledgeBase
from kefu.knowledge.retrieval import encoder_identity
from kefu.knowledge.source import KnowledgeSource, refresh
from kefu.knowledge.store import IndexStore
from kefu.nlu.encoder import SentenceEncoder
from tests.knowledge.conftest import HashingEncoder, write_kb
from tests.knowledge.test_index_store import FILES


def _index_in_a_process(url: str, root: str, results: multiprocessing.Queue) -> None:
    kb = KnowledgeBase(IndexStore(url), HashingEncoder())
    report = kb.index(root)
    results.put(report.embedded)
    kb.close()


def test_two_processes_indexing_one_database_embed_each_file_once(tmp_path: Path) -> None:
    root = write_kb(tmp_path / "kb", FILES)
    url = f"sqlite:///{tmp_path / 'index.db'}"
    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue = context.Queue()
    workers = [context.Process(target=_index_in_a_process, args=(url, str(root), results))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    embedded = sorted(results.get(timeout=5) for _ in workers)
    assert embedded == [0, 5]  # the second waited for the lock, then found it all indexed
    kb = KnowledgeBase(IndexStore(url), HashingEncoder())
    assert sorted(c.key + "/" + c.lang for c in kb.chunks) == [
        "returns#window/en", "shipping#carriers/en", "shipping#carriers/zh",
        "shipping#costs/en", "shipping#costs/zh"]


def test_the_source_opens_the_knowledge_base_once_on_first_need(tmp_path: Path) -> None:
    root = write_kb(tmp_path / "kb", FILES)
    opened: list[KnowledgeBase] = []

    def opener() -> KnowledgeBase:
        kb = KnowledgeBase(IndexStore(f"sqlite:///{tmp_path / 'index.db'}"), HashingEncoder())
        kb.index(root)
        opened.append(kb)
        return kb

    source = KnowledgeSource(opener)
    assert not source.is_open and opened == []  # nothing happens before a question
    got: list[KnowledgeBase] = []
    threads = [threading.Thread(target=lambda: got.append(source.get())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(opened) == 1 and all(kb is opened[0] for kb in got) and source.is_open
    source.close()
    assert not source.is_open


def test_closing_waits_for_an_opening_in_the_background(tmp_path: Path) -> None:
    root = write_kb(tmp_path / "kb", FILES)
    started, release = threading.Event(), threading.Event()
    closed: list[bool] = []

    class Recorded(KnowledgeBase):
        def close(self) -> None:
            closed.append(True)
            super().close()

    def opener() -> KnowledgeBase:
        started.set()
        release.wait(timeout=10)  # still opening when close() is called
        kb = Recorded(IndexStore(f"sqlite:///{tmp_path / 'index.db'}"), HashingEncoder())
        kb.index(root)
        return kb

    source = KnowledgeSource(opener)
    source.open_in_background()
    assert started.wait(timeout=10)
    threading.Timer(0.2, release.set).start()
    source.close()  # waits for the opening, then closes what it opened
    assert closed == [True] and not source.is_open


def test_refresh_follows_the_indexed_folder_and_its_edits(tmp_path: Path) -> None:
    root = write_kb(tmp_path / "kb", FILES)
    encoder = HashingEncoder()
    kb = KnowledgeBase(IndexStore(f"sqlite:///{tmp_path / 'index.db'}"), encoder)
    kb.index(root)
    encoder.embedded.clear()
    refresh(kb)  # the folder it was built from, not the shipped knowledge base
    assert encoder.embedded == []
    (root / "en" / "returns.md").write_text(
        "# Returns\n\n## Window {#window}\n\nReturn within 10 days of delivery.\n",
        encoding="utf-8")
    refresh(kb)
    assert any("10 days" in text for text in encoder.embedded)
    assert {c.key for c in kb.chunks} == {"returns#window", "shipping#carriers",
                                           "shipping#costs"}


def test_an_empty_index_is_filled_from_the_shipped_knowledge_base(tmp_path: Path) -> None:
    kb = KnowledgeBase(IndexStore(f"sqlite:///{tmp_path / 'index.db'}"), HashingEncoder())
    refresh(kb)
    docs = {c.doc for c in kb.chunks}
    assert {"returns", "refunds", "shipping", "invoices", "payment"} <= docs


def test_is_current_compares_the_files_without_loading_a_model(tmp_path: Path) -> None:
    from kefu.knowledge.base import default_index_url
    from kefu.knowledge.source import is_current
    from kefu.settings import load_settings

    settings = load_settings()  # KEFU_HOME is a temporary folder in tests
    assert not is_current(settings)  # no index yet
    root = write_kb(tmp_path / "kb", FILES)
    kb = KnowledgeBase(IndexStore(default_index_url(settings)), HashingEncoder())
    kb.index(root)
    assert is_current(settings)
    (root / "en" / "returns.md").write_text("# Returns\n\n## Window\n\nTen days.\n",
                                            encoding="utf-8")
    assert not is_current(settings)
    kb.close()


@pytest.mark.xdist_group("nlu_model")
def test_the_intent_models_encoder_counts_as_the_prepared_one(
        e5_dir: Path, tmp_path: Path) -> None:
    """A frozen intent model links the prepared encoder's files: retrieval can use its
    copy without re-embedding an index built with the prepared one."""
    import os
    import shutil

    linked = tmp_path / "kefu-nlu" / "encoder"
    linked.mkdir(parents=True)
    for item in e5_dir.iterdir():
        if item.is_file():
            try:
                os.link(item, linked / item.name)
            except OSError:  # another file system: a copy is the same files
                shutil.copy2(item, linked / item.name)
    base = SentenceEncoder.load(e5_dir)
    copy = SentenceEncoder.load(linked)
    assert encoder_identity(base) == encoder_identity(copy)
    assert encoder_identity(base).startswith("multilingual-e5-small@")
