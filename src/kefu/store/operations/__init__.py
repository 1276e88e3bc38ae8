"""Store operations: what a customer-service agent can look up and do.

Importing this package registers every operation as a tool (see :mod:`kefu.tools`).
Each module imported below holds one area of operations.
"""

# Catalog search, offers and after-sales operations (helper-6's part).
from kefu.store.operations import aftersales, handoff, lookup, offers, search  # noqa: F401, E402
