from pathlib import Path

import pytest

from kefu.errors import ConfigError
from kefu.settings import load_settings


def test_defaults_use_sqlite_in_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_HOME", str(tmp_path))
    monkeypatch.delenv("KEFU_DATABASE_URL", raising=False)
    settings = load_settings()
    assert settings.store_url == f"sqlite:///{tmp_path / 'store.db'}"


def test_toml_file_is_read_and_env_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "kefu.toml"
    config.write_text('database_url = "sqlite:///from-file.db"\nlog_level = "DEBUG"\n')
    monkeypatch.setenv("KEFU_CONFIG", str(config))
    monkeypatch.setenv("KEFU_LOG_LEVEL", "WARNING")
    settings = load_settings()
    assert settings.database_url == "sqlite:///from-file.db"
    assert settings.log_level == "WARNING"


def test_bad_value_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_MAX_MESSAGE_CHARS", "0")
    with pytest.raises(ConfigError, match="max_message_chars must be greater than 0, got 0"):
        load_settings()


def test_missing_config_file_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KEFU_CONFIG", str(tmp_path / "nope.toml"))
    with pytest.raises(ConfigError, match="not a file"):
        load_settings()


def test_production_refuses_default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_ENVIRONMENT", "production")
    with pytest.raises(ConfigError, match="secret_key"):
        load_settings()
