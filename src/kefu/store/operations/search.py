"""Searching the catalog (text in English and Chinese, category, options, price)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import selectinload

from kefu.errors import InvalidInput, NotFound
from kefu.store.db import Store
from kefu.store.glossary import option_key, option_value
from kefu.store.models import Category, Product, Variant, to_money
from kefu.tools.registry import tool

MAX_LIMIT = 50


@dataclass(frozen=True)
class CategoryInfo:
    category_id: str
    name_en: str
    name_zh: str
    product_count: int


@dataclass(frozen=True)
class VariantMatch:
    item_id: str
    options: dict[str, Any]
    price: Decimal
    available: bool
    stock: int | None = None


@dataclass(frozen=True)
class ProductMatch:
    product_id: str
    name: str
    name_zh: str
    brand: str | None
    category_id: str | None
    category_en: str | None
    category_zh: str | None
    description_en: str
    description_zh: str
    min_price: Decimal
    max_price: Decimal
    variants: list[VariantMatch]


@dataclass(frozen=True)
class SearchResult:
    """The first ``limit`` matching products (best first) and how many matched in all."""

    total: int
    products: list[ProductMatch]


@tool()
def list_categories(store: Store) -> list[CategoryInfo]:
    """List the store's product categories with their English and Chinese names and how many
    products each has. Use a category id or name with search_products.
    """
    with store.session() as session:
        counts = dict(session.execute(
            select(Product.category_id, func.count()).group_by(Product.category_id)).all())
        return [CategoryInfo(c.id, c.name_en, c.name_zh, int(counts.get(c.id, 0)))
                for c in session.scalars(select(Category).order_by(Category.id))]


def resolve_category(session: Any, category: str) -> Category:
    """A category by id or by its English (any case) or Chinese name."""
    wanted = category.strip()
    row = session.scalars(select(Category).where(or_(
        Category.id == wanted, func.lower(Category.name_en) == wanted.lower(),
        Category.name_zh == wanted)).order_by(Category.id)).first()
    if row is None:
        known = ", ".join(f"{c.id} ({c.name_en}/{c.name_zh})"
                          for c in session.scalars(select(Category).order_by(Category.id)))
        raise NotFound(f"no category {category!r}", hint=f"known categories: {known or 'none'}")
    return row


def _text_fields(product: Product) -> tuple[list[str], list[str]]:
    names = [product.name, product.name_zh, product.brand or ""]
    other = [product.description_en, product.description_zh]
    if product.category is not None:
        other += [product.category.name_en, product.category.name_zh]
    return [n.casefold() for n in names], [o.casefold() for o in other]


def _option_values(variant: Variant) -> dict[str, str]:
    return {str(k).casefold(): str(v).strip().casefold() for k, v in variant.options.items()}


def _options_match(variant: Variant, wanted: dict[str, str]) -> bool:
    have = _option_values(variant)
    return all(have.get(k) == v for k, v in wanted.items())


def _narrow(product: Product, variants: list[Variant],
            option_words: list[tuple[str, str]]) -> list[Variant]:
    """Apply query words that are option values: a word picks the variants that have it;
    failing that, it must be in the product's text (e.g. 'wireless' in a name)."""
    names, other = _text_fields(product)
    text = names + other
    for typed, value in option_words:
        having = [v for v in variants if value in _option_values(v).values()]
        if having:
            variants = having
        elif not any(typed in t or value in t for t in text):
            return []
    return variants


def _wanted_options(options: dict[str, str] | None) -> dict[str, str]:
    """Option filters with Chinese names and values translated (颜色: 红色 → color: red)."""
    wanted = {}
    for key, value in (options or {}).items():
        text = str(value).strip()
        wanted[option_key(str(key)).casefold()] = (option_value(text) or text).casefold()
    return wanted


@tool()
def search_products(
    store: Store,
    query: str | None = None,
    category: str | None = None,
    options: dict[str, str] | None = None,
    min_price: Decimal | None = None,
    max_price: Decimal | None = None,
    available_only: bool = True,
    limit: int = 10,
) -> SearchResult:
    """Search the catalog. Every word of the query must appear in a product's English or
    Chinese name, brand, description or category (case does not matter; Chinese words match
    as substrings, e.g. '耳机'); a word that is an option value ('red', '红色', 'XL') keeps
    only the variants that have it. Returns matching products, best first, each with its
    matching variants (item ids, options, prices) and price range, and the total count.

    Args:
        query: Words to look for, e.g. 'wireless earbuds' or '蓝牙 耳机'. Optional.
        category: A category id or its English or Chinese name, e.g. 'kitchen' or '厨房用品'.
        options: Variant options the item must have, e.g. {"color": "red", "size": "M"}
            (English or Chinese names and values, e.g. {"颜色": "红色"}; case does not
            matter).
        min_price: Lowest variant price to include.
        max_price: Highest variant price to include.
        available_only: Only variants that are in stock (default true).
        limit: How many products to return (1 to 50, default 10).
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    if min_price is not None and max_price is not None and min_price > max_price:
        raise InvalidInput(f"min_price ({min_price}) is above max_price ({max_price})")
    terms: list[str] = []
    option_words: list[tuple[str, str]] = []
    for word in (query or "").split():
        # A word that is an option value (red, 红色, XL, 128GB) picks variants (see _narrow).
        value = option_value(word)
        if value:
            option_words.append((word.casefold(), value.casefold()))
        else:
            terms.append(word.casefold())
    wanted = _wanted_options(options)

    with store.session() as session:
        stmt = (select(Product).outerjoin(Category, Product.category_id == Category.id)
                .options(selectinload(Product.variants), selectinload(Product.category)))
        if category is not None:
            stmt = stmt.where(Product.category_id == resolve_category(session, category).id)
        for term in terms:
            stmt = stmt.where(or_(*(
                func.lower(column).contains(term, autoescape=True)
                for column in (Product.name, Product.name_zh, Product.brand,
                               Product.description_en, Product.description_zh,
                               Category.name_en, Category.name_zh)
            )))
        variant_conditions: list[ColumnElement[bool]] = []
        if available_only:
            variant_conditions.append(Variant.available.is_(True))
        if min_price is not None:
            variant_conditions.append(Variant.price >= to_money(min_price))
        if max_price is not None:
            variant_conditions.append(Variant.price <= to_money(max_price))
        if variant_conditions:
            stmt = stmt.where(Product.variants.any(and_(*variant_conditions)))
        products = session.scalars(stmt.order_by(Product.position, Product.id)).unique().all()

        scored: list[tuple[int, int, ProductMatch]] = []
        for rank, product in enumerate(products):
            variants = [
                v for v in product.variants
                if (v.available or not available_only)
                and (min_price is None or v.price >= min_price)
                and (max_price is None or v.price <= max_price)
                and _options_match(v, wanted)
            ]
            variants = _narrow(product, variants, option_words)
            if not variants:
                continue
            names, _ = _text_fields(product)
            in_name = sum(1 for t in terms if any(t in n for n in names))
            prices = [v.price for v in variants]
            category_row = product.category
            scored.append((-in_name, rank, ProductMatch(
                product_id=product.id, name=product.name, name_zh=product.name_zh,
                brand=product.brand, category_id=product.category_id,
                category_en=category_row.name_en if category_row else None,
                category_zh=category_row.name_zh if category_row else None,
                description_en=product.description_en, description_zh=product.description_zh,
                min_price=min(prices), max_price=max(prices),
                variants=[VariantMatch(v.id, dict(v.options), v.price, v.available, v.stock)
                          for v in variants],
            )))
    scored.sort(key=lambda s: (s[0], s[1]))
    return SearchResult(total=len(scored), products=[s[2] for s in scored[:limit]])
