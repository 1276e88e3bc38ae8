"""Rate limits: per process in memory, shared by every worker in Redis."""

from __future__ import annotations

import uuid

import pytest

from kefu.channels.http.ratelimit import (
    MemoryRateLimiter,
    NoRateLimit,
    RedisRateLimiter,
    TooManyRequests,
    make_rate_limiter,
)
from tests.conftest import REDIS_URL, require_redis


def test_memory_limiter_counts_each_client() -> None:
    limiter = MemoryRateLimiter(2)
    limiter.hit("a")
    limiter.hit("a")
    limiter.hit("b")
    with pytest.raises(TooManyRequests) as caught:
        limiter.hit("a")
    assert 1 <= caught.value.retry_after <= 61 and caught.value.status_code == 429


@pytest.mark.redis
def test_redis_limiter_is_shared_between_instances() -> None:
    require_redis()
    client = f"test-{uuid.uuid4().hex}"
    one, two = RedisRateLimiter(REDIS_URL, 3), RedisRateLimiter(REDIS_URL, 3)
    one.hit(client)
    two.hit(client)
    one.hit(client)
    with pytest.raises(TooManyRequests):
        two.hit(client)


def test_zero_turns_the_limit_off() -> None:
    assert isinstance(make_rate_limiter(0, None), NoRateLimit)
    assert isinstance(make_rate_limiter(5, None), MemoryRateLimiter)
