"""One settings object for all of kefu.

Values come, highest priority first, from keyword arguments, ``KEFU_*`` environment
variables, a TOML file (``KEFU_CONFIG`` or ``./kefu.toml``), then the defaults below.
"""

from __future__ import annotations

import os
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationInfo, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from kefu.errors import ConfigError


def default_home() -> Path:
    """Where kefu keeps its data when nothing else is configured."""
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "kefu"


def config_file() -> Path | None:
    explicit = os.environ.get("KEFU_CONFIG")
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(
                f"KEFU_CONFIG points to {path}, which is not a file",
                hint="create it or unset KEFU_CONFIG",
            )
        return path
    local = Path("kefu.toml")
    return local if local.is_file() else None


class Settings(BaseSettings):
    """kefu's configuration. Every field can be set as ``KEFU_<FIELD>`` or in kefu.toml."""

    model_config = SettingsConfigDict(env_prefix="KEFU_", extra="forbid")

    home: Path = Field(default_factory=default_home,
                       description="Directory for the SQLite store, models and indexes.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store; default: a SQLite file in `home`. "
        "Example: postgresql+psycopg://user@127.0.0.1:5432/shop",
    )
    redis_url: str | None = Field(default=None,
                                  description="Redis URL, e.g. redis://127.0.0.1:6379/0")
    tracker_url: str | None = Field(
        default=None,
        description="Where conversations (dialogue event logs) are kept: sqlite:///path.db, "
        "postgresql+psycopg://user@host/db or redis://host:6379/0. Default: the store's "
        "database when it is PostgreSQL, else a SQLite file conversations.db in `home`.",
    )
    environment: str = Field(
        default="development",
        description="`development` or `production`; production refuses unsafe defaults.",
    )
    secret_key: str = Field(default="kefu-development-secret",
                            description="Store secret: signs customer tokens (HMAC) and "
                            "seals the raw values a conversation keeps for a later turn.")
    log_level: str = Field(default="INFO", description="Log level: DEBUG, INFO, WARNING, ERROR.")
    base_model: Path | None = Field(
        default=None,
        description="A local Hugging Face model directory to use as the encoder instead of "
        "the one `kefu models prepare` builds.",
    )
    nlu_model: Path | None = Field(default=None,
                                   description="A trained kefu NLU model directory.")
    nlu_backend: str = Field(
        default="onnx-int8",
        description="How the NLU encoder runs: `onnx-int8` (ONNX Runtime with per-channel "
        "int8 weights, the feed-forward outputs kept in fp32: fastest, cosine 0.999 to fp32, "
        "the same accuracy on kefu's test split one message at a time), `onnx` (ONNX "
        "Runtime fp32, the same embeddings as PyTorch) or "
        "`torch` (PyTorch, as trained); see docs/understanding.md. The ONNX graph is "
        "exported into the model directory on first use. The knowledge base and the "
        "recommender always embed in fp32.")
    max_message_chars: int = Field(default=2000, description="Longest customer message accepted.")
    rate_limit_per_minute: int = Field(
        default=120,
        description="Requests one client (customer token or address) may make per minute to "
        "the HTTP API; 0 turns the limit off. Counted in Redis when `redis_url` is set, so "
        "that all workers share it; else per worker process.",
    )
    keep_alive: int = Field(
        default=65,
        description="Seconds `kefu serve` keeps an idle HTTP connection open for the client's "
        "next request (uvicorn's keep-alive timeout). Keep it longer than the idle timeout of "
        "clients and proxies that reuse connections (httpx: 5 s, nginx upstream: 60 s, AWS "
        "ALB: 60 s), so that the server never closes a connection a client is reusing.",
    )
    max_turns_in_flight: int = Field(
        default=256,
        description="Chat messages one `kefu serve` worker holds at once (being answered or "
        "waiting for a thread); one more is answered at once with 503 `overloaded` and "
        "Retry-After instead of waiting. Keep it well above the conversations a worker "
        "carries; 0 turns the limit off.",
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Web page origins allowed to call the HTTP API from a browser (the "
        "embedded chat widget), e.g. [\"https://shop.example\"]; [\"*\"] allows any.",
    )
    store_frozen_at: datetime | None = Field(
        default=None,
        description="Pin the store's clock to this moment (ISO 8601) while answering over "
        "HTTP, e.g. the demo shop's reference date 2026-11-01T10:00:00+00:00; unset: real time.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = config_file()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    @field_validator("environment")
    @classmethod
    def _known_environment(cls, value: str) -> str:
        if value not in ("development", "production"):
            raise ValueError(f"environment must be 'development' or 'production', got {value!r}")
        return value

    @field_validator("nlu_backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        backends = ("torch", "onnx", "onnx-int8")  # kefu.nlu.encoder.onnx.BACKENDS
        if value not in backends:
            raise ValueError(f"nlu_backend must be one of {', '.join(backends)}, got {value!r}")
        return value

    @field_validator("rate_limit_per_minute", "max_turns_in_flight")
    @classmethod
    def _limit_or_off(cls, value: int, info: ValidationInfo) -> int:
        if value < 0:
            raise ValueError(f"{info.field_name} must be 0 (off) or more, got {value}")
        return value

    @field_validator("max_message_chars", "keep_alive")
    @classmethod
    def _positive_limit(cls, value: int, info: ValidationInfo) -> int:
        if value <= 0:
            raise ValueError(f"{info.field_name} must be greater than 0, got {value}")
        return value

    def model_post_init(self, __context: Any) -> None:
        if self.environment == "production" and self.secret_key == "kefu-development-secret":
            raise ConfigError(
                "secret_key is the development default while environment is production",
                hint="set KEFU_SECRET_KEY to a long random string",
            )

    @property
    def store_url(self) -> str:
        """The store database URL: the configured one or the embedded SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'store.db'}"

    @property
    def tracker_store_url(self) -> str:
        """Where conversations live: the configured URL, the store's PostgreSQL database,
        or a SQLite file of their own (its writes and locks stay off the store file)."""
        if self.tracker_url:
            return self.tracker_url
        if self.database_url and self.database_url.startswith("postgresql"):
            return self.database_url
        return f"sqlite:///{self.home / 'conversations.db'}"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"


def load_settings(**overrides: Any) -> Settings:
    """Build settings from the environment, kefu.toml and ``overrides``.

    Raises :class:`ConfigError` naming the bad setting when a value is invalid.
    """
    from pydantic import ValidationError

    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}",
                          hint="check KEFU_* variables and kefu.toml") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
