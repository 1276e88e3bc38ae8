"""Entity extraction for customer messages, Chinese and English, offline and fast.

``EntityExtractor().extract(text)`` returns non-overlapping ``Entity`` records sorted by
start offset; ``evaluate_entities`` scores an extractor on annotated examples. Each
module holds one family of finders; ``candidates`` settles overlaps between them.
"""

from __future__ import annotations

from kefu.nlu.entities.catalog import CatalogMatcher, CatalogProduct
from kefu.nlu.entities.evaluate import evaluate_entities
from kefu.nlu.entities.extractor import EntityExtractor

__all__ = ["CatalogMatcher", "CatalogProduct", "EntityExtractor", "evaluate_entities"]
