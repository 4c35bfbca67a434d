"""Sending text within Telegram's limits."""

from __future__ import annotations

from bot.features.send import split_message
from bot.telegram_text import utf16_len


def test_split_message_keeps_every_line_and_respects_the_limit() -> None:
    text = "\n".join(f"<b>line {i}</b> " + "é" * 50 for i in range(300))
    parts = split_message(text, limit=1000)
    assert all(utf16_len(p) <= 1000 for p in parts)
    assert "\n".join(parts) == text


def test_split_message_cuts_a_single_huge_line_at_spaces() -> None:
    text = "word " * 2000
    parts = split_message(text.strip(), limit=4096)
    assert len(parts) == 3
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert " ".join(parts).split() == text.split()
