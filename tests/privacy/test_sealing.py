"""Sealed values: raw personal data kept encrypted in a conversation, readable only there."""

from __future__ import annotations

import pytest

from kefu.errors import InvalidInput
from kefu.privacy.sealing import Sealer, is_token

ADDRESS = {"address1": "445 Maple Drive", "address2": "Suite 394", "city": "Fort Worth",
           "state": "TX", "country": "USA", "zip": "76165"}


def test_a_sealed_value_opens_in_its_own_context_only() -> None:
    sealer = Sealer("store-secret")
    token = sealer.seal(ADDRESS, context="conv-1/address")
    assert is_token(token)
    assert "Maple" not in token and "76165" not in token
    assert sealer.open(token, context="conv-1/address") == ADDRESS
    assert sealer.open(token, context="conv-2/address") is None  # copied elsewhere
    assert sealer.open(token, context="conv-1/pending") is None  # under another name


def test_another_secret_cannot_open_it() -> None:
    token = Sealer("store-secret").seal("13812345678", context="c/phone")
    assert Sealer("rotated-secret").open(token, context="c/phone") is None
    assert Sealer("store-secret").open(token, context="c/phone") == "13812345678"


def test_each_seal_is_new_and_a_changed_token_does_not_open() -> None:
    sealer = Sealer("store-secret")
    first, second = (sealer.seal("x", context="c/n") for _ in range(2))
    assert first != second  # a fresh nonce each time
    flipped = first[:-2] + ("A" if first[-2] != "A" else "B") + first[-1]
    assert sealer.open(flipped, context="c/n") is None
    assert sealer.open("not a token", context="c/n") is None
    assert not is_token("s1.short") and not is_token(42)


def test_an_empty_secret_is_refused() -> None:
    with pytest.raises(InvalidInput, match="KEFU_SECRET_KEY"):
        Sealer("")
