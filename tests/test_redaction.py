from __future__ import annotations

import logging

import pytest

from bot.redaction import PLACEHOLDER, hide_in_logs, redact

TOKEN = "987654:unit-test-token"


def test_redact_replaces_the_token_plain_and_url_encoded() -> None:
    text = "https://api.org/bot987654:unit-test-token/getMe bot987654%3Aunit-test-token"
    assert redact(text, TOKEN) == f"https://api.org/bot{PLACEHOLDER}/getMe bot{PLACEHOLDER}"


def test_redact_without_a_secret_changes_nothing() -> None:
    assert redact("anything", None) == "anything"


def test_hidden_token_is_left_out_of_messages_and_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    hide_in_logs(TOKEN)
    log = logging.getLogger("bot.test")
    with caplog.at_level(logging.INFO):
        log.info("calling %s", f"https://api/bot{TOKEN}/getMe")
        try:
            raise RuntimeError(f"failed: https://api/bot{TOKEN}/getMe")
        except RuntimeError:
            log.exception("it failed")
    assert TOKEN not in caplog.text
    assert caplog.text.count(f"bot{PLACEHOLDER}/getMe") == 2
