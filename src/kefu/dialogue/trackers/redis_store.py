"""Conversations in Redis.

Keys, all under ``key_prefix`` (default ``kefu:tracker:``):

* ``events:<id>``: a list, one JSON event per element, appended with one ``RPUSH``;
* ``meta:<id>``: a hash with ``created_at``;
* ``conversations``: a sorted set of ids scored by the time of their last append.

An append is one ``MULTI``/``EXEC`` transaction, so a turn's events are never split.
The per-conversation lock is redis-py's :class:`redis.lock.Lock` on ``lock:<id>``: a key
with a random token and a lease (``lock_lease`` seconds, renewed by nobody), so a
crashed worker's lock frees itself when the lease ends. Keep the lease longer than the
slowest turn.

A URL may carry both as query parameters:
``redis://host:6379/0?key_prefix=shop1:&lock_lease=120``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from kefu.dialogue.events import Event
from kefu.dialogue.trackers.base import (
    DEFAULT_LOCK_TIMEOUT,
    ConversationSummary,
    check_conversation_id,
    check_page,
    check_timeout,
    decode_event,
    encode_event,
    locked_error,
)
from kefu.errors import BackendUnavailable, InvalidInput

log = logging.getLogger(__name__)

DEFAULT_KEY_PREFIX = "kefu:tracker:"
DEFAULT_LOCK_LEASE = 60.0


_KEFU_PARAMS = ("key_prefix", "lock_lease")


def split_kefu_params(url: str) -> tuple[str, dict[str, str]]:
    """``url`` without kefu's own query parameters (``key_prefix``, ``lock_lease``), and
    those parameters (redis-py would refuse them)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    ours = {k: v for k, v in query if k in _KEFU_PARAMS}
    rest = urlencode([(k, v) for k, v in query if k not in _KEFU_PARAMS])
    return urlunsplit(parts._replace(query=rest)), ours


def split_key_prefix(url: str) -> tuple[str, str | None]:
    """``url`` without kefu's query parameters, and its ``key_prefix`` if any."""
    bare, params = split_kefu_params(url)
    return bare, params.get("key_prefix")


class RedisTrackerStore:
    """Tracker store on a Redis server (``redis://`` or ``rediss://`` URL)."""

    def __init__(self, url: str, *, key_prefix: str | None = None,
                 lock_lease: float | None = None) -> None:
        import redis

        url, params = split_kefu_params(url)
        if lock_lease is None:
            try:
                lock_lease = float(params.get("lock_lease", DEFAULT_LOCK_LEASE))
            except ValueError:
                raise InvalidInput(f"lock_lease in the Redis URL must be a number of seconds, "
                                   f"got {params['lock_lease']!r}") from None
        if lock_lease <= 0:
            raise InvalidInput(f"lock_lease must be greater than 0 seconds, got {lock_lease}")
        self.url = url
        self.key_prefix = key_prefix or params.get("key_prefix") or DEFAULT_KEY_PREFIX
        self.lock_lease = lock_lease
        self.client = redis.Redis.from_url(url)
        try:
            self.client.ping()
        except redis.RedisError as exc:
            raise BackendUnavailable(
                f"cannot reach the Redis tracker store at {url}: {exc}",
                hint="check KEFU_TRACKER_URL and that Redis is running") from None

    def _events_key(self, conversation_id: str) -> str:
        return f"{self.key_prefix}events:{conversation_id}"

    def _meta_key(self, conversation_id: str) -> str:
        return f"{self.key_prefix}meta:{conversation_id}"

    @property
    def _index_key(self) -> str:
        return f"{self.key_prefix}conversations"

    def append(self, conversation_id: str, events: Sequence[Event]) -> None:
        check_conversation_id(conversation_id)
        if not events:
            return
        now = time.time()
        pipe = self.client.pipeline(transaction=True)
        pipe.rpush(self._events_key(conversation_id), *(encode_event(e) for e in events))
        pipe.hsetnx(self._meta_key(conversation_id), "created_at", repr(now))
        pipe.zadd(self._index_key, {conversation_id: now})
        pipe.execute()

    def events(self, conversation_id: str) -> list[Event]:
        check_conversation_id(conversation_id)
        raw = self.client.lrange(self._events_key(conversation_id), 0, -1)
        return [decode_event(item, where=f"{conversation_id}#{i}: ")
                for i, item in enumerate(raw)]

    def exists(self, conversation_id: str) -> bool:
        check_conversation_id(conversation_id)
        return bool(self.client.exists(self._events_key(conversation_id)))

    def event_count(self, conversation_id: str) -> int:
        check_conversation_id(conversation_id)
        return int(self.client.llen(self._events_key(conversation_id)))

    def list_conversations(self, limit: int = 50, offset: int = 0) -> list[ConversationSummary]:
        check_page(limit, offset)
        ranked: Any = self.client.zrevrange(self._index_key, offset, offset + limit - 1,
                                            withscores=True)
        if not ranked:
            return []
        pipe = self.client.pipeline(transaction=False)
        for member, _ in ranked:
            cid = member.decode() if isinstance(member, bytes) else member
            pipe.llen(self._events_key(cid))
            pipe.hget(self._meta_key(cid), "created_at")
        answers = pipe.execute()
        summaries = []
        for i, (member, updated) in enumerate(ranked):
            cid = member.decode() if isinstance(member, bytes) else member
            count, created = answers[2 * i], answers[2 * i + 1]
            summaries.append(ConversationSummary(cid, int(count),
                                                 float(created) if created else updated,
                                                 float(updated)))
        return summaries

    def delete(self, conversation_id: str) -> bool:
        check_conversation_id(conversation_id)
        pipe = self.client.pipeline(transaction=True)
        pipe.delete(self._events_key(conversation_id), self._meta_key(conversation_id))
        pipe.zrem(self._index_key, conversation_id)
        deleted, _ = pipe.execute()
        return bool(deleted)

    @contextmanager
    def lock(self, conversation_id: str,
             timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
        from redis.exceptions import LockError

        check_conversation_id(conversation_id)
        timeout = check_timeout(timeout)
        lock = self.client.lock(f"{self.key_prefix}lock:{conversation_id}",
                                timeout=self.lock_lease, sleep=0.01,
                                blocking=timeout > 0, blocking_timeout=timeout or None)
        if not lock.acquire():
            raise locked_error(conversation_id, timeout)
        try:
            yield
        finally:
            try:
                lock.release()
            except LockError:
                log.warning("the lock of conversation %r expired before the turn ended "
                            "(lease %.0f s); another turn may have run meanwhile",
                            conversation_id, self.lock_lease)

    def close(self) -> None:
        self.client.close()
