"""``kefu agents add/list`` in process, against a SQLite store."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from kefu.agents import AgentDirectory
from kefu.cli.app import app
from kefu.store import open_store


def test_add_with_password_and_api_key_then_list(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    runner = CliRunner()
    added = runner.invoke(app, ["agents", "add", "alice", "--password-stdin", "--admin",
                                "--database-url", url], input="a long password\n")
    assert added.exit_code == 0, added.output
    assert added.output.strip() == "agent alice (admin) created"
    keyed = runner.invoke(app, ["agents", "add", "crm", "--api-key", "--database-url", url])
    assert keyed.exit_code == 0
    key = keyed.output.split("API key (shown once): ")[1].strip()
    listed = runner.invoke(app, ["agents", "list", "--database-url", url])
    assert listed.output.splitlines() == ["alice\tadmin\tpassword\tactive",
                                          "crm\tagent\tapi-key\tactive"]
    directory = AgentDirectory(open_store(url))
    assert directory.authenticate_password("alice", "a long password").is_admin
    assert directory.authenticate_api_key(key).name == "crm"
    refused = runner.invoke(app, ["agents", "add", "bob", "--database-url", url])
    assert refused.exit_code == 1 and "password or an API key" in str(refused.exception)
