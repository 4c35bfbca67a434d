"""The example events under ``examples/``: each loads cleanly, and the fictional Lisbon event
has every case of the schema it was written to exercise, with the clock change handled."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.content import Content, load_content, load_content_or_raise
from bot.content.models import SessionKind, SessionMode

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LISBON = EXAMPLES / "lisbon"
EXAMPLE_FOLDERS = sorted(p for p in EXAMPLES.iterdir() if p.is_dir())
# First words of a question that say it is asked in Portuguese even without an accent.
PORTUGUESE_OPENINGS = {"onde", "qual", "como", "há", "perdi", "preciso", "rede", "a", "os"}


@pytest.fixture(scope="module")
def lisbon() -> Content:
    content, problems = load_content_or_raise(LISBON)
    assert problems == ()
    return content


def utc(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


@pytest.mark.parametrize("folder", EXAMPLE_FOLDERS, ids=lambda p: p.name)
def test_example_folder_loads_without_errors(folder: Path) -> None:
    result = load_content(folder)

    assert result.errors == (), "\n".join(map(str, result.errors))
    assert result.content is not None


def test_lisbon_is_among_the_examples() -> None:
    assert LISBON in EXAMPLE_FOLDERS


def test_lisbon_counts(lisbon: Content) -> None:
    assert lisbon.event.timezone == "Europe/Lisbon"
    assert (lisbon.event.start_date, lisbon.event.end_date) == (
        dt.date(2026, 10, 23),
        dt.date(2026, 10, 25),
    )
    assert len(lisbon.sessions) == 46
    assert len(lisbon.speakers) == 26
    assert len(lisbon.faq) == 14
    assert sorted(lisbon.tracks) == ["cities", "community", "data", "policy"]
    assert all(track.colour for track in lisbon.tracks.values())
    assert len(lisbon.venue.rooms) == 5
    assert sorted(lisbon.rooms) == [
        "auditorio",
        "dining-room",
        "fabrica",
        "foyer",
        "room-a",
        "room-b",
        "room-c",
    ]
    assert lisbon.days() == [dt.date(2026, 10, 23), dt.date(2026, 10, 24), dt.date(2026, 10, 25)]


def test_lisbon_says_it_is_invented(lisbon: Content) -> None:
    assert "FICTIONAL" in lisbon.event.summary
    assert "invented" in (EXAMPLES / "README.md").read_text(encoding="utf-8").lower()


def test_lisbon_has_a_keynote_every_day(lisbon: Content) -> None:
    keynotes = {s.day: s.id for s in lisbon.sessions if s.kind is SessionKind.plenary}

    assert keynotes == {
        dt.date(2026, 10, 23): "keynote-fri",
        dt.date(2026, 10, 24): "keynote-sat",
        dt.date(2026, 10, 25): "keynote-sun",
    }


def test_lisbon_has_every_kind_of_programme_item(lisbon: Content) -> None:
    kinds = {s.kind for s in lisbon.sessions}

    assert {
        SessionKind.plenary,
        SessionKind.workshop,
        SessionKind.panel,
        SessionKind.registration,
        SessionKind.break_,
        SessionKind.meal,
        SessionKind.social,
        SessionKind.ceremony,
    } <= kinds
    # Every talk belongs to a track; breaks, meals and registration need none.
    talks = [s for s in lisbon.sessions if s.kind in (SessionKind.other, SessionKind.workshop)]
    assert all(s.track is not None for s in talks)


def test_lisbon_dinner_ends_past_midnight_off_site(lisbon: Content) -> None:
    dinner = lisbon.sessions_by_id["dinner"]

    assert dinner.past_midnight
    assert lisbon.starts_at(dinner) == dt.datetime(
        2026, 10, 24, 20, 0, tzinfo=lisbon.tz
    ).astimezone(dt.UTC)
    # 00:30 on Sunday is still summer time (the clocks go back at 02:00): 23:30 UTC.
    ends_at = lisbon.ends_at(dinner)
    assert ends_at is not None
    assert ends_at.date() == dt.date(2026, 10, 25)
    assert ends_at.astimezone(dt.UTC) == utc(2026, 10, 24, 23, 30)
    assert lisbon.off_site(dinner)
    place = lisbon.place_of(dinner)
    assert place is not None and place.name is not None and "Cais da Ribeira" in place.name
    assert place.address and place.coordinates and place.directions


def test_lisbon_annex_room_has_its_own_place(lisbon: Content) -> None:
    workshop = lisbon.sessions_by_id["ws-osm-mapping"]

    assert lisbon.off_site(workshop)
    place = lisbon.place_of(workshop)
    assert place is not None and place.name == "Fábrica 22 Marvila annex"
    assert not lisbon.off_site(lisbon.sessions_by_id["keynote-sat"])


def test_lisbon_cancelled_session(lisbon: Content) -> None:
    cancelled = [s.id for s in lisbon.sessions if s.cancelled]

    assert cancelled == ["blockchain-land"]


def test_lisbon_sessions_to_be_announced(lisbon: Content) -> None:
    panel = lisbon.sessions_by_id["panel-ticketing"]
    lightning = lisbon.sessions_by_id["lightning-talks"]

    assert panel.kind is SessionKind.panel
    assert (panel.day, panel.start, panel.end) == (dt.date(2026, 10, 24), None, None)
    assert (lightning.day, lightning.start, lightning.end) == (None, None, None)
    assert [s.id for s in lisbon.sessions if not s.timed] == ["panel-ticketing", "lightning-talks"]
    assert lisbon.undated_sessions() == [lightning]
    assert lisbon.sessions[-1] is lightning  # no day: after every day


def test_lisbon_online_and_hybrid_sessions(lisbon: Content) -> None:
    online = [s for s in lisbon.sessions if s.mode is SessionMode.online]
    hybrid = [s for s in lisbon.sessions if s.mode is SessionMode.hybrid]

    assert [s.id for s in online] == ["web-accessibility", "ckan-online", "remote-meetups"]
    assert all(s.room is None and s.online_url for s in online)
    assert all(lisbon.place_of(s) is None and lisbon.room_name(s) == "Online" for s in online)
    assert [s.id for s in hybrid] == ["ai-procurement"]
    assert hybrid[0].room == "auditorio"
    assert hybrid[0].online_url is not None and hybrid[0].online_url.startswith("https://")


def test_lisbon_languages(lisbon: Content) -> None:
    languages = {s.language for s in lisbon.sessions if s.language}

    assert languages == {("en",), ("pt",), ("en", "pt")}
    assert [s.id for s in lisbon.sessions if len(s.language) > 1] == ["keynote-sat"]
    assert sum(1 for s in lisbon.sessions if s.language == ("pt",)) >= 8


def test_lisbon_clock_change_day_starts_in_winter_time(lisbon: Content) -> None:
    sunday = lisbon.sessions_by_id["keynote-sun"]
    saturday = lisbon.sessions_by_id["keynote-sat"]

    # 09:00 WET on 25 October is 09:00 UTC; 09:30 WEST the day before is 08:30 UTC.
    assert lisbon.starts_at(sunday) == utc(2026, 10, 25, 9, 0)
    assert lisbon.starts_at(saturday) == utc(2026, 10, 24, 8, 30)
    nine_on_saturday = dt.datetime(2026, 10, 24, 9, 0, tzinfo=lisbon.tz)
    assert nine_on_saturday == utc(2026, 10, 24, 8, 0)


def test_lisbon_nothing_starts_or_ends_in_the_repeated_hour(lisbon: Content) -> None:
    repeated = (dt.time(1, 0), dt.time(2, 0))
    for session in lisbon.timed_sessions():
        starts_at, ends_at = lisbon.starts_at(session), lisbon.ends_at(session)
        assert starts_at is not None and ends_at is not None
        for moment in (starts_at, ends_at):
            if moment.date() == dt.date(2026, 10, 25):
                assert not repeated[0] <= moment.time() < repeated[1], session.id


def test_lisbon_session_in_the_repeated_hour_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "lisbon"
    shutil.copytree(LISBON, folder)
    sessions = folder / "sessions.yaml"
    text = sessions.read_text(encoding="utf-8")
    assert text.count('end: "00:30"') == 1
    sessions.write_text(text.replace('end: "00:30"', 'end: "01:30"'), encoding="utf-8")

    result = load_content(folder)

    assert [(p.field, "happens twice" in p.message) for p in result.errors] == [
        ("sessions[34].end", True)
    ]


def test_lisbon_faq_is_asked_in_english_and_portuguese(lisbon: Content) -> None:
    ids = {entry.id for entry in lisbon.faq}

    assert {"wifi", "lunch", "dinner", "transport", "badges", "accessibility", "language"} <= ids
    assert {"online", "lost-found", "emergency"} <= ids
    for entry in lisbon.faq:
        assert len(entry.questions) >= 5, entry.id
        assert any(
            any(ch in q for ch in "ãçéêáíóõú") or q.split()[0] in PORTUGUESE_OPENINGS
            for q in entry.questions
        ), entry.id
