"""Adding agents and checking who signs in: :class:`AgentDirectory` over the store DB.

Agent sessions are signed tokens (the same HMAC format as customer tokens, with a key of
their own), so every worker process accepts them without shared session storage.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from kefu.agents.models import Agent
from kefu.agents.secrets import (
    API_KEY_PREFIX,
    MIN_PASSWORD_LENGTH,
    api_key_prefix,
    check_password,
    hash_api_key,
    hash_password,
    new_api_key,
)
from kefu.errors import InvalidInput, RuleViolation, Unauthorized
from kefu.store.clock import aware
from kefu.store.db import Store

ROLES = ("agent", "admin")
SESSION_TTL_SECONDS = 12 * 3600


@dataclass(frozen=True)
class AgentInfo:
    name: str
    role: str
    has_password: bool
    has_api_key: bool
    active: bool
    created_at: datetime

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class NewAgent:
    """A created agent; ``api_key`` is shown once and never stored in clear."""

    agent: AgentInfo
    api_key: str | None = None


def _info(row: Agent) -> AgentInfo:
    return AgentInfo(name=row.name, role=row.role, has_password=row.password_hash is not None,
                     has_api_key=row.api_key_hash is not None, active=row.active,
                     created_at=aware(row.created_at))


def session_secret(secret_key: str) -> str:
    """The key agent sessions are signed with: derived, so a customer token is never one."""
    return hashlib.sha256(f"kefu-agent-session:{secret_key}".encode()).hexdigest()


class AgentDirectory:
    """The agents of a store database."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, name: str, *, password: str | None = None, api_key: bool = False,
            role: str = "agent") -> NewAgent:
        name = (name or "").strip()
        if not name or len(name) > 100:
            raise InvalidInput(f"an agent name must be 1 to 100 characters, got {name!r}")
        if role not in ROLES:
            raise InvalidInput(f"role must be one of {', '.join(ROLES)}, got {role!r}")
        if password is None and not api_key:
            raise InvalidInput(f"agent {name!r} needs a password or an API key",
                               hint="pass --password or --api-key")
        if password is not None and len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidInput(f"the password has {len(password)} characters; use at least "
                               f"{MIN_PASSWORD_LENGTH}")
        key = new_api_key() if api_key else None
        from kefu.store import clock

        with self.store.transaction() as session:
            if session.scalar(select(Agent.id).where(Agent.name == name)) is not None:
                raise RuleViolation(f"an agent named {name!r} already exists",
                                    hint="choose another name")
            row = Agent(name=name, role=role, created_at=clock.now(), active=True,
                        password_hash=hash_password(password) if password else None,
                        api_key_prefix=api_key_prefix(key) if key else None,
                        api_key_hash=hash_api_key(key) if key else None)
            session.add(row)
            session.flush()
            info = _info(row)
        return NewAgent(agent=info, api_key=key)

    def list(self) -> list[AgentInfo]:
        with self.store.session() as session:
            return [_info(r) for r in session.scalars(select(Agent).order_by(Agent.name))]

    def get(self, name: str) -> AgentInfo | None:
        with self.store.session() as session:
            row = session.scalar(select(Agent).where(Agent.name == name))
            return _info(row) if row is not None and row.active else None

    def authenticate_password(self, name: str, password: str) -> AgentInfo:
        with self.store.session() as session:
            row = session.scalar(select(Agent).where(Agent.name == name))
            if (row is None or not row.active or row.password_hash is None
                    or not check_password(password, row.password_hash)):
                raise Unauthorized("wrong agent name or password",
                                   hint="agents are created with `kefu agents add`")
            return _info(row)

    def authenticate_api_key(self, key: str) -> AgentInfo:
        if not key.startswith(API_KEY_PREFIX):
            raise Unauthorized("the API key is malformed", hint="keys start with 'kefu_'")
        with self.store.session() as session:
            rows = session.scalars(select(Agent).where(
                Agent.api_key_prefix == api_key_prefix(key)))
            digest = hash_api_key(key)
            for row in rows:
                if row.active and row.api_key_hash == digest:
                    return _info(row)
        raise Unauthorized("unknown API key", hint="create one with `kefu agents add --api-key`")

    def new_session(self, agent: AgentInfo, secret_key: str) -> str:
        from kefu.identity import sign_customer_token

        return sign_customer_token(agent.name, session_secret(secret_key),
                                   ttl=SESSION_TTL_SECONDS)

    def from_session(self, token: str, secret_key: str) -> AgentInfo:
        from kefu.identity import verify_customer_token

        name = verify_customer_token(token, session_secret(secret_key))
        agent = self.get(name)
        if agent is None:
            raise Unauthorized(f"agent {name!r} no longer exists or is disabled")
        return agent
