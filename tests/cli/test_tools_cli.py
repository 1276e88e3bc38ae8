"""`kefu tools list` and `kefu tools call` (one call and --batch), run in process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kefu.cli.app import app
from kefu.store import open_store
from kefu.tools import all_tools
from tests.store.dump import db_dump
from tests.store.tau_shop import BLUE_M, CARD, RED_M, USER, build_tau_shop

runner = CliRunner()
TAU_TOOLS = {
    "find_user_id_by_email", "find_user_id_by_name_zip", "get_user_details",
    "get_order_details", "get_product_details", "list_all_product_types",
    "cancel_pending_order", "modify_pending_order_address", "modify_pending_order_items",
    "modify_pending_order_payment", "modify_user_address", "return_delivered_order_items",
    "exchange_delivered_order_items", "calculate", "get_item_details",
}


def invoke(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=stdin, env={"COLUMNS": "160"})


@pytest.fixture
def shop_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    store = open_store(url)
    build_tau_shop(store)
    store.dispose()
    return url


def _check_schema(schema: object) -> None:
    """A JSON Schema of the shape OpenAI function calling takes."""
    assert isinstance(schema, dict)
    assert schema["type"] == "object"
    assert isinstance(schema["properties"], dict)
    assert set(schema["required"]) <= set(schema["properties"])
    for name, prop in schema["properties"].items():
        assert isinstance(prop.get("description"), str) and prop["description"], name
        assert "type" in prop or "anyOf" in prop, name


def test_list_json_gives_a_valid_schema_for_every_tool() -> None:
    result = invoke("tools", "list", "--json")
    assert result.exit_code == 0, result.output
    schemas = json.loads(result.output)
    assert [s["function"]["name"] for s in schemas] == [t.name for t in all_tools()]
    assert {s["function"]["name"] for s in schemas} >= TAU_TOOLS
    for schema in schemas:
        assert schema["type"] == "function"
        assert schema["function"]["description"]
        _check_schema(schema["function"]["parameters"])
    by_name = {s["function"]["name"]: s["function"]["parameters"] for s in schemas}
    items = by_name["modify_pending_order_items"]
    assert items["required"] == ["order_id", "item_ids", "new_item_ids", "payment_method_id"]
    assert items["properties"]["item_ids"]["type"] == "array"
    assert items["properties"]["item_ids"]["items"] == {"type": "string"}
    assert items["additionalProperties"] is False
    assert by_name["list_all_product_types"]["properties"] == {}


def test_list_table_and_one_tool_in_full() -> None:
    result = invoke("tools", "list")
    assert result.exit_code == 0, result.output
    assert "cancel_pending_order" in result.output
    assert "Cancel a pending order." in result.output
    one = invoke("tools", "list", "--name", "return_delivered_order_items")
    assert one.exit_code == 0, one.output
    assert "return_delivered_order_items (writes)" in one.output
    assert "payment_method_id (string)" in one.output
    unknown = invoke("tools", "list", "--name", "nope")
    assert unknown.exit_code == 1
    assert "unknown tool 'nope'" in unknown.stderr


def test_call_prints_the_json_result(shop_url: str) -> None:
    result = invoke("tools", "call", "get_user_details", json.dumps({"user_id": USER}),
                    "--database-url", shop_url)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["email"] == "Wei.Zhang@example.com"
    calc = invoke("tools", "call", "calculate", '{"expression": "1 + 2.5"}',
                  "--database-url", shop_url)
    assert json.loads(calc.stdout) == 3.5


def test_call_errors_go_to_stderr_with_status_1(shop_url: str) -> None:
    store = open_store(shop_url)
    before = db_dump(store)
    refused = invoke("tools", "call", "cancel_pending_order",
                     '{"order_id": "#W1000002", "reason": "no longer needed"}',
                     "--database-url", shop_url)
    assert refused.exit_code == 1
    assert refused.stdout == ""
    assert "error: order #W1000002 is delivered; only pending orders can be cancelled" \
        in refused.stderr
    bad_json = invoke("tools", "call", "get_order_details", "{order_id: 1}",
                      "--database-url", shop_url)
    assert bad_json.exit_code == 1
    assert "not valid JSON" in bad_json.stderr
    missing = invoke("tools", "call", "get_order_details", "{}", "--database-url", shop_url)
    assert missing.exit_code == 1
    assert "order_id: Field required" in missing.stderr
    assert invoke("tools", "call", "--database-url", shop_url).exit_code == 1
    assert db_dump(store) == before
    store.dispose()


def test_batch_runs_every_line_and_reports_errors_in_place(shop_url: str,
                                                           tmp_path: Path) -> None:
    lines = [
        {"name": "find_user_id_by_email", "kwargs": {"email": "wei.zhang@example.com"}},
        {"name": "cancel_pending_order",  # refused: delivered
         "kwargs": {"order_id": "#W1000002", "reason": "no longer needed"}},
        "this is not JSON",
        {"name": "no_such_tool", "kwargs": {}},
        {"name": "get_order_details"},  # kwargs missing: the tool says which argument
        {"name": "modify_pending_order_items",
         "kwargs": {"order_id": "#W1000001", "item_ids": [RED_M], "new_item_ids": [BLUE_M],
                    "payment_method_id": CARD}},
        {"name": "modify_pending_order_items",  # refused: items already modified
         "kwargs": {"order_id": "#W1000001", "item_ids": [RED_M], "new_item_ids": [BLUE_M],
                    "payment_method_id": CARD}},
    ]
    batch = tmp_path / "calls.jsonl"
    batch.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines)
                     + "\n\n", encoding="utf-8")
    result = invoke("tools", "call", "--batch", str(batch), "--database-url", shop_url)
    assert result.exit_code == 0, result.output
    outcomes = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["line"] for o in outcomes] == [1, 2, 3, 4, 5, 6, 7]
    assert [o["ok"] for o in outcomes] == [True, False, False, False, False, True, False]
    assert outcomes[0]["result"] == USER
    assert outcomes[1]["error"]["code"] == "rule_violation"
    assert "only pending orders can be cancelled" in outcomes[1]["error"]["message"]
    assert outcomes[2]["error"] == {
        "code": "invalid_input",
        "message": "line 3: invalid JSON: Expecting value (column 1)"}
    assert outcomes[3]["error"]["code"] == "not_found"
    assert "unknown tool 'no_such_tool'" in outcomes[3]["error"]["message"]
    assert "order_id: Field required" in outcomes[4]["error"]["message"]
    assert outcomes[5]["result"]["status"] == "pending (item modified)"
    assert "already modified" in outcomes[6]["error"]["message"]


def test_batch_reads_standard_input_and_refuses_a_missing_file(shop_url: str,
                                                               tmp_path: Path) -> None:
    result = invoke("tools", "call", "--batch", "-", "--database-url", shop_url,
                    stdin='{"name": "calculate", "kwargs": {"expression": "2 * 3"}}\n')
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"line": 1, "name": "calculate", "ok": True,
                                         "result": 6.0}
    missing = invoke("tools", "call", "--batch", str(tmp_path / "none.jsonl"),
                     "--database-url", shop_url)
    assert missing.exit_code == 1
    assert "cannot read" in missing.stderr
    both = invoke("tools", "call", "calculate", "--batch", "-", "--database-url", shop_url)
    assert both.exit_code == 1
