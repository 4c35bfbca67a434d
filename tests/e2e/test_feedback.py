"""Feedback end to end: prompts through the outbox and the sender, ratings, questions and comments
by buttons and text, and the staff's reports, charts and exports, all through the emulator.

Time: the Opening Ceremony (plen-1) ends at 11:30 on 25 July and the event asks 5 minutes later.
Tests that watch the prompt arrive start a FixedClock a minute before 11:35 and move it there; the
others start after it, so a prompt planned then is due at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from bot.clock import Clock, FixedClock
from bot.config import ConfigError
from bot.content import Content
from bot.features.feedback import (
    ANSWER_CLOSED,
    TEXT_ASK_COMMENT,
    TEXT_GROUP,
    TEXT_NO_SUCH_SESSION,
    FeedbackButton,
)
from bot.features.permissions import TEXT_REFUSED
from bot.local import running_bot
from botapi_emulator import SentMessage
from tests.e2e.conftest import (
    ATTENDEE,
    CASABLANCA,
    OTHER_ATTENDEE,
    STAFF,
    Chat,
    assert_no_message,
    move_clock,
    wait_for_rows,
)

PROMPT_DUE = dt.datetime(2022, 7, 25, 11, 35, tzinfo=CASABLANCA)
AFTER_PROMPT = dt.datetime(2022, 7, 25, 11, 40, tzinfo=CASABLANCA)
WORKSHOP_OVER = dt.datetime(2022, 7, 26, 12, 45, tzinfo=CASABLANCA)
# Feedback on plen-1 closes at the end of the day after it.
PLEN_CLOSED = dt.datetime(2022, 7, 27, 0, 0, tzinfo=CASABLANCA)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def clock() -> Clock:
    return FixedClock(AFTER_PROMPT)


async def choose(chat: Chat, session_id: str) -> None:
    """Add a session through /session (not the door link, which counts as an opener)."""
    (card,) = await chat.say(f"/session {session_id}")
    await chat.press(card, "Add to my agenda")


async def prompt(chat: Chat, session_id: str = "plen-1") -> SentMessage:
    await choose(chat, session_id)
    (message,) = await chat.emu.wait_for_messages(chat.user_id, timeout=10)
    return message


async def rate(
    chat: Chat, rating: int, group: str | None = None, session_id: str = "plen-1"
) -> None:
    """Rate through /feedback, skip the comment, and answer the one-off group question."""
    (card,) = await chat.say(f"/feedback {session_id}")
    card = await chat.press(card, str(rating))
    card = await chat.press(card, "Skip")
    (question,) = await chat.emu.wait_for_messages(chat.user_id, timeout=10)
    assert question.plain_text.startswith("👥 One optional question")
    if group is not None:
        await chat.press(question, group)


async def answer_of(chat: Chat, session_id: str = "plen-1") -> object:
    svc = chat.services
    return await svc.store.feedback_answer(session_id, await svc.feedback.respondent(chat.user_id))


class TestPrompt:
    @pytest.fixture
    def clock(self) -> Clock:
        return FixedClock(PROMPT_DUE - dt.timedelta(minutes=1))

    async def test_prompt_arrives_after_the_session_ends(self, chat: Chat) -> None:
        await choose(chat, "plen-1")
        await assert_no_message(chat.emu, ATTENDEE)  # a minute before it is due
        move_clock(chat, PROMPT_DUE)
        (message,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
        assert message.plain_text.startswith("📝 Opening Ceremony")
        assert "from 1 (poor) to 5 (excellent)" in message.plain_text
        assert message.button_data() == [
            "fb:plen-1:1",
            "fb:plen-1:2",
            "fb:plen-1:3",
            "fb:plen-1:4",
            "fb:plen-1:5",
            "fb:plen-1:n",
        ]
        rows = await wait_for_rows(
            chat.services.store, "feedback", lambda rows: all(r.state == "sent" for r in rows)
        )
        assert [(r.key, r.state, r.priority, r.finished_at) for r in rows] == [
            ("feedback:plen-1:1001", "sent", 0, PROMPT_DUE)
        ]

    async def test_door_qr_opener_is_prompted(self, chat: Chat) -> None:
        (card,) = await chat.say("/start s_plen-1")
        assert "Opening Ceremony" in card.plain_text
        move_clock(chat, PROMPT_DUE)
        (message,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
        assert message.button_data()[0] == "fb:plen-1:1"


async def test_rating_and_comment_are_stored(chat: Chat) -> None:
    message = await prompt(chat)
    card = await chat.press(message, "4")
    assert "Your rating: ★★★★☆ (4/5)" in card.plain_text
    assert "Type a short comment" in card.plain_text
    comment = "<b>Great</b> & clear 👍 شكراً جزيلاً " + "long " * 700
    (saved, group) = await chat.say(comment, replies=2)
    assert saved.plain_text.startswith("💬 Thanks, your comment on Opening Ceremony is saved:")
    assert "<b>Great</b> & clear 👍 شكراً جزيلاً" in saved.plain_text
    assert group.plain_text == re.sub(r"<[^>]+>", "", TEXT_GROUP)
    answer = await answer_of(chat)
    assert answer is not None
    assert (answer.rating, answer.attended, answer.comment) == (4, True, comment)  # type: ignore[attr-defined]
    # The answer table names nobody: no column holds the user id.
    async with chat.services.store._db.execute("SELECT * FROM feedback_answers") as cursor:
        rows = [tuple(row) for row in await cursor.fetchall()]
    assert len(rows) == 1 and all(str(ATTENDEE) not in str(value) for value in rows[0])


async def test_group_and_follow_up_are_recorded_once(chat: Chat) -> None:
    await rate(chat, 5, group="Academia")
    last = await chat.emu.last_message(ATTENDEE)
    assert last is not None
    follow = await chat.press(last, "Yes, please")
    assert "I will send you the follow-up recommendations" in follow.plain_text
    assert await chat.services.store.audience_follow_up() == [ATTENDEE]
    # A second answer does not ask the group again.
    (card,) = await chat.say("/feedback plen-1")
    card = await chat.press(card, "3")
    await chat.press(card, "Skip")
    await assert_no_message(chat.emu, ATTENDEE)


async def test_second_rating_replaces_the_first(chat: Chat) -> None:
    message = await prompt(chat)
    card = await chat.press(message, "2")
    card = await chat.press(card, "Skip")
    assert "✅ Thank you!" in card.plain_text
    card = await chat.press(card, "5")
    assert "Your rating: ★★★★★ (5/5)" in card.plain_text
    answers = await chat.services.store.all_feedback_answers()
    assert [(a.session_id, a.rating) for a in answers] == [("plen-1", 5)]


async def test_not_attended_counts_apart(chat: Chat, staff: Chat) -> None:
    other = Chat(chat.emu, chat.app, OTHER_ATTENDEE)
    message = await prompt(chat)
    card = await chat.press(message, "I did not attend")
    assert "you did not attend" in card.plain_text
    await rate(other, 4)
    answer = await answer_of(chat)
    assert (answer.rating, answer.attended) == (None, False)  # type: ignore[attr-defined]
    (report,) = await staff.say("/report")
    line = report.plain_text.split("Opening Ceremony")[1].splitlines()[1]
    assert line == "2 answers · 100% of 1 prompted · ★ 4.00 · 1 did not attend"


async def test_text_goes_to_questions_when_no_comment_is_expected(chat: Chat) -> None:
    message = await prompt(chat)
    card = await chat.press(message, "3")
    await chat.press(card, "Skip")
    await chat.emu.wait_for_messages(ATTENDEE, timeout=10)  # the group question
    (answer,) = await chat.say("wifi password")
    assert "comment" not in answer.plain_text.lower()
    stored = await answer_of(chat)
    assert stored.comment is None  # type: ignore[attr-defined]


async def test_workshop_asks_the_events_questions_then_the_comment(chat: Chat) -> None:
    chat.services.clock = FixedClock(WORKSHOP_OVER)
    (card,) = await chat.say("/feedback undesa-workshop")
    card = await chat.press(card, "5")
    assert "(1 of 2) Did this session improve your understanding" in card.plain_text
    card = await chat.press(card, "4")
    assert "(2 of 2) Did you learn practices" in card.plain_text
    card = await chat.press(card, "Yes")
    assert re.sub(r"<[^>]+>", "", TEXT_ASK_COMMENT) in card.plain_text
    card = await chat.press(card, "Skip")
    assert "Did you learn practices for collaboration" in card.plain_text
    answer = await answer_of(chat, "undesa-workshop")
    assert answer.answers == {"partnerships": 4, "practices": "yes"}  # type: ignore[attr-defined]


async def test_feedback_lists_only_sessions_that_have_started(chat: Chat) -> None:
    (listing,) = await chat.say("/feedback")
    assert "fb:plen-1:o" in listing.button_data()
    assert "fb:undesa-workshop:o" not in listing.button_data()
    query = await chat.press_data(listing.message_id, "fb:undesa-workshop:5")
    answer = await chat.emu.wait_for_callback_answer(query, timeout=10)
    assert answer.text == "This session has not started yet."
    assert await chat.services.store.all_feedback_answers() == []


class TestCancelled:
    @pytest.fixture
    def clock(self) -> Clock:
        return FixedClock(dt.datetime(2022, 7, 25, 10, 30, tzinfo=CASABLANCA))

    async def test_cancelled_session_prompts_nobody(
        self, chat: Chat, organiser: Chat, content_dir: Path
    ) -> None:
        await choose(chat, "plen-1")
        rows = await chat.services.store.outbox_rows("feedback")
        assert [(r.key, r.state) for r in rows] == [("feedback:plen-1:1001", "pending")]
        sessions = content_dir / "sessions.yaml"
        text = sessions.read_text()
        start, end = text.index("  - id: plen-1"), text.index("  - id: undesa-workshop")
        sessions.write_text(text[:start] + text[end:])
        (done,) = await organiser.say("/reload")
        assert done.plain_text.startswith("✅ Content reloaded")
        rows = await chat.services.store.outbox_rows("feedback")
        assert [(r.key, r.state) for r in rows] == [("feedback:plen-1:1001", "cancelled")]
        move_clock(chat, chat.services.now() + dt.timedelta(hours=2))
        notices = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)  # the cancellation
        assert notices[0].plain_text.startswith("❌ Cancelled")
        await assert_no_message(chat.emu, ATTENDEE)  # and no feedback prompt


async def test_attendee_cannot_read_reports(chat: Chat, caplog: pytest.LogCaptureFixture) -> None:
    (refused,) = await chat.say("/report")
    assert refused.plain_text == TEXT_REFUSED
    (refused,) = await chat.say("/export")
    assert refused.plain_text == TEXT_REFUSED
    (refused,) = await chat.say("/report plen-1")
    assert refused.plain_text == TEXT_REFUSED
    query = await chat.press_data(refused.message_id, "rp:x")
    answer = await chat.emu.wait_for_callback_answer(query, timeout=10)
    assert answer.text == TEXT_REFUSED
    assert "refused /export to user 1001" in caplog.text


async def export(staff: Chat) -> tuple[list[str], list[list[str]], bytes]:
    """/export: the CSV's header and rows, and the workbook's bytes."""
    csv_doc, xlsx_doc = await staff.say("/export", replies=2)
    assert csv_doc.media is not None and xlsx_doc.media is not None
    assert csv_doc.media.filename is not None and csv_doc.media.filename.endswith(".csv")
    assert xlsx_doc.media.filename is not None and xlsx_doc.media.filename.endswith(".xlsx")
    table = list(csv.reader(io.StringIO(csv_doc.media.data.decode("utf-8-sig"))))
    for blob in (csv_doc.media.data, xlsx_doc.media.data):
        assert str(ATTENDEE).encode() not in blob and str(OTHER_ATTENDEE).encode() not in blob
    return table[0], table[1:], xlsx_doc.media.data


async def test_export_csv_and_workbook_hold_the_expected_rows(chat: Chat, staff: Chat) -> None:
    other = Chat(chat.emu, chat.app, OTHER_ATTENDEE)
    await rate(chat, 5, group="Academia")
    (card,) = await other.say("/feedback plen-1")
    card = await other.press(card, "2")
    await other.say('=HYPERLINK("http://x") <i>&</i> 🙂')
    move_clock(chat, PLEN_CLOSED)
    header, rows, xlsx = await export(staff)
    # No group and no time of day on a row; the day the answer was given is all.
    assert header[:6] == [
        "session_id",
        "session_title",
        "session_start",
        "answered_on",
        "attended",
        "rating",
    ]
    assert header[-1] == "comment"
    by_rating = {row[5]: row for row in rows}
    assert sorted(by_rating) == ["2", "5"]
    assert by_rating["5"][:4] == ["plen-1", "Opening Ceremony", "2022-07-25 10:00", "2022-07-25"]
    assert by_rating["2"][-1] == '\'=HYPERLINK("http://x") <i>&</i> 🙂'
    assert all("Academia" not in row for row in rows)
    workbook = load_workbook(io.BytesIO(xlsx))
    sheet = workbook["Answers"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == header
    assert sorted(row[5] for row in values[1:]) == [2, 5]
    assert '=HYPERLINK("http://x") <i>&</i> 🙂' in [row[-1] for row in values[1:]]
    assert workbook["Sessions"].max_row >= 2
    # Two answers: both groups are too small to show, so the group sheet has its header only.
    assert workbook["Groups"].max_row == 1


async def test_two_exports_cannot_be_differenced_to_isolate_a_new_answer(
    chat: Chat, staff: Chat
) -> None:
    people = [Chat(chat.emu, chat.app, 2100 + n) for n in range(3)]
    for person in people[:2]:
        await rate(person, 4, group="Academia")
    _, first, _ = await export(staff)
    await rate(people[2], 1, group="Civil society")  # a new answer between two exports
    _, second, _ = await export(staff)
    assert first == second == []  # plen-1 is still open: none of its answers is exported yet
    move_clock(chat, PLEN_CLOSED)
    _, closed, _ = await export(staff)
    assert sorted(row[5] for row in closed) == ["1", "4", "4"]
    # Closed means final: a late answer is refused, and every later export is the same.
    (listed,) = await chat.say("/feedback plen-1")
    assert listed.plain_text.startswith(TEXT_NO_SUCH_SESSION)
    query = await chat.press_data(listed.message_id, FeedbackButton("rate", "plen-1", 3).pack())
    refused = await chat.emu.wait_for_callback_answer(query, timeout=10)
    assert refused.text == ANSWER_CLOSED
    _, later, _ = await export(staff)
    assert later == closed


async def test_report_detail_sends_valid_png_charts(chat: Chat, staff: Chat) -> None:
    await rate(chat, 4)
    text, distribution, means = await staff.say("/report plen-1", replies=3)
    assert text.plain_text.startswith("📊 Opening Ceremony")
    assert "Ratings: 1, mean 4.00" in text.plain_text
    for photo in (distribution, means):
        assert photo.media is not None and photo.media.data.startswith(PNG_MAGIC)
        image = Image.open(io.BytesIO(photo.media.data))
        image.verify()
        assert image.format == "PNG"


async def test_minimum_group_rule_hides_a_small_group(chat: Chat, staff: Chat) -> None:
    people = [Chat(chat.emu, chat.app, 2000 + n) for n in range(8)]
    for person in people[:4]:
        await rate(person, 5, group="Academia")
    await rate(people[4], 1, group="Public servant")
    for person in people[5:]:
        await rate(person, 3)  # no group given
    (live, _, _) = await staff.say("/report plen-1", replies=3)
    assert "Academia" not in live.plain_text  # no group while answers still come in
    move_clock(chat, PLEN_CLOSED)
    text, _, _ = await staff.say("/report plen-1", replies=3)
    by_group = text.plain_text.split("By group")[1].split("Comments")[0]
    assert "Academia: 4 ratings, mean 5.00" in by_group
    assert "Public servant" not in by_group
    # Hiding only the one public servant would let their rating be worked out from the total
    # minus the groups shown; the smallest shown group ("not given", 3) is hidden with them.
    assert "Not given" not in by_group
    assert "4 ratings from groups of fewer than 3 are not shown by group" in by_group
    assert STAFF not in [p.user_id for p in people]


STRONG_SECRET = "k3Xf9Qa7Lm2Vt8Rz1Wc6Yh4Jp0Bn5Ds_"
OTHER_SECRET = "Zq8Wn3Lk5Xr1Vb7Mt2Yc9Ph4Jd6Fs0Ga-"


async def test_start_refuses_a_changed_feedback_secret(tmp_path: Path, content: Content) -> None:
    db = tmp_path / "secret.sqlite3"
    async with running_bot(content, db_path=db, feedback_secret=STRONG_SECRET):
        pass
    with pytest.raises(ConfigError) as refused:
        async with running_bot(content, db_path=db, feedback_secret=OTHER_SECRET):
            pass
    assert "not the secret this database's feedback was stored under" in str(refused.value)
    assert "Set the variable back" in str(refused.value)
    async with running_bot(content, db_path=db, feedback_secret=STRONG_SECRET):
        pass  # the old secret back: the bot starts


async def test_start_refuses_a_weak_feedback_secret(tmp_path: Path, content: Content) -> None:
    with pytest.raises(ConfigError, match="too weak"):
        async with running_bot(content, db_path=tmp_path / "w.sqlite3", feedback_secret="s3cret"):
            pass


async def test_start_moves_from_a_generated_to_a_configured_secret(
    tmp_path: Path, content: Content
) -> None:
    db = tmp_path / "moved.sqlite3"
    async with running_bot(content, db_path=db) as (_, app):
        generated, _, _ = await app.bot_data.store.feedback_secret_state()
        assert generated is not None
    async with running_bot(content, db_path=db, feedback_secret=STRONG_SECRET) as (_, app):
        assert (await app.bot_data.store.feedback_secret_state())[0] is None
