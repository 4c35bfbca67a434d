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


def test_public_url_defaults_to_the_webhook_origin() -> None:
    settings = Settings.from_env({"CONFBOT_WEBHOOK_URL": "https://bot.example.org/telegram"})

    assert settings.public_base == "https://bot.example.org"
    assert settings.miniapp_url == "https://bot.example.org/app/"
    assert settings.web_app_url == "https://bot.example.org/app/"


def test_public_url_given_is_used_without_its_trailing_slash() -> None:
    settings = Settings.from_env(
        {"CONFBOT_PUBLIC_URL": "https://conf.example.org/bot/", "CONFBOT_LISTEN": "0.0.0.0:8080"}
    )

    assert settings.miniapp_url == "https://conf.example.org/bot/app/"


def test_public_url_locally_is_the_listener_and_a_button_only_with_the_emulator() -> None:
    with_telegram = Settings.from_env({"CONFBOT_LISTEN": "0.0.0.0:8088"})
    with_emulator = Settings.from_env(
        {"CONFBOT_LISTEN": "127.0.0.1:8088", "TELEGRAM_API_URL": "http://127.0.0.1:8081/bot"}
    )

    assert with_telegram.miniapp_url == "http://127.0.0.1:8088/app/"
    assert with_telegram.web_app_url is None  # Telegram opens HTTPS pages only
    assert with_emulator.web_app_url == "http://127.0.0.1:8088/app/"


def test_public_url_without_a_listener_is_no_page() -> None:
    settings = Settings.from_env({"CONFBOT_PUBLIC_URL": "https://bot.example.org"})

    assert (settings.miniapp_url, settings.web_app_url) == (None, None)


def test_public_url_not_http_is_refused() -> None:
    with pytest.raises(ConfigError, match="CONFBOT_PUBLIC_URL"):
        Settings.from_env({"CONFBOT_PUBLIC_URL": "bot.example.org"})
