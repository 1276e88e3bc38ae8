"""A bounded number of chat messages per worker: past it, a fast 503 instead of a wait.

Each message sent to ``/api/v1/chat`` (and its streaming variant) holds a thread of the
worker's pool while it is answered; more messages than threads wait for one, without
bound, and under a load the server cannot carry every answer arrives later and later.
:class:`TurnAdmission` counts the chat requests a worker holds (being answered or waiting
for a thread) and answers one more than ``limit`` at once with 503 ``overloaded`` and
``Retry-After``: the client knows, and may send the message again (with the same message
id) after the pause. The limit is meant to sit well above what a worker carries in normal
operation, so that only real overload is refused. WebSocket turns are not counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kefu.channels.http.schemas import error_response
from kefu.errors import KefuError

if TYPE_CHECKING:
    from prometheus_client import Counter
    from starlette.types import ASGIApp, Receive, Scope, Send

CHAT_PATH = "/api/v1/chat"
RETRY_AFTER_SECONDS = 2


class Overloaded(KefuError):
    """A worker already holds as many chat messages as it accepts."""

    status_code = 503
    code = "overloaded"

    def __init__(self, limit: int) -> None:
        super().__init__(f"this worker is answering or holding {limit} messages already",
                         hint=f"send the message again, with the same message id, after "
                         f"{RETRY_AFTER_SECONDS} s")
        self.retry_after = RETRY_AFTER_SECONDS


class TurnAdmission:
    """ASGI middleware: at most ``limit`` chat requests in this worker (0: no limit)."""

    def __init__(self, app: ASGIApp, limit: int, errors: Counter) -> None:
        if limit < 0:
            raise ValueError(f"limit must be 0 (off) or more, got {limit}")
        self.app = app
        self.limit = limit
        self.errors = errors
        self.in_flight = 0  # only the event loop's thread changes it

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.limit or scope["type"] != "http" or \
                not scope["path"].startswith(CHAT_PATH):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            refused = Overloaded(self.limit)
            self.errors.labels(status="503", code=refused.code).inc()
            response = error_response(503, refused.code, refused.message, refused.hint,
                                      {"Retry-After": str(refused.retry_after)})
            await response(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
