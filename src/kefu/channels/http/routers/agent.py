"""The agent console's API: sign in, the hand-off queue, take over, reply, hand back."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from kefu.agents.directory import SESSION_TTL_SECONDS
from kefu.channels.http.deps import SESSION_COOKIE, Context, CurrentAgent, client_key
from kefu.channels.http.reports import queue
from kefu.channels.http.routers.conversations import line_out, transcript_out
from kefu.channels.http.schemas import (
    AgentOut,
    AgentReply,
    ErrorOut,
    LineOut,
    LoginRequest,
    QueueItemOut,
    TranscriptOut,
)

router = APIRouter(prefix="/api/v1/agent", tags=["agents"],
                   responses={c: {"model": ErrorOut} for c in (401, 404, 409, 422)})


@router.post("/login", response_model=AgentOut)
def login(body: LoginRequest, request: Request, response: Response,
          context: Context) -> AgentOut:
    """Sign in with name and password; the session is a signed cookie (12 hours)."""
    context.limiter.hit(client_key(request))
    agent = context.agents.authenticate_password(body.name, body.password)
    response.set_cookie(SESSION_COOKIE, context.agents.new_session(agent,
                                                                   context.settings.secret_key),
                        max_age=SESSION_TTL_SECONDS, httponly=True, samesite="strict",
                        secure=context.settings.environment == "production")
    return AgentOut(name=agent.name, role=agent.role)


@router.post("/logout", status_code=204)
def logout(response: Response) -> Response:
    response.delete_cookie(SESSION_COOKIE)
    response.status_code = 204
    return response


@router.get("/me", response_model=AgentOut)
def me(agent: CurrentAgent) -> AgentOut:
    return AgentOut(name=agent.name, role=agent.role)


@router.get("/queue", response_model=list[QueueItemOut])
def handoff_queue(agent: CurrentAgent, context: Context) -> list[QueueItemOut]:
    """Conversations handed to a human and not yet handed back, oldest first."""
    return [QueueItemOut(**item.__dict__) for item in queue(context.service.store)]


@router.post("/conversations/{conversation_id}/take", response_model=TranscriptOut)
def take(conversation_id: str, agent: CurrentAgent, context: Context) -> TranscriptOut:
    """Take the conversation: kefu stops answering; the agent replies from now on."""
    return transcript_out(context.service.take(conversation_id, agent))


@router.post("/conversations/{conversation_id}/reply", response_model=LineOut)
def reply(conversation_id: str, body: AgentReply, agent: CurrentAgent,
          context: Context) -> LineOut:
    """Send the customer a message (it reaches their page over the conversation stream)."""
    return line_out(context.service.reply(conversation_id, agent, body.text))


@router.post("/conversations/{conversation_id}/handback", response_model=TranscriptOut)
def hand_back(conversation_id: str, agent: CurrentAgent, context: Context) -> TranscriptOut:
    """Give the conversation back to kefu (who the customer is and their language stay)."""
    return transcript_out(context.service.hand_back(conversation_id, agent))
