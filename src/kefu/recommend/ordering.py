"""Which option value is "bigger": ordering tables for sizes, capacities, storage and the like.

"A bigger one" needs an order on option values. Sizes have named steps (S < M < L,
小号 < 中号 < 大号); capacities, storage, screens and weights are numbers with units, which
are brought to one base unit per family (1.5L = 1500 ml, 1TB = 1024 GB) so only values of
the same family compare. A value with no known order gets ``None`` and is never "bigger".
"""

from __future__ import annotations

import re

# Named steps, smallest first. A value is looked up case-insensitively.
_STEPS: tuple[tuple[str, ...], ...] = (
    ("xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl"),
    ("small", "medium", "large"),
    ("小号", "中号", "大号"),
    ("low", "medium", "high"),
    ("basic", "professional"),
    ("standard", "high-back"),
    ("1 cup", "2 cups", "4 cups"),
)

# unit (lower case) -> (family, factor to the family's base unit)
_UNITS: dict[str, tuple[str, float]] = {
    "ml": ("volume", 1), "毫升": ("volume", 1), "l": ("volume", 1000),
    "liter": ("volume", 1000), "liters": ("volume", 1000), "litre": ("volume", 1000),
    "litres": ("volume", 1000), "升": ("volume", 1000),
    "cup": ("cups", 1), "cups": ("cups", 1),
    "mah": ("charge", 1),
    "mb": ("bytes", 1 / 1024), "gb": ("bytes", 1), "tb": ("bytes", 1024),
    "inch": ("length", 2.54), "inches": ("length", 2.54), "英寸": ("length", 2.54),
    "in": ("length", 2.54), "ft": ("length", 30.48), "mm": ("length", 0.1),
    "cm": ("length", 1), "m": ("length", 100), "米": ("length", 100),
    "w": ("power", 1), "kg": ("mass", 1), "公斤": ("mass", 1), "lbs": ("mass", 0.4536),
    "g": ("mass", 0.001),
    "hours": ("hours", 1), "hour": ("hours", 1), "h": ("hours", 1),
    "pieces": ("count", 1), "piece": ("count", 1), "颗粒": ("count", 1), "-piece": ("count", 1),
    "x": ("zoom", 1), "bar": ("pressure", 1), "degrees": ("angle", 1), "mp": ("pixels", 1),
    "%": ("percent", 1),
}
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:-\s*)?([a-z%\u4e00-\u9fff-]*)")
_RESOLUTIONS = ("720p", "1080p", "2k", "4k", "5k", "8k")


def option_rank(value: str) -> tuple[str, float] | None:
    """``(family, rank)`` of an option value, comparable within a family, or None.

    >>> option_rank("1.5L"), option_rank("750ml")
    (('volume', 1500.0), ('volume', 750.0))
    """
    text = str(value).strip().casefold()
    for index, steps in enumerate(_STEPS):
        if text in steps:
            return f"steps{index}", float(steps.index(text))
    if text in _RESOLUTIONS:
        return "resolution", float(_RESOLUTIONS.index(text))
    match = _NUMBER.match(text)
    if match is None:
        return None
    number, unit = float(match.group(1)), match.group(2)
    if not unit:
        return "number", number  # shoe sizes, plain numbers
    family = _UNITS.get(unit) or _UNITS.get(unit.lstrip("-"))
    if family is None:
        return None
    return family[0], number * family[1]


def compare_values(a: str, b: str) -> int | None:
    """-1, 0 or 1 as ``a`` is smaller than, equal to or bigger than ``b``; None if unordered."""
    ra, rb = option_rank(a), option_rank(b)
    if ra is None or rb is None or ra[0] != rb[0]:
        return None
    return (ra[1] > rb[1]) - (ra[1] < rb[1])


def is_ordered(values: list[str]) -> bool:
    """Whether all ``values`` (two or more) share one ordered family."""
    ranks = [option_rank(v) for v in values]
    families = {r[0] for r in ranks if r is not None}
    return len(values) >= 2 and all(r is not None for r in ranks) and len(families) == 1
