"""Follow-ups to a recommendation: each turns the previous need and what was shown into the
next need ("cheaper", "in red", "a bigger one", "show me more"), or answers about what was
shown ("compare the first two", "why this one"). All are pure functions of their inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from kefu.errors import InvalidInput
from kefu.recommend.ordering import compare_values, option_rank
from kefu.recommend.types import (
    Comparison,
    Difference,
    Need,
    Reason,
    Recommendation,
)

CENT = Decimal("0.01")
# Options that "bigger" means first, when an item has several ordered ones.
SIZE_OPTIONS = ("size", "shoe size", "capacity", "storage", "screen size", "volume", "length",
                "memory", "ram", "weight", "pieces", "piece count", "diameter", "room size")


def _require_shown(shown: Sequence[Recommendation], what: str) -> None:
    if not shown:
        raise InvalidInput(f"{what} needs the items shown before, got none",
                           hint="recommend first, then refine with what was shown")


def cheaper(need: Need, shown: Sequence[Recommendation]) -> Need:
    """Below the cheapest item shown (a budget ceiling one cent under it)."""
    _require_shown(shown, "cheaper")
    ceiling = min(r.price for r in shown) - CENT
    if ceiling < 0:
        raise InvalidInput("nothing can be cheaper than a free item")
    floor = need.budget_min if need.budget_min is not None and need.budget_min <= ceiling \
        else None
    return need.but(budget_max=ceiling, budget_min=floor)


def with_option(need: Need, key: str | None, value: str,
                shown: Sequence[Recommendation] = ()) -> Need:
    """The need with one option set ("in red": ``with_option(need, None, "red")``).

    Without ``key`` the option is found among the shown items' options having that value's
    kind (a colour replaces the colour); failing that, the glossary's name for it.
    """
    from kefu.store.glossary import option_value

    stored = (option_value(value) or value).strip()
    if not stored:
        raise InvalidInput("with_option needs a value, got an empty one")
    key = key or infer_option_key(stored, shown)
    if key is None:
        raise InvalidInput(f"cannot tell which option {value!r} is",
                           hint="pass the option name, e.g. with_option(need, 'color', 'red')")
    options = {**need.options, key: stored}
    return need.but(options=options)


_KIND_WORDS = {"color": ("color", "colour", "frame color", "lens color", "dial color")}


def infer_option_key(value: str, shown: Sequence[Recommendation] = ()) -> str | None:
    """Which option a value belongs to: from the demo glossary's dimensions, else by the
    shown items having an option with a value of the same kind."""
    from kefu.store.demo import catalog

    folded = value.casefold()
    for dim in vars(catalog).values():
        if isinstance(dim, catalog.OptionDim) and any(folded in (en.casefold(), zh.casefold())
                                                      for en, zh in dim.values):
            return dim.key
    rank = option_rank(value)
    for rec in shown:
        for key, have in rec.options.items():
            have_rank = option_rank(str(have))
            if rank is not None and have_rank is not None and have_rank[0] == rank[0]:
                return str(key).casefold()
    return None


def bigger(need: Need, shown: Sequence[Recommendation], key: str | None = None, *,
           which: int = 0) -> Need:
    """Bigger than the ``which``-th item shown in an ordered option (size, capacity, ...).

    Without ``key`` the first ordered option of that item is used (size, capacity, storage,
    screen size, ... in the order the item lists them).
    """
    return _step(need, shown, key, which, 1)


def smaller(need: Need, shown: Sequence[Recommendation], key: str | None = None, *,
            which: int = 0) -> Need:
    return _step(need, shown, key, which, -1)


def _step(need: Need, shown: Sequence[Recommendation], key: str | None, which: int,
          sign: int) -> Need:
    _require_shown(shown, "bigger" if sign > 0 else "smaller")
    if not 0 <= which < len(shown):
        raise InvalidInput(f"which must be between 0 and {len(shown) - 1}, got {which}")
    item = shown[which]
    options = {str(k).casefold(): str(v) for k, v in item.options.items()}
    if key is None:
        ordered = [k for k, v in options.items() if option_rank(v) is not None]
        key = next((k for k in SIZE_OPTIONS if k in ordered), ordered[0] if ordered else None)
    else:
        key = key.casefold()
    if key is None or key not in options or option_rank(options[key]) is None:
        raise InvalidInput(f"{item.name} has no option that comes in sizes"
                           + (f" called {key!r}" if key else ""),
                           hint=f"its options are {dict(item.options)}")
    above = {k: v for k, v in need.above.items() if k != key}
    below = {k: v for k, v in need.below.items() if k != key}
    target = above if sign > 0 else below
    target[key] = options[key]
    plain = {k: v for k, v in need.options.items() if k != key}
    # "a bigger one" means this product or one like it: keep its kind of thing in view
    reference = need.reference or item.product_id
    return need.but(options=plain, above=above, below=below, reference=reference)


def more(need: Need, shown: Sequence[Recommendation]) -> Need:
    """The next page: everything shown so far is excluded."""
    return need.but(exclude=need.exclude | {r.product_id for r in shown})


def why(recommendation: Recommendation) -> tuple[Reason, ...]:
    """The reasons an item was recommended (data the dialogue renders)."""
    return recommendation.reasons


def compare(first: Recommendation, second: Recommendation) -> Comparison:
    """Two items side by side: price difference, shared options, differing options."""
    a = {str(k).casefold(): v for k, v in first.options.items()}
    b = {str(k).casefold(): v for k, v in second.options.items()}
    same = {k: a[k] for k in a if k in b and str(a[k]).casefold() == str(b[k]).casefold()}
    different = [Difference(k, a.get(k), b.get(k)) for k in sorted(set(a) | set(b))
                 if k not in same]
    if first.product_id != second.product_id:
        different.insert(0, Difference("product", first.name, second.name))
    difference = second.price - first.price
    cheaper_id = None if difference == 0 else (first if difference > 0 else second).product_id
    return Comparison(first=first, second=second, price_difference=difference,
                      cheaper=cheaper_id, same=same, different=tuple(different))


def is_bigger(a: str, b: str) -> bool:
    """Whether option value ``a`` is bigger than ``b`` (False when they do not compare)."""
    return compare_values(a, b) == 1
