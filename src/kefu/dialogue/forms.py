"""Tasks and their forms: what each action needs, and the stack of tasks in progress.

A task is a JSON object kept in the ``tasks`` slot: ``{"name": intent, "order_id": ...,
"item_ids": [...], "new_item_ids": {...}, "payment_method_id": ..., "reason": ...}``. The
last task of the list is the active one; a new request pushes a task, a finished one is
popped and the one below resumes. :data:`TASK_SLOTS` says what each task needs, in the
order kefu asks for it; :func:`missing` gives the first thing still missing.
"""

from __future__ import annotations

from typing import Any

from kefu.dialogue.context import TASKS_SLOT, Turn

# What each task needs, asked in this order.
TASK_SLOTS: dict[str, tuple[str, ...]] = {
    "order_status": ("order",),
    "delivery_problem": ("order",),
    "refund_status": ("order",),
    "cancel_order": ("order", "reason"),
    "modify_order_address": ("order", "address"),
    "modify_order_payment": ("order", "payment"),
    "modify_order_items": ("order", "items", "new_items"),
    "change_default_address": ("address",),
    "return_item": ("order", "items"),
    "exchange_item": ("order", "items", "new_items"),
    "warranty_repair": ("order", "items"),
    "coupons": (),
}

# The order statuses a task may act on (None: any order).
ELIGIBLE_STATUSES: dict[str, tuple[str, ...] | None] = {
    "cancel_order": ("pending",),
    "modify_order_address": ("pending",),
    "modify_order_payment": ("pending",),
    "modify_order_items": ("pending",),
    "return_item": ("delivered",),
    "exchange_item": ("delivered",),
    "warranty_repair": ("delivered",),
    "refund_status": ("cancelled", "return requested", "exchange requested"),
    "delivery_problem": ("processed", "delivered"),
}

# Intents that act on the customer's own data: they need a verified customer.
CUSTOMER_TASKS = frozenset(TASK_SLOTS)

# Tasks that write, with the store operation they end in.
WRITE_ACTIONS: dict[str, str] = {
    "cancel_order": "cancel_pending_order",
    "modify_order_address": "modify_pending_order_address",
    "modify_order_payment": "modify_pending_order_payment",
    "modify_order_items": "modify_pending_order_items",
    "change_default_address": "modify_user_address",
    "return_item": "return_delivered_order_items",
    "exchange_item": "exchange_delivered_order_items",
    "repair": "create_repair_request",
}

# Tasks whose items are a single unit (one item id), not a list.
SINGLE_ITEM_TASKS = frozenset({"warranty_repair"})


def stack(turn: Turn) -> list[dict[str, Any]]:
    value = turn.slot(TASKS_SLOT)
    return [dict(t) for t in value] if isinstance(value, list) else []


def active(turn: Turn) -> dict[str, Any] | None:
    tasks = stack(turn)
    return tasks[-1] if tasks else None


def push(turn: Turn, name: str, **values: Any) -> dict[str, Any]:
    tasks = [t for t in stack(turn) if t["name"] != name]
    task = {"name": name, **values}
    turn.set_slot(TASKS_SLOT, [*tasks, task])
    return task


def save(turn: Turn, task: dict[str, Any]) -> None:
    """Replace the active task with ``task``."""
    tasks = stack(turn)
    if tasks and tasks[-1]["name"] == task["name"]:
        tasks[-1] = task
    else:
        tasks.append(task)
    turn.set_slot(TASKS_SLOT, tasks)


def replace_active(turn: Turn, task: dict[str, Any]) -> None:
    """Put ``task`` in place of the active task, even under another name."""
    tasks = stack(turn)
    turn.set_slot(TASKS_SLOT, [*tasks[:-1], task])


def pop(turn: Turn) -> dict[str, Any] | None:
    tasks = stack(turn)
    if not tasks:
        return None
    done = tasks.pop()
    turn.set_slot(TASKS_SLOT, tasks or None)
    return done


def clear(turn: Turn) -> None:
    turn.set_slot(TASKS_SLOT, None)


def missing(task: dict[str, Any]) -> str | None:
    """The first thing the task still needs, or None when it is complete."""
    for need in TASK_SLOTS.get(task["name"], ()):
        if need == "order" and not task.get("order_id"):
            return "order"
        if need == "reason" and not task.get("reason"):
            return "reason"
        if need == "items" and not task.get("item_ids"):
            return "items"
        if need == "new_items":
            chosen = task.get("new_item_ids") or {}
            if any(str(i) not in chosen for i in range(len(task.get("item_ids") or []))):
                return "new_items"
        if need == "payment" and not task.get("payment_method_id"):
            return "payment"
        if need == "address" and not task.get("has_address"):
            return "address"
    return None


def reset_after_order_change(task: dict[str, Any]) -> dict[str, Any]:
    """A task for another order: what was chosen in the old one no longer applies."""
    kept = {k: v for k, v in task.items()
            if k not in ("item_ids", "new_item_ids", "payment_method_id", "asked")}
    if task["name"] != "modify_order_payment" and "payment_method_id" in task and \
            task.get("payment_explicit"):
        kept["payment_method_id"] = task["payment_method_id"]
    return kept


# Changing items is a modification while the order is pending and an exchange once it is
# delivered ("换成40码" means either): the order's status decides which form applies.
_ITEM_CHANGES = {"modify_order_items": "exchange_item", "exchange_item": "modify_order_items"}


def form_for_status(turn: Turn, task: dict[str, Any]) -> dict[str, Any]:
    """``task``, renamed to the item change its order's status allows (and saved so)."""
    from kefu.dialogue.flows import customer

    other = _ITEM_CHANGES.get(task["name"])
    if other is None or not task.get("order_id"):
        return task
    status = customer.order(turn, task["order_id"])["status"]
    if status in (ELIGIBLE_STATUSES[task["name"]] or ()) or \
            status not in (ELIGIBLE_STATUSES[other] or ()):
        return task
    task = {**task, "name": other}
    replace_active(turn, task)
    return task
