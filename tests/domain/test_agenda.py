from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.content.models import Content
from bot.domain.agenda import (
    Agenda,
    chosen_sessions,
    find_session,
    online_sessions,
    overlaps,
    session_languages,
    sessions_in_language,
    sessions_in_track,
)

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


# --- finding a session from typed words, and how that differs from Agenda.session ------------


def test_find_session_by_id_in_any_case_and_with_door_prefix(content: Content) -> None:
    for words in ("plen-1", " PLEN-1 ", "s_plen-1", "S_Plen-1"):
        found = find_session(content, words)
        assert found is not None and found.id == "plen-1", words


def test_find_session_by_title_words_or_code(content: Content) -> None:
    by_title = find_session(content, "opening")
    by_code = find_session(content, "gov 1")
    assert by_title is not None and by_title.id == "plen-1"
    assert by_code is not None and by_code.id == "gov-1"


def test_find_session_takes_the_first_title_match_in_programme_order(content: Content) -> None:
    found = find_session(content, "registration")
    assert found is not None and found.id == "reg-0"


def test_find_session_without_a_match_or_words_is_none(content: Content) -> None:
    assert find_session(content, "no such talk") is None
    assert find_session(content, "   ") is None
    assert find_session(content, "s_") is None


def test_agenda_session_takes_exact_ids_only_unlike_find_session(
    agenda: Agenda, content: Content
) -> None:
    # Kept apart on purpose: buttons and deep links carry exact ids, people type words.
    for words in ("PLEN-1", "s_plen-1", "opening", "plen 1"):
        assert agenda.session(words) is None, words
        assert find_session(content, words) is not None, words


def test_overlaps_lists_others_sharing_time(content: Content) -> None:
    wg, gov, reg0 = (content.sessions_by_id[i] for i in ("wg-m", "gov-1", "reg-0"))
    assert ids(overlaps(content, gov, [wg, gov, reg0])) == ["reg-0"]
    # wg-m ends at 14:00 as gov-1 starts: touching is not overlapping.
    assert overlaps(content, wg, [wg, gov, reg0]) == []


def test_chosen_sessions_in_programme_order_without_unknown_ids(content: Content) -> None:
    assert ids(chosen_sessions(content, {"plen-1", "wg-m", "gone"})) == ["wg-m", "plen-1"]
    assert chosen_sessions(content, set()) == []


def with_changes(content: Content, session_id: str, **changes: object) -> Content:
    sessions = [s.model_copy(update=changes) if s.id == session_id else s for s in content.sessions]
    return Content(
        content.event, content.venue, sessions, list(content.speakers), list(content.faq)
    )


def test_cancelled_session_is_listed_but_never_now_or_next(content: Content) -> None:
    agenda = Agenda(with_changes(content, "plen-1", status="cancelled"))

    assert ids(agenda.sessions_on(dt.date(2022, 7, 25))) == ["reg-1", "plen-1"]
    assert ids(agenda.running_at(at(25, 10, 30))) == ["reg-1"]
    assert ids(agenda.now_and_next(at(25, 9, 30))[1]) == ["undesa-workshop"]


def test_session_past_midnight_runs_after_midnight(content: Content) -> None:
    late = with_changes(content, "plen-1", start=dt.time(22, 0), end=dt.time(0, 30))
    agenda = Agenda(late)

    assert "plen-1" in ids(agenda.running_at(at(26, 0, 15)))
    assert "plen-1" not in ids(agenda.running_at(at(26, 0, 30)))


def test_sessions_in_track_in_programme_order(places: Content) -> None:
    assert ids(sessions_in_track(places, "security")) == ["wg-m", "open-data"]
    assert ids(sessions_in_track(places, "policy")) == ["gov-1"]
    assert sessions_in_track(places, "nowhere") == []


def test_sessions_in_language_include_those_in_several(places: Content) -> None:
    assert ids(sessions_in_language(places, "pt")) == ["wg-m", "gov-1"]
    assert ids(sessions_in_language(places, "fr")) == ["gala-dinner"]
    assert "wg-m" in ids(sessions_in_language(places, "en"))


def test_online_sessions_are_online_and_hybrid_ones(places: Content) -> None:
    assert ids(online_sessions(places)) == ["wg-m", "gov-1", "open-data"]


def test_session_languages_once_in_order_of_first_use(places: Content) -> None:
    assert session_languages(places) == ["pt", "en", "fr"]
