"""Sealed values: raw personal data a later turn needs, kept encrypted in the conversation.

A new address is proposed in one turn and written after the customer's yes in the next,
which may run in another process (a restart, another ``kefu serve`` worker). The tracker
store holds only masked text, so the raw address travels in the conversation's own events
as a sealed token: AES-256-GCM under a key derived from the store secret
(``KEFU_SECRET_KEY``, HKDF-SHA256 with a purpose label), with the conversation id and the
value's name as associated data. So:

* what the tracker store persists never shows the value (the masker leaves tokens alone:
  they are ciphertext, and masking would only break them);
* a token copied into another conversation, or under another name, does not open;
* a changed secret makes old tokens unreadable: :meth:`Sealer.open` returns None and the
  dialogue asks for the value again, as it would after a reset.

Tokens read ``s1.<base64url(nonce | ciphertext | tag)>``.
"""

from __future__ import annotations

import base64
import json
import os
import re
from typing import Any

from kefu.errors import InvalidInput

#: The key under which sealed tokens sit in slots and pending confirmations; the tracker
#: store's masking leaves tokens under it as they are.
SEALED_KEY = "_sealed"

_PREFIX = "s1."
_TOKEN = re.compile(r"s1\.[A-Za-z0-9_-]{40,}")
_PURPOSE = b"kefu.dialogue sealed conversation values v1"
_NONCE_BYTES = 12


def is_token(value: object) -> bool:
    """True for a string shaped like a sealed token (whether or not it opens)."""
    return isinstance(value, str) and _TOKEN.fullmatch(value) is not None


class Sealer:
    """Seals JSON values under a key derived from ``secret``; opens what it sealed."""

    def __init__(self, secret: str) -> None:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        if not secret:
            raise InvalidInput("the secret for sealing conversation values is empty",
                               hint="set KEFU_SECRET_KEY to a long random string")
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=_PURPOSE).derive(secret.encode("utf-8"))
        self._aead = AESGCM(key)

    def seal(self, value: Any, *, context: str) -> str:
        """A token for ``value`` (any JSON value) that only opens with the same ``context``."""
        nonce = os.urandom(_NONCE_BYTES)
        plain = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        sealed = self._aead.encrypt(nonce, plain, context.encode("utf-8"))
        return _PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")

    def open(self, token: str, *, context: str) -> Any | None:
        """The sealed value, or None when the token does not open here (another secret,
        another context, or not a token at all)."""
        from cryptography.exceptions import InvalidTag

        if not is_token(token):
            return None
        body = token[len(_PREFIX):]
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            plain = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:],
                                       context.encode("utf-8"))
        except (InvalidTag, ValueError):
            return None
        return json.loads(plain)
