"""``create_app(settings)``: the FastAPI application of ``kefu serve``.

Each worker process builds one app: it loads the assistant (NLU model, store, tracker
store) once; conversation state stays in the tracker store, so workers are interchangeable.
Every error is answered as ``{"error": {"code", "message", "hint"}}`` with its status code;
nothing a client sends produces a 500.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from kefu import __version__
from kefu.channels.http.admission import TurnAdmission
from kefu.channels.http.deps import ServeContext
from kefu.channels.http.metrics import make_metrics
from kefu.channels.http.ratelimit import TooManyRequests, make_rate_limiter
from kefu.channels.http.schemas import describe_validation_errors, error_response
from kefu.channels.http.service import ChatService
from kefu.errors import KefuError
from kefu.settings import Settings

if TYPE_CHECKING:
    from kefu.dialogue.engine import Assistant

log = logging.getLogger(__name__)


def install_error_handlers(app: FastAPI, context: ServeContext) -> None:
    errors = context.metrics.errors

    @app.exception_handler(KefuError)
    async def kefu_error(request: Request, exc: KefuError) -> JSONResponse:
        errors.labels(status=str(exc.status_code), code=exc.code).inc()
        headers = ({"Retry-After": str(exc.retry_after)}
                   if isinstance(exc, TooManyRequests) else None)
        if exc.status_code >= 500:
            log.warning("%s %s: %s", request.method, request.url.path, exc)
        return error_response(exc.status_code, exc.code, exc.message, exc.hint, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors.labels(status="422", code="invalid_request").inc()
        return error_response(422, "invalid_request", describe_validation_errors(exc.errors()),
                              "see /docs for the request's shape")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        errors.labels(status=str(exc.status_code), code="http").inc()
        return error_response(exc.status_code, "http_error", str(exc.detail),
                              headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        errors.labels(status="500", code="internal").inc()
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error", "kefu failed to answer this request",
                              "the server log has the details")


def warm_up(assistant: Assistant) -> None:
    """Load what the first turn would otherwise load (masker, NLU), so that it is not slow."""
    from kefu.privacy import get_masker

    get_masker().mask("warm-up 13800138000")
    assistant.components.nlu.parse("hello 你好")


def create_app(settings: Settings | None = None, *, assistant: Assistant | None = None,
               **assistant_overrides: Any) -> FastAPI:
    """The app over ``settings`` (default: the process settings) and an assistant built
    from them (or ``assistant``, e.g. one a test already loaded)."""
    from kefu.agents import AgentDirectory
    from kefu.channels.http.routers import (
        admin,
        agent,
        chat,
        chat_ws,
        conversations,
        health,
        pages,
    )

    if settings is None:
        from kefu.settings import get_settings

        settings = get_settings()
    if assistant is None:
        from kefu.dialogue.engine import Assistant

        assistant = Assistant.from_settings(settings, **assistant_overrides)
        assistant.components.channel = "web"
    from kefu.channels.http.batching import batching

    assistant.components.nlu = batching(assistant.components.nlu)
    warm_up(assistant)
    context = ServeContext(
        settings=settings, service=ChatService(assistant, settings),
        agents=AgentDirectory(assistant.components.store),
        limiter=make_rate_limiter(settings.rate_limit_per_minute, settings.redis_url),
        metrics=make_metrics())
    app = FastAPI(title="kefu", version=__version__,
                  description="Self-hosted bilingual customer-service assistant: chat API, "
                  "web chat widget, agent console.")
    app.state.kefu = context
    install_error_handlers(app, context)
    app.add_middleware(TurnAdmission, limit=settings.max_turns_in_flight,
                       errors=context.metrics.errors)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type", "X-Conversation-Key",
                                          "X-Customer-Token", "Idempotency-Key"])
    for module in (chat, chat_ws, conversations, agent, admin, health, pages):
        app.include_router(module.router)
    from importlib import resources

    static = resources.files("kefu.channels.web")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app


def app_from_environment() -> FastAPI:
    """The factory uvicorn's workers call (``kefu serve``): settings from KEFU_*."""
    from kefu.settings import get_settings

    settings = get_settings()
    logging.basicConfig(level=settings.log_level)
    return create_app(settings)
