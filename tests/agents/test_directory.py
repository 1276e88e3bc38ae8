"""Agents: hashed passwords, API keys shown once, signed sessions, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from kefu.agents import AgentDirectory
from kefu.agents.models import Agent
from kefu.agents.secrets import check_password, hash_password
from kefu.errors import InvalidInput, RuleViolation, Unauthorized
from kefu.store import open_store


@pytest.fixture
def directory(store_url: str) -> Iterator[AgentDirectory]:
    store = open_store(store_url)
    yield AgentDirectory(store)
    store.dispose()


def test_password_hashes_are_salted_scrypt() -> None:
    first, second = hash_password("s3cret-password"), hash_password("s3cret-password")
    assert first != second and first.startswith("scrypt$")
    assert check_password("s3cret-password", first)
    assert not check_password("s3cret-passwore", first)
    assert not check_password("anything", "not-a-hash")


def test_add_and_sign_in(directory: AgentDirectory) -> None:
    created = directory.add("alice", password="long enough pw", api_key=True, role="admin")
    assert created.api_key and created.api_key.startswith("kefu_")
    assert directory.authenticate_password("alice", "long enough pw").is_admin
    assert directory.authenticate_api_key(created.api_key).name == "alice"
    with directory.store.session() as session:
        row = session.scalar(select(Agent).where(Agent.name == "alice"))
        assert row is not None and "long enough pw" not in (row.password_hash or "")
        assert created.api_key not in (row.api_key_hash or "")
    with pytest.raises(Unauthorized):
        directory.authenticate_password("alice", "wrong password")
    with pytest.raises(Unauthorized):
        directory.authenticate_api_key(created.api_key[:-1] + "x")
    with pytest.raises(Unauthorized):
        directory.authenticate_password("bob", "long enough pw")
    assert [a.name for a in directory.list()] == ["alice"]


def test_bad_agents_are_refused_with_the_reason(directory: AgentDirectory) -> None:
    with pytest.raises(InvalidInput, match="password or an API key"):
        directory.add("carol")
    with pytest.raises(InvalidInput, match="at least 8"):
        directory.add("carol", password="short")
    with pytest.raises(InvalidInput, match="role"):
        directory.add("carol", password="long enough pw", role="boss")
    directory.add("carol", password="long enough pw")
    with pytest.raises(RuleViolation, match="already exists"):
        directory.add("carol", api_key=True)


def test_sessions_are_signed_and_expire(directory: AgentDirectory) -> None:
    agent = directory.add("dave", password="long enough pw").agent
    session = directory.new_session(agent, "secret-one")
    assert directory.from_session(session, "secret-one").name == "dave"
    with pytest.raises(Unauthorized):
        directory.from_session(session, "secret-two")
    from kefu.identity import sign_customer_token

    # a customer token signed with the store secret is not an agent session
    with pytest.raises(Unauthorized):
        directory.from_session(sign_customer_token("dave", "secret-one"), "secret-one")
