"""The web pages: the chat (``/``), the agent console (``/agent``), the admin view
(``/admin``); their scripts and styles are served from ``/static``."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)


def _page(name: str) -> HTMLResponse:
    text = (resources.files("kefu.channels.web") / name).read_text(encoding="utf-8")
    return HTMLResponse(text, headers={"Cache-Control": "no-cache"})


@router.get("/")
def chat_page() -> HTMLResponse:
    return _page("index.html")


@router.get("/agent")
def agent_console() -> HTMLResponse:
    return _page("agent.html")


@router.get("/admin")
def admin_view() -> HTMLResponse:
    return _page("admin.html")
