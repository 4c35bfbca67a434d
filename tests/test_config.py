from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings


def test_settings_repr_leaves_the_token_out() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": "123456:very-secret"})
    assert settings.token == "123456:very-secret"
    assert "very-secret" not in repr(settings)


def test_settings_without_webhook_url_poll_and_do_not_listen() -> None:
    settings = Settings.from_env({})
    assert (settings.webhook_url, settings.listen) == (None, None)


def test_settings_with_webhook_url_listen_on_the_default_address() -> None:
    settings = Settings.from_env({"CONFBOT_WEBHOOK_URL": "https://bot.example.org/telegram/hook"})
    assert settings.listen == ("0.0.0.0", 8080)
    assert settings.webhook_path == "/telegram/hook"
    assert settings.webhook_secret is None


def test_settings_listen_is_read_in_polling_mode_too() -> None:
    settings = Settings.from_env({"CONFBOT_LISTEN": "127.0.0.1:9100"})
    assert (settings.webhook_url, settings.listen) == (None, ("127.0.0.1", 9100))


def test_settings_webhook_url_without_a_path_takes_updates_at_the_root() -> None:
    settings = Settings.from_env({"CONFBOT_WEBHOOK_URL": "https://bot.example.org"})
    assert settings.webhook_path == "/"


def test_settings_refuse_a_malformed_listen_address() -> None:
    with pytest.raises(ConfigError, match="CONFBOT_LISTEN must be host:port"):
        Settings.from_env({"CONFBOT_LISTEN": "8080"})


def test_settings_refuse_a_webhook_secret_telegram_would_refuse() -> None:
    with pytest.raises(ConfigError, match="CONFBOT_WEBHOOK_SECRET must be 16 to 256"):
        Settings.from_env({"CONFBOT_WEBHOOK_SECRET": "short secret!"})


def test_settings_keep_the_webhook_secret_out_of_the_repr() -> None:
    secret = "a-webhook-secret-of-enough-length"
    settings = Settings.from_env({"CONFBOT_WEBHOOK_SECRET": secret})
    assert settings.webhook_secret == secret
    assert secret not in repr(settings)
