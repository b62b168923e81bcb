"""The several-instance deployment files agree with each other and with the settings."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.app import webhook_options
from bot.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _filled(value: str) -> str:
    """A compose value with ${NAME...} references filled in as a college's .env would."""
    env = {"TELEGRAM_BOT_TOKEN": "123456:abcdefghijk", "POSTGRES_PASSWORD": "pw"}
    env |= {"TUTOR_DOMAIN": "tutor.example.org", "DATABASE_POOL_SIZE": "5"}
    return re.sub(
        r"\$\{(\w+)(?::?[-?][^}]*)?\}",
        lambda m: env.get(m.group(1), m.group(0).partition(":-")[2].rstrip("}")),
        value,
    )


def test_two_webhook_instances_share_one_postgres_behind_the_proxy() -> None:
    services = _compose()["services"]
    instances = [name for name in services if name.startswith("tutor-")]
    assert len(instances) == 2 and "postgres" in services and "proxy" in services
    environments = [services[name]["environment"] for name in instances]
    assert environments[0] == environments[1]  # same token, database, URL and secret
    environment = {k.lower(): _filled(str(v)) for k, v in environments[0].items() if v != ""}
    settings = load_settings(_env_file=None, **environment)
    assert settings.database_url.startswith("postgresql+asyncpg://tutor:pw@postgres:5432/")
    assert settings.webhook_url == "https://tutor.example.org/telegram"
    assert webhook_options(settings)["url_path"] == "telegram"
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    assert all(f"{name}:{settings.port}" in caddyfile for name in instances)
    assert "reverse_proxy /telegram" in caddyfile
