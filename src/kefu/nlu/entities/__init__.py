"""Entity extraction for customer messages, Chinese and English, offline and fast.

``EntityExtractor().extract(text)`` returns non-overlapping ``Entity`` records sorted by
start offset, with ``text[start:end] == entity.text``; ``evaluate_entities`` scores an
extractor on annotated examples. Each module holds one family of finders, and
``candidates`` settles overlaps between them.

Values, by type (the module named holds the details):

=============  ==========================================================  =============
type           value                                                       module
=============  ==========================================================  =============
order_id       ``#W`` + 7 digits, whatever the spelling (W1234567, ＃w…)    identifiers
item_id        the 10 digits                                                identifiers
email          lower-cased                                                  identifiers
phone          E.164: ``+8613812345678``, ``+15551234567``                   identifiers
zip            the digits as written (``62704``, ``02210-1234``, ``200120``) addresses
address        the text as written, without a trailing zip                  addresses
person         the name as written (titles kept: ``Mr. Lee``)               people
product        catalog product id; without a catalog the mention            catalog,
               (English lower-cased)                                        products
option         canonical English: ``red``, ``navy``, ``XL``, ``256GB``,      options
               ``1.5L``, ``27-inch``, ``cotton``
quantity       an integer string: ``2``                                     amounts
money          ``50``, ``<=2000``, ``>=100``, ``100-200``                     amounts
date           ISO date when it names a day, else the text (``last week``)  dates
cancel_reason  ``ordered by mistake`` or ``no longer needed``               reasons
=============  ==========================================================  =============

Spans follow kefu's annotated data: bound and approximation words are inside money
spans ("under $100", "500元以内"); English quantities are the number alone; Chinese ones
keep the measure word ("两件"); sizes keep their cue ("size 8", "M码").
"""

from __future__ import annotations

from kefu.nlu.entities.catalog import CatalogMatcher, CatalogProduct
from kefu.nlu.entities.evaluate import evaluate_entities
from kefu.nlu.entities.extractor import EntityExtractor

__all__ = ["CatalogMatcher", "CatalogProduct", "EntityExtractor", "evaluate_entities"]
