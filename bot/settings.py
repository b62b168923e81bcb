"""Typed settings, read once at start-up from the environment and an optional ``.env`` file."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TELEGRAM_API = "https://api.telegram.org/bot"
DEFAULT_DATABASE_URL = "sqlite:///data/tutor.db"
_TOKEN_SHAPE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{8,}$")


class ConfigError(Exception):
    """A configuration problem, explained in one line a person can act on."""


class Settings(BaseSettings):
    """Everything the tutor can be configured with. See ``.env.example`` and the README."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = TELEGRAM_API
    database_url: str = DEFAULT_DATABASE_URL
    database_pool_size: int = Field(default=5, ge=1, le=100)
    tutor_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_timezone: str = "Europe/London"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    knowledge_dir: Path | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    port: int = Field(default=8080, ge=1, le=65535)
    listen: str = "0.0.0.0"
    answer_retention_days: int = Field(default=90, ge=1, le=3650)

    @field_validator("tutor_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            if not all(p.lstrip("-").isdigit() for p in parts):
                raise ValueError("must be comma-separated Telegram user ids, e.g. 12345,67890")
            return frozenset(int(p) for p in parts)
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"must be an http(s) URL such as {TELEGRAM_API}, got {value!r}")
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_url(cls, value: str) -> str:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        from storage.db import SQLITE_DRIVERS

        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(f"is not a database URL: {value!r}") from None
        if url.drivername not in (*SQLITE_DRIVERS, "postgresql+asyncpg"):
            raise ValueError("must be SQLite (sqlite:///path.db) or postgresql+asyncpg://...")
        return value

    @field_validator("listen")
    @classmethod
    def _address(cls, value: str) -> str:
        try:
            ipaddress.ip_address(value.strip("[]"))
        except ValueError:
            raise ValueError(
                f"must be an IP address such as 0.0.0.0 or 127.0.0.1, got {value!r}"
            ) from None
        return value.strip("[]")

    @field_validator("default_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"is not a time zone name such as Europe/London: {value!r}") from None
        return value

    def bot_token(self) -> str:
        """The bot token, checked; raises ConfigError naming TELEGRAM_BOT_TOKEN if unusable."""
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value():
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set: get one from @BotFather.")
        token = self.telegram_bot_token.get_secret_value().strip()
        if not _TOKEN_SHAPE.match(token):
            raise ConfigError("TELEGRAM_BOT_TOKEN is malformed: expected '<digits>:<secret>'.")
        return token


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning validation errors into one readable ConfigError line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{name} {message}") from None
