from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.content.models import Content
from bot.domain.agenda import Agenda

RABAT = ZoneInfo("Africa/Casablanca")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2022, 7, day, hour, minute, tzinfo=RABAT)


def ids(sessions: list) -> list[str]:
    return [s.id for s in sessions]


@pytest.fixture(scope="module")
def agenda(content: Content) -> Agenda:
    return Agenda(content)


def test_sessions_on_day_in_programme_order(agenda: Agenda) -> None:
    assert ids(agenda.sessions_on(dt.date(2022, 7, 24))) == ["wg-m", "gov-1", "reg-0"]
    assert ids(agenda.sessions_on(dt.date(2022, 7, 25))) == ["reg-1", "plen-1"]
    assert agenda.sessions_on(dt.date(2022, 7, 29)) == []


def test_session_by_id_or_none(agenda: Agenda) -> None:
    session = agenda.session("plen-1")
    assert session is not None and session.title == "Opening Ceremony"
    assert agenda.session("nope") is None


def test_now_and_next_during_opening(agenda: Agenda) -> None:
    running, upcoming = agenda.now_and_next(at(25, 10, 30))
    assert ids(running) == ["reg-1", "plen-1"]
    assert ids(upcoming) == ["undesa-workshop"]


def test_now_and_next_shares_the_soonest_start(agenda: Agenda) -> None:
    running, upcoming = agenda.now_and_next(at(24, 13, 30))
    assert ids(running) == ["wg-m"]
    assert ids(upcoming) == ["gov-1", "reg-0"]


def test_now_and_next_respects_limit(agenda: Agenda) -> None:
    _, upcoming = agenda.now_and_next(at(24, 13, 30), limit=1)
    assert ids(upcoming) == ["gov-1"]


def test_now_and_next_after_the_programme_is_empty(agenda: Agenda) -> None:
    assert agenda.now_and_next(at(28, 9)) == ([], [])


def test_session_ending_at_now_is_not_running(agenda: Agenda) -> None:
    running, _ = agenda.now_and_next(at(24, 14))
    assert ids(running) == ["gov-1", "reg-0"]


def test_now_in_another_zone_is_compared_in_event_zone(agenda: Agenda) -> None:
    # 09:30 UTC is 10:30 in Rabat (UTC+1 in July 2022).
    running, _ = agenda.now_and_next(dt.datetime(2022, 7, 25, 9, 30, tzinfo=dt.UTC))
    assert ids(running) == ["reg-1", "plen-1"]


def test_naive_now_is_refused(agenda: Agenda) -> None:
    with pytest.raises(ValueError):
        agenda.now_and_next(dt.datetime(2022, 7, 25, 10, 0))
    with pytest.raises(ValueError):
        agenda.next_sessions(dt.datetime(2022, 7, 25, 10, 0))


def test_next_sessions_soonest_first_with_limit(agenda: Agenda) -> None:
    assert ids(agenda.next_sessions(at(24, 12), limit=3)) == ["wg-m", "gov-1", "reg-0"]
    assert ids(agenda.next_sessions(at(25, 12))) == ["undesa-workshop", "undesa-panel"]
    assert agenda.next_sessions(at(24, 12), limit=0) == []


def test_sessions_between_overlapping_window(agenda: Agenda) -> None:
    assert ids(agenda.sessions_between(at(24, 13, 30), at(24, 14, 30))) == [
        "wg-m",
        "gov-1",
        "reg-0",
    ]
    assert ids(agenda.sessions_between(at(26, 12, 0), at(26, 18, 0))) == [
        "undesa-workshop",
        "undesa-panel",
    ]
    assert agenda.sessions_between(at(26, 12, 30), at(26, 14, 0)) == []
    assert agenda.sessions_between(at(26, 18), at(26, 9)) == []


def test_by_speaker_counts_chairs_and_speakers(agenda: Agenda) -> None:
    assert ids(agenda.by_speaker("dong-qing")) == ["gov-1", "plen-1"]
    assert ids(agenda.by_speaker("rhachi")) == ["plen-1"]
    assert agenda.by_speaker("nobody") == []


def test_by_room(agenda: Agenda) -> None:
    assert ids(agenda.by_room("registration-desk")) == ["reg-0", "reg-1"]
    assert ids(agenda.by_room("room-tbc")) == ["undesa-workshop", "undesa-panel"]


def test_by_tag_is_case_insensitive(agenda: Agenda) -> None:
    assert ids(agenda.by_tag("IASIA")) == ["wg-m", "gov-1"]
    assert ids(agenda.by_tag(" un desa ")) == ["undesa-workshop", "undesa-panel"]
    assert agenda.by_tag("cooking") == []


def test_tags_listed_once_sorted(agenda: Agenda) -> None:
    tags = agenda.tags()
    assert tags == sorted(set(tags), key=str.casefold)
    assert "pre-conference" in tags and "opening" in tags
