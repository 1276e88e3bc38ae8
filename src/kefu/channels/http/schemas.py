"""Request and response bodies of the HTTP API (what /docs shows)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kefu.dialogue.trackers.base import MAX_CONVERSATION_ID_LENGTH


class ChatRequest(BaseModel):
    conversation_id: str | None = Field(
        default=None, max_length=MAX_CONVERSATION_ID_LENGTH,
        description="The conversation to continue; leave out to start a new one.")
    text: str = Field(description="What the customer wrote (or a quick-reply payload).")
    customer_token: str | None = Field(
        default=None, description="A signed customer token from the store's page "
        "(kefu.identity.sign_customer_token): the customer is then verified.")
    lang: Literal["zh", "en"] | None = Field(
        default=None, description="Force replies in this language; default: the customer's.")
    message_id: str | None = Field(
        default=None, max_length=200,
        description="The client's id of this message (16 to 100 letters, digits or '_.:-'; "
        "a random UUID): sent again on a retry, it gets the first attempt's answer instead "
        "of being processed twice. Same as the Idempotency-Key header.")


class ButtonOut(BaseModel):
    title: str
    payload: str


class ReplyOut(BaseModel):
    text: str
    buttons: list[ButtonOut] = []


class IntentOut(BaseModel):
    name: str | None
    confidence: float


class ChatResponse(BaseModel):
    conversation_id: str
    replies: list[ReplyOut]
    intent: IntentOut
    handoff: bool = Field(description="True when a human agent has (or now gets) the "
                                      "conversation.")
    language: str | None = Field(default=None, description="The language replies are in.")
    agent: str | None = Field(default=None, description="The agent holding the conversation; "
                                                        "their replies arrive on the stream.")
    access_key: str = Field(description="Lets this browser read the conversation back "
                                        "(header X-Conversation-Key or ?key=).")
    replayed: bool = Field(default=False, description="True when this message id was "
                           "answered before: the first answer, as stored (personal data "
                           "masked).")


class LineOut(BaseModel):
    index: int
    role: Literal["customer", "bot", "agent", "system"]
    text: str
    timestamp: float
    buttons: list[ButtonOut] = []
    intent: str | None = None
    agent: str | None = None
    message_id: str | None = None


class TranscriptOut(BaseModel):
    conversation_id: str
    customer_id: str | None
    verified: bool
    handed_off: bool
    agent: str | None
    language: str | None
    event_count: int
    lines: list[LineOut]


class LoginRequest(BaseModel):
    name: str = Field(max_length=100)
    password: str = Field(max_length=1000)


class AgentOut(BaseModel):
    name: str
    role: str


class AgentReply(BaseModel):
    text: str


class QueueItemOut(BaseModel):
    conversation_id: str
    customer_id: str | None
    reason: str
    summary: str
    status: str
    agent: str | None
    created_at: datetime


class ConversationRowOut(BaseModel):
    conversation_id: str
    customer_id: str | None
    turns: int
    last_intent: str | None
    handed_off: bool
    agent: str | None
    language: str | None
    updated_at: float


class StatsOut(BaseModel):
    conversations: int
    engaged: int
    turns: int
    handoffs: int
    handoff_rate: float
    containment_rate: float
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    intents: dict[str, int]


class ErrorBody(BaseModel):
    code: str
    message: str
    hint: str | None = None


class ErrorOut(BaseModel):
    error: ErrorBody


def error_response(status: int, code: str, message: str, hint: str | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    """An error as every route answers it: ``{"error": {"code", "message", "hint"}}``."""
    return JSONResponse({"error": {"code": code, "message": message, "hint": hint}},
                        status_code=status, headers=headers)


def describe_validation_errors(errors: Sequence[Mapping[str, Any]]) -> str:
    """Pydantic's errors of a request body in one line: where, and what is wrong."""
    parts = []
    for err in errors[:5]:
        if err.get("type") == "json_invalid":
            parts.append(f"the body is not valid JSON ({err.get('ctx', {}).get('error', '')})")
            continue
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {err.get('msg')}")
    return "; ".join(parts)
