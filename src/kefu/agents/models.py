"""The ``agents`` table (created by the store migration 0002).

It has a metadata of its own, so that clearing or rebuilding the demo shop's tables
never deletes the people who sign in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class AgentBase(DeclarativeBase):
    pass


class Agent(AgentBase):
    """A person (or a system, by API key) who may take over conversations."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="agent")  # agent | admin
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)
    api_key_prefix: Mapped[str | None] = mapped_column(String(16), default=None, index=True)
    api_key_hash: Mapped[str | None] = mapped_column(String(128), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
