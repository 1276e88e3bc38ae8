"""Customer messages over a WebSocket: ``/api/v1/chat/ws``.

The same turn as ``POST /api/v1/chat``, on a connection the widget keeps open: the client
sends one JSON text frame per message, shaped like the ``/chat`` request body (``text``,
``conversation_id``, ``customer_token``, ``lang``, ``message_id``); the server answers each
with frames ``{"event", "message_id", "data"}``: ``typing``, one ``reply`` per message,
then ``done`` (``data`` is the whole ``/chat`` response), or ``error`` (``data`` is
``{"code", "message", "hint", "status"}`` with the status ``/chat`` would have answered,
and ``retry_after`` seconds with a 429).
An error ends that message only: the connection stays open for the next one. Messages of
one connection are answered in order.

A browser sends its page's origin with the handshake; origins other than kefu's own and
``KEFU_CORS_ORIGINS`` are refused (403), as they are for the HTTP API.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError

from kefu.channels.http.deps import ServeContext, client_key
from kefu.channels.http.ratelimit import TooManyRequests
from kefu.channels.http.routers.chat import (
    check_streamed,
    run_turn,
    to_response,
    with_message_id,
)
from kefu.channels.http.schemas import ChatRequest, describe_validation_errors
from kefu.channels.http.service import ChatOutcome
from kefu.errors import KefuError

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1", tags=["chat"])

POLICY_VIOLATION = 1008  # WebSocket close code: refused before the handshake completes


class InvalidRequest(KefuError):
    """A frame that is not a chat request (the 422 ``/chat`` answers a bad body with)."""

    status_code = 422
    code = "invalid_request"


def origin_allowed(websocket: WebSocket, allowed: list[str]) -> bool:
    """Same origin, a configured one, or no Origin header (not a browser)."""
    origin = websocket.headers.get("origin")
    if origin is None or "*" in allowed or origin in allowed:
        return True
    return urlsplit(origin).netloc == websocket.headers.get("host")


def parse_frame(message: Mapping[str, Any]) -> ChatRequest:
    """The chat request in a received frame; :class:`InvalidRequest` saying what is wrong."""
    text = message.get("text")
    if text is None:
        raise InvalidRequest("send each message as a JSON text frame, not binary",
                             hint="see /docs for the request's shape (POST /api/v1/chat)")
    try:
        return ChatRequest.model_validate_json(text)
    except ValidationError as exc:
        raise InvalidRequest(describe_validation_errors(exc.errors()),
                             hint="see /docs for the request's shape (POST /api/v1/chat)"
                             ) from None


def message_id_of(message: Mapping[str, Any]) -> str | None:
    """The ``message_id`` of a frame that failed to parse, when one can be read."""
    try:
        data = json.loads(message.get("text") or "null")
    except ValueError:
        return None
    value = data.get("message_id") if isinstance(data, dict) else None
    return value if isinstance(value, str) and len(value) <= 100 else None


def prepare(context: ServeContext, websocket: WebSocket, message: Mapping[str, Any]) -> ChatRequest:
    """What ``/chat`` does before the turn: parse, count against the limit, check."""
    body = parse_frame(message)
    context.limiter.hit(client_key(websocket, body.customer_token))
    body = with_message_id(body, None)
    check_streamed(context, body)
    return body


def frame(event: str, message_id: str | None, data: object) -> str:
    return json.dumps({"event": event, "message_id": message_id, "data": data},
                      ensure_ascii=False)


async def answer(context: ServeContext, websocket: WebSocket, message: Mapping[str, Any]) -> None:
    """One received frame, answered with its frames."""
    message_id = message_id_of(message)
    try:
        body = await run_in_threadpool(prepare, context, websocket, message)
        message_id = body.message_id
        await websocket.send_text(frame("typing", message_id, {"typing": True}))
        outcome: ChatOutcome = await run_in_threadpool(run_turn, context, body)
    except KefuError as exc:
        context.metrics.errors.labels(status=str(exc.status_code), code=exc.code).inc()
        data: dict[str, object] = {"code": exc.code, "message": exc.message,
                                   "hint": exc.hint, "status": exc.status_code}
        if isinstance(exc, TooManyRequests):  # what /chat says with Retry-After
            data["retry_after"] = exc.retry_after
        await websocket.send_text(frame("error", message_id, data))
        return
    except Exception:  # nothing a client sends ends the connection with a 500
        context.metrics.errors.labels(status="500", code="internal").inc()
        log.exception("unexpected error on a chat WebSocket message")
        await websocket.send_text(frame("error", message_id, {
            "code": "internal_error", "message": "kefu failed to answer this message",
            "hint": "the server log has the details", "status": 500}))
        return
    response = to_response(context, outcome)
    for reply in response.replies:
        await websocket.send_text(frame("reply", message_id, reply.model_dump()))
    await websocket.send_text(frame("done", message_id, response.model_dump()))


@router.websocket("/chat/ws")
async def chat_socket(websocket: WebSocket) -> None:
    """Chat turns over a WebSocket (see the module's description for the frames)."""
    context: ServeContext = websocket.app.state.kefu
    if not origin_allowed(websocket, context.settings.cors_origins):
        await websocket.close(code=POLICY_VIOLATION)
        return
    await websocket.accept()
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            await answer(context, websocket, message)
    except (WebSocketDisconnect, OSError):  # the client left, maybe in the middle of a turn
        return
