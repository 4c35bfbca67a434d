"""Forged, truncated and outdated callback data, pressed on the running bot: every query is
answered exactly once, staff buttons are refused to others first, and no handler fails."""

from __future__ import annotations

import logging

import pytest

from bot.features.callbacks import TEXT_STALE
from bot.features.permissions import TEXT_REFUSED
from tests.e2e.conftest import Chat

UNICODE_DIGITS = [
    "ag:d:20220725:²",
    "ag:d:20220725:٣",
    "ag:d:２０２２0725:0",
    "ag:d:2022072٥:0",
    "sp:l:²",
    "sp:l:٣",
    "sp:l:１",
    "fq:l:²",
    "fq:l:٣",
    "st:l:１５",
    "st:l:³⁰",
    "st:e:١",
    "fb:_:l:²",
    "fb:_:f:١",
    "fb:plen-1:٤",
    "fb:plen-1:q:²:0",
    "fb:plen-1:q:0:٣",
]
SIGNS_AND_SIZES = [
    "sp:l:-1",
    "sp:l:+1",
    "sp:l: 1",
    "sp:l:1 ",
    "sp:l:99999999999999999999",
    "fq:l:-1",
    "fq:l:1e3",
    "ag:d:20220725:-1",
    "ag:d:20220725:99999999999",
    "st:l:-5",
    "st:l:7",
    "fb:_:l:-1",
    "fb:plen-1:-4",
    "fb:plen-1:6",
    "fb:plen-1:0",
    "fb:plen-1:q:-1:0",
]
TRUNCATED_OR_EXTRA = [
    "m",
    "m:",
    "m:home:1",
    "m:nowhere",
    "ag",
    "ag:",
    "ag:d",
    "ag:d:20220725",
    "ag:d:20220725:0:0",
    "ag:days:x",
    "ag:nn:1",
    "ag:s",
    "ag:s:",
    "ag:s:plen-1:x",
    "sp:l",
    "sp:l:0:0",
    "sp:p",
    "sp:p:a:b",
    "vn:t",
    "vn:t:",
    "vn:t:nowhere",
    "vn:t:map:x",
    "vn:r",
    "fq:q",
    "fq:q:",
    "fq:l:0:0",
    "my",
    "my:a",
    "my:r:",
    "my:l:0",
    "my:ics:x",
    "st",
    "st:show:1",
    "st:l",
    "st:e:2",
    "fb",
    "fb:",
    "fb:plen-1",
    "fb:plen-1:4:4",
    "fb:plen-1:q:1",
    "fb:_",
    "fb:_:g:admins",
    "fb:_:f:2",
    "fb:_:zz",
    "fb:Plen-1:4",
]
UNKNOWN_THINGS = [
    "ag:d:20221399:0",
    "ag:d:19990101:0",
    "ag:s:no-such-session",
    "sp:p:nobody",
    "vn:r:no-such-room",
    "fq:q:no-such-question",
    "my:a:no-such-session",
    "my:r:no-such-session",
    "fb:no-such-session:4",
    "fb:no-such-session:q:0:0",
    "fb:plen-1:q:99:0",
    "fb:plen-1:q:0:99",
]
OTHER_NAMESPACES = ["zz:1", "AG:days", " ag:days", "ag;days", "ag::days", ":", "", "x" * 64]
STAFF_BUTTONS = [
    "rp:l:0",
    "rp:l:²",
    "rp:s:plen-1",
    "rp:s:no-such-session",
    "rp:m",
    "rp:x",
    "rp:zz",
    "bc:l",
    "bc:c:1",
    "bc:cy:٣",
    "bc:go",
    "bc:a:all",
    "bc:m:s:²",
    "bc:zz",
]
ATTENDEE_PRESSES = (
    UNICODE_DIGITS + SIGNS_AND_SIZES + TRUNCATED_OR_EXTRA + UNKNOWN_THINGS + OTHER_NAMESPACES
)
STAFF_FORGED = ["rp:l:²", "rp:l:-1", "rp:s:no-such-session", "rp:s:", "rp:m:1", "rp:zz"]
ORGANISER_FORGED = ["bc:c:²", "bc:cy:-1", "bc:c:999", "bc:cy:999", "bc:m:zz", "bc:go", "bc:zz"]


def handler_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.levelno >= logging.ERROR and r.name.startswith("bot")
    ]


async def press_all(chat: Chat, presses: list[str]) -> dict[str, str | None]:
    """Press each data on the bot's last message; the answer text of each."""
    (menu,) = await chat.say("/start")
    answers: dict[str, str | None] = {}
    for data in presses:
        query = await chat.press_data(menu.message_id, data)
        answer = await chat.emu.wait_for_callback_answer(query, timeout=10)
        answers[data] = answer.text
    # Updates of one chat are handled in order: once this is answered, every press before it
    # has finished, including what it sent after answering.
    await chat.say("/start")
    return answers


async def test_forged_buttons_are_answered_and_never_fail(
    chat: Chat, staff: Chat, organiser: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot")
    assert len(ATTENDEE_PRESSES) + len(STAFF_BUTTONS) >= 100

    attendee = await press_all(chat, ATTENDEE_PRESSES + STAFF_BUTTONS)
    on_staff = await press_all(staff, STAFF_FORGED)
    on_organiser = await press_all(organiser, ORGANISER_FORGED)

    assert handler_errors(caplog) == []
    assert {data: attendee[data] for data in STAFF_BUTTONS} == dict.fromkeys(
        STAFF_BUTTONS, TEXT_REFUSED
    )
    assert [d for d in ATTENDEE_PRESSES if attendee[d] is None] == []
    for data in UNICODE_DIGITS + TRUNCATED_OR_EXTRA + OTHER_NAMESPACES:
        if not data.startswith("fb:"):
            assert attendee[data] == TEXT_STALE, data
    assert on_staff == dict.fromkeys(STAFF_FORGED, TEXT_STALE)
    assert all(text is not None for text in on_organiser.values()), on_organiser
    assert "refused button 'rp:x' to user 1001" in caplog.text
