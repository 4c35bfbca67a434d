"""Reminders and the .ics export of sessions away from the venue or online."""

from __future__ import annotations

import datetime as dt

import icalendar

from bot.content import Content
from bot.domain.outbox import DeliveryState, OutboxKind, OutboxRow
from bot.features.my_agenda import build_ics, render_reminder
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
