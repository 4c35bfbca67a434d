"""The words of /privacy, /mydata and /forget (bot/features/privacy.py)."""

from __future__ import annotations

from bot.features.privacy import (
    DATA_KINDS,
    ForgetCancel,
    ForgetConfirm,
    PrivacyButton,
    render_forgotten,
)
from bot.store.privacy import PERSONAL_TABLES


def test_every_personal_table_is_described_and_nothing_else() -> None:
    assert list(DATA_KINDS) == [t.table for t in PERSONAL_TABLES]


def test_forget_buttons_pack_and_parse() -> None:
    assert ForgetConfirm().pack() == "pv:y"
    assert PrivacyButton.parse("pv:n") == ForgetCancel()
    assert PrivacyButton.parse("pv:x") is None


def test_forgotten_lists_only_what_was_there() -> None:
    counts = {t.table: 0 for t in PERSONAL_TABLES} | {"users": 1, "choices": 2}
    assert render_forgotten(counts).splitlines()[1:4] == [
        "Deleted:",
        "• user record: 1",
        "• sessions in your agenda: 2",
    ]
    assert "Nothing about you was stored" in render_forgotten({})
