"""Signed customer tokens: the store's page vouches for a signed-in customer.

A token is ``<payload>.<signature>``, both base64url without padding. The payload is the
JSON ``{"sub": customer_id, "exp": unix_seconds}``; the signature is HMAC-SHA256 of the
payload's base64 text with the store's ``secret_key``. kefu trusts the customer id of a
valid token and skips verification in chat.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

from kefu.errors import InvalidInput, Unauthorized

DEFAULT_TTL_SECONDS = 3600


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(payload: str, secret: str) -> str:
    return _b64encode(hmac.new(secret.encode("utf-8"), payload.encode("ascii"),
                               hashlib.sha256).digest())


def sign_customer_token(customer_id: str, secret: str, ttl: float = DEFAULT_TTL_SECONDS, *,
                        now: float | None = None) -> str:
    """A token saying "this is ``customer_id``", valid for ``ttl`` seconds."""
    if not customer_id or not isinstance(customer_id, str):
        raise InvalidInput(f"customer_id must be a non-empty string, got {customer_id!r}")
    if not secret:
        raise InvalidInput("secret must not be empty", hint="set KEFU_SECRET_KEY")
    if ttl <= 0:
        raise InvalidInput(f"ttl must be greater than 0 seconds, got {ttl}")
    issued = time.time() if now is None else now
    body = json.dumps({"sub": customer_id, "exp": int(issued + ttl)}, separators=(",", ":"))
    payload = _b64encode(body.encode("utf-8"))
    return f"{payload}.{_signature(payload, secret)}"


def verify_customer_token(token: str, secret: str, *, now: float | None = None) -> str:
    """The customer id of a valid token; :class:`Unauthorized` for a bad or expired one."""
    if not isinstance(token, str) or token.count(".") != 1:
        raise Unauthorized("the customer token is malformed",
                           hint="pass the token exactly as sign_customer_token made it")
    payload, signature = token.split(".")
    if not hmac.compare_digest(signature, _signature(payload, secret)):
        raise Unauthorized("the customer token's signature is wrong",
                           hint="sign it with the same secret_key kefu is configured with")
    try:
        claims = json.loads(_b64decode(payload))
        customer_id, expires = claims["sub"], float(claims["exp"])
    except (ValueError, KeyError, TypeError):
        raise Unauthorized("the customer token's payload is unreadable") from None
    if not isinstance(customer_id, str) or not customer_id:
        raise Unauthorized("the customer token names no customer")
    if (time.time() if now is None else now) >= expires:
        raise Unauthorized("the customer token has expired",
                           hint="have the store page issue a fresh token")
    return customer_id
