"""What routes depend on: the serving context, the signed-in agent, the rate limit."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from starlette.requests import HTTPConnection

from kefu.agents import AgentDirectory, AgentInfo
from kefu.channels.http.metrics import Metrics
from kefu.channels.http.ratelimit import RateLimiter
from kefu.channels.http.service import ChatService
from kefu.errors import KefuError, Unauthorized
from kefu.settings import Settings

SESSION_COOKIE = "kefu_agent"


class Forbidden(KefuError):
    status_code = 403
    code = "forbidden"


@dataclass
class ServeContext:
    """Everything one app (one worker process) serves with."""

    settings: Settings
    service: ChatService
    agents: AgentDirectory
    limiter: RateLimiter
    metrics: Metrics


def get_context(request: Request) -> ServeContext:
    context: ServeContext = request.app.state.kefu
    return context


Context = Annotated[ServeContext, Depends(get_context)]


def client_key(request: HTTPConnection, token: str | None = None) -> str:
    """Whom a request counts against: the signed-in customer, else the client address."""
    if token:
        return "t:" + hashlib.sha256(token.encode()).hexdigest()[:16]
    return "a:" + (request.client.host if request.client else "unknown")


def rate_limit(request: Request, context: Context) -> None:
    context.limiter.hit(client_key(request))


RateLimited = Depends(rate_limit)


def bearer(authorization: str | None, api_key: str | None) -> str | None:
    if api_key:
        return api_key.strip()
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def optional_agent(
    request: Request, context: Context,
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
) -> AgentInfo | None:
    """The agent an API key or a session cookie names; None when neither is sent."""
    key = bearer(authorization, x_api_key)
    if key:
        return context.agents.authenticate_api_key(key)
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        return context.agents.from_session(session, context.settings.secret_key)
    return None


def current_agent(agent: Annotated[AgentInfo | None, Depends(optional_agent)]) -> AgentInfo:
    if agent is None:
        raise Unauthorized("sign in as an agent first",
                           hint="POST /api/v1/agent/login, or send 'Authorization: Bearer "
                           "<API key>' (kefu agents add NAME --api-key)")
    return agent


def admin_agent(agent: Annotated[AgentInfo, Depends(current_agent)]) -> AgentInfo:
    if not agent.is_admin:
        raise Forbidden(f"agent {agent.name!r} is not an admin",
                        hint="create an admin with `kefu agents add NAME --admin`")
    return agent


OptionalAgent = Annotated[AgentInfo | None, Depends(optional_agent)]
CurrentAgent = Annotated[AgentInfo, Depends(current_agent)]
AdminAgent = Annotated[AgentInfo, Depends(admin_agent)]
