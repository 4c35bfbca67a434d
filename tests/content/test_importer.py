"""Reading real pretalx/frab exports into content models (``bot.content.importer``).

Counts are taken independently here, by parsing each file with ElementTree or json, and compared
with what the importer made of it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from bot.content.importer import (
    MAX_DESCRIPTION_CHARS,
    ImportedSchedule,
    ScheduleError,
    read_schedule,
    session_id_of,
)
from bot.content.models import Session, SessionKind
from bot.telegram_text import utf16_len

SCHEDULES = Path(__file__).resolve().parents[1] / "data" / "schedules"
XML_31C3 = SCHEDULES / "31c3-frab.schedule.xml"
XML_38C3 = SCHEDULES / "38c3-hub.schedule.xml"
JSON_CAMP = SCHEDULES / "camp2019-frab.schedule.json"
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,31}$"


def xml_counts(path: Path) -> tuple[int, int, int]:
    """(events, distinct room names holding events, distinct persons by guid, id or name)."""
    root = ET.parse(path).getroot()
    events = list(root.iter("event"))
    rooms = {room.get("name") for room in root.iter("room") if room.find("event") is not None}
    persons = {
        person.get("guid") or person.get("id") or person.text
        for event in events
        for person in event.iter("person")
    }
    return len(events), len(rooms), len(persons)


def json_counts(path: Path) -> tuple[int, int, int]:
    days = json.loads(path.read_bytes())["schedule"]["conference"]["days"]
    events = [e for day in days for room in day["rooms"].values() for e in room]
    rooms = {name for day in days for name, room in day["rooms"].items() if room}
    persons = {
        p.get("guid") or p.get("id") or p["public_name"] for e in events for p in e["persons"]
    }
    return len(events), len(rooms), len(persons)


@pytest.fixture(scope="module")
def imported_38c3() -> ImportedSchedule:
    return read_schedule(XML_38C3.read_bytes())


@pytest.fixture(scope="module")
def imported_31c3() -> ImportedSchedule:
    return read_schedule(XML_31C3.read_bytes())


@pytest.fixture(scope="module")
def imported_camp() -> ImportedSchedule:
    return read_schedule(JSON_CAMP.read_bytes())


def by_title(schedule: ImportedSchedule, title: str) -> Session:
    (found,) = [s for s in schedule.sessions if s.title == title]
    return found


def counts(schedule: ImportedSchedule) -> tuple[int, int, int]:
    return len(schedule.sessions), len(schedule.rooms), len(schedule.speakers)


# -- the three real exports -------------------------------------------------------------------


def test_31c3_counts_equal_the_export(imported_31c3: ImportedSchedule) -> None:
    assert counts(imported_31c3) == xml_counts(XML_31C3) == (138, 4, 198)
    assert imported_31c3.format == "frab XML"
    assert imported_31c3.left_out == ()


def test_38c3_counts_equal_the_export(imported_38c3: ImportedSchedule) -> None:
    assert counts(imported_38c3) == xml_counts(XML_38C3) == (1007, 72, 571)
    assert imported_38c3.left_out == ()


def test_camp_counts_equal_the_export(imported_camp: ImportedSchedule) -> None:
    assert counts(imported_camp) == json_counts(JSON_CAMP) == (79, 2, 90)
    assert imported_camp.format == "schedule JSON"


def test_31c3_keynote_is_mapped(imported_31c3: ImportedSchedule) -> None:
    keynote = by_title(imported_31c3, "31C3 Keynote")

    assert keynote.id == session_id_of("8c4e647f-813e-41ef-b05b-65469dd841c3")
    assert (keynote.day, keynote.start, keynote.end) == (
        dt.date(2014, 12, 27),
        dt.time(11, 30),
        dt.time(12, 30),
    )
    assert (keynote.room, keynote.language, keynote.track) == ("saal-1", ("en",), "ccc")
    assert keynote.description == "A New Dawn\n\nThe 31C3 Keynote"  # subtitle, abstract
    assert [imported_31c3.speakers[0].id, imported_31c3.speakers[0].name] == ["p-1544", "erdgeist"]


def test_38c3_opening_is_mapped(imported_38c3: ImportedSchedule) -> None:
    opening = by_title(imported_38c3, "38C3: Opening Ceremony")

    assert opening.id == session_id_of("270fa44c-821a-577f-8ca3-33e8d4a8c2a7")
    assert (opening.day, opening.start, opening.end) == (
        dt.date(2024, 12, 27),
        dt.time(10, 30),
        dt.time(11, 0),
    )
    rooms = {room.id: room.name for room in imported_38c3.rooms}
    tracks = {track.id: track for track in imported_38c3.tracks}
    assert rooms[opening.room or ""] == "Saal 1"
    assert (opening.language, opening.kind) == (("en",), SessionKind.ceremony)
    assert opening.track == "ccc" and tracks["ccc"].colour == "#F2F006"
    assert len(opening.speakers) == 3


def test_camp_card10_is_mapped(imported_camp: ImportedSchedule) -> None:
    badge = by_title(imported_camp, "card10 Badge")

    assert badge.id == session_id_of("c9edea6f-1da1-4772-a0a9-6dd4e33f11bb")
    assert (badge.day, badge.start, badge.end) == (
        dt.date(2019, 8, 21),
        dt.time(12, 0),
        dt.time(12, 45),
    )
    assert (badge.room, badge.language, badge.track) == ("curie", ("en",), "ccc")
    assert badge.speakers == ["p-5339"]
    assert imported_camp.event.timezone == "Europe/Berlin"
    assert (imported_camp.event.start_date, imported_camp.event.end_date) == (
        dt.date(2019, 8, 21),
        dt.date(2019, 8, 26),
    )


def test_every_id_matches_the_schema_and_is_unique(imported_38c3: ImportedSchedule) -> None:
    ids = [s.id for s in imported_38c3.sessions]
    people = [s.id for s in imported_38c3.speakers]
    rooms = [r.id for r in imported_38c3.rooms]

    assert len(set(ids)) == len(ids) and len(set(people)) == len(people)
    assert len(set(rooms)) == len(rooms)
    assert all(re.match(ID_PATTERN, i) for i in [*ids, *people, *rooms])


# -- times ------------------------------------------------------------------------------------


def test_31c3_after_midnight_events_are_on_the_next_date(imported_31c3: ImportedSchedule) -> None:
    # Filed under <day date="2014-12-27">, dated 2014-12-28T00:00:00+01:00, 2:15 long.
    citizenfour = by_title(imported_31c3, "Citizenfour")
    googlequiz = by_title(imported_31c3, "Googlequiz – 2015er Edition")

    assert (citizenfour.day, citizenfour.start, citizenfour.end) == (
        dt.date(2014, 12, 28),
        dt.time(0, 0),
        dt.time(2, 15),
    )
    assert (googlequiz.day, googlequiz.start) == (dt.date(2014, 12, 30), dt.time(0, 15))


def test_31c3_zone_is_guessed_from_offsets(imported_31c3: ImportedSchedule) -> None:
    event = imported_31c3.event

    assert (event.timezone, event.timezone_source, event.offsets) == (
        "Etc/GMT-1",
        "guessed",
        ("+01:00",),
    )
    assert (event.start_date, event.end_date, event.days) == (
        dt.date(2014, 12, 27),
        dt.date(2014, 12, 31),
        4,
    )


def test_timezone_override_converts_times() -> None:
    schedule = read_schedule(XML_31C3.read_bytes(), timezone="Europe/London")

    keynote = by_title(schedule, "31C3 Keynote")
    assert schedule.event.timezone_source == "--timezone"
    assert keynote.start == dt.time(10, 30)  # 11:30+01:00 is 10:30 in London in December


def test_38c3_dates_are_local_dates_of_utc_conference_bounds(
    imported_38c3: ImportedSchedule,
) -> None:
    assert (imported_38c3.event.start_date, imported_38c3.event.end_date) == (
        dt.date(2024, 12, 27),
        dt.date(2024, 12, 30),
    )
    assert max(imported_38c3.session_days) <= imported_38c3.event.end_date


def test_event_end_date_covers_a_session_after_midnight_on_the_last_day() -> None:
    text = XML_31C3.read_text(encoding="utf-8").replace(
        "<end>2014-12-31</end>", "<end>2014-12-29</end>"
    )

    schedule = read_schedule(text.encode())

    assert schedule.event.end_date == dt.date(2014, 12, 30)  # Googlequiz, 00:15 on the 30th


def test_a_session_past_midnight_longer_than_12_hours_is_left_out_and_reported() -> None:
    text = XML_31C3.read_text(encoding="utf-8").replace(
        "<date>2014-12-28T00:00:00+01:00</date>\n<start>00:00</start>\n<duration>02:15</duration>",
        "<date>2014-12-27T23:00:00+01:00</date>\n<start>23:00</start>\n<duration>13:00</duration>",
    )

    schedule = read_schedule(text.encode())

    assert len(schedule.sessions) == 137
    (left,) = schedule.left_out
    assert left.title == "Citizenfour"
    assert left.path == (
        "schedule/day[index=1]/room[name=Saal 1]/event[guid=77aea78c-f2d2-461a-92b3-82929a79d598]"
    )
    assert "lasts 13:00 from 2014-12-27 23:00" in left.reason


# -- texts, languages, kinds ------------------------------------------------------------------


def test_38c3_two_languages_become_two_codes(imported_38c3: ImportedSchedule) -> None:
    root = ET.parse(XML_38C3).getroot()
    both = [e.get("guid") or "" for e in root.iter("event") if e.findtext("language") == "de, en"]
    sessions = {s.id: s for s in imported_38c3.sessions}

    assert len(both) == 129
    assert {sessions[session_id_of(guid)].language for guid in both} == {("de", "en")}


def test_descriptions_are_capped_plain_text(imported_38c3: ImportedSchedule) -> None:
    lengths = [utf16_len(s.description) for s in imported_38c3.sessions if s.description]

    assert MAX_DESCRIPTION_CHARS - 80 < max(lengths) <= MAX_DESCRIPTION_CHARS  # cut at a space
    capped = [s for s in imported_38c3.sessions if s.description and s.description.endswith("…")]
    assert capped
    assert all("&amp;" not in (s.description or "") for s in imported_38c3.sessions)


def test_markup_in_an_abstract_stays_text() -> None:
    text = XML_31C3.read_text(encoding="utf-8").replace(
        "<abstract>The 31C3 Keynote</abstract>",
        "<abstract>&lt;b&gt;bold&lt;/b&gt; &amp; **stars**\r\n\r\n\r\nnext   paragraph</abstract>",
    )

    keynote = by_title(read_schedule(text.encode()), "31C3 Keynote")

    assert keynote.description == "A New Dawn\n\n<b>bold</b> & **stars**\n\nnext paragraph"


def test_unknown_types_become_other_and_are_reported(imported_38c3: ImportedSchedule) -> None:
    unmapped = {u.what: u.count for u in imported_38c3.unmapped}

    assert unmapped["type 'DJ Set' (mapped to other)"] == 45
    assert unmapped["event/feedback_url"] == 509
    assert unmapped["event/logo"] == 1007
    kinds = {s.kind for s in imported_38c3.sessions}
    assert {SessionKind.workshop, SessionKind.ceremony, SessionKind.other} <= kinds


def test_31c3_podium_is_a_panel(imported_31c3: ImportedSchedule) -> None:
    assert [s.kind for s in imported_31c3.sessions].count(SessionKind.panel) == 1


# -- overlaps ---------------------------------------------------------------------------------


def test_38c3_overlaps_are_marked_on_both_sessions(imported_38c3: ImportedSchedule) -> None:
    in_room = [o for o in imported_38c3.overlaps if o.person is None]
    marked = {s.id for s in imported_38c3.sessions if s.may_overlap}

    assert len(in_room) == 2
    assert len(imported_38c3.overlaps) - len(in_room) == 140
    assert marked == {o.session for o in imported_38c3.overlaps} | {
        o.other for o in imported_38c3.overlaps
    }


def test_31c3_stream_copies_share_their_speaker(imported_31c3: ImportedSchedule) -> None:
    marked = sorted(s.title for s in imported_31c3.sessions if s.may_overlap)

    assert marked == [
        "Fnord News Show",
        "Fnord News Show (Stream)",
        "Security Nightmares",
        "Security Nightmares (Stream)",
    ]


# -- stable ids -------------------------------------------------------------------------------


def test_session_id_survives_a_new_title_and_time(imported_camp: ImportedSchedule) -> None:
    document = json.loads(JSON_CAMP.read_bytes())
    event = document["schedule"]["conference"]["days"][0]["rooms"]["Curie"][1]
    event["title"] = "card10 Badge (moved)"
    event["date"] = "2019-08-21T16:00:00+02:00"
    event["start"] = "16:00"

    changed = read_schedule(json.dumps(document).encode())

    moved = by_title(changed, "card10 Badge (moved)")
    assert moved.id == by_title(imported_camp, "card10 Badge").id
    assert moved.start == dt.time(16, 0)


# -- refusals ---------------------------------------------------------------------------------


def refusal(data: bytes) -> str:
    with pytest.raises(ScheduleError) as caught:
        read_schedule(data)
    return str(caught.value)


FIRST_31C3 = (
    "schedule/day[index=1]/room[name=Saal 1]/event[guid=29aecfd7-2e44-4f49-ab86-29b5e0877325]"
)


def test_malformed_xml_is_refused() -> None:
    assert refusal(b"<schedule><conference>") == (
        "schedule: not well-formed XML (line 1, column 22)"
    )


def test_bad_duration_names_the_element() -> None:
    text = XML_31C3.read_text(encoding="utf-8").replace(
        "<duration>00:30</duration>", "<duration>x</duration>", 1
    )

    assert refusal(text.encode()) == f"{FIRST_31C3}/duration: 'x' is not hh:mm"


def test_missing_date_names_the_element() -> None:
    text = XML_31C3.read_text(encoding="utf-8").replace(
        "<date>2014-12-27T11:00:00+01:00</date>\n", "", 1
    )

    assert refusal(text.encode()) == f"{FIRST_31C3}/date: missing element"


def test_duplicate_guid_is_refused() -> None:
    text = XML_31C3.read_text(encoding="utf-8").replace(
        "8c4e647f-813e-41ef-b05b-65469dd841c3", "29aecfd7-2e44-4f49-ab86-29b5e0877325"
    )

    message = refusal(text.encode())

    assert "guid '29aecfd7-2e44-4f49-ab86-29b5e0877325' appears twice" in message


def test_broken_json_is_refused() -> None:
    assert refusal(JSON_CAMP.read_bytes()[:500]).startswith("$: not valid JSON: ")


def test_wrong_json_type_names_the_path() -> None:
    document: dict[str, Any] = json.loads(JSON_CAMP.read_bytes())
    document["schedule"]["conference"]["days"][1]["rooms"]["Curie"][3]["duration"] = 30

    assert refusal(json.dumps(document).encode()) == (
        '$.schedule.conference.days[1].rooms["Curie"][3].duration: expected text, found a number'
    )


def test_json_without_schedule_is_refused() -> None:
    assert refusal(b"[1, 2]") == "$: expected a JSON object with a 'schedule' key"


def test_neither_format_is_refused() -> None:
    assert refusal(b"BEGIN:VCALENDAR") == (
        "neither a schedule.xml (<schedule>) nor a schedule.json ({...})"
    )


def test_entity_expansion_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
        )
        + b"]><schedule>&i;</schedule>"
    )

    assert refusal(bomb).startswith("schedule: not well-formed XML")


def test_varying_offsets_without_zone_need_timezone() -> None:
    text = XML_31C3.read_text(encoding="utf-8").replace(
        "<date>2014-12-27T11:30:00+01:00</date>", "<date>2014-12-27T12:30:00+02:00</date>"
    )

    message = refusal(text.encode())

    assert message == (
        "schedule/conference: the export names no time zone and its UTC offsets (+01:00, +02:00)"
        " do not give one; pass --timezone ZONE (e.g. Europe/Berlin)"
    )
    assert read_schedule(text.encode(), timezone="Europe/Berlin").event.timezone == (
        "Europe/Berlin"
    )
