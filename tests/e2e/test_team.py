"""The team through the emulator: an organiser's one-time invite gives a newcomer the staff
role and its command menu, the link works once and for a day, /team lists and revokes, and
/audit shows what was done, newest first, by name."""

from __future__ import annotations

import datetime as dt
import re

from bot.features.menu import ATTENDEE_COMMANDS, STAFF_COMMANDS
from bot.features.permissions import TEXT_REFUSED
from bot.features.team import TEXT_INVITE_REFUSED
from botapi_emulator import SentMessage
from tests.e2e.conftest import DURING_EVENT, ORGANISER, Chat, move_clock

NEWCOMER = 7_123_456_789  # past nine digits, as real Telegram ids are
LATECOMER = 1003
INVITE = re.compile(r"https://t\.me/(\w+)\?start=(inv_[A-Za-z0-9_-]+)")


def chat_of(chat: Chat, user_id: int) -> Chat:
    return Chat(chat.emu, chat.app, user_id)


class Named(Chat):
    """A user whose Telegram profile has a name (the emulator's default is "User <id>")."""

    async def say(self, text: str, replies: int = 1, **user: object) -> list[SentMessage]:
        return await super().say(text, replies, first_name="Olivia", last_name="Ortiz", **user)


async def invite(organiser: Chat, role: str) -> str:
    (made,) = await organiser.say(f"/invite {role}")
    found = INVITE.search(made.plain_text)
    assert found is not None, made.plain_text
    return found.group(2)


async def commands_of(chat: Chat, user_id: int) -> list[str]:
    found = await chat.emu.commands(scope={"type": "chat", "chat_id": user_id})
    return [c["command"] for c in found]


async def test_invite_team_revoke_and_audit(chat: Chat) -> None:
    organiser = Named(chat.emu, chat.app, ORGANISER)
    newcomer = chat_of(organiser, NEWCOMER)
    latecomer = chat_of(organiser, LATECOMER)
    await organiser.say("/start")
    await latecomer.say("/start")
    await newcomer.say("/start", first_name="Nadia", last_name="Benali")
    assert await commands_of(organiser, NEWCOMER) == []  # an attendee: the default menu

    # /invite alone offers the two roles as buttons.
    (pick,) = await organiser.say("/invite")
    assert pick.button_data() == ["tm:i:staff", "tm:i:organiser"]

    start = await invite(organiser, "staff")
    (welcome,) = await newcomer.say(f"/start {start}", first_name="Nadia", last_name="Benali")
    assert "Welcome to the team" in welcome.plain_text and "/stats" in welcome.plain_text
    (told,) = await organiser.emu.wait_for_messages(ORGANISER, timeout=10)
    assert told.plain_text == "✅ Nadia Benali opened your invite and is now staff."
    (stats,) = await newcomer.say("/stats")
    assert "people have used the bot" in stats.plain_text
    assert await commands_of(organiser, NEWCOMER) == [
        c.command for c in (*ATTENDEE_COMMANDS, *STAFF_COMMANDS)
    ]

    # The same link again, by anyone: refused, saying nothing of why.
    (again,) = await latecomer.say(f"/start {start}")
    assert again.plain_text == TEXT_INVITE_REFUSED
    (forged,) = await latecomer.say("/start inv_AAAAAAAAAAAAAAAAAAAAAA")
    assert forged.plain_text == TEXT_INVITE_REFUSED

    # An invite left for more than a day: refused the same way.
    stale = await invite(organiser, "organiser")
    move_clock(organiser, DURING_EVENT + dt.timedelta(days=1, minutes=1))
    (expired,) = await latecomer.say(f"/start {stale}")
    assert expired.plain_text == TEXT_INVITE_REFUSED
    (still,) = await latecomer.say("/stats")
    assert still.plain_text == TEXT_REFUSED

    # /team lists them by name, never by id, and revokes after a confirmation.
    (team,) = await organiser.say("/team")
    assert "Nadia Benali · staff" in team.plain_text
    assert str(NEWCOMER) not in team.plain_text and str(ORGANISER) not in team.plain_text
    asked = await organiser.press(team, "Nadia Benali")
    assert asked.plain_text == "Take the role staff from Nadia Benali?"
    done = await organiser.press(asked, "Yes, take it back")
    assert done.plain_text == "➖ Nadia Benali is no longer staff."
    (notice,) = await organiser.emu.wait_for_messages(NEWCOMER, timeout=10)
    assert "was taken back" in notice.plain_text
    (refused,) = await newcomer.say("/stats")
    assert refused.plain_text == TEXT_REFUSED
    assert await commands_of(organiser, NEWCOMER) == [c.command for c in ATTENDEE_COMMANDS]

    # /audit: what was done, newest first, by name.
    (audit,) = await organiser.say("/audit")
    lines = [line for line in audit.plain_text.splitlines() if line.startswith("• ")]
    assert [line.split(" · ", 1)[1] for line in lines] == [
        "Olivia Ortiz took the role staff from Nadia Benali",
        "Olivia Ortiz created an invite (organiser)",
        "Olivia Ortiz gave Nadia Benali the role staff",
        "Olivia Ortiz created an invite (staff)",
    ]
    assert str(NEWCOMER) not in audit.plain_text
    await organiser.press_data(audit.message_id, "au:f")
    (csv_file,) = await organiser.emu.wait_for_messages(ORGANISER, timeout=10)
    assert csv_file.media is not None and csv_file.media.filename == "audit-log.csv"


async def test_team_commands_are_refused_to_staff_and_attendees(chat: Chat, staff: Chat) -> None:
    for who in (chat, staff):
        for command in ("/invite staff", "/team", "/audit"):
            (reply,) = await who.say(command)
            assert reply.plain_text == TEXT_REFUSED


async def test_an_organiser_revoking_themself_is_asked_first(chat: Chat) -> None:
    owner = Named(chat.emu, chat.app, ORGANISER)
    newcomer = chat_of(chat, NEWCOMER)
    await owner.say("/start")
    start = await invite(owner, "organiser")
    await newcomer.say(f"/start {start}", first_name="Nadia")
    await owner.emu.wait_for_messages(ORGANISER, timeout=10)  # told who joined

    (team,) = await newcomer.say("/team", first_name="Nadia")
    # Owners from the environment have no button: only the role given in the chat can go.
    assert team.button_data() == [f"tm:r:{NEWCOMER}:0"]
    asked = await newcomer.press(team, "Nadia")
    assert "yourself" in asked.plain_text
    kept = await newcomer.press(asked, "No")
    assert "Nadia · organiser" in kept.plain_text
    assert chat.services.team.is_organiser(NEWCOMER)

    gone = await newcomer.press(await newcomer.press(kept, "Nadia"), "Yes, take it back")
    assert gone.plain_text == "➖ Nadia is no longer organiser."
    assert not chat.services.team.is_staff(NEWCOMER)
    assert await commands_of(chat, NEWCOMER) == [c.command for c in ATTENDEE_COMMANDS]


async def test_reload_reports_and_exports_are_audited(chat: Chat) -> None:
    owner = Named(chat.emu, chat.app, ORGANISER)
    await owner.say("/reload")
    await owner.say("/report")
    await owner.say("/export", replies=2)

    (audit,) = await owner.say("/audit")
    lines = [line.split(" · ", 1)[1] for line in audit.plain_text.splitlines() if "· " in line]
    assert lines == [
        "Olivia Ortiz exported the feedback (0 answers)",
        "Olivia Ortiz read the feedback report",
        "Olivia Ortiz reloaded the content",
    ]
