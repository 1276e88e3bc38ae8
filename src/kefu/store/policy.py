"""The store's policy settings, as one typed object kept in the ``policy_settings`` table.

Defaults follow tau-bench retail's policy (cancellation reasons, refund timing); a store
owner changes them with :func:`save_policy` (the demo shop sets its own).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.errors import InvalidInput
from kefu.store.models import PolicySetting


@dataclass(frozen=True)
class RefundTiming:
    """How long a refund takes to reach a payment method, in business days."""

    min_days: int
    max_days: int

    def describe(self, lang: str = "en") -> str:
        if self.max_days == 0:
            return "立即到账" if lang == "zh" else "immediately"
        if lang == "zh":
            return f"{self.min_days}-{self.max_days} 个工作日"
        return f"{self.min_days}-{self.max_days} business days"


def _default_refund_timing() -> dict[str, RefundTiming]:
    return {
        "gift_card": RefundTiming(0, 0),
        "credit_card": RefundTiming(5, 7),
        "paypal": RefundTiming(5, 7),
        "debit_card": RefundTiming(5, 7),
        "alipay": RefundTiming(1, 3),
        "wechat_pay": RefundTiming(1, 3),
    }


# Settings older kefu versions stored and that no longer mean anything: read and ignored.
RETIRED_SETTINGS = frozenset({"max_item_modifications"})


@dataclass(frozen=True)
class StorePolicy:
    store_name: str = "kefu store"
    currency: str = "USD"
    # Days after delivery during which delivered items may be returned or exchanged.
    # Only enforced for orders whose delivery date is known (tau-bench orders have none).
    return_window_days: int = 7
    exchange_window_days: int = 15
    cancellation_reasons: tuple[str, ...] = ("no longer needed", "ordered by mistake")
    refund_timing: dict[str, RefundTiming] = field(default_factory=_default_refund_timing)

    def __post_init__(self) -> None:
        if self.return_window_days < 0:
            raise InvalidInput(
                f"return_window_days must be 0 or more, got {self.return_window_days}")
        if self.exchange_window_days < 0:
            raise InvalidInput(
                f"exchange_window_days must be 0 or more, got {self.exchange_window_days}")
        if not self.cancellation_reasons:
            raise InvalidInput("cancellation_reasons must name at least one reason")

    def refund_time(self, source: str) -> RefundTiming:
        return self.refund_timing.get(source, RefundTiming(5, 7))

    def to_settings(self) -> dict[str, Any]:
        data = asdict(self)
        data["cancellation_reasons"] = list(self.cancellation_reasons)
        return data

    @classmethod
    def from_settings(cls, data: dict[str, Any]) -> StorePolicy:
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k not in RETIRED_SETTINGS}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InvalidInput(f"unknown policy settings: {', '.join(unknown)}",
                               hint=f"known settings: {', '.join(sorted(known))}")
        values = dict(data)
        if "cancellation_reasons" in values:
            values["cancellation_reasons"] = tuple(values["cancellation_reasons"])
        if "refund_timing" in values:
            values["refund_timing"] = {
                source: RefundTiming(**timing) if isinstance(timing, dict) else timing
                for source, timing in values["refund_timing"].items()
            }
        return cls(**values)


def load_policy(session: Session) -> StorePolicy:
    """The store's policy: stored settings over the defaults."""
    rows = session.scalars(select(PolicySetting)).all()
    return StorePolicy.from_settings({row.key: row.value for row in rows})


def save_policy(session: Session, policy: StorePolicy) -> None:
    """Store every setting of ``policy`` (replacing the stored ones)."""
    for key, value in policy.to_settings().items():
        session.merge(PolicySetting(key=key, value=value))
