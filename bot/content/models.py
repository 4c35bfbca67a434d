"""Typed models of an event's content, as organisers write it in YAML under ``content/``.

The same models validate the files on load (pydantic v2: unknown keys are refused, types are
checked) and serve as the immutable domain objects the rest of the bot reads. Times are wall-clock
times in the event's IANA time zone; :class:`Content` turns them into aware datetimes.

Placeholders: any object may carry a ``todo`` note, and any text may start with ``TODO``; the
content check reports both as warnings so an organiser sees exactly what is left to fill in.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
    field_validator,
    model_validator,
)

Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9-]{0,31}$",
        description="Stable id: lower-case letters, digits and '-', at most 32 characters",
    ),
]


class Localized(str):
    """A text of the content given in several languages. As a ``str`` it is the event's default
    language (``event.yaml``'s ``language``), so code that does not translate still reads the
    default; :meth:`in_language` (and ``bot.i18n.tr``) give the reader's."""

    translations: dict[str, str]

    def __new__(cls, default: str, translations: dict[str, str]) -> Localized:
        text = super().__new__(cls, default)
        text.translations = translations
        return text

    def in_language(self, language: str) -> str:
        """The text in ``language`` (a region falls back to its language: pt-BR -> pt), else
        the default."""
        found = self.translations.get(language) or self.translations.get(language.split("-")[0])
        return found if found is not None else str(self)


def _localize(value: object, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> object:
    # A text may be a mapping by language code, as pretalx's translated fields are:
    # title: {en: "Opening", fr: "Ouverture"}. Each translation is validated as the text itself.
    if not isinstance(value, dict):
        return handler(value)
    if not value:
        raise ValueError("give the text, or its translations by language code (en: ..., fr: ...)")
    texts: dict[str, str] = {}
    for code, text in value.items():
        if not isinstance(code, str) or not re.match(LANGUAGE_CODE, code):
            raise ValueError(f"{code!r} is not a language code (write en: ..., fr: ...)")
        texts[code] = handler(text)
    default = (info.context or {}).get("language")
    base = texts.get(default) if isinstance(default, str) else None
    return Localized(base if base is not None else next(iter(texts.values())), texts)


_ONE_CODE = r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*"
LANGUAGE_CODE = f"^{_ONE_CODE}$"


def _text_schema(min_length: int) -> dict[str, Any]:
    text: dict[str, Any] = {"type": "string", **({"minLength": min_length} if min_length else {})}
    by_language = {
        "type": "object",
        "propertyNames": {"pattern": LANGUAGE_CODE},
        "additionalProperties": text,
        "minProperties": 1,
    }
    return {"anyOf": [text, by_language]}


Text = Annotated[
    str, Field(min_length=1), WrapValidator(_localize), WithJsonSchema(_text_schema(1))
]
"""A text attendees read: a string, or a mapping of language codes to strings."""
OptText = Annotated[str, WrapValidator(_localize), WithJsonSchema(_text_schema(0))] | None
Todo = Annotated[
    str | None,
    Field(default=None, description="A note of what is still unknown; reported as a warning"),
]


class Model(BaseModel):
    # Attribute docstrings become field descriptions in the JSON Schema that editors show.
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, use_attribute_docstrings=True
    )


class Link(Model):
    """A web page about the event."""

    title: Text
    url: Text


class Organiser(Model):
    """An organisation that organises or supports the event."""

    name: Text
    short_name: OptText = None
    role: OptText = None
    url: str | None = None


class EventInfo(Model):
    """``event.yaml``: what the event is, when and where in time."""

    id: Id
    name: Text
    short_name: Text
    theme: Text
    timezone: Text = Field(description="IANA time zone, e.g. Africa/Casablanca")
    start_date: dt.date
    """First day of the event (YYYY-MM-DD); every session day must fall within the event."""
    end_date: dt.date
    """Last day of the event (YYYY-MM-DD), on or after start_date."""
    city: OptText = None
    country: OptText = None
    language: LanguageCode = "en"
    """The language of the content's plain texts, and of texts given in several languages
    when a reader's language is missing."""
    languages: list[LanguageCode] = Field(default_factory=list)
    """Languages the content is translated into (with ``language``): ``check`` warns of a text
    given by language that lacks one of them."""
    summary: Text
    organisers: list[Organiser] = Field(default_factory=list)
    partners: list[Organiser] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    objectives: list[Text] = Field(default_factory=list)
    audience: OptText = None
    format: OptText = None
    principles: list[Text] = Field(default_factory=list)
    expected_results: list[Text] = Field(default_factory=list)
    follow_up: OptText = None
    feedback: FeedbackSettings = Field(default_factory=lambda: FeedbackSettings())
    """Feedback after sessions: delay, privacy threshold and the event's own questions."""
    retention_days: int = Field(default=90, gt=0, strict=True)
    """Days after end_date that attendees' personal data is kept; then the bot deletes it."""
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
    """Where a place is on a map, in decimal degrees."""

    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    approximate: bool = False
    """True when the point only roughly marks the place (e.g. the city's centre): attendees are
    told so with the pin."""


def _web_address(value: str | None) -> str | None:
    # Links become buttons: Telegram refuses a button whose URL is not http(s) or tg, and a
    # javascript: or file: link has no business in a programme.
    if value is not None and not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
        raise ValueError(f"{value!r} is not a web address (write it as https://...)")
    return value


class Place(Model):
    """Where something happens away from the main venue (an off-site dinner, a second building):
    at least a name, an address or coordinates."""

    name: OptText = None
    """What people call the place, e.g. "Restaurant Dar Naji"."""
    address: OptText = None
    coordinates: Coordinates | None = None
    """Latitude and longitude: attendees get a map pin."""
    directions: OptText = None
    """How to get there from the main venue."""
    map_url: str | None = None
    todo: Todo = None

    @field_validator("map_url")
    @classmethod
    def _map_link(cls, value: str | None) -> str | None:
        return _web_address(value)

    @model_validator(mode="after")
    def _says_where(self) -> Place:
        if self.name is None and self.address is None and self.coordinates is None:
            raise ValueError("a place needs at least a name, an address or coordinates")
        return self

    @property
    def label(self) -> str:
        """One line naming the place: its name and address, whichever are known."""
        return ", ".join(part for part in (self.name, self.address) if part)


LanguageCode = Annotated[
    str,
    Field(pattern=LANGUAGE_CODE, description="A language code such as en, fr, pt or pt-BR"),
]


class Room(Model):
    """A room of the venue; sessions name it by ``id``."""

    id: Id
    name: Text
    floor: OptText = None
    capacity: int | None = Field(default=None, ge=0)
    """Number of seats."""
    accessibility: OptText = None
    directions: OptText = None
    place: Place | None = None
    """Only for a room away from the main venue: its own name, address, pin and directions."""
    keywords: list[Text] = Field(default_factory=list)
    """Other words attendees may use for it, in any language (a text or a mapping by language
    code, e.g. ``{fr: "vie privée", de: Datenschutz}``); the free-text answers look them up."""
    todo: Todo = None


class Track(Model):
    """A strand of the programme (e.g. "Security", "Policy"); sessions name it by ``id``."""

    id: Id
    name: Text
    colour: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    """Colour as #rrggbb, for the programme grid."""
    description: OptText = None
    keywords: list[Text] = Field(default_factory=list)
    """Other words attendees may use for it, in any language (a text or a mapping by language
    code, e.g. ``{fr: "vie privée", de: Datenschutz}``); the free-text answers look them up."""


class Wifi(Model):
    """The attendees' Wi-Fi."""

    network: Text
    password: str | None = None
    note: OptText = None


class Contact(Model):
    """Someone to call or a place to go to for help."""

    name: Text
    phone: str | None = None
    email: str | None = None
    where: OptText = None
    hours: OptText = None
    todo: Todo = None
    """What is not confirmed (e.g. a number not given by the organisers): attendees see "to be
    confirmed" beside it."""


class VenueInfo(Model):
    """``venue.yaml``: the place, its rooms and the practical information attendees ask for."""

    name: Text
    address: Text
    city: OptText = None
    country: OptText = None
    coordinates: Coordinates | None = None
    map_url: str | None = None
    rooms: list[Room] = Field(default_factory=list)
    """Rooms a session can be in; ids are unique across venue.yaml and rooms.yaml."""
    wifi: Wifi | None = None
    transport: list[Text] = Field(default_factory=list)
    accessibility: OptText = None
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


class SessionStatus(StrEnum):
    confirmed = "confirmed"
    cancelled = "cancelled"


MAX_PAST_MIDNIGHT = dt.timedelta(hours=12)


def end_day_offset(start: dt.time, end: dt.time) -> int | None:
    """Days between a session's start and its end: 0 when the end is later the same day, 1 when
    the end is earlier than the start and the session would then last at most 12 hours (20:00 to
    00:30 ends the next day), None for anything else (10:00 to 09:00 is a mistake, not a 23-hour
    session, and an end equal to the start is no session at all)."""
    if end > start:
        return 0
    if end == start:
        return None
    length = dt.datetime.combine(dt.date.min + dt.timedelta(days=1), end) - dt.datetime.combine(
        dt.date.min, start
    )
    return 1 if length <= MAX_PAST_MIDNIGHT else None


TBA = "TBA"


class Session(Model):
    """One programme item. ``day``, ``start`` and ``end`` are wall-clock in the event's zone; an
    end earlier than the start is on the next day if the session then lasts at most 12 hours.

    A session whose time is not known yet leaves ``start`` and ``end`` out (or writes ``TBA``),
    and may leave ``day`` out too: it is listed as "to be announced" and never reminded, prompted
    for feedback or counted as running. Only a session with all three is :attr:`timed`."""

    id: Id
    code: str | None = None
    title: Text
    kind: SessionKind
    day: dt.date | None = None
    """Date of the session (YYYY-MM-DD), within the event's dates; leave out or TBA if unknown."""
    start: dt.time | None = None
    """Start time, HH:MM in the event's time zone; leave out or TBA if not known yet."""
    end: dt.time | None = None
    """End time, HH:MM, after start (TBA with start); sessions in one room must not overlap."""
    room: Id | None = None
    """Id of a room in venue.yaml or rooms.yaml; only an online session may have none."""
    may_overlap: bool = False
    """The session is known to run alongside others: in a shared or self-organised room, or
    with a host who holds other sessions at the same time (real exports have both, e.g. 38C3's
    self-organised "Chill Floor" and assembly hosts). Two sessions that both say so may overlap
    in one room and share a speaker or chair; every other session is checked as before.
    ``python -m bot import`` sets it only on the sessions the export itself makes overlap."""
    place: Place | None = None
    """Only for a session away from its room's place: its own address, pin and directions."""
    online_url: str | None = None
    """The stream or join link of an online or hybrid session (a button for attendees)."""
    track: Id | None = None
    """Id of a track in sessions.yaml's ``tracks``."""
    chairs: list[Id] = Field(default_factory=list)
    """Ids of people in speakers.yaml who chair the session."""
    speakers: list[Id] = Field(default_factory=list)
    """Ids of people in speakers.yaml who speak."""
    description: OptText = None
    running_order: list[Text] = Field(default_factory=list)
    tags: list[Text] = Field(default_factory=list)
    keywords: list[Text] = Field(default_factory=list)
    """Other words attendees may use for it, in any language (a text or a mapping by language
    code, e.g. ``{fr: "vie privée", de: Datenschutz}``); the free-text answers look them up."""
    mode: SessionMode = SessionMode.in_person
    """in-person, hybrid (in a room and online) or online (only online: no room needed)."""
    language: Annotated[
        tuple[LanguageCode, ...],
        # Editors must accept the usual one-code string ("pt"), which the validator splits.
        WithJsonSchema(
            {
                "anyOf": [
                    {
                        "type": "string",
                        "pattern": f"^{_ONE_CODE}(, *{_ONE_CODE})*$",
                    },
                    {"type": "array", "items": {"type": "string", "pattern": LANGUAGE_CODE}},
                ]
            }
        ),
    ] = ()
    """Language code of the session (en, fr, pt...); several as a list or "de, en"."""
    for_everyone: bool = Field(
        default=False, description="Reminded to every attendee, not only those who chose it"
    )
    status: SessionStatus = SessionStatus.confirmed
    """confirmed, or cancelled: stays in the programme, marked, with no reminders or prompts."""
    feedback: bool = Field(default=True, description="Ask attendees for feedback afterwards")
    feedback_delay_minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    """Minutes after the end before the feedback prompt; overrides event.yaml's feedback delay."""
    todo: Todo = None

    @property
    def cancelled(self) -> bool:
        return self.status == SessionStatus.cancelled

    @property
    def timed(self) -> bool:
        """Whether day, start and end are all known; only then does the session happen at a
        time the bot can remind, prompt or count as running."""
        return self.day is not None and self.start is not None and self.end is not None

    @property
    def past_midnight(self) -> bool:
        """Whether the session ends on the day after its ``day`` (shown as "(+1)")."""
        if self.start is None or self.end is None:
            return False
        return end_day_offset(self.start, self.end) == 1

    @field_validator("online_url")
    @classmethod
    def _join_link(cls, value: str | None) -> str | None:
        return _web_address(value)

    @field_validator("language", mode="before")
    @classmethod
    def _codes(cls, value: object) -> object:
        if value is None:
            return ()
        if isinstance(value, str):
            return tuple(code.strip() for code in value.split(",") if code.strip())
        return value

    @model_validator(mode="after")
    def _somewhere(self) -> Session:
        if self.room is None and self.mode is not SessionMode.online:
            raise ValueError("a session needs a room unless its mode is online")
        if self.online_url is not None and self.mode is SessionMode.in_person:
            raise ValueError("an online_url needs mode: online or hybrid")
        return self

    @field_validator("day", "start", "end", mode="before")
    @classmethod
    def _tba_is_unknown(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().upper() == TBA:
            return None
        return value

    @model_validator(mode="after")
    def _time_needs_both_ends_and_day(self) -> Session:
        if (self.start is None) != (self.end is None):
            raise ValueError("give both start and end, or neither (TBA) while the time is unknown")
        if self.start is not None and self.day is None:
            raise ValueError("a session with a time needs a day")
        return self

    @field_validator("start", "end", mode="before")
    @classmethod
    def _time_as_text(cls, value: object) -> object:
        # YAML turns unquoted 0930 into a number, which pydantic would read as seconds after
        # midnight (00:15:30): refuse it instead of silently moving the session.
        if isinstance(value, int | float):
            raise ValueError(f"{value!r} is not a time (write it as HH:MM, e.g. '09:30')")
        return value

    @field_validator("start", "end")
    @classmethod
    def _wall_clock(cls, value: dt.time | None) -> dt.time | None:
        # Times are wall-clock in the event's zone; an offset would make comparisons fail.
        if value is not None and value.tzinfo is not None:
            raise ValueError("write the time without a time zone offset (the event's zone applies)")
        return value


def programme_order(session: Session) -> tuple[dt.date, dt.time, dt.time, str]:
    """Sort key: by day, timed sessions before those whose time is to be announced on the same
    day, and sessions with no day after every day."""
    return (
        session.day or dt.date.max,
        session.start or dt.time.max,
        session.end or dt.time.max,
        session.id,
    )


class SessionsFile(Model):
    """``sessions.yaml``: the programme."""

    tracks: list[Track] = Field(default_factory=list)
    """The programme's tracks, if it has any; ids are unique."""
    sessions: list[Session]
    """Every programme item; ids are unique."""


class QuestionType(StrEnum):
    scale = "scale"
    yes_no = "yes_no"
    choice = "choice"


class FeedbackQuestion(Model):
    """One of the event's own feedback questions, asked after the rating."""

    id: Id
    text: Text
    """The question as attendees read it; keep it short (it goes on a phone screen)."""
    type: QuestionType = QuestionType.scale
    """scale (1 to 5), yes_no, or choice (one of ``options``)."""
    options: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(default_factory=list)
    """The choices of a ``choice`` question (2 to 8, each at most 40 characters)."""
    kinds: list[SessionKind] = Field(default_factory=list)
    """Ask it after sessions of these kinds (with ``sessions``; both empty: every session)."""
    sessions: list[Id] = Field(default_factory=list)
    """Ask it after these sessions (ids in sessions.yaml)."""

    @model_validator(mode="after")
    def _options_fit_type(self) -> FeedbackQuestion:
        if self.type is QuestionType.choice and not 2 <= len(self.options) <= 8:
            raise ValueError("a choice question needs between 2 and 8 options")
        if self.type is not QuestionType.choice and self.options:
            raise ValueError(f"only choice questions have options (this one is {self.type.value})")
        return self

    def applies_to(self, session: Session) -> bool:
        if not self.kinds and not self.sessions:
            return True
        return session.kind in self.kinds or session.id in self.sessions


class FeedbackSettings(Model):
    """The ``feedback:`` section of event.yaml: when to ask and what."""

    delay_minutes: int = Field(default=5, ge=0, le=24 * 60)
    """Minutes after a session ends before its prompt is sent (a session can override it)."""
    min_group_size: int = Field(default=3, ge=1)
    """A group is shown in reports only when it has at least this many answers."""
    questions: list[FeedbackQuestion] = Field(default_factory=list)
    """Extra questions; at most three apply to any one session."""


class Speaker(Model):
    """A chair or speaker; sessions name them by ``id``."""

    id: Id
    name: Text
    honorific: OptText = None
    position: OptText = None
    affiliation: OptText = None
    country: OptText = None
    bio: OptText = None
    todo: Todo = None


class SpeakersFile(Model):
    """``speakers.yaml``: the people who chair or speak."""

    speakers: list[Speaker]
    """Every chair and speaker; ids are unique."""


class FaqEntry(Model):
    """One question attendees ask, in several wordings, and its answer."""

    id: Id
    questions: Annotated[
        list[Text],
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "array", "items": _text_schema(1), "minItems": 1},
                    {
                        "type": "object",
                        "propertyNames": {"pattern": LANGUAGE_CODE},
                        "additionalProperties": {
                            "type": "array",
                            "items": {"type": "string", "minLength": 1},
                        },
                        "minProperties": 1,
                    },
                ]
            }
        ),
    ] = Field(min_length=1)
    """Several ways the question is asked: a list, or lists by language code
    (``{en: [...], fr: [...]}``; the event's language first, each other one kept with its
    language for the answers)."""
    answer: Text
    """The answer; Telegram HTML such as <b> and <a href> is allowed."""
    tags: list[Text] = Field(default_factory=list)
    keywords: list[Text] = Field(default_factory=list)
    """Other words attendees may use for it, in any language (a text or a mapping by language
    code, e.g. ``{fr: "vie privée", de: Datenschutz}``); the free-text answers look them up."""
    todo: Todo = None

    @field_validator("questions", mode="before")
    @classmethod
    def _questions_by_language(cls, value: object, info: ValidationInfo) -> object:
        # {en: [a, b], fr: [c]} -> [a, b, {fr: c}]: the event's language first (questions[0]
        # is the entry's title), every other question a text that knows its language.
        if not isinstance(value, dict):
            return value
        default = (info.context or {}).get("language")
        codes = sorted(value, key=lambda code: code != default)
        flat: list[object] = []
        for code in codes:
            texts = value[code]
            if isinstance(texts, str):
                texts = [texts]
            if not isinstance(texts, list):
                raise ValueError(f"give the questions in {code!r} as a list")
            flat += [text if code == default else {code: text} for text in texts]
        return flat


class RoomsFile(Model):
    """``rooms.yaml`` (optional): more rooms, kept apart from venue.yaml so that an import can
    rewrite them while venue.yaml stays as written by hand."""

    rooms: list[Room]


class FaqFile(Model):
    """``faq.yaml``: frequently asked questions."""

    faq: list[FaqEntry]
    """Every question and answer; ids are unique."""


class Content:
    """The whole validated event: immutable, with lookups the answers need."""

    def __init__(
        self,
        event: EventInfo,
        venue: VenueInfo,
        sessions: list[Session],
        speakers: list[Speaker],
        faq: list[FaqEntry],
        tracks: list[Track] | None = None,
        rooms: list[Room] | None = None,
    ) -> None:
        self.event = event
        self.venue = venue
        self.sessions: tuple[Session, ...] = tuple(sorted(sessions, key=programme_order))
        self.speakers: tuple[Speaker, ...] = tuple(speakers)
        self.faq: tuple[FaqEntry, ...] = tuple(faq)
        self.rooms: dict[str, Room] = {room.id: room for room in [*venue.rooms, *(rooms or [])]}
        self.tracks: dict[str, Track] = {track.id: track for track in tracks or []}
        self.sessions_by_id: dict[str, Session] = {s.id: s for s in self.sessions}
        self.speakers_by_id: dict[str, Speaker] = {s.id: s for s in self.speakers}
        self.faq_by_id: dict[str, FaqEntry] = {f.id: f for f in self.faq}

    @property
    def tz(self) -> ZoneInfo:
        return self.event.tz

    def starts_at(self, session: Session) -> dt.datetime | None:
        """When the session starts, or None while its day or time is to be announced."""
        if session.day is None or session.start is None:
            return None
        return dt.datetime.combine(session.day, session.start, tzinfo=self.tz)

    def ends_at(self, session: Session) -> dt.datetime | None:
        """When the session ends, or None while its day or time is to be announced."""
        if session.day is None or session.end is None:
            return None
        day = session.day + dt.timedelta(days=1 if session.past_midnight else 0)
        return dt.datetime.combine(day, session.end, tzinfo=self.tz)

    def timed_sessions(self) -> tuple[Session, ...]:
        """Sessions with a known day and time, in programme order."""
        return tuple(s for s in self.sessions if s.timed)

    def days(self) -> list[dt.date]:
        """Days that have at least one session (sessions without a day are not on any)."""
        return sorted({s.day for s in self.sessions if s.day is not None})

    def undated_sessions(self) -> list[Session]:
        """Sessions whose day is to be announced, in programme order."""
        return [s for s in self.sessions if s.day is None]

    def room_of(self, session: Session) -> Room | None:
        """The session's room; None for an online session without one."""
        return None if session.room is None else self.rooms[session.room]

    def room_name(self, session: Session) -> str:
        """The room's name, or "Online" for an online session without a room."""
        room = self.room_of(session)
        return "Online" if room is None else room.name

    def track_of(self, session: Session) -> Track | None:
        return None if session.track is None else self.tracks[session.track]

    def main_place(self) -> Place:
        """The main venue as a place."""
        venue = self.venue
        return Place(
            name=venue.name,
            address=", ".join(p for p in (venue.address, venue.city, venue.country) if p),
            coordinates=venue.coordinates,
            map_url=venue.map_url,
        )

    def place_of(self, session: Session) -> Place | None:
        """Where the session happens: its own place, its room's, or the main venue's; None for
        an online session (it happens nowhere in particular)."""
        if session.place is not None:
            return session.place
        room = self.room_of(session)
        if room is None:
            return None
        return room.place or self.main_place()

    def off_site(self, session: Session) -> bool:
        """Whether the session is away from the main venue (its own or its room's place)."""
        room = self.room_of(session)
        return session.place is not None or (room is not None and room.place is not None)


# EventInfo names FeedbackSettings, which needs Session and SessionKind defined after it.
EventInfo.model_rebuild()
