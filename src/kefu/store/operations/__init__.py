"""Store operations: what a customer-service agent can look up and do.

Importing this package registers every operation as a tool (see :mod:`kefu.tools`).
Each module imported below holds one area of operations.
"""

# Each module registers its operations: tau-bench retail's, with its semantics (calculate,
# catalog, customers, orders, returns), and kefu's own (aftersales, handoff, lookup,
# offers, search).
from kefu.store.operations import (  # noqa: F401
    aftersales,
    calculate,
    catalog,
    customers,
    handoff,
    lookup,
    offers,
    orders,
    returns,
    search,
)
