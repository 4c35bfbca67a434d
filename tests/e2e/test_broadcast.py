"""Organiser broadcasts end to end: the real Application, the real sender, the emulator."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from telegram.ext import Application

from bot.clock import FixedClock
from bot.content import Content
from bot.domain.feedback import pseudonym
from bot.domain.outbox import OutboxKind
from bot.local import running_bot
from botapi_emulator import BotApiEmulator, SentMessage
from tests.e2e.conftest import DURING_EVENT, ORGANISER, STAFF, Chat, move_clock

MESSAGE = "Panel moves to Room B & starts 10 min late"
PEOPLE = [2001, 2002, 2003, 2004]


async def seed(chat: Chat, user_ids: list[int], language: str = "en") -> None:
    """People who have used the bot before (their chats exist on the Telegram side)."""
    store = chat.services.store
    for user_id in user_ids:
        await store.touch_user(user_id, language, chat.services.now())
        await chat.emu.register_chat(user_id)


async def compose(organiser: Chat, text: str = MESSAGE) -> SentMessage:
    """/broadcast and the message; returns the audience menu."""
    [prompt] = await organiser.say("/broadcast")
    assert "New broadcast" in prompt.plain_text
    [menu] = await organiser.say(text)
    assert "Who should receive it?" in menu.plain_text
    return menu


async def choose(organiser: Chat, menu: SentMessage, *path: str) -> tuple[SentMessage, SentMessage]:
    """Press through the audience menus; returns (preview, confirm message)."""
    message = menu
    for label in path:
        message = await organiser.press(message, label)
    preview, confirm = await organiser.emu.wait_for_messages(ORGANISER, count=2, timeout=10)
    return preview, confirm


async def send_now(organiser: Chat, confirm: SentMessage) -> SentMessage:
    return await organiser.press(confirm, "Send now")


async def final_report(organiser: Chat, progress: SentMessage) -> str:
    """Wait until the progress message shows the final report; its text."""
    for _ in range(30):
        [current] = [
            m
            for m in await organiser.emu.messages(ORGANISER)
            if m.message_id == progress.message_id
        ]
        if "Finished" in current.plain_text or "Stopped" in current.plain_text:
            return current.plain_text
        await organiser.emu.wait_for_edit(
            ORGANISER, progress.message_id, edits=len(current.edits) + 1, timeout=10
        )
    raise AssertionError("no final report")


async def received(emu: BotApiEmulator, user_id: int, text: str = MESSAGE) -> int:
    return sum(1 for m in await emu.messages(user_id) if m.plain_text == text)


async def test_broadcast_everyone_delivered_once_with_report(organiser: Chat) -> None:
    await seed(organiser, PEOPLE)
    menu = await compose(organiser)
    preview, confirm = await choose(organiser, menu, "Everyone")
    assert preview.plain_text == MESSAGE
    # The four seeded people and the organiser, who has used the bot too.
    assert "It will reach 5 people" in confirm.plain_text

    progress = await send_now(organiser, confirm)
    report = await final_report(organiser, progress)

    assert [await received(organiser.emu, u) for u in PEOPLE] == [1, 1, 1, 1]
    assert "Delivered: 5" in report
    assert "Blocked the bot: 0" in report


async def test_broadcast_session_choosers_only(organiser: Chat) -> None:
    await seed(organiser, PEOPLE)
    store = organiser.services.store
    session = organiser.services.event.content.sessions[0]
    for user_id in PEOPLE[:2]:
        await store.add_choice(user_id, session.id, organiser.services.now())
    menu = await compose(organiser)
    sessions = await organiser.press(menu, "People who chose a session")
    _, confirm = await choose(organiser, sessions, session.title[:20])
    assert "It will reach 2 people" in confirm.plain_text

    await final_report(organiser, await send_now(organiser, confirm))

    assert [await received(organiser.emu, u) for u in PEOPLE] == [1, 1, 0, 0]


async def test_broadcast_language_includes_regional_variants(organiser: Chat) -> None:
    await seed(organiser, PEOPLE[:2], language="fr")
    await seed(organiser, PEOPLE[2:3], language="fr-CA")
    await seed(organiser, PEOPLE[3:], language="en")
    menu = await compose(organiser)
    languages = await organiser.press(menu, "A language")
    _, confirm = await choose(organiser, languages, "French (3)")
    assert "It will reach 3 people" in confirm.plain_text

    await final_report(organiser, await send_now(organiser, confirm))

    assert [await received(organiser.emu, u) for u in PEOPLE] == [1, 1, 1, 0]


async def test_broadcast_language_counts_the_language_people_chose(organiser: Chat) -> None:
    await seed(organiser, PEOPLE[:2], language="fr")
    await seed(organiser, PEOPLE[2:], language="en")
    store = organiser.services.store
    await store.set_chosen_language(PEOPLE[1], "ar")  # a French app, Arabic chosen
    await store.set_chosen_language(PEOPLE[2], "fr")  # an English app, French chosen
    menu = await compose(organiser)
    languages = await organiser.press(menu, "A language")
    assert "chose with /language" in languages.plain_text
    names = [button["text"] for row in languages.buttons for button in row]
    assert "Arabic (1)" in names and "French (2)" in names
    preview, confirm = await choose(organiser, languages, "French (2)")
    assert "attendees who speak French" in confirm.plain_text + preview.plain_text
    assert "It will reach 2 people" in confirm.plain_text

    await final_report(organiser, await send_now(organiser, confirm))

    assert [await received(organiser.emu, u) for u in PEOPLE] == [1, 0, 1, 0]


async def test_broadcast_stakeholder_group_from_feedback(organiser: Chat) -> None:
    await seed(organiser, PEOPLE)
    svc = organiser.services
    secret = await svc.store.feedback_secret(svc.settings.feedback_secret)
    await svc.store.set_feedback_group(pseudonym(secret, PEOPLE[1]), "cso", svc.now())
    await svc.store.set_feedback_group(pseudonym(secret, PEOPLE[2]), "gov", svc.now())
    menu = await compose(organiser)
    groups = await organiser.press(menu, "A stakeholder group")
    _, confirm = await choose(organiser, groups, "Civil society")
    assert "It will reach 1 person" in confirm.plain_text

    await final_report(organiser, await send_now(organiser, confirm))

    assert [await received(organiser.emu, u) for u in PEOPLE] == [0, 1, 0, 0]
    # Finished: no outbox row pairs a user id with the broadcast to the group.
    rows = await svc.store.outbox_rows(OutboxKind.BROADCAST)
    assert rows and {row.chat_id for row in rows} == {0}
    assert not any(str(user) in row.key for row in rows for user in PEOPLE)


async def test_broadcast_follow_up_opt_ins_only(organiser: Chat) -> None:
    await seed(organiser, PEOPLE)
    svc = organiser.services
    await svc.store.set_follow_up(PEOPLE[0], True, svc.now())
    await svc.store.set_follow_up(PEOPLE[3], True, svc.now())
    menu = await compose(organiser)
    _, confirm = await choose(organiser, menu, "Opted in to the follow-up")

    await final_report(organiser, await send_now(organiser, confirm))

    assert [await received(organiser.emu, u) for u in PEOPLE] == [1, 0, 0, 1]


async def test_broadcast_staff_only_test_send(organiser: Chat) -> None:
    await seed(organiser, [*PEOPLE, STAFF])
    menu = await compose(organiser)
    _, confirm = await choose(organiser, menu, "Staff only")
    assert "It will reach 2 people" in confirm.plain_text  # the organiser and the staff member

    await final_report(organiser, await send_now(organiser, confirm))

    assert await received(organiser.emu, STAFF) == 1
    assert [await received(organiser.emu, u) for u in PEOPLE] == [0, 0, 0, 0]


async def test_broadcast_empty_audience_asks_again(organiser: Chat) -> None:
    menu = await compose(organiser)
    again = await organiser.press(menu, "Opted in to the follow-up")
    assert "Nobody is in that audience" in again.plain_text
    assert await organiser.services.store.recent_broadcasts() == []


async def test_broadcast_scheduled_waits_for_its_time(organiser: Chat) -> None:
    await seed(organiser, PEOPLE)
    menu = await compose(organiser)
    _, confirm = await choose(organiser, menu, "Everyone")
    await organiser.press(confirm, "Schedule")
    [scheduled] = await organiser.say("in 30 min")
    assert "Scheduled for" in scheduled.plain_text
    [broadcast] = await organiser.services.store.recent_broadcasts()
    assert broadcast.due_at == DURING_EVENT + dt.timedelta(minutes=30)
    assert await received(organiser.emu, PEOPLE[0]) == 0

    move_clock(organiser, DURING_EVENT + dt.timedelta(minutes=31))
    report = await final_report(organiser, scheduled)

    assert "Delivered: 5" in report
    assert [await received(organiser.emu, u) for u in PEOPLE] == [1, 1, 1, 1]


async def test_broadcast_cancelled_rows_never_sent(organiser: Chat) -> None:
    await seed(organiser, PEOPLE)
    menu = await compose(organiser)
    _, confirm = await choose(organiser, menu, "Everyone")
    await organiser.press(confirm, "Schedule")
    [scheduled] = await organiser.say("18:00")
    [listing] = await organiser.say("/broadcasts")
    assert "scheduled" in listing.plain_text
    await organiser.emu.press_button(
        ORGANISER, ORGANISER, listing.message_id, button_text="Stop #1"
    )
    [ask] = await organiser.emu.wait_for_messages(ORGANISER, timeout=10)
    assert "Stop broadcast #1?" in ask.plain_text
    done = await organiser.press(ask, "Yes, stop it")
    assert "5 messages will not be sent" in done.plain_text

    move_clock(organiser, DURING_EVENT + dt.timedelta(hours=12))
    report = await final_report(organiser, scheduled)

    assert "Not sent (stopped): 5" in report
    assert [await received(organiser.emu, u) for u in PEOPLE] == [0, 0, 0, 0]
    assert await organiser.services.store.broadcast_counts(1) == {"cancelled": 5}


async def test_broadcast_blocked_recipient_marked(organiser: Chat) -> None:
    await seed(organiser, PEOPLE)
    # A block the bot was not told of (its my_chat_member update lost): met when sending.
    await organiser.emu.block_bot(PEOPLE[1], notify=False)
    menu = await compose(organiser)
    _, confirm = await choose(organiser, menu, "Everyone")

    report = await final_report(organiser, await send_now(organiser, confirm))

    assert "Delivered: 4" in report
    assert "Blocked the bot: 1" in report
    user = await organiser.services.store.user(PEOPLE[1])
    assert user is not None and user.blocked


async def test_broadcast_non_organiser_refused(chat: Chat) -> None:
    [answer] = await chat.say("/broadcast")
    assert "for the event's staff" in answer.plain_text
    [answer] = await chat.say("/broadcasts")
    assert "for the event's staff" in answer.plain_text
    assert await chat.services.store.recent_broadcasts() == []


async def test_broadcast_draft_does_not_swallow_others_text(organiser: Chat, chat: Chat) -> None:
    await organiser.say("/broadcast")
    [answer] = await chat.say("where is the workshop?")
    assert "New broadcast" not in answer.plain_text
    assert "Who should receive it?" not in answer.plain_text
    [menu] = await organiser.say(MESSAGE)
    assert "Who should receive it?" in menu.plain_text


async def test_broadcast_cancel_command_leaves_draft(organiser: Chat) -> None:
    await compose(organiser)
    [answer] = await organiser.say("/cancel")
    assert answer.plain_text == "Cancelled. Nothing was sent."
    [answer] = await organiser.say("/cancel")
    assert answer.plain_text == "There is nothing to cancel."


async def test_broadcast_resumes_after_restart(
    tmp_path: Path, content: Content, content_dir: Path
) -> None:
    """A bot stopped in the middle of a broadcast finishes it when it starts again."""
    people = list(range(3000, 3090))  # about three seconds at the sender's rate
    db = tmp_path / "restart.sqlite3"
    clock = FixedClock(DURING_EVENT)
    settings = {
        "db_path": db,
        "content_dir": content_dir,
        "clock": clock,
        "organisers": frozenset({ORGANISER}),
    }
    async with BotApiEmulator() as emu:
        app: Application
        async with running_bot(content, emulator=emu, **settings) as (_, app):  # type: ignore[arg-type]
            organiser = Chat(emu, app, ORGANISER)
            await seed(organiser, people)
            menu = await compose(organiser)
            _, confirm = await choose(organiser, menu, "Everyone")
            progress = await send_now(organiser, confirm)
            await emu.wait_for_messages(people[29], timeout=10)  # sent in id order
        sent_before = sum([await received(emu, u) for u in people])
        assert 0 < sent_before < len(people)

        async with running_bot(content, emulator=emu, **settings) as (_, app):  # type: ignore[arg-type]
            organiser = Chat(emu, app, ORGANISER)
            report = await final_report(organiser, progress)

        assert [await received(emu, u) for u in people] == [1] * len(people)
        assert f"Delivered: {len(people) + 1}" in report


async def test_broadcast_paid_mode_warns_and_sends_paid(organiser: Chat) -> None:
    svc = organiser.services
    svc.settings = dataclasses.replace(svc.settings, paid_broadcast=True)  # CONFBOT_PAID_BROADCAST
    await seed(organiser, PEOPLE)
    menu = await compose(organiser)
    _, confirm = await choose(organiser, menu, "Everyone")
    assert "0.1 Telegram Stars per message" in confirm.plain_text
    assert "about 0.5 Stars" in confirm.plain_text

    await final_report(organiser, await organiser.press(confirm, "Send fast (paid)"))

    copies = [m for u in PEOPLE for m in await organiser.emu.messages(u)]
    assert [m.options.get("allow_paid_broadcast") for m in copies] == [True] * len(PEOPLE)


async def test_broadcast_paid_mode_off_by_default(organiser: Chat) -> None:
    await seed(organiser, PEOPLE)
    menu = await compose(organiser)
    _, confirm = await choose(organiser, menu, "Everyone")
    assert "Stars" not in confirm.plain_text
    assert "bc:pay" not in confirm.button_data()
