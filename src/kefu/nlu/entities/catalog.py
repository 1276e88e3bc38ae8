"""Match product mentions against a store's catalog, in English and Chinese, with typos.

The matcher knows only plain product records, never the store package, so the
understanding layer stays independent of the database: whoever owns a catalog turns it
into ``CatalogProduct`` records.

Matching, per message:

1. exact (case-insensitive) occurrences of a name or alias, plural "s" allowed;
2. fuzzy occurrences: English word n-grams and Chinese character n-grams compared with
   every name by Levenshtein distance (``rapidfuzz``), allowing 1 edit for names of 4-7
   characters, 2 for 8-14 and 3 for longer ones. Names shorter than 4 characters
   ("耳机", "tea") match exactly only.

The entity value is the product id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kefu.errors import InvalidInput
from kefu.nlu.entities.candidates import Candidate, resolve
from kefu.nlu.types import Entity

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


@dataclass(frozen=True)
class CatalogProduct:
    """One product type of a store, as the matcher needs it."""

    product_id: str
    name_en: str = ""
    name_zh: str = ""
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.name_en, self.name_zh, *self.aliases) if n.strip())


def _allowed_edits(length: int) -> int:
    if length < 4:
        return 0
    if length <= 7:
        return 1
    if length <= 14:
        return 2
    return 3


def _normalise(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower())


class CatalogMatcher:
    """Finds catalog products in a message; build once per catalog, reuse for every message.

    ``products`` are ``CatalogProduct`` records or tuples
    ``(product_id, name_en, name_zh[, aliases])``. With ``chinese_aliases`` (the
    default), a product without a Chinese name gets the usual Chinese names of its
    English name from ``translations.ZH_NAMES``, so "机械键盘" finds "Mechanical Keyboard".
    """

    def __init__(self, products: Iterable[CatalogProduct | tuple], *,
                 chinese_aliases: bool = True) -> None:
        from kefu.nlu.entities.translations import ZH_NAMES

        self.products: tuple[CatalogProduct, ...] = tuple(self._coerce(p) for p in products)
        forms: dict[str, str] = {}
        # Names the store gave first, so a translated alias never takes a store's own name.
        for product in self.products:
            for name in product.names():
                form = _normalise(name)
                if form in forms and forms[form] != product.product_id:
                    continue  # an ambiguous alias keeps its first owner
                forms[form] = product.product_id
        if chinese_aliases:
            for product in self.products:
                if product.name_zh:
                    continue
                for name in ZH_NAMES.get(_normalise(product.name_en), ()):
                    forms.setdefault(_normalise(name), product.product_id)
        if not forms:
            raise InvalidInput("a CatalogMatcher needs at least one product with a name",
                               hint="pass (product_id, name_en, name_zh) records")
        self._forms = forms
        self._form_list = list(forms)
        alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        self._exact = re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?:e?s)?(?![a-z0-9])", re.I)
        self._max_words = max(len(f.split()) for f in forms)
        zh_lengths = {len(f) for f in forms if re.search(f"[{_CJK}]", f)}
        self._zh_lengths = sorted({n for length in zh_lengths if length >= 4
                                   for n in (length - 1, length, length + 1)})

    @staticmethod
    def _coerce(record: CatalogProduct | tuple) -> CatalogProduct:
        if isinstance(record, CatalogProduct):
            return record
        if not isinstance(record, tuple) or not 2 <= len(record) <= 4:
            raise InvalidInput(
                f"a catalog record must be CatalogProduct or (product_id, name_en, name_zh"
                f"[, aliases]), got {record!r}")
        product_id, name_en, *rest = record
        name_zh = rest[0] if rest else ""
        aliases = tuple(rest[1]) if len(rest) > 1 else ()
        return CatalogProduct(str(product_id), name_en or "", name_zh or "", aliases)

    def find(self, text: str) -> list[Entity]:
        """Product entities in ``text`` (value = product id), non-overlapping, by start."""
        return resolve(text, list(self.candidates(text)))

    def candidates(self, text: str) -> Iterator[Candidate]:
        exact: list[Candidate] = []
        for m in self._exact.finditer(text):
            form = _normalise(m.group())
            pid = self._forms.get(form) or self._forms.get(re.sub(r"e?s$", "", form))
            if pid is None:
                continue
            exact.append(Candidate("product", pid, m.start(), m.end(), priority=5,
                                   confidence=1.0, source="catalog"))
        # Longer and surer first: "wireles earbuds" (fuzzy) beats the alias "earbuds" inside it.
        ranked = sorted([*exact, *self._fuzzy(text)],
                        key=lambda c: (-c.length * c.confidence, -c.confidence))
        taken: list[Candidate] = []
        for cand in ranked:
            if any(cand.start < t.end and t.start < cand.end for t in taken):
                continue
            taken.append(cand)
            yield cand

    def _fuzzy(self, text: str) -> Iterator[Candidate]:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        lowered = text.lower()
        spans = list(self._word_ngrams(lowered)) + list(self._char_ngrams(lowered))
        for start, end in spans:
            piece = lowered[start:end]
            if len(piece) < 4:
                continue
            best = process.extractOne(piece, self._form_list, scorer=Levenshtein.distance,
                                      score_cutoff=_allowed_edits(len(piece)))
            if best is None:
                continue
            form, distance, _ = best
            if distance == 0 or distance > _allowed_edits(len(form)):
                continue  # exact ones are found above; plural forms come through here too
            if piece[0] != form[0] and not re.match(f"[{_CJK}]", piece):
                continue  # English typos rarely hit the first letter; this keeps precision
            yield Candidate("product", self._forms[form], start, end, priority=5,
                            confidence=round(1.0 - distance / max(len(form), 1), 3),
                            source="catalog")

    def _word_ngrams(self, text: str) -> Iterator[tuple[int, int]]:
        words = [m.span() for m in re.finditer(r"[a-z0-9][a-z0-9'-]*", text)]
        for i in range(len(words)):
            for n in range(1, self._max_words + 2):
                if i + n <= len(words):
                    yield words[i][0], words[i + n - 1][1]

    def _char_ngrams(self, text: str) -> Iterator[tuple[int, int]]:
        if not self._zh_lengths:
            return
        for run in re.finditer(f"[{_CJK}]+", text):
            for length in self._zh_lengths:
                for start in range(run.start(), run.end() - length + 1):
                    yield start, start + length
