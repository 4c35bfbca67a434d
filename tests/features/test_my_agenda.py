"""Reminders and the .ics export of sessions away from the venue or online."""

from __future__ import annotations

import datetime as dt

import icalendar

from bot.content import Content
from bot.domain.outbox import DeliveryState, OutboxKind, OutboxRow
from bot.features.my_agenda import build_ics, render_change_notice, render_reminder
from bot.i18n import use_language
from scheduler.plan import diff_sessions, plan_change_notices
from tests.places import OPEN_DATA_LINK


def reminder_row(content: Content, session_id: str) -> OutboxRow:
    starts = content.starts_at(content.sessions_by_id[session_id])
    assert starts is not None
    return OutboxRow(
        id=1,
        key=f"reminder:1:{session_id}",
        kind=OutboxKind.REMINDER,
        chat_id=1,
        priority=0,
        payload={"session": session_id},
        due_at=starts - dt.timedelta(minutes=10),
        not_after=starts,
        state=DeliveryState.PENDING,
        attempts=0,
        batch=None,
        finished_at=None,
        message_id=None,
        error=None,
    )


def change_row(payload: dict[str, object]) -> OutboxRow:
    return OutboxRow(
        id=1,
        key="change:1",
        kind=OutboxKind.CHANGE_NOTICE,
        chat_id=1,
        priority=0,
        payload=payload,
        due_at=NOW,
        not_after=None,
        state=DeliveryState.PENDING,
        attempts=0,
        batch=None,
        finished_at=None,
        message_id=None,
        error=None,
    )


def with_session(content: Content, session_id: str, **changes: object) -> Content:
    sessions = [s.model_copy(update=changes) if s.id == session_id else s for s in content.sessions]
    return Content(
        content.event,
        content.venue,
        sessions,
        list(content.speakers),
        list(content.faq),
        tracks=list(content.tracks.values()),
        rooms=list(content.rooms.values()),
    )


NOW = dt.datetime(2022, 7, 24, 8, 0, tzinfo=dt.UTC)


def planned_notice(before: Content, after: Content, session_id: str) -> dict[str, object]:
    (notice,) = plan_change_notices(diff_sessions(before, after), {session_id: [1]}, NOW)
    return dict(notice.payload)


def test_change_notice_names_the_rooms_in_the_readers_language(bundled_timed: Content) -> None:
    after = with_session(bundled_timed, "undesa-workshop", room="main-auditorium")
    payload = planned_notice(bundled_timed, after, "undesa-workshop")
    assert (payload["old_room"], payload["old_room_id"]) == ("Room to be confirmed", "room-tbc")

    with use_language("fr"):
        rendered = render_change_notice(after, [change_row(payload)])

    assert rendered is not None
    assert "📍 <s>Salle à confirmer</s> → <b>Main Auditorium 1/2</b>" in rendered.text


def test_change_notice_of_a_cancellation_names_its_room_in_the_readers_language(
    bundled_timed: Content,
) -> None:
    after = with_session(bundled_timed, "undesa-workshop", status="cancelled")
    payload = planned_notice(bundled_timed, after, "undesa-workshop")

    with use_language("fr"):
        rendered = render_change_notice(after, [change_row(payload)])

    assert rendered is not None
    assert "Salle à confirmer)" in rendered.text


def test_change_notice_planned_with_names_only_keeps_them(bundled_timed: Content) -> None:
    after = with_session(bundled_timed, "undesa-workshop", room="main-auditorium")
    payload = planned_notice(bundled_timed, after, "undesa-workshop")
    del payload["old_room_id"], payload["new_room_id"]  # planned before rooms had ids here

    with use_language("fr"):
        rendered = render_change_notice(after, [change_row(payload)])

    assert rendered is not None
    assert "📍 <s>Room to be confirmed</s> → <b>Main Auditorium 1/2</b>" in rendered.text


def test_change_notice_of_a_room_gone_from_the_venue_keeps_its_planned_name(
    bundled_timed: Content,
) -> None:
    after = with_session(bundled_timed, "undesa-workshop", room="main-auditorium")
    payload = planned_notice(bundled_timed, after, "undesa-workshop")
    payload["old_room_id"] = "a-room-since-removed"

    rendered = render_change_notice(after, [change_row(payload)])

    assert rendered is not None
    assert "<s>Room to be confirmed</s>" in rendered.text


def test_change_notice_of_an_online_session_says_online_in_the_readers_language(
    places: Content,
) -> None:
    after = with_session(places, "open-data", room="terrace", mode="in_person")
    payload = planned_notice(places, after, "open-data")

    with use_language("fr"):
        rendered = render_change_notice(after, [change_row(payload)])

    assert rendered is not None
    assert "📍 <s>En ligne</s> → <b>Terrace</b>" in rendered.text


def test_reminder_of_an_online_session_carries_the_join_button(places: Content) -> None:
    row = reminder_row(places, "open-data")
    rendered = render_reminder(places, [row], row.due_at)
    assert rendered is not None
    assert "📍 Online" in rendered.text
    assert rendered.markup is not None
    links = [b.url for r in rendered.markup.inline_keyboard for b in r if b.url]
    assert links == [OPEN_DATA_LINK]


def test_reminder_of_an_off_site_session_names_the_place(places: Content) -> None:
    row = reminder_row(places, "gala-dinner")
    rendered = render_reminder(places, [row], row.due_at)
    assert rendered is not None
    assert "📍 Terrace (Restaurant Dar Naji, Avenue Mohammed V, Rabat)" in rendered.text


def test_ics_of_an_off_site_session_has_its_address_and_geo(places: Content) -> None:
    calendar = icalendar.Calendar.from_ical(
        build_ics(places, [places.sessions_by_id["gala-dinner"]])
    )
    (event,) = calendar.walk("VEVENT")
    assert str(event["location"]) == "Terrace, Restaurant Dar Naji, Avenue Mohammed V, Rabat"
    geo = event["geo"]
    assert (geo.latitude, geo.longitude) == (34.0181, -6.8353)


def test_ics_of_an_online_session_has_its_link(places: Content) -> None:
    calendar = icalendar.Calendar.from_ical(build_ics(places, [places.sessions_by_id["open-data"]]))
    (event,) = calendar.walk("VEVENT")
    assert str(event["url"]) == OPEN_DATA_LINK
    assert str(event["location"]) == OPEN_DATA_LINK
    assert "geo" not in event
