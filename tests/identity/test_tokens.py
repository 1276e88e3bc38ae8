from __future__ import annotations

import pytest

from kefu.errors import InvalidInput, Unauthorized
from kefu.identity import sign_customer_token, verify_customer_token

SECRET = "a-long-test-secret"


def test_round_trip() -> None:
    token = sign_customer_token("sophia_thompson_4072", SECRET, ttl=60)
    assert verify_customer_token(token, SECRET) == "sophia_thompson_4072"


def test_unicode_customer_id() -> None:
    token = sign_customer_token("何建国_1", SECRET)
    assert verify_customer_token(token, SECRET) == "何建国_1"


def test_wrong_secret_is_refused() -> None:
    token = sign_customer_token("u1", SECRET)
    with pytest.raises(Unauthorized, match="signature"):
        verify_customer_token(token, "another-secret")


def test_tampered_payload_is_refused() -> None:
    token = sign_customer_token("u1", SECRET)
    other = sign_customer_token("u2", SECRET)
    forged = other.split(".")[0] + "." + token.split(".")[1]
    with pytest.raises(Unauthorized):
        verify_customer_token(forged, SECRET)


def test_expired_token_is_refused() -> None:
    token = sign_customer_token("u1", SECRET, ttl=10, now=1000.0)
    assert verify_customer_token(token, SECRET, now=1009.0) == "u1"
    with pytest.raises(Unauthorized, match="expired"):
        verify_customer_token(token, SECRET, now=1010.0)


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "!!.??"])
def test_malformed_tokens_are_refused(token: str) -> None:
    with pytest.raises(Unauthorized):
        verify_customer_token(token, SECRET)


def test_bad_arguments_are_named() -> None:
    with pytest.raises(InvalidInput, match="ttl"):
        sign_customer_token("u1", SECRET, ttl=0)
    with pytest.raises(InvalidInput, match="customer_id"):
        sign_customer_token("", SECRET)
