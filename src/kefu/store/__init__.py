"""The store kefu serves: customers, catalog, orders, offers, and the rules that guard them."""

from kefu.store.db import Store, open_store

__all__ = ["Store", "open_store"]
