from __future__ import annotations

from bot.config import Settings


def test_settings_repr_leaves_the_token_out() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": "123456:very-secret"})
    assert settings.token == "123456:very-secret"
    assert "very-secret" not in repr(settings)
