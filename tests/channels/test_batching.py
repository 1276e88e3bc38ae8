"""Concurrent parses are encoded together; each caller gets its own result or error."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from kefu.channels.http.batching import BatchingParser, batching
from kefu.errors import InvalidInput
from kefu.nlu.types import IntentScore, ParseResult


class SlowParser:
    """A parser whose batch call takes 50 ms whatever its size, and refuses 'bad'."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.lock = threading.Lock()

    def parse_batch(self, texts: list[str]) -> list[ParseResult]:
        if "bad" in texts:
            raise InvalidInput("bad text")
        with self.lock:
            self.batches.append(list(texts))
        time.sleep(0.05)
        return [ParseResult(text=t, intent=IntentScore(f"intent-{t}", 1.0)) for t in texts]

    def parse(self, text: str) -> ParseResult:
        return self.parse_batch([text])[0]


def test_concurrent_parses_share_batches_and_keep_their_results() -> None:
    inner = SlowParser()
    parser = BatchingParser(inner, max_batch=8)
    texts = [str(i) for i in range(24)]
    started = time.perf_counter()
    with ThreadPoolExecutor(24) as pool:
        results = list(pool.map(parser.parse, texts))
    elapsed = time.perf_counter() - started
    assert [r.intent.name for r in results] == [f"intent-{t}" for t in texts]
    assert len(inner.batches) < len(texts) and max(map(len, inner.batches)) <= 8
    assert elapsed < 24 * 0.05 / 2  # far less than one call per message
    parser.close()


def test_an_error_reaches_only_its_caller() -> None:
    parser = BatchingParser(SlowParser())
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(parser.parse, t) for t in ("a", "bad", "b", "c")]
    with pytest.raises(InvalidInput):
        futures[1].result()
    assert [futures[i].result().text for i in (0, 2, 3)] == ["a", "b", "c"]
    parser.close()


def test_parsers_without_batches_are_left_alone() -> None:
    class Plain:
        def parse(self, text: str) -> ParseResult:
            return ParseResult(text=text, intent=IntentScore("x", 1.0))

    plain = Plain()
    assert batching(plain) is plain
    wrapped = batching(SlowParser())
    assert isinstance(wrapped, BatchingParser) and batching(wrapped) is wrapped
    wrapped.close()
