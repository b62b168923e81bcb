"""Settings: each bad value gives one clear line naming the variable; the token never leaks."""

from __future__ import annotations

import pytest

from bot.settings import ConfigError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "TELEGRAM_API_BASE_URL", "TUTOR_IDS"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_need_nothing() -> None:
    settings = load_settings()
    assert settings.database_url.startswith("sqlite:///")
    assert settings.default_timezone == "Europe/London"
    assert settings.tutor_ids == frozenset()


def test_reads_environment_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    (tmp_path / ".env").write_text("TUTOR_IDS=11, 22\nLOG_LEVEL=debug\n")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    settings = load_settings()
    assert settings.tutor_ids == frozenset({11, 22})
    assert settings.log_level == "DEBUG"
    assert settings.telegram_api_base_url == "http://127.0.0.1:8081/bot"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "mysql://db/tutor", "DATABASE_URL must be SQLite"),
        ("DATABASE_URL", "::nonsense::", "DATABASE_URL is not a database URL"),
        ("TELEGRAM_API_BASE_URL", "localhost:8081", "TELEGRAM_API_BASE_URL must be an http(s) URL"),
        ("TUTOR_IDS", "12,abc", "TUTOR_IDS must be comma-separated Telegram user ids"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "DEFAULT_TIMEZONE is not a time zone name"),
    ],
)
def test_bad_values_give_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_missing_token_names_the_variable() -> None:
    with pytest.raises(ConfigError, match=r"^TELEGRAM_BOT_TOKEN is not set"):
        load_settings().bot_token()


def test_malformed_token_is_refused_without_echoing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "not a token: secret-value")
    settings = load_settings()
    with pytest.raises(ConfigError, match=r"^TELEGRAM_BOT_TOKEN is malformed") as caught:
        settings.bot_token()
    assert "secret-value" not in str(caught.value)
    assert "secret-value" not in repr(settings)
