"""The demo shop: a bilingual store (catalog, customers, orders, offers) to try kefu on.

``build_demo_store(store, seed=...)`` fills an empty store; the same seed always gives the
same shop, dated around :data:`REFERENCE_DATE` (use ``kefu.store.clock.frozen_at`` with it
to see return windows and offers as a customer of that day would).
"""

from kefu.store.demo.build import (
    DEFAULT_SEED,
    REFERENCE_DATE,
    STATUS_COUNTS,
    DemoSummary,
    build_demo_store,
    demo_policy,
)

__all__ = ["DEFAULT_SEED", "REFERENCE_DATE", "STATUS_COUNTS", "DemoSummary",
           "build_demo_store", "demo_policy"]
