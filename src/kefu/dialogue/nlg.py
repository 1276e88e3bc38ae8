"""Bilingual reply templates: one key, several wordings per language, store facts filled in.

The wording is chosen deterministically from (conversation id, turn, key), so the same
conversation always reads the same way (tests stay stable) while different conversations
do not all sound alike. A missing field is an error, never an empty or invented value.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from typing import Any

from kefu.errors import DataFormatError, InvalidInput

REPLY_LANGUAGES = ("en", "zh")


@lru_cache(maxsize=1)
def load_templates() -> dict[str, dict[str, tuple[str, ...]]]:
    """Every template, checked: each key has at least one wording in each language."""
    import yaml

    source = resources.files("kefu.dialogue.templates") / "replies.yml"
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    templates: dict[str, dict[str, tuple[str, ...]]] = {}
    for key, by_lang in raw.items():
        if not isinstance(by_lang, dict) or set(by_lang) != set(REPLY_LANGUAGES):
            raise DataFormatError(f"template {key!r} needs exactly the languages "
                                  f"{REPLY_LANGUAGES}", path=str(source))
        templates[key] = {lang: tuple(str(w) for w in by_lang[lang]) for lang in REPLY_LANGUAGES}
        if not all(templates[key].values()):
            raise DataFormatError(f"template {key!r} has an empty wording list",
                                  path=str(source))
    return templates


def choose(options: int, *seed: object) -> int:
    """A stable index in ``range(options)`` for ``seed``."""
    digest = hashlib.sha256("\x1f".join(str(s) for s in seed).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % options


def render(key: str, lang: str, seed: tuple[object, ...] = (), **fields: Any) -> str:
    """The reply ``key`` in ``lang`` ("en"/"zh") with ``fields`` filled in."""
    templates = load_templates()
    if key not in templates:
        raise InvalidInput(f"no reply template {key!r}")
    if lang not in REPLY_LANGUAGES:
        raise InvalidInput(f"reply language must be one of {REPLY_LANGUAGES}, got {lang!r}")
    wordings = templates[key][lang]
    text = wordings[choose(len(wordings), *seed, key)]
    try:
        return text.format(**fields)
    except KeyError as exc:
        raise InvalidInput(f"template {key!r} needs the field {exc.args[0]!r}") from None
