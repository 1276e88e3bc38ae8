"""``EntityExtractor``: every finder over one message, overlaps settled, entities out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from kefu.errors import InvalidInput
from kefu.nlu.entities.addresses import find_chinese_addresses, find_english_addresses, find_zips
from kefu.nlu.entities.amounts import find_money, find_quantities
from kefu.nlu.entities.candidates import Candidate, normalise_width, resolve
from kefu.nlu.entities.catalog import CatalogMatcher, CatalogProduct
from kefu.nlu.entities.chinese import HAS_CJK, Word, tag_words
from kefu.nlu.entities.dates import find_dates
from kefu.nlu.entities.identifiers import (
    find_emails_and_urls,
    find_item_ids,
    find_order_ids,
    find_phones,
)
from kefu.nlu.entities.options import find_options
from kefu.nlu.entities.people import find_chinese_names, find_english_names
from kefu.nlu.entities.products import find_products, plausible_mention
from kefu.nlu.entities.reasons import find_cancel_reasons
from kefu.nlu.types import Entity


class EntityExtractor:
    """Finds order ids, phones, products, options, money, dates... in English and Chinese.

    ``catalog``: a ``CatalogMatcher`` or catalog records (see ``CatalogMatcher``); product
    mentions that match it get the product id as value. Without one, products are found
    from a curated noun list (and LAC proper nouns in Chinese), valued by their text.
    ``use_lac``: tag Chinese with Baidu LAC (names, places, product words); without it
    Chinese names and most Chinese addresses are not found.
    ``today``: the reference day for relative dates; ``None`` means the current day.
    """

    def __init__(
        self,
        catalog: CatalogMatcher | Iterable[CatalogProduct | tuple] | None = None,
        *,
        use_lac: bool = True,
        today: date | None = None,
    ) -> None:
        if catalog is not None and not isinstance(catalog, CatalogMatcher):
            records = list(catalog)
            # an empty store has no catalog to match, which is not an error here
            catalog = CatalogMatcher(records) if records else None
        self.catalog: CatalogMatcher | None = catalog
        self.use_lac = use_lac
        self.today = today

    def extract(self, text: str, lang: str | None = None, *,
                today: date | None = None) -> list[Entity]:
        """Non-overlapping entities of ``text``, sorted by start offset.

        ``lang`` ("zh", "en" or "mixed") is a hint; ``None`` runs every finder, which is
        what a mixed message needs anyway. Chinese finders only run on text with Chinese
        characters, so the hint mostly saves nothing and is accepted for symmetry.
        """
        if not isinstance(text, str):
            raise InvalidInput(f"extract() needs a str, got {type(text).__name__}")
        if lang not in (None, "zh", "en", "mixed"):
            raise InvalidInput(f"lang must be 'zh', 'en', 'mixed' or None, got {lang!r}")
        if not text.strip():
            return []
        reference = today or self.today or date.today()
        original, text = text, normalise_width(text)
        words: list[Word] = tag_words(text) if self.use_lac and HAS_CJK.search(text) else []
        candidates: list[Candidate] = []
        candidates += find_emails_and_urls(text)
        candidates += find_order_ids(text)
        candidates += find_phones(text)
        candidates += find_item_ids(text)
        candidates += find_money(text)
        candidates += find_quantities(text)
        candidates += find_dates(text, reference)
        candidates += find_zips(text)
        candidates += find_english_addresses(text)
        candidates += find_cancel_reasons(text)
        candidates += find_options(text)
        candidates += find_english_names(text)
        if self.catalog is not None:
            candidates += [c for c in self.catalog.candidates(text)
                           if plausible_mention(text, c.start, c.end, words)]
        candidates += find_products(text, words)
        if words:
            candidates += find_chinese_names(text, words)
            candidates += find_chinese_addresses(text, words)
        return resolve(text, candidates, original)

