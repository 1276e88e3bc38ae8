"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.concurrency import run_in_threadpool

from kefu.channels.http.deps import Context
from kefu.errors import BackendUnavailable

router = APIRouter(tags=["operations"])


@router.get("/health")
def health() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


def _check(context: Context) -> dict[str, str]:
    from sqlalchemy import text

    checks: dict[str, str] = {}
    try:
        context.service.tracker.exists("readiness-probe")
        checks["tracker"] = "ok"
    except Exception as exc:  # any backend failure means: not ready
        checks["tracker"] = f"{type(exc).__name__}: {exc}"
    try:
        with context.service.store.session() as session:
            session.execute(text("select 1"))
        checks["store"] = "ok"
    except Exception as exc:
        checks["store"] = f"{type(exc).__name__}: {exc}"
    return checks


@router.get("/ready")
async def ready(context: Context) -> dict[str, object]:
    """The assistant is loaded and its tracker store and store database answer."""
    checks = await run_in_threadpool(_check, context)
    if any(v != "ok" for v in checks.values()):
        raise BackendUnavailable("not ready: " + "; ".join(f"{k}: {v}" for k, v in
                                                          checks.items() if v != "ok"))
    return {"status": "ready", "checks": checks}


@router.get("/metrics")
def metrics(context: Context) -> Response:
    body, content_type = context.metrics.render()
    return Response(body, media_type=content_type)
