"""Read a conference programme exported by pretalx or frab into the content models.

Two formats are understood, told apart by their content (not the file name): the frab/Pentabarf
``schedule.xml`` (root element ``<schedule>``) and the c3voc ``schedule.json`` (a JSON object with
a ``schedule`` key). Both describe the same tree: conference, days, rooms, events, persons. This
module is pure: it takes bytes and returns an :class:`ImportedSchedule` of content models plus a
list of what it could not map; it writes no file and knows nothing of Telegram (writing is
:mod:`bot.content.import_cli`).

Safety. The export is not trusted. XML is parsed with :mod:`xml.etree.ElementTree`: its expat
(2.4.1 or later, as in Python 3.11's builds) refuses "billion laughs" entity expansion, and
ElementTree never fetches external entities or DTDs, so a file cannot make the parser read the
network or the disk. Texts become plain text (the bot escapes them when it renders a card), so
HTML or Markdown in an abstract is shown as written, never interpreted.

Ids, stable across revisions of the export (a re-import must update, not duplicate):

- session: the first 12 hex digits of SHA-256 of the event's ``guid`` (a UUID is lower-cased
  first; other guids are taken as written). Never the title, slug or time, which change between
  revisions. Two guids giving one id, or one guid given twice, is an error.
- speaker: ``p-`` + 12 hex digits of SHA-256 of the person's ``guid``; else ``p-`` + their
  ``id`` (``p-1544``); else ``p-`` + their name slugified.
- room: ``r-`` + 10 hex digits of SHA-256 of the room's ``guid`` when the export gives one;
  else the room name slugified (``Saal 1`` -> ``saal-1``).
- track: the track name slugified (``Ethics, Society & Politics`` ->
  ``ethics-society-politics``).

Slugs keep ASCII letters and digits (accents dropped), lower-cased, joined by ``-``, at most 32
characters; when two different names give one slug, both get a 6-digit hash of the name as a
suffix, which again does not depend on the order of the file.

Times. A session's ``day`` and ``start`` are the local wall-clock date and time of the event's
``date`` (an ISO date-time with offset) in the event's time zone, not the frab ``<day>`` it is
filed under: congress days run until 04:00 or 06:00, and an event at 01:00 belongs to the next
calendar date. ``end`` is the start plus ``duration``. A session that ends past midnight is fine
(the schema allows an end earlier than the start when the session lasts at most 12 hours); one
the schema cannot state (past midnight and longer than 12 hours, 24 hours or more, or no time at
all) is left out and listed in :attr:`ImportedSchedule.left_out`, never cut short.

Time zone: the export's ``time_zone_name``; else the caller's ``timezone`` (``--timezone``, which
also overrides a named zone) or ``fallback_timezone`` (an existing event.yaml's); else one is
derived from the UTC offsets when they are all the same: a fixed-offset IANA zone ``Etc/GMT-1``
for +01:00 (the ``Etc`` names invert the sign), reported as guessed.

Overlaps. Real exports schedule sessions over each other: 38C3 has two overlapping pairs in its
self-organised "Chill Floor" and 140 clashes of a person in two sessions at once (hosts of
assembly sessions, a "(Stream)" copy of a talk in another room). The loader refuses both, so the
importer marks exactly the sessions involved with ``may_overlap: true`` (see
:attr:`bot.content.models.Session.may_overlap`) and lists them, instead of dropping a session or
a speaker.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from bot.content.loader import _clashes, _overlaps
from bot.content.models import (
    LANGUAGE_CODE,
    Room,
    Session,
    SessionKind,
    Speaker,
    Track,
    end_day_offset,
)
from bot.telegram_text import ParseError, parse_text, utf16_len

__all__ = [
    "MAX_DESCRIPTION_CHARS",
    "EventFacts",
    "ImportedSchedule",
    "LeftOut",
    "Overlap",
    "ScheduleError",
    "Unmapped",
    "read_schedule",
    "session_id_of",
    "slugify",
]

# A session card holds the title, time, room, language and speakers (a few hundred characters
# with many speakers) around the description; Telegram allows 4,096 in a message.
MAX_DESCRIPTION_CHARS = 1500
MAX_EXPORT_BYTES = 50_000_000  # the 1,007-event 38C3 export is 2.2 MB

XML = "frab XML"
JSON = "schedule JSON"

# frab's ``type`` in lower case, matched as a whole or as a word inside it ("Talk 40 (30min +10
# Q&A)", "Bits & Bäume - Workshop"); a type matched by none becomes ``other`` and is reported.
_KIND_WORDS: tuple[tuple[str, SessionKind], ...] = (
    ("ceremony", SessionKind.ceremony),
    ("workshop", SessionKind.workshop),
    ("podium", SessionKind.panel),
    ("panel", SessionKind.panel),
    ("meeting", SessionKind.meeting),
    ("plenary", SessionKind.plenary),
    ("keynote", SessionKind.plenary),
    ("registration", SessionKind.registration),
    ("break", SessionKind.break_),
    ("lunch", SessionKind.meal),
    ("dinner", SessionKind.meal),
    ("social", SessionKind.social),
    ("party", SessionKind.social),
    # The content schema has no "talk": a talk is an ordinary programme item.
    ("lecture", SessionKind.other),
    ("talk", SessionKind.other),
    ("educational", SessionKind.other),
    ("other", SessionKind.other),
)
_DURATION = re.compile(r"^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_LANGUAGE = re.compile(LANGUAGE_CODE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class ScheduleError(Exception):
    """The export cannot be imported; ``path`` names the element or JSON value at fault."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


@dataclass(frozen=True)
class Unmapped:
    """Something of the export the content schema has no place for, with how often it appears
    and how often it said anything (an empty ``<links/>`` loses nothing)."""

    what: str
    count: int
    filled: int
    note: str = ""


@dataclass(frozen=True)
class LeftOut:
    """An event of the export that is not imported, and why."""

    path: str
    title: str
    reason: str


@dataclass(frozen=True)
class Overlap:
    """Two sessions the export makes overlap: in one room (``person`` None) or by a person."""

    session: str
    other: str
    room: str | None
    person: str | None


@dataclass(frozen=True)
class EventFacts:
    """What the export says about the event itself."""

    title: str
    acronym: str
    version: str
    timezone: str
    timezone_source: str
    """Where the zone came from: "export", "--timezone", "event.yaml" or "guessed"."""
    start_date: dt.date
    end_date: dt.date
    """The export's last day, or a later one if a session is on it (after midnight)."""
    days: int
    """Number of days in the export (``<day>`` elements or ``days`` entries)."""
    offsets: tuple[str, ...]
    """The UTC offsets the export's event times carry, e.g. ("+01:00",)."""


@dataclass(frozen=True)
class ImportedSchedule:
    """An export as content models, with everything that did not map."""

    format: str
    event: EventFacts
    rooms: tuple[Room, ...]
    tracks: tuple[Track, ...]
    speakers: tuple[Speaker, ...]
    sessions: tuple[Session, ...]
    unmapped: tuple[Unmapped, ...]
    left_out: tuple[LeftOut, ...]
    overlaps: tuple[Overlap, ...]
    speakers_with_bio: frozenset[str] = frozenset()
    """Ids of speakers whose biography the export gives (their ``bio`` is the import's)."""

    @property
    def session_days(self) -> list[dt.date]:
        return sorted({s.day for s in self.sessions if s.day is not None})


# -- the common shape both formats are read into ----------------------------------------------


@dataclass
class _Person:
    path: str
    name: str
    guid: str | None
    number: str | None
    bio: str | None = None


@dataclass
class _Event:
    path: str
    guid: str
    date: str
    duration: str
    room: str
    title: str
    subtitle: str
    track: str
    type: str
    language: str
    abstract: str
    description: str
    persons: list[_Person]


@dataclass
class _Export:
    format: str
    version: str = ""
    title: str = ""
    acronym: str = ""
    start: str = ""
    end: str = ""
    time_zone_name: str | None = None
    conference_path: str = ""
    days: int = 0
    events: list[_Event] = field(default_factory=list)
    room_guids: dict[str, str] = field(default_factory=dict)
    track_colours: dict[str, str] = field(default_factory=dict)
    unmapped: dict[str, list[int]] = field(default_factory=dict)  # what -> [count, filled]

    def ignore(self, what: str, filled: bool) -> None:
        seen = self.unmapped.setdefault(what, [0, 0])
        seen[0] += 1
        seen[1] += int(filled)


# -- entry point ------------------------------------------------------------------------------


def read_schedule(
    data: bytes,
    timezone: str | None = None,
    fallback_timezone: str | None = None,
) -> ImportedSchedule:
    """Read a ``schedule.xml`` or ``schedule.json`` export.

    ``timezone`` overrides the export's zone; ``fallback_timezone`` is used when the export names
    none (before guessing one from the offsets). Raises :class:`ScheduleError` naming the path of
    the first thing that cannot be read.
    """
    if len(data) > MAX_EXPORT_BYTES:
        raise ScheduleError("", f"the file is {len(data):,} bytes; at most {MAX_EXPORT_BYTES:,}")
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        export = _read_xml(data)
    elif head in (b"{", b"["):
        export = _read_json(data)
    else:
        raise ScheduleError("", "neither a schedule.xml (<schedule>) nor a schedule.json ({...})")
    return _build(export, timezone, fallback_timezone)


# -- XML --------------------------------------------------------------------------------------

# An event's fields both formats name alike; "start" is the local clock time "date" already
# states, and "room" the room it is filed under.
_EVENT_USED = {
    "date",
    "start",
    "duration",
    "room",
    "title",
    "subtitle",
    "track",
    "type",
    "language",
    "abstract",
    "description",
    "persons",
}
_XML_EVENT_USED = _EVENT_USED  # the guid is an attribute in the XML
_XML_CONFERENCE_USED = {"acronym", "title", "start", "end", "days", "time_zone_name", "track"}


def _read_xml(data: bytes) -> _Export:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        raise ScheduleError(
            "schedule", f"not well-formed XML (line {line}, column {column})"
        ) from exc
    if root.tag != "schedule":
        raise ScheduleError(root.tag, "the root element is not <schedule>")
    export = _Export(XML)
    export.version = _xml_text(root, "version", "schedule")
    conference = root.find("conference")
    if conference is None:
        raise ScheduleError("schedule/conference", "missing element")
    where = "schedule/conference"
    export.conference_path = where
    export.title = _xml_text(conference, "title", where, required=True)
    export.acronym = _xml_text(conference, "acronym", where)
    export.start = _xml_text(conference, "start", where)
    export.end = _xml_text(conference, "end", where)
    export.time_zone_name = _xml_text(conference, "time_zone_name", where) or None
    for child in conference:
        if child.tag == "track":
            name, colour = child.get("name"), child.get("color")
            if name and colour and _COLOUR.match(colour):
                export.track_colours[name] = colour
        elif child.tag not in _XML_CONFERENCE_USED:
            export.ignore(f"conference/{child.tag}", _xml_filled(child))
    for child in root:
        if child.tag not in ("version", "conference", "day"):
            export.ignore(child.tag, _xml_filled(child))
    days = root.findall("day")
    export.days = len(days)
    for position, day in enumerate(days, 1):
        day_path = f"schedule/day[index={day.get('index', position)}]"
        for room in day:
            if room.tag != "room":
                export.ignore(f"day/{room.tag}", _xml_filled(room))
                continue
            name = " ".join((room.get("name") or "").split())
            room_path = f"{day_path}/room[name={name}]"
            if not name:
                raise ScheduleError(room_path, "a room without a name")
            if room.get("guid"):
                export.room_guids.setdefault(name, room.get("guid") or "")
            for event in room:
                if event.tag != "event":
                    export.ignore(f"room/{event.tag}", _xml_filled(event))
                    continue
                export.events.append(_xml_event(export, event, room_path, name))
    return export


def _xml_event(export: _Export, event: ET.Element, room_path: str, room: str) -> _Event:
    guid = (event.get("guid") or "").strip()
    path = f"{room_path}/event[guid={guid}]" if guid else f"{room_path}/event[id={event.get('id')}]"
    if not guid:
        raise ScheduleError(path, "the event has no guid attribute (its stable identity)")
    for name, value in event.attrib.items():
        if name != "guid":
            export.ignore(f"event/@{name}", bool(value))
    for child in event:
        if child.tag not in _XML_EVENT_USED:
            export.ignore(f"event/{child.tag}", _xml_filled(child))
    if not _xml_text(event, "subtitle", path):
        export.ignore("event/subtitle (empty)", False)
    persons: list[_Person] = []
    people = event.find("persons")
    for index, person in enumerate(people if people is not None else [], 1):
        person_path = f"{path}/persons/person[{index}]"
        name = " ".join((person.text or "").split())
        if person.tag != "person" or not name:
            raise ScheduleError(person_path, "expected <person> with a name")
        persons.append(_Person(person_path, name, person.get("guid"), person.get("id")))
    return _event_of(
        path, guid, room, persons, lambda key, required: _xml_text(event, key, path, required)
    )


def _event_of(
    path: str,
    guid: str,
    room: str,
    persons: list[_Person],
    text: Callable[[str, bool], str],
) -> _Event:
    """The common shape of an event, whichever format ``text(key, required)`` reads from (the
    XML and the JSON name their fields alike)."""
    return _Event(
        path=path,
        guid=guid,
        date=text("date", True),
        duration=text("duration", True),
        room=room,
        title=text("title", True),
        subtitle=text("subtitle", False),
        track=text("track", False),
        type=text("type", False),
        language=text("language", False),
        abstract=text("abstract", False),
        description=text("description", False),
        persons=persons,
    )


def _xml_text(parent: ET.Element, tag: str, path: str, required: bool = False) -> str:
    child = parent.find(tag)
    text = "" if child is None or child.text is None else child.text.strip()
    if required and not text:
        what = "missing element" if child is None else "empty element"
        raise ScheduleError(f"{path}/{tag}", what)
    return text


def _xml_filled(element: ET.Element) -> bool:
    return bool((element.text or "").strip() or len(element) or element.attrib)


# -- JSON -------------------------------------------------------------------------------------

_JSON_EVENT_USED = _EVENT_USED | {"guid"}
_JSON_CONFERENCE_USED = {
    "acronym",
    "title",
    "start",
    "end",
    "daysCount",
    "time_zone_name",
    "days",
    "rooms",
    "tracks",
}


def _read_json(data: bytes) -> _Export:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise ScheduleError("$", f"not valid JSON: {exc}") from exc
    if not isinstance(document, dict) or "schedule" not in document:
        raise ScheduleError("$", "expected a JSON object with a 'schedule' key")
    export = _Export(JSON)
    for key, value in document.items():
        if key != "schedule":
            export.ignore(key, _json_filled(value))
    schedule = _json_object(document["schedule"], "$.schedule")
    export.version = _json_text(schedule, "version", "$.schedule")
    for key, value in schedule.items():
        if key not in ("version", "conference"):
            export.ignore(f"schedule.{key}", _json_filled(value))
    where = "$.schedule.conference"
    export.conference_path = where
    conference = _json_object(schedule.get("conference"), where)
    export.title = _json_text(conference, "title", where, required=True)
    export.acronym = _json_text(conference, "acronym", where)
    export.start = _json_text(conference, "start", where)
    export.end = _json_text(conference, "end", where)
    export.time_zone_name = _json_text(conference, "time_zone_name", where) or None
    for key, value in conference.items():
        if key not in _JSON_CONFERENCE_USED:
            export.ignore(f"conference.{key}", _json_filled(value))
    for index, track in enumerate(_json_list(conference.get("tracks", []), f"{where}.tracks")):
        track = _json_object(track, f"{where}.tracks[{index}]")
        name, colour = track.get("name"), track.get("color")
        if isinstance(name, str) and isinstance(colour, str) and _COLOUR.match(colour):
            export.track_colours[name] = colour
    for index, room in enumerate(_json_list(conference.get("rooms", []), f"{where}.rooms")):
        room = _json_object(room, f"{where}.rooms[{index}]")
        name, guid = room.get("name"), room.get("guid")
        if isinstance(name, str) and isinstance(guid, str) and guid:
            export.room_guids.setdefault(" ".join(name.split()), guid)
    days = _json_list(conference.get("days"), f"{where}.days")
    export.days = len(days)
    for day_index, day in enumerate(days):
        day_path = f"{where}.days[{day_index}]"
        rooms = _json_object(_json_object(day, day_path).get("rooms"), f"{day_path}.rooms")
        for name, events in rooms.items():
            room_path = f"{day_path}.rooms[{json.dumps(name, ensure_ascii=False)}]"
            room = " ".join(name.split())
            if not room:
                raise ScheduleError(room_path, "a room without a name")
            for index, event in enumerate(_json_list(events, room_path)):
                export.events.append(_json_event(export, event, f"{room_path}[{index}]", room))
    return export


def _json_event(export: _Export, value: Any, path: str, room: str) -> _Event:
    event = _json_object(value, path)
    for key, item in event.items():
        if key not in _JSON_EVENT_USED:
            export.ignore(f"event.{key}", _json_filled(item))
    if not _json_text(event, "subtitle", path):
        export.ignore("event.subtitle (empty)", False)
    persons: list[_Person] = []
    for index, item in enumerate(_json_list(event.get("persons", []), f"{path}.persons")):
        person_path = f"{path}.persons[{index}]"
        person = _json_object(item, person_path)
        name = _json_text(person, "public_name", person_path) or _json_text(
            person, "name", person_path, required=True
        )
        number = person.get("id")
        persons.append(
            _Person(
                person_path,
                " ".join(name.split()),
                _json_text(person, "guid", person_path) or None,
                None if number is None else str(number),
                _json_text(person, "biography", person_path) or None,
            )
        )
    return _event_of(
        path,
        _json_text(event, "guid", path, required=True),
        room,
        persons,
        lambda key, required: _json_text(event, key, path, required),
    )


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _json_object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScheduleError(path, f"expected an object, found {_json_type(value)}")
    return value


def _json_list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise ScheduleError(path, f"expected a list, found {_json_type(value)}")
    return value


def _json_text(parent: dict[str, Any], key: str, path: str, required: bool = False) -> str:
    value = parent.get(key)
    if value is None:
        value = ""
    if isinstance(value, int) and not isinstance(value, bool) and key in ("id", "version"):
        value = str(value)
    if not isinstance(value, str):
        raise ScheduleError(f"{path}.{key}", f"expected text, found {_json_type(value)}")
    if required and not value.strip():
        raise ScheduleError(f"{path}.{key}", "missing" if key not in parent else "empty")
    return value.strip()


def _json_filled(value: Any) -> bool:
    return value not in (None, "", [], {}, False)


# -- from the common shape to content models --------------------------------------------------


def _build(export: _Export, timezone: str | None, fallback: str | None) -> ImportedSchedule:
    sep = "/" if export.format == XML else "."
    starts = [(event, _moment(event.date, f"{event.path}{sep}date")) for event in export.events]
    offsets = tuple(sorted({_offset_text(moment) for _, moment in starts if moment.tzinfo}))
    zone_name, source = _zone(export, timezone, fallback, offsets)
    zone = ZoneInfo(zone_name)
    unmapped = {what: list(counts) for what, counts in export.unmapped.items()}

    def note(what: str, filled: bool = True) -> None:
        seen = unmapped.setdefault(what, [0, 0])
        seen[0] += 1
        seen[1] += int(filled)

    rooms = _names_to_ids([e.room for e in export.events], export.room_guids, "r-")
    tracks = _names_to_ids([e.track for e in export.events if e.track], {}, "")
    people = _people(export.events)
    sessions: list[Session] = []
    left_out: list[LeftOut] = []
    ids: dict[str, _Event] = {}
    for event, moment in starts:
        session_id = session_id_of(event.guid)
        first = ids.get(session_id)
        if first is not None:
            same = first.guid == event.guid
            raise ScheduleError(
                event.path,
                f"guid {event.guid!r} appears twice (first at {first.path})"
                if same
                else f"guids {first.guid!r} ({first.path}) and {event.guid!r} give one id"
                f" {session_id}; an import needs one id per event",
            )
        ids[session_id] = event
        duration = _duration(event.duration, f"{event.path}{sep}duration")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        local = moment.astimezone(zone)
        end = (moment + duration).astimezone(zone)
        start_time, end_time = _clock(local), _clock(end)
        days_later = (end.date() - local.date()).days
        if duration <= dt.timedelta(0) or end_day_offset(start_time, end_time) != days_later:
            left_out.append(
                LeftOut(
                    event.path,
                    event.title,
                    f"lasts {event.duration} from {local:%Y-%m-%d %H:%M}, which a session"
                    " cannot state (past midnight it may last at most 12 hours; no time at all"
                    " is no session): add it by hand, e.g. one session per day",
                )
            )
            continue
        kind, known = _kind(event.type)
        if not known:
            note(f"type {event.type!r} (mapped to other)")
        languages = []
        for code in re.split(r"[,;/]", event.language):
            code = code.strip().lower()
            if not code:
                continue
            if _LANGUAGE.match(code):
                languages.append(code)
            else:
                note(f"language {code!r} (not a language code)")
        speakers = list(dict.fromkeys(people.ids[_person_key(p)] for p in event.persons))
        try:
            session = Session(
                id=session_id,
                title=_one_line(event.title),
                kind=kind,
                day=local.date(),
                start=start_time,
                end=end_time,
                room=rooms[event.room],
                track=tracks[event.track] if event.track else None,
                speakers=speakers,
                description=_description(
                    event.path, event.title, event.subtitle, event.abstract, event.description
                ),
                language=tuple(dict.fromkeys(languages)),
            )
        except ValidationError as exc:
            problem = exc.errors(include_url=False)[0]
            where = ".".join(str(part) for part in problem["loc"])
            raise ScheduleError(event.path, f"{where}: {problem['msg']}") from exc
        sessions.append(session)

    overlaps = _find_overlaps(sessions)
    marked = {o.session for o in overlaps} | {o.other for o in overlaps}
    sessions = [
        s.model_copy(update={"may_overlap": True}) if s.id in marked else s for s in sessions
    ]
    used_rooms = dict.fromkeys(s.room for s in sessions if s.room)
    used_tracks = dict.fromkeys(s.track for s in sessions if s.track)
    used_people = dict.fromkeys(p for s in sessions for p in s.speakers)
    first_day = min((s.day for s in sessions if s.day), default=None)
    last_day = max((s.day for s in sessions if s.day), default=None)
    start_date = _declared_date(export.start, f"{export.conference_path}{sep}start", zone)
    end_date = _declared_date(export.end, f"{export.conference_path}{sep}end", zone)
    candidates_start = [d for d in (start_date, first_day) if d is not None]
    candidates_end = [d for d in (end_date, last_day, start_date) if d is not None]
    if not candidates_start or not candidates_end:
        raise ScheduleError(export.conference_path, "no start date and no timed event")
    facts = EventFacts(
        title=_one_line(export.title),
        acronym=_one_line(export.acronym) or _one_line(export.title),
        version=_one_line(export.version),
        timezone=zone_name,
        timezone_source=source,
        start_date=min(candidates_start),
        end_date=max(candidates_end),
        days=export.days,
        offsets=offsets,
    )
    return ImportedSchedule(
        format=export.format,
        event=facts,
        rooms=tuple(
            Room(id=rooms[name], name=name) for name in rooms.names if rooms[name] in used_rooms
        ),
        tracks=tuple(
            Track(id=tracks[name], name=name, colour=export.track_colours.get(name))
            for name in tracks.names
            if tracks[name] in used_tracks
        ),
        speakers=tuple(
            Speaker(id=pid, name=people.names[pid], bio=people.bios.get(pid))
            for pid in people.names
            if pid in used_people
        ),
        sessions=tuple(sessions),
        unmapped=tuple(
            Unmapped(what, count, filled) for what, (count, filled) in sorted(unmapped.items())
        ),
        left_out=tuple(left_out),
        overlaps=tuple(overlaps),
        speakers_with_bio=frozenset(people.bios),
    )


def _find_overlaps(sessions: list[Session]) -> list[Overlap]:
    """Every overlap the loader would refuse, by the loader's own rules."""
    indexed = list(enumerate(sessions))
    found = [
        Overlap(session.id, other.id, session.room, None)
        for (_, session), other in _overlaps(indexed)
    ]
    found += [
        Overlap(session.id, other.id, None, person)
        for (_, session), person, _, _, other in _clashes(indexed)
    ]
    return found


def _zone(
    export: _Export, timezone: str | None, fallback: str | None, offsets: tuple[str, ...]
) -> tuple[str, str]:
    if timezone:
        return _known_zone(timezone, "--timezone"), "--timezone"
    if export.time_zone_name:
        sep = "/" if export.format == XML else "."
        where = f"{export.conference_path}{sep}time_zone_name"
        return _known_zone(export.time_zone_name, where), "export"
    if fallback:
        return _known_zone(fallback, "event.yaml timezone"), "event.yaml"
    if len(offsets) == 1:
        sign, hours, minutes = offsets[0][0], int(offsets[0][1:3]), int(offsets[0][4:6])
        if minutes == 0 and hours <= 12:
            # Etc/GMT-1 is UTC+01:00: POSIX signs, inverted.
            name = "Etc/UTC" if hours == 0 else f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
            return name, "guessed"
    shown = ", ".join(offsets) or "none"
    raise ScheduleError(
        export.conference_path,
        f"the export names no time zone and its UTC offsets ({shown}) do not give one;"
        " pass --timezone ZONE (e.g. Europe/Berlin)",
    )


def _known_zone(name: str, where: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ScheduleError(where, f"unknown IANA time zone {name!r}") from exc
    return name


def _moment(text: str, path: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ScheduleError(path, f"{text!r} is not an ISO date and time") from exc


def _declared_date(text: str, path: str, zone: ZoneInfo) -> dt.date | None:
    if not text:
        return None
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ScheduleError(path, f"{text!r} is not a date") from exc
    return (moment.astimezone(zone) if moment.tzinfo else moment).date()


def _duration(text: str, path: str) -> dt.timedelta:
    match = _DURATION.match(text)
    if match is None:
        raise ScheduleError(path, f"{text!r} is not hh:mm")
    hours, minutes, seconds = match.groups()
    return dt.timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds or 0))


def _clock(moment: dt.datetime) -> dt.time:
    return moment.time().replace(microsecond=0)


def _offset_text(moment: dt.datetime) -> str:
    offset = moment.utcoffset() or dt.timedelta(0)
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _kind(frab_type: str) -> tuple[SessionKind, bool]:
    """The session kind of a frab type, and whether the type was recognised."""
    lowered = frab_type.strip().lower()
    if not lowered:
        return SessionKind.other, True
    for word, kind in _KIND_WORDS:
        if re.search(rf"\b{word}", lowered):
            return kind, True
    return SessionKind.other, False


# -- texts ------------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def _paragraphs(text: str) -> list[str]:
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    found = []
    for block in re.split(r"\n\s*\n", text):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            found.append(paragraph)
    return found


def _description(
    path: str, title: str, subtitle: str, abstract: str, description: str
) -> str | None:
    """Subtitle, abstract and description as plain paragraphs, at most
    :data:`MAX_DESCRIPTION_CHARS` (UTF-16 units, as Telegram counts) and ending in "…" when cut.

    Plain text: the bot escapes it when it renders the card, so markup in the export is shown
    as written. The result is checked the way the card sends it (escaped, parsed as Telegram
    HTML) so a text Telegram would refuse never reaches the content.
    """
    parts: list[str] = []
    if subtitle and _one_line(subtitle) != _one_line(title):
        parts.append(_one_line(subtitle))
    for text in (abstract, description):
        for paragraph in _paragraphs(text):
            if paragraph not in parts:
                parts.append(paragraph)
    if not parts:
        return None
    text = "\n\n".join(parts)
    if utf16_len(text) > MAX_DESCRIPTION_CHARS:
        text = _shorten(text, MAX_DESCRIPTION_CHARS)
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    try:
        visible = parse_text(escaped, "HTML").plain
    except ParseError as exc:
        raise ScheduleError(path, f"the text cannot be sent on Telegram: {exc}") from exc
    if visible != text or utf16_len(visible) > MAX_DESCRIPTION_CHARS:
        raise ScheduleError(path, "the text would not reach Telegram as written")
    return text


def _shorten(text: str, limit: int) -> str:
    cut = text
    while utf16_len(cut) > limit - 1:
        cut = cut[: len(cut) - max(1, utf16_len(cut) - (limit - 1))]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > len(cut) - 80:
        cut = cut[:space]
    return cut.rstrip(" \n.,;:") + "…"


# -- ids --------------------------------------------------------------------------------------


def _hash(key: str, digits: int) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:digits]


def session_id_of(guid: str) -> str:
    """The session id of an event's ``guid``: 12 hex digits of its SHA-256 (module docstring)."""
    return _hash(_guid_key(guid), 12)


def _guid_key(guid: str) -> str:
    guid = guid.strip()
    return guid.lower() if _UUID.match(guid) else guid


def slugify(name: str, limit: int = 32) -> str:
    """``Ethics, Society & Politics`` -> ``ethics-society-politics`` (ASCII, at most ``limit``)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:limit].rstrip("-")


class _Ids(dict[str, str]):
    """Name -> id, in the order names first appear."""

    @property
    def names(self) -> list[str]:
        return list(self)


def _names_to_ids(names: Iterable[str], guids: dict[str, str], prefix: str) -> _Ids:
    distinct = list(dict.fromkeys(names))
    ids = _Ids()
    slugs = Counter(slugify(name) for name in distinct if name not in guids)
    for name in distinct:
        if name in guids:
            ids[name] = prefix + _hash(_guid_key(guids[name]), 10)
            continue
        slug = slugify(name)
        if not slug or slugs[slug] > 1:
            slug = f"{slug[:25]}-{_hash(name, 6)}".lstrip("-")
        ids[name] = slug
    return ids


@dataclass
class _People:
    ids: dict[tuple[str, str], str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    bios: dict[str, str] = field(default_factory=dict)


def _person_key(person: _Person) -> tuple[str, str]:
    if person.guid:
        return ("guid", _guid_key(person.guid))
    if person.number:
        return ("id", person.number.strip())
    return ("name", person.name)


def _people(events: list[_Event]) -> _People:
    people = _People()
    keys = list(dict.fromkeys(_person_key(p) for e in events for p in e.persons))
    name_slugs = Counter(slugify(key, 30) for kind, key in keys if kind == "name")
    owners: dict[str, tuple[str, str]] = {}
    for kind, key in keys:
        if kind == "guid":
            pid = "p-" + _hash(key, 12)
        elif kind == "id":
            pid = "p-" + (slugify(key, 30) or _hash(key, 12))
        else:
            slug = slugify(key, 30)
            pid = "p-" + (
                slug if slug and name_slugs[slug] == 1 else f"{slug[:23]}-{_hash(key, 6)}"
            )
        pid = pid.rstrip("-")
        if pid in owners:
            raise ScheduleError("", f"persons {owners[pid]} and {(kind, key)} give one id {pid}")
        owners[pid] = (kind, key)
        people.ids[(kind, key)] = pid
    for event in events:
        for person in event.persons:
            pid = people.ids[_person_key(person)]
            people.names.setdefault(pid, person.name)
            if person.bio and pid not in people.bios:
                bio = "\n\n".join(_paragraphs(person.bio))
                if bio:
                    people.bios[pid] = (
                        _shorten(bio, MAX_DESCRIPTION_CHARS)
                        if utf16_len(bio) > MAX_DESCRIPTION_CHARS
                        else bio
                    )
    return people
