"""/privacy, /mydata and /forget through the emulator, against the real Application."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable
from pathlib import Path

from bot.clock import FixedClock
from bot.content import Content
from bot.domain.feedback import COMMENT_WINDOW
from bot.domain.privacy import retention_ends
from bot.features.privacy import DATA_KINDS
from bot.local import running_bot
from bot.services.feedback import FeedbackService
from bot.services.privacy import PrivacyService
from bot.store.privacy import PERSONAL_TABLES
from botapi_emulator import BotApiEmulator
from tests.e2e.conftest import (
    ATTENDEE,
    DURING_EVENT,
    OTHER_ATTENDEE,
    STAFF,
    Chat,
    assert_no_message,
)
from tests.waiting import wait_until

COMMENT_MINUTES = int(COMMENT_WINDOW.total_seconds() // 60)


async def choose(chat: Chat, session_id: str) -> None:
    (card,) = await chat.say(f"/start s_{session_id}")  # a door QR open, too
    await chat.press(card, "Add to my agenda")


async def give_feedback(chat: Chat, user_id: int, rating: int) -> None:
    svc = chat.services
    respondent = await FeedbackService(svc.store, svc.settings).respondent(user_id)
    await svc.store.save_rating("plen-1", respondent, rating, svc.now())


def privacy(chat: Chat) -> PrivacyService:
    return PrivacyService(chat.services.store, chat.services.settings)


async def test_privacy_says_what_is_stored_and_until_when(chat: Chat) -> None:
    (answer,) = await chat.say("/privacy")

    text = answer.plain_text
    for table in PERSONAL_TABLES:
        # A kind's text may name the comment window: written in minutes.
        assert DATA_KINDS[table.table].what.format(minutes=COMMENT_MINUTES) in text
    assert "Kept until Thursday 27 October 2022 (90 days after the event ends)" in text
    assert "/mydata" in text and "/forget" in text


async def test_start_points_to_privacy(chat: Chat) -> None:
    (menu,) = await chat.say("/start")
    assert "/privacy" in menu.plain_text


async def test_mydata_sends_a_json_file_matching_the_store(chat: Chat) -> None:
    await choose(chat, "plen-1")
    await give_feedback(chat, ATTENDEE, 4)

    summary, document = await chat.say("/mydata", replies=2)

    assert "Agenda: plen-1" in summary.plain_text
    assert "feedback answers: 1" in summary.plain_text
    assert document.media is not None and document.media.filename == "my-data.json"
    exported = json.loads(document.media.data)
    stored = await privacy(chat).personal_data(ATTENDEE)
    assert exported["user_id"] == ATTENDEE
    assert exported["feedback_pseudonym"] == stored.respondent
    assert exported["tables"] == stored.tables
    assert [row["session_id"] for row in exported["tables"]["choices"]] == ["plen-1"]
    assert [row["session_id"] for row in exported["tables"]["session_openers"]] == ["plen-1"]
    assert [row["rating"] for row in exported["tables"]["feedback_answers"]] == [4]


async def test_forget_asks_and_cancel_keeps_everything(chat: Chat) -> None:
    await choose(chat, "plen-1")
    before = await privacy(chat).personal_data(ATTENDEE)

    (question,) = await chat.say("/forget")
    assert "Delete all your data?" in question.plain_text
    cancelled = await chat.press(question, "Cancel")

    assert cancelled.plain_text == "Nothing was deleted."
    assert (await privacy(chat).personal_data(ATTENDEE)).tables == before.tables


async def test_forget_confirmed_deletes_everything_and_only_theirs(chat: Chat) -> None:
    other = Chat(chat.emu, chat.app, OTHER_ATTENDEE)
    await choose(chat, "plen-1")
    await choose(other, "plen-1")
    await give_feedback(chat, ATTENDEE, 4)
    await give_feedback(other, OTHER_ATTENDEE, 2)

    (question,) = await chat.say("/forget")
    done = await chat.press(question, "Yes, delete everything")

    assert "Your data is deleted." in done.plain_text
    assert "sessions in your agenda: 1" in done.plain_text
    assert "feedback answers: 1" in done.plain_text
    assert set((await privacy(chat).personal_data(ATTENDEE)).counts().values()) == {0}
    others = (await privacy(chat).personal_data(OTHER_ATTENDEE)).counts()
    assert (others["users"], others["choices"], others["feedback_answers"]) == (1, 1, 1)


async def _in_french(menu: Awaitable[dict[str, str]]) -> dict[str, str] | None:
    found = await menu
    return found if found.get("language") == "Changer de langue" else None


async def test_forget_gives_staff_back_their_role_menu_in_their_apps_language(
    staff: Chat,
) -> None:
    scope = {"type": "chat", "chat_id": STAFF}

    async def menu_of_staff() -> dict[str, str]:
        return {c["command"]: c["description"] for c in await staff.emu.commands(scope=scope)}

    (picker,) = await staff.say("/language")
    await staff.press(picker, "Français")
    # The menu follows the press's answer and edit.
    french = await wait_until(
        lambda: _in_french(menu_of_staff()), within=10, what="the menu in French"
    )
    assert "report" in french

    (question,) = await staff.say("/forget")
    await staff.press(question, "Oui, tout supprimer")  # the menus are redone before this edit

    menu = await menu_of_staff()
    assert menu["language"] == "Change the language"
    assert menu["report"] == "Feedback per session: /report <session> for details"


async def test_forgotten_person_starts_again_as_a_newcomer(chat: Chat) -> None:
    await choose(chat, "plen-1")
    (question,) = await chat.say("/forget")
    await chat.press(question, "Yes, delete everything")

    (menu,) = await chat.say("/start")

    store = chat.services.store
    assert "👋" in menu.plain_text
    assert await store.user(ATTENDEE) is not None
    assert await store.choices_of(ATTENDEE) == set()


async def test_mydata_in_a_group_answers_only_to_go_private(chat: Chat) -> None:
    group = -100123
    await chat.emu.send_from_user(ATTENDEE, "/mydata", chat_id=group, chat_type="supergroup")

    (answer,) = await chat.emu.wait_for_messages(group, timeout=10)

    assert "private chat" in answer.plain_text
    assert answer.media is None
    await assert_no_message(chat.emu, group)


async def test_restart_after_retention_purges_everyones_data_at_start_up(
    tmp_path: Path, content: Content, content_dir: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    ends = retention_ends(content.event)
    async with BotApiEmulator() as emu:
        async with running_bot(
            content,
            db_path=db,
            content_dir=content_dir,
            clock=FixedClock(DURING_EVENT),
            emulator=emu,
        ) as (_, app):
            await choose(Chat(emu, app), "plen-1")
        async with running_bot(
            content,
            db_path=db,
            content_dir=content_dir,
            clock=FixedClock(ends - dt.timedelta(minutes=1)),
            emulator=emu,
        ) as (_, app):
            kept = await PrivacyService(app.bot_data.store, app.bot_data.settings).personal_data(
                ATTENDEE
            )
            assert kept.counts()["choices"] == 1
        async with running_bot(
            content,
            db_path=db,
            content_dir=content_dir,
            clock=FixedClock(ends + dt.timedelta(minutes=1)),
            emulator=emu,
        ) as (_, app):
            svc = app.bot_data
            gone = await PrivacyService(svc.store, svc.settings).personal_data(ATTENDEE)
            assert set(gone.counts().values()) == {0}
            assert [
                job.name for job in app.job_queue.jobs() if job.name == "privacy-retention-purge"
            ] == ["privacy-retention-purge"]
