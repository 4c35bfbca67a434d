"""Answers longer than Telegram's 4096 characters are split, never refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.telegram_text import utf16_len
from tests.e2e.conftest import ATTENDEE, Chat, copy_content

LONG = " ".join(
    f"Paragraph {i} of a very long description, with émojis 🙂 & <tags>." for i in range(160)
)


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    folder = copy_content(tmp_path)
    sessions = folder / "sessions.yaml"
    text = sessions.read_text()
    old = 'en: "Governance meeting, open to members only."'
    assert old in text
    sessions.write_text(text.replace(old, f'en: "{LONG}"'))
    return folder


async def test_overlong_session_is_sent_in_several_valid_messages(chat: Chat) -> None:
    await chat.emu.send_from_user(ATTENDEE, "/session board of management")
    parts = []
    while not parts or not parts[-1].buttons:
        parts += await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
    assert len(parts) >= 3
    assert parts[0].plain_text.startswith("👥 IASIA Board of Management meeting")
    assert all(utf16_len(p.plain_text) <= 4096 for p in parts)
    whole = "\n".join(p.plain_text for p in parts)
    assert "Paragraph 0 of" in whole and "Paragraph 159 of" in whole  # nothing lost at a cut
    assert [bool(p.buttons) for p in parts] == [False] * (len(parts) - 1) + [True]
