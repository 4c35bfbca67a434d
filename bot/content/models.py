"""Typed models of an event's content, as organisers write it in YAML under ``content/``.

The same models validate the files on load (pydantic v2: unknown keys are refused, types are
checked) and serve as the immutable domain objects the rest of the bot reads. Times are wall-clock
times in the event's IANA time zone; :class:`Content` turns them into aware datetimes.

Placeholders: any object may carry a ``todo`` note, and any text may start with ``TODO``; the
content check reports both as warnings so an organiser sees exactly what is left to fill in.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from functools import cached_property
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9-]{0,31}$",
        description="Stable id: lower-case letters, digits and '-', at most 32 characters",
    ),
]
Text = Annotated[str, Field(min_length=1)]
Todo = Annotated[
    str | None,
    Field(default=None, description="A note of what is still unknown; reported as a warning"),
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Link(Model):
    title: Text
    url: Text


class Organiser(Model):
    name: Text
    short_name: str | None = None
    role: str | None = None
    url: str | None = None


class EventInfo(Model):
    """``event.yaml``: what the event is, when and where in time."""

    id: Id
    name: Text
    short_name: Text
    theme: Text
    timezone: Text = Field(description="IANA time zone, e.g. Africa/Casablanca")
    start_date: dt.date
    end_date: dt.date
    city: str | None = None
    country: str | None = None
    language: str = "en"
    summary: Text
    organisers: list[Organiser] = Field(default_factory=list)
    partners: list[Organiser] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    objectives: list[Text] = Field(default_factory=list)
    audience: str | None = None
    format: str | None = None
    principles: list[Text] = Field(default_factory=list)
    expected_results: list[Text] = Field(default_factory=list)
    follow_up: str | None = None
    todo: Todo = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r}") from exc
        return value

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class Coordinates(Model):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class Room(Model):
    id: Id
    name: Text
    floor: str | None = None
    capacity: int | None = Field(default=None, ge=0)
    accessibility: str | None = None
    directions: str | None = None
    todo: Todo = None


class Wifi(Model):
    network: Text
    password: str | None = None
    note: str | None = None


class Contact(Model):
    name: Text
    phone: str | None = None
    email: str | None = None
    where: str | None = None
    hours: str | None = None


class VenueInfo(Model):
    """``venue.yaml``: the place, its rooms and the practical information attendees ask for."""

    name: Text
    address: Text
    city: str | None = None
    country: str | None = None
    coordinates: Coordinates | None = None
    map_url: str | None = None
    rooms: list[Room] = Field(min_length=1)
    wifi: Wifi | None = None
    transport: list[Text] = Field(default_factory=list)
    accessibility: str | None = None
    emergency: list[Contact] = Field(default_factory=list)
    help_desk: Contact | None = None
    todo: Todo = None


class SessionKind(StrEnum):
    plenary = "plenary"
    ceremony = "ceremony"
    workshop = "workshop"
    panel = "panel"
    meeting = "meeting"
    registration = "registration"
    break_ = "break"
    meal = "meal"
    social = "social"
    other = "other"


class SessionMode(StrEnum):
    in_person = "in-person"
    hybrid = "hybrid"
    online = "online"


class Session(Model):
    """One programme item. ``day``, ``start`` and ``end`` are wall-clock in the event's zone."""

    id: Id
    code: str | None = None
    title: Text
    kind: SessionKind
    day: dt.date
    start: dt.time
    end: dt.time
    room: Id
    chairs: list[Id] = Field(default_factory=list)
    speakers: list[Id] = Field(default_factory=list)
    description: str | None = None
    running_order: list[Text] = Field(default_factory=list)
    tags: list[Text] = Field(default_factory=list)
    mode: SessionMode = SessionMode.in_person
    language: str | None = None
    for_everyone: bool = Field(
        default=False, description="Reminded to every attendee, not only those who chose it"
    )
    feedback: bool = Field(default=True, description="Ask attendees for feedback afterwards")
    todo: Todo = None


class SessionsFile(Model):
    sessions: list[Session]


class Speaker(Model):
    id: Id
    name: Text
    honorific: str | None = None
    position: str | None = None
    affiliation: str | None = None
    country: str | None = None
    bio: str | None = None
    todo: Todo = None


class SpeakersFile(Model):
    speakers: list[Speaker]


class FaqEntry(Model):
    id: Id
    questions: list[Text] = Field(min_length=1, description="Several ways the question is asked")
    answer: Text
    tags: list[Text] = Field(default_factory=list)
    todo: Todo = None


class FaqFile(Model):
    faq: list[FaqEntry]


class Content:
    """The whole validated event: immutable, with lookups the answers need."""

    def __init__(
        self,
        event: EventInfo,
        venue: VenueInfo,
        sessions: list[Session],
        speakers: list[Speaker],
        faq: list[FaqEntry],
    ) -> None:
        self.event = event
        self.venue = venue
        self.sessions: tuple[Session, ...] = tuple(
            sorted(sessions, key=lambda s: (s.day, s.start, s.end, s.id))
        )
        self.speakers: tuple[Speaker, ...] = tuple(speakers)
        self.faq: tuple[FaqEntry, ...] = tuple(faq)
        self.rooms: dict[str, Room] = {room.id: room for room in venue.rooms}
        self.sessions_by_id: dict[str, Session] = {s.id: s for s in self.sessions}
        self.speakers_by_id: dict[str, Speaker] = {s.id: s for s in self.speakers}
        self.faq_by_id: dict[str, FaqEntry] = {f.id: f for f in self.faq}

    @property
    def tz(self) -> ZoneInfo:
        return self.event.tz

    def starts_at(self, session: Session) -> dt.datetime:
        return dt.datetime.combine(session.day, session.start, tzinfo=self.tz)

    def ends_at(self, session: Session) -> dt.datetime:
        return dt.datetime.combine(session.day, session.end, tzinfo=self.tz)

    def days(self) -> list[dt.date]:
        return sorted({s.day for s in self.sessions})

    def room_of(self, session: Session) -> Room:
        return self.rooms[session.room]

    def people_of(self, session: Session) -> list[Speaker]:
        return [self.speakers_by_id[i] for i in (*session.chairs, *session.speakers)]
