"""tau-bench retail data imports faithfully and exports back unchanged, on both backends."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from kefu.errors import DataFormatError, RuleViolation
from kefu.store import Store
from kefu.store.taubench import export_taubench, import_taubench
from tests.conftest import TAU1, require_taubench


@pytest.fixture
def tau_data() -> Path:
    require_taubench()
    return TAU1


def _load(directory: Path, name: str) -> dict:
    return json.loads((directory / name).read_text(encoding="utf-8"))


def test_import_then_export_round_trips(empty_store: Store, tau_data: Path,
                                        tmp_path: Path) -> None:
    started = time.perf_counter()
    counts = import_taubench(empty_store, tau_data)
    assert time.perf_counter() - started < 30
    assert counts["customers"] == 500
    assert counts["products"] == 50
    assert counts["variants"] == 591
    assert counts["orders"] == 1000

    export_taubench(empty_store, tmp_path / "out")
    for name in ("users.json", "products.json", "orders.json"):
        assert _load(tmp_path / "out", name) == _load(tau_data, name), name

    # and the export imports again into an identical state
    import_taubench(empty_store, tmp_path / "out", replace=True)
    export_taubench(empty_store, tmp_path / "again")
    for name in ("users.json", "products.json", "orders.json"):
        assert _load(tmp_path / "again", name) == _load(tau_data, name), name


def test_tau_fields_added_by_tools_survive_a_round_trip(sqlite_url: str, tmp_path: Path,
                                                        tau_data: Path) -> None:
    from kefu.store import open_store

    orders = _load(tau_data, "orders.json")
    delivered = next(o for o in orders.values() if o["status"] == "delivered")
    delivered.update(status="exchange requested",
                     exchange_items=[delivered["items"][0]["item_id"]],
                     exchange_new_items=[delivered["items"][0]["item_id"]],
                     exchange_payment_method_id=delivered["payment_history"][0]
                     ["payment_method_id"], exchange_price_difference=-12.5)
    cancelled = next(o for o in orders.values() if o["status"] == "pending")
    cancelled.update(status="cancelled", cancel_reason="ordered by mistake")
    source = tmp_path / "src"
    source.mkdir()
    for name in ("users.json", "products.json"):
        (source / name).write_text((tau_data / name).read_text())
    (source / "orders.json").write_text(json.dumps(orders))

    store = open_store(sqlite_url)
    import_taubench(store, source)
    export_taubench(store, tmp_path / "out")
    assert _load(tmp_path / "out", "orders.json") == orders


def test_import_refuses_a_store_with_data(empty_store: Store, tau_data: Path) -> None:
    import_taubench(empty_store, tau_data)
    with pytest.raises(RuleViolation, match="already holds data"):
        import_taubench(empty_store, tau_data)


def test_missing_file_is_named(sqlite_url: str, tmp_path: Path) -> None:
    from kefu.store import open_store

    with pytest.raises(DataFormatError, match="missing users.json"):
        import_taubench(open_store(sqlite_url), tmp_path)


def test_invalid_json_names_file_and_line(sqlite_url: str, tmp_path: Path) -> None:
    from kefu.store import open_store

    (tmp_path / "users.json").write_text('{\n  "a": {\n  oops\n}')
    with pytest.raises(DataFormatError, match=r"users.json:3: invalid JSON"):
        import_taubench(open_store(sqlite_url), tmp_path)


def test_order_of_unknown_user_is_rejected_and_nothing_imported(
        sqlite_url: str, tmp_path: Path, tau_data: Path) -> None:
    from kefu.store import open_store

    for name in ("users.json", "products.json"):
        (tmp_path / name).write_text((tau_data / name).read_text())
    (tmp_path / "orders.json").write_text(json.dumps({"#W1": {
        "order_id": "#W1", "user_id": "nobody_1", "address": {}, "items": [],
        "fulfillments": [], "status": "pending", "payment_history": []}}))
    store = open_store(sqlite_url)
    with pytest.raises(DataFormatError, match="unknown user nobody_1"):
        import_taubench(store, tmp_path)
    assert store.is_empty()
