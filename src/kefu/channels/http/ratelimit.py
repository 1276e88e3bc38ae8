"""Requests per client per minute: a fixed one-minute window, in Redis or in memory.

With ``redis_url`` set, every worker counts in the same Redis key (``INCR`` + expiry), so
the limit holds however many processes serve; without it each process counts its own.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol

from kefu.errors import KefuError

WINDOW_SECONDS = 60


class TooManyRequests(KefuError):
    status_code = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after


class RateLimiter(Protocol):
    def hit(self, client: str) -> None:
        """Count one request of ``client``; :class:`TooManyRequests` over the limit."""
        ...


def _too_many(limit: int, window_start: float) -> TooManyRequests:
    retry = max(1, int(window_start + WINDOW_SECONDS - time.time()) + 1)
    return TooManyRequests(f"more than {limit} requests in a minute from this client",
                           retry_after=retry, hint=f"retry in {retry} s")


class MemoryRateLimiter:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._counts: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def hit(self, client: str) -> None:
        now = time.time()
        window = now - now % WINDOW_SECONDS
        with self._lock:
            start, count = self._counts.get(client, (window, 0))
            if start != window:
                start, count = window, 0
                if len(self._counts) > 100_000:  # forget old windows now and then
                    self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
            count += 1
            self._counts[client] = (start, count)
        if count > self.per_minute:
            raise _too_many(self.per_minute, start)


class RedisRateLimiter:
    def __init__(self, url: str, per_minute: int) -> None:
        import redis

        self.per_minute = per_minute
        self.client = redis.Redis.from_url(url)

    def hit(self, client: str) -> None:
        now = time.time()
        window = int(now - now % WINDOW_SECONDS)
        key = f"kefu:ratelimit:{window}:{client}"
        pipe = self.client.pipeline()
        pipe.incr(key)
        pipe.expire(key, WINDOW_SECONDS * 2)
        count = int(pipe.execute()[0])
        if count > self.per_minute:
            raise _too_many(self.per_minute, window)


class NoRateLimit:
    def hit(self, client: str) -> None:
        return None


def make_rate_limiter(per_minute: int, redis_url: str | None) -> RateLimiter:
    if per_minute <= 0:
        return NoRateLimit()
    if redis_url:
        return RedisRateLimiter(redis_url, per_minute)
    return MemoryRateLimiter(per_minute)
