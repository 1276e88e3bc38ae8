"""Parse the messages of concurrent turns together: one encoder call for a whole batch.

Under load, many turns wait for the NLU model at once; on a CPU, encoding eight short
messages in one call costs far less than eight calls. :class:`BatchingParser` wraps a
parser that has ``parse_batch`` with the plain ``parse(text)`` interface the engine uses:
each caller queues its text and waits; one background thread encodes whatever is queued
(up to ``max_batch``) each time it finishes the previous batch. A lone message is parsed at
once, with no added wait.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from kefu.nlu.types import ParseResult


@dataclass
class _Pending:
    text: str
    done: threading.Event = field(default_factory=threading.Event)
    result: ParseResult | None = None
    error: BaseException | None = None


class BatchingParser:
    """``parse(text)`` over ``inner.parse_batch`` with the queued texts of other threads."""

    def __init__(self, inner: Any, max_batch: int = 16) -> None:
        if max_batch < 1:
            raise ValueError(f"max_batch must be at least 1, got {max_batch}")
        self.inner = inner
        self.max_batch = max_batch
        self._queue: deque[_Pending] = deque()
        self._ready = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="kefu-nlu-batcher", daemon=True)
        self._thread.start()

    def __getattr__(self, name: str) -> Any:  # classifier, extractor... of the inner parser
        return getattr(self.inner, name)

    def parse(self, text: str) -> ParseResult:
        pending = _Pending(text)
        with self._ready:
            if self._closed:
                raise RuntimeError("the NLU batcher is closed")
            self._queue.append(pending)
            self._ready.notify()
        pending.done.wait()
        if pending.error is not None:
            raise pending.error
        assert pending.result is not None
        return pending.result

    def parse_batch(self, texts: list[str]) -> list[ParseResult]:
        return list(self.inner.parse_batch(texts))

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify()

    def _run(self) -> None:
        while True:
            with self._ready:
                while not self._queue and not self._closed:
                    self._ready.wait()
                if self._closed and not self._queue:
                    return
                batch = [self._queue.popleft()
                         for _ in range(min(self.max_batch, len(self._queue)))]
            self._parse(batch)

    def _parse(self, batch: list[_Pending]) -> None:
        try:
            results = self.inner.parse_batch([p.text for p in batch])
        except BaseException:  # one bad text must not fail the others: parse them alone
            if len(batch) == 1:
                import sys

                batch[0].error = sys.exc_info()[1]
                batch[0].done.set()
                return
            for pending in batch:
                self._parse([pending])
            return
        for pending, result in zip(batch, results, strict=True):
            pending.result = result
            pending.done.set()


def batching(nlu: Any) -> Any:
    """``nlu`` wrapped in a :class:`BatchingParser` when it can parse batches."""
    if isinstance(nlu, BatchingParser) or not callable(getattr(nlu, "parse_batch", None)):
        return nlu
    return BatchingParser(nlu)
