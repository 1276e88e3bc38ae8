"""Fixtures for store tests (the demo shop, built once per backend: see demo_support)."""

from tests.store.demo_support import demo_store  # noqa: F401
