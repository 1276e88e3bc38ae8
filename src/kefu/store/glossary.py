"""Option names and values in both languages, so a Chinese filter finds English options.

Variant options are stored in English (``{"color": "red"}``, as tau-bench stores them);
customers say 红色 or 尺码. The pairs come from the option tables the demo catalog is built
from, which cover common shop options (colours, sizes, storage, materials, ...).
"""

from __future__ import annotations

from functools import cache


@cache
def _tables() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """(any name → stored key, any value → stored value, key → Chinese name, stored value
    → Chinese value)."""
    from kefu.store.demo import catalog

    keys: dict[str, str] = {}
    values: dict[str, str] = {}
    keys_zh: dict[str, str] = {}
    values_zh: dict[str, str] = {}
    for dim in vars(catalog).values():
        if isinstance(dim, catalog.OptionDim):
            keys[dim.key.casefold()] = dim.key
            keys[dim.name_zh.casefold()] = dim.key
            keys_zh.setdefault(dim.key.casefold(), dim.name_zh)
            for en, zh in dim.values:
                values.setdefault(en.casefold(), en)
                values.setdefault(zh.casefold(), en)
                values_zh.setdefault(en.casefold(), zh)
    return keys, values, keys_zh, values_zh


def option_key(name: str) -> str:
    """The stored option name for ``name`` (``"颜色"`` → ``"color"``), else ``name``."""
    return _tables()[0].get(name.strip().casefold(), name.strip())


def option_value(value: str) -> str | None:
    """The stored option value for ``value`` (``"红色"`` → ``"red"``), or None if unknown."""
    return _tables()[1].get(value.strip().casefold())


def chinese_option_key(key: str) -> str:
    """The Chinese name of an option (``"color"`` → ``"颜色"``), else ``key``."""
    return _tables()[2].get(key.strip().casefold(), key)


def chinese_option_value(value: str) -> str:
    """The Chinese for a stored option value (``"red"`` → ``"红色"``), else ``value``."""
    return _tables()[3].get(value.strip().casefold(), value)
