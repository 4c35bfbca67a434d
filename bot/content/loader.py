"""Load and validate a content folder, reporting every problem with its file, line and field.

Organisers edit the YAML by hand, so a problem is only useful if it says *where*: each file is
composed into a YAML node tree first (which keeps line numbers), the line of every mapping key and
sequence item is recorded by its path, and only then is plain data built and handed to the
pydantic models. Every error from every file is collected in one run, because fixing one problem
per reload is a miserable way to edit a programme.

Two YAML 1.1 surprises are defused while building the data, because both silently change facts
rather than failing: an unquoted ``13:00`` is a base-60 integer (780) in YAML 1.1 and would become
00:13 as a time, so such scalars stay text; and an invalid date such as ``2022-02-30`` makes
PyYAML raise instead of letting the model report it, so it stays text too.

A content file cannot stall or exhaust the process that loads it. It may hold at most
``MAX_FILE_BYTES`` bytes and ``MAX_FILE_NODES`` values, nested at most ``MAX_DEPTH`` deep, and no
YAML anchors or aliases: a few lines of nested aliases (a "billion laughs") compose into a small
tree that shares its nodes by reference, but building plain data from it copies every shared
subtree and grows exponentially. So each file's YAML events are read once, counted and checked
for anchors and aliases, and only a file that passes is composed and built; the refusal happens
before anything is expanded, and names the file and line. Organisers do not need anchors: a
programme repeats little, and what it repeats (a room, a speaker) is an id.

Loading is blocking, CPU-bound work (about a second for a file at the limits on the 2-core
development machine). While the bot runs it happens in a worker thread
(``bot.services.content.reload_content``, for ``/reload`` and SIGHUP), so updates keep being
answered meanwhile. At start-up it runs before there is anyone to keep waiting: ``python -m bot
run`` loads the content before it creates the event loop, and ``python -m bot preview`` before it
starts the emulator and the bot.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from bot.content.models import (
    Content,
    EventInfo,
    FaqEntry,
    FaqFile,
    Localized,
    RoomsFile,
    Session,
    SessionsFile,
    SpeakersFile,
    VenueInfo,
    end_day_offset,
)
from bot.telegram_text import ParseError, parse_text, utf16_len

__all__ = [
    "ContentError",
    "LoadResult",
    "Problem",
    "load_content",
    "load_content_or_raise",
]

# The files of a content folder, in the order problems are reported; all are required because
# Content needs every one of them (an event with no FAQ yet can say ``faq: []``).
FILES: tuple[tuple[str, type[BaseModel]], ...] = (
    ("event.yaml", EventInfo),
    ("venue.yaml", VenueInfo),
    ("sessions.yaml", SessionsFile),
    ("speakers.yaml", SpeakersFile),
    ("faq.yaml", FaqFile),
)
# Files a content folder may have. rooms.yaml holds rooms beside venue.yaml's (an import writes
# it so that the hand-written venue.yaml is never rewritten).
OPTIONAL_FILES: tuple[tuple[str, type[BaseModel]], ...] = (("rooms.yaml", RoomsFile),)

Severity = Literal["error", "warning"]
# Telegram allows 4,096 characters in a message; the FAQ card adds its question as a title, so an
# answer may have 3,500, which leaves room for it.
MAX_ANSWER_CHARS = 3500
MAX_FEEDBACK_QUESTIONS = 3  # after the rating: feedback is answered in a minute or not at all
# Limits per file. The bundled files are under 7 KB and 1,000 values; content is at most five
# levels deep. The largest real programme at hand, 38C3's 1,007 sessions imported by ``python -m
# bot import`` (descriptions capped at 1,500 characters, much of it German, so multi-byte), gives
# a sessions.yaml of 1.05 MB and 22,463 values, which loads in under half a second on the 2-core
# development machine; 2 MB holds twice that programme. Beyond these a file is a mistake or an
# attack, and would hold up the bot.
MAX_FILE_BYTES = 2_000_000
MAX_FILE_NODES = 100_000
MAX_DEPTH = 50  # the loader builds values recursively: keep far below Python's recursion limit
PathKey = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)

try:  # libyaml composes a large file about ten times faster; marks and lines are the same.
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

_STR = "tag:yaml.org,2002:str"
_DATE = TypeAdapter(dt.date)
_SEXAGESIMAL = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


@dataclass(frozen=True)
class Problem:
    """One thing wrong (error) or left to do (warning) in a content file."""

    severity: Severity
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        subject = f" {self.field}:" if self.field else ""
        return f"{where}:{subject} {self.severity}: {self.message}"


@dataclass(frozen=True)
class LoadResult:
    """What loading a folder gave: the content when there is no error, and every problem."""

    content: Content | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def ok(self) -> bool:
        return not self.errors


class ContentError(Exception):
    """The content folder has errors; ``problems`` holds all of them (and the warnings)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def load_content(directory: str | Path) -> LoadResult:
    """Read, validate and cross-check the five files of ``directory``; never raises on content.

    Blocking: on a running event loop, call it through ``asyncio.to_thread``.
    """
    return _Loader(directory).load()


def load_content_or_raise(directory: str | Path) -> tuple[Content, tuple[Problem, ...]]:
    """The content and its warnings, or :class:`ContentError` listing every problem."""
    result = load_content(directory)
    if result.content is None:
        raise ContentError(result.problems)
    return result.content, result.warnings


def format_path(path: PathKey) -> str:
    """``("sessions", 3, "end")`` -> ``"sessions[3].end"``, the way organisers read it."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass
class _Parsed:
    """One YAML file as plain data, with the line each key and item came from."""

    file: str
    data: Any = None
    lines: dict[PathKey, int] = field(default_factory=dict)
    source: dict[PathKey, str] = field(default_factory=dict)  # scalar text as written

    def line_of(self, path: PathKey) -> int | None:
        # A missing field has no line of its own: point at the object that lacks it.
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None


class _Loader:
    """One load run: the folder, the problems found so far and the parsed files."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = directory
        self.problems: list[Problem] = []
        self.parsed: dict[str, _Parsed] = {}
        self.valid: dict[str, BaseModel] = {}

    # -- reporting -------------------------------------------------------------------------

    def report(
        self,
        severity: Severity,
        parsed: _Parsed | str,
        path: PathKey,
        message: str,
        line: int | None = None,
    ) -> None:
        if isinstance(parsed, _Parsed):
            file = parsed.file
            line = parsed.line_of(path) if line is None else line
        else:
            file = parsed
        self.problems.append(Problem(severity, file, line, format_path(path), message))

    def error(self, parsed: _Parsed | str, path: PathKey, message: str) -> None:
        self.report("error", parsed, path, message)

    # -- the run ---------------------------------------------------------------------------

    def load(self) -> LoadResult:
        if not os.path.isdir(self.directory):
            self.error(str(self.directory), (), "content folder not found")
            return LoadResult(None, tuple(self.problems))
        present_optional = [
            (name, model)
            for name, model in OPTIONAL_FILES
            if os.path.exists(os.path.join(str(self.directory), name))
        ]
        for name, model in (*FILES, *present_optional):
            parsed = self.parse(name)
            if parsed is None:
                continue
            self.parsed[name] = parsed
            self.find_todos(parsed, parsed.data, ())
            if not isinstance(parsed.data, dict):
                found = _kind_of(parsed.data)
                self.error(parsed, (), f"expected keys and values (a mapping), found {found}")
                continue
            self.validate(parsed, model)
        self.check_event()
        self.check_duplicates()
        self.check_sessions()
        self.check_people()
        self.check_clock_changes()
        self.check_feedback()
        self.check_html()
        self.check_translations()
        order = {name: i for i, (name, _) in enumerate((*FILES, *OPTIONAL_FILES))}
        problems = sorted(
            self.problems,
            key=lambda p: (order.get(os.path.basename(p.file), -1), p.line or 0),
        )
        content = None if any(p.severity == "error" for p in problems) else self.build()
        return LoadResult(content, tuple(problems))

    def build(self) -> Content:
        return Content(
            event=self.model("event.yaml", EventInfo),
            venue=self.model("venue.yaml", VenueInfo),
            sessions=self.model("sessions.yaml", SessionsFile).sessions,
            speakers=self.model("speakers.yaml", SpeakersFile).speakers,
            faq=self.model("faq.yaml", FaqFile).faq,
            tracks=self.model("sessions.yaml", SessionsFile).tracks,
            rooms=self.model("rooms.yaml", RoomsFile).rooms if "rooms.yaml" in self.valid else [],
        )

    def model(self, name: str, model: type[M]) -> M:
        value = self.valid[name]
        assert isinstance(value, model)
        return value

    # -- YAML ------------------------------------------------------------------------------

    def parse(self, name: str) -> _Parsed | None:
        file = os.path.join(str(self.directory), name)
        try:
            with open(file, "rb") as stream:
                size = os.fstat(stream.fileno()).st_size
                raw = stream.read(MAX_FILE_BYTES + 1)  # never more, whatever the size said
            if size > MAX_FILE_BYTES or len(raw) > MAX_FILE_BYTES:
                self.error(
                    file,
                    (),
                    f"the file is {max(size, len(raw)):,} bytes; a content file may have at most"
                    f" {MAX_FILE_BYTES:,} (split long descriptions, or link to them)",
                )
                return None
            text = raw.decode("utf-8")
        except FileNotFoundError:
            self.error(file, (), f"missing file: every content folder needs {name}")
            return None
        except (OSError, UnicodeDecodeError) as exc:
            self.error(file, (), f"cannot read the file: {exc}")
            return None
        loader = _BaseLoader(text)
        try:
            # Aliases, oversized and too-deep files are refused from the events, before
            # anything is composed (composing is where an alias bomb would start to grow).
            refusal = _refuse_expansion(text)
            if refusal is not None:
                self.report("error", file, (), refusal[1], line=refusal[0])
                return None
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            self.report("error", file, (), _yaml_message(exc), line=line)
            return None
        except yaml.YAMLError as exc:
            self.error(file, (), f"not valid YAML: {exc}")
            return None
        finally:
            loader.dispose()
        if root is None:
            self.error(file, (), "the file is empty")
            return None
        parsed = _Parsed(file)
        parsed.data = self.construct(parsed, loader, root, ())
        return parsed

    def construct(
        self, parsed: _Parsed, loader: yaml.SafeLoader, node: yaml.Node, path: PathKey
    ) -> Any:
        parsed.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            loader.flatten_mapping(node)  # ``<<: {...}`` merge keys (``<<: *x`` is refused earlier)
            mapping: dict[str, Any] = {}
            for key_node, value_node in node.value:
                # Keys are field names, so keep them as written: ``yes:`` must not become True.
                key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
                key_path = (*path, key)
                if key in mapping:
                    first = parsed.lines.get(key_path)
                    self.report(
                        "error",
                        parsed,
                        key_path,
                        f"key '{key}' appears twice (first on line {first}); remove one",
                        line=key_node.start_mark.line + 1,
                    )
                else:
                    parsed.lines[key_path] = key_node.start_mark.line + 1
                mapping[key] = self.construct(parsed, loader, value_node, key_path)
            return mapping
        if isinstance(node, yaml.SequenceNode):
            return [
                self.construct(parsed, loader, item, (*path, index))
                for index, item in enumerate(node.value)
            ]
        assert isinstance(node, yaml.ScalarNode)
        parsed.source[path] = node.value
        if node.tag == _STR:
            return node.value
        if node.tag in _SEXAGESIMAL and ":" in node.value:
            return node.value  # an unquoted time such as 13:00, not the number 780
        constructor = loader.yaml_constructors.get(node.tag)
        if constructor is None:
            self.error(parsed, path, f"unsupported YAML tag {node.tag}")
            return node.value
        try:
            return constructor(loader, node)
        except (ValueError, yaml.YAMLError):
            return node.value  # e.g. 2022-02-30: let the model say it is not a date

    def find_todos(self, parsed: _Parsed, value: Any, path: PathKey) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "todo" and item is not None:
                    self.report("warning", parsed, (*path, key), f"todo: {_one_line(item)}")
                else:
                    self.find_todos(parsed, item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.find_todos(parsed, item, (*path, index))
        elif isinstance(value, str) and "TODO" in value:
            self.report("warning", parsed, path, f"placeholder: {_one_line(value)}")

    # -- one file --------------------------------------------------------------------------

    def validate(self, parsed: _Parsed, model: type[BaseModel]) -> None:
        try:
            self.valid[os.path.basename(parsed.file)] = model.model_validate(
                parsed.data, context=self.context()
            )
        except ValidationError as exc:
            for details in exc.errors(include_url=False):
                path = tuple(details["loc"])
                message = _describe(details, model, parsed.source.get(path))
                self.error(parsed, path, message)

    def context(self) -> dict[str, Any]:
        """What validation needs from other files: the event's default language (a text given
        in several languages is, as a plain string, the one in this language)."""
        parsed = self.parsed.get("event.yaml")
        language = parsed.data.get("language") if parsed and isinstance(parsed.data, dict) else None
        return {"language": language if isinstance(language, str) else "en"}

    def items(self, name: str, key: str, model: type[M]) -> list[tuple[int, M]]:
        """The valid items of a list, by index, even when other items of the file are broken.

        Cross-file rules run on these so that one broken session does not hide, say, an overlap
        between two others.
        """
        whole = self.valid.get(name)
        if whole is not None:
            return list(enumerate(getattr(whole, key)))
        found: list[tuple[int, M]] = []
        for index, raw in enumerate(self.raw_items(name, key)):
            try:
                found.append((index, model.model_validate(raw, context=self.context())))
            except ValidationError:
                pass
        return found

    def raw_items(self, name: str, key: str) -> list[Any]:
        parsed = self.parsed.get(name)
        if parsed is None or not isinstance(parsed.data, dict):
            return []
        items = parsed.data.get(key)
        return items if isinstance(items, list) else []

    def raw_ids(self, name: str, key: str) -> set[str] | None:
        """Ids written in a file, valid or not; None when the file could not be read at all."""
        parsed = self.parsed.get(name)
        if parsed is None or not isinstance(parsed.data, dict):
            return None
        return {
            str(item["id"])
            for item in self.raw_items(name, key)
            if isinstance(item, dict) and item.get("id") is not None
        }

    # -- rules across fields and files -----------------------------------------------------

    def event_dates(self) -> tuple[dt.date, dt.date] | None:
        """The event's first and last day, even when another field of event.yaml is broken."""
        event = self.valid.get("event.yaml")
        if isinstance(event, EventInfo):
            return event.start_date, event.end_date
        parsed = self.parsed.get("event.yaml")
        if parsed is None or not isinstance(parsed.data, dict):
            return None
        try:
            return (
                _DATE.validate_python(parsed.data.get("start_date")),
                _DATE.validate_python(parsed.data.get("end_date")),
            )
        except ValidationError:
            return None  # already reported by the model

    def check_event(self) -> None:
        dates = self.event_dates()
        if dates is not None and dates[1] < dates[0]:
            self.error(
                self.parsed["event.yaml"],
                ("end_date",),
                f"end_date {dates[1]} is before start_date {dates[0]}",
            )

    def check_duplicates(self) -> None:
        # Rooms share one namespace across venue.yaml and rooms.yaml.
        for group in (
            (("venue.yaml", "rooms"), ("rooms.yaml", "rooms")),
            (("sessions.yaml", "tracks"),),
            (("sessions.yaml", "sessions"),),
            (("speakers.yaml", "speakers"),),
            (("faq.yaml", "faq"),),
        ):
            first: dict[str, tuple[str, int | None]] = {}
            for name, key in group:
                parsed = self.parsed.get(name)
                if parsed is None:
                    continue
                for index, item in enumerate(self.raw_items(name, key)):
                    if not isinstance(item, dict) or item.get("id") is None:
                        continue
                    item_id = str(item["id"])
                    path: PathKey = (key, index, "id")
                    if item_id in first:
                        file, line = first[item_id]
                        where = f"line {line}" if file == name else f"{file} line {line}"
                        self.error(
                            parsed, path, f"duplicate id '{item_id}' (first used on {where})"
                        )
                    else:
                        first[item_id] = (name, parsed.line_of(path))

    def check_sessions(self) -> None:
        parsed = self.parsed.get("sessions.yaml")
        if parsed is None:
            return
        sessions = self.items("sessions.yaml", "sessions", Session)
        rooms = self.raw_ids("venue.yaml", "rooms")
        if rooms is not None:
            rooms |= self.raw_ids("rooms.yaml", "rooms") or set()
        tracks = self.raw_ids("sessions.yaml", "tracks") or set()
        speakers = self.raw_ids("speakers.yaml", "speakers")
        dates = self.event_dates()
        if dates is not None and dates[1] < dates[0]:
            dates = None  # every day would be "outside"; the reversed dates are reported once
        for index, session in sessions:
            here: PathKey = ("sessions", index)
            if rooms is not None and session.room is not None and session.room not in rooms:
                self.error(
                    parsed,
                    (*here, "room"),
                    f"unknown room '{session.room}'{_suggest(session.room, rooms)}"
                    f" (rooms in venue.yaml: {', '.join(sorted(rooms)) or 'none'})",
                )
            if session.track is not None and session.track not in tracks:
                self.error(
                    parsed,
                    (*here, "track"),
                    f"unknown track '{session.track}'{_suggest(session.track, tracks)}"
                    f" (tracks in sessions.yaml: {', '.join(sorted(tracks)) or 'none'})",
                )
            for role in ("chairs", "speakers"):
                for position, person in enumerate(getattr(session, role)):
                    if speakers is not None and person not in speakers:
                        self.error(
                            parsed,
                            (*here, role, position),
                            f"unknown speaker '{person}'{_suggest(person, speakers)}"
                            " (not in speakers.yaml)",
                        )
            if (
                session.start is not None
                and session.end is not None
                and end_day_offset(session.start, session.end) is None
            ):
                relation = "is before" if session.end < session.start else "is the same as"
                self.error(
                    parsed,
                    (*here, "end"),
                    # An earlier end is the next day only within 12 hours (models.end_day_offset).
                    f"end {_hhmm(session.end)} {relation} start {_hhmm(session.start)}",
                )
            if (
                dates is not None
                and session.day is not None
                and not dates[0] <= session.day <= dates[1]
            ):
                self.error(
                    parsed,
                    (*here, "day"),
                    f"day {session.day} is outside the event "
                    f"({dates[0]} to {dates[1]} in event.yaml)",
                )
        for (index, session), other in _overlaps(sessions):
            self.error(
                parsed,
                ("sessions", index, "start"),
                f"'{session.id}' ({_hhmm(session.start)}-{_hhmm(session.end)}) overlaps "
                f"'{other.id}' ({_hhmm(other.start)}-{_hhmm(other.end)}) in room "
                f"'{session.room}' on {session.day}",
            )

    def check_people(self) -> None:
        """Nobody can be in two places at once: a speaker or chair in two overlapping sessions."""
        parsed = self.parsed.get("sessions.yaml")
        if parsed is None:
            return
        sessions = self.items("sessions.yaml", "sessions", Session)
        for (index, _session), person, position, role, other in _clashes(sessions):
            self.error(
                parsed,
                ("sessions", index, role, position),
                f"{role[:-1]} {person} is also in {other.id} ({_when(other)})",
            )

    def check_clock_changes(self) -> None:
        """A start or end that the event's zone skips or repeats at a clock change is refused."""
        parsed = self.parsed.get("sessions.yaml")
        event = self.valid.get("event.yaml")
        if parsed is None or not isinstance(event, EventInfo):
            return
        zone = event.tz
        for index, session in self.items("sessions.yaml", "sessions", Session):
            if session.day is None or session.start is None or session.end is None:
                continue
            offset = end_day_offset(session.start, session.end)
            for name, day, time in (
                ("start", session.day, session.start),
                ("end", session.day + dt.timedelta(days=offset or 0), session.end),
            ):
                kind = _clock_change(day, time, zone)
                if kind is None:
                    continue
                first, last = _change_window(day, time, zone, kind)
                if kind == "skipped":
                    what = (
                        f"does not exist in {event.timezone}: the clocks go forward and skip"
                        f" {first}–{last} that day"
                    )
                else:
                    what = (
                        f"happens twice in {event.timezone}: the clocks go back and repeat"
                        f" {first}–{last} that day, so it is ambiguous"
                    )
                self.error(
                    parsed,
                    ("sessions", index, name),
                    f"{name} {_hhmm(time)} on {day} {what}; pick a time outside the change",
                )

    def check_feedback(self) -> None:
        """The event's feedback questions: unique ids, known sessions, at most three a session."""
        event = self.valid.get("event.yaml")
        parsed = self.parsed.get("event.yaml")
        if not isinstance(event, EventInfo) or parsed is None:
            return
        questions = event.feedback.questions
        seen: dict[str, int] = {}
        session_ids = self.raw_ids("sessions.yaml", "sessions")
        for index, question in enumerate(questions):
            here: PathKey = ("feedback", "questions", index)
            if question.id in seen:
                self.error(
                    parsed,
                    (*here, "id"),
                    f"duplicate question id '{question.id}'"
                    f" (first used by question {seen[question.id]})",
                )
            seen.setdefault(question.id, index)
            for position, session_id in enumerate(question.sessions):
                if session_ids is not None and session_id not in session_ids:
                    self.error(
                        parsed,
                        (*here, "sessions", position),
                        f"unknown session '{session_id}'{_suggest(session_id, session_ids)}"
                        " (not in sessions.yaml)",
                    )
        too_many: dict[tuple[str, ...], list[str]] = {}
        for _index, session in self.items("sessions.yaml", "sessions", Session):
            asked = tuple(q.id for q in questions if q.applies_to(session))
            if session.feedback and len(asked) > MAX_FEEDBACK_QUESTIONS:
                too_many.setdefault(asked, []).append(session.id)
        for asked, sessions in too_many.items():
            named = ", ".join(f"'{s}'" for s in sessions[:3])
            more = f" and {len(sessions) - 3} more" if len(sessions) > 3 else ""
            self.error(
                parsed,
                ("feedback", "questions"),
                f"sessions {named}{more} would get {len(asked)} questions "
                f"({', '.join(asked)}); keep it to at most {MAX_FEEDBACK_QUESTIONS} a session",
            )

    def check_html(self) -> None:
        """FAQ answers are sent as Telegram HTML: refuse what Telegram would refuse."""
        parsed = self.parsed.get("faq.yaml")
        if parsed is None:
            return
        for index, entry in self.items("faq.yaml", "faq", FaqEntry):
            answers = (
                entry.answer.translations
                if isinstance(entry.answer, Localized)
                else {"": entry.answer}
            )
            for code, answer in answers.items():
                path: PathKey = ("faq", index, "answer", *((code,) if code else ()))
                try:
                    visible = parse_text(answer, "HTML").plain
                except ParseError as exc:
                    self.error(
                        parsed,
                        path,
                        f"not valid Telegram HTML: {exc} (write &lt; and &amp; for < and &)",
                    )
                    continue
                if utf16_len(visible) > MAX_ANSWER_CHARS:
                    self.error(
                        parsed,
                        path,
                        f"answer is {utf16_len(visible)} characters; at most {MAX_ANSWER_CHARS}"
                        " fit in one message beside its question (Telegram allows 4096)",
                    )

    def check_translations(self) -> None:
        """A text given by language should have every language event.yaml lists."""
        event = self.valid.get("event.yaml")
        if not isinstance(event, EventInfo) or not event.languages:
            return
        wanted = list(dict.fromkeys([event.language, *event.languages]))
        for name, value in self.valid.items():
            parsed = self.parsed.get(name)
            if parsed is None:
                continue
            for path, text in _localized_texts(value, ()):
                missing = [code for code in wanted if code not in text.translations]
                if missing:
                    names = ", ".join(missing)
                    self.report("warning", parsed, path, f"no translation in {names}")


def _localized_texts(value: object, path: PathKey) -> Iterator[tuple[PathKey, Localized]]:
    """Every text given by language inside a validated model, with its path."""
    if isinstance(value, Localized):
        yield path, value
    elif isinstance(value, BaseModel):
        for field in type(value).model_fields:
            yield from _localized_texts(getattr(value, field), (*path, field))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _localized_texts(item, (*path, index))


def _refuse_expansion(text: str) -> tuple[int | None, str] | None:
    """(line, message) of the first thing that could make building ``text`` blow up, or None.

    Reads the YAML events only (no nodes are composed and no values built, so nothing is
    expanded yet) and stops at the first anchor or alias, or when the file has more than
    ``MAX_FILE_NODES`` values or nests deeper than ``MAX_DEPTH``. Syntax errors raise
    ``yaml.MarkedYAMLError`` as composing would.
    """
    parser = _BaseLoader(text)
    nodes = depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            line = event.start_mark.line + 1 if event.start_mark is not None else None
            if isinstance(event, yaml.AliasEvent) or (
                isinstance(event, yaml.NodeEvent) and event.anchor is not None
            ):
                sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
                written = f"{sign}{event.anchor}"
                return (
                    line,
                    f"YAML aliases and anchors are not allowed ('{written}'): write the value"
                    " out in full (a few lines of aliases can expand to gigabytes)",
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return (
                        line,
                        f"nested more than {MAX_DEPTH} levels deep; content needs at most a few",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
                nodes += 1
                if nodes > MAX_FILE_NODES:
                    return (
                        line,
                        f"the file has more than {MAX_FILE_NODES:,} values; a content file may"
                        " have at most that many",
                    )
    finally:
        parser.dispose()
    return None


def _overlaps(sessions: list[tuple[int, Session]]) -> Iterator[tuple[tuple[int, Session], Session]]:
    """Each session that starts while another in its room is still running, with that other.

    Sorted by start, so a sweep keeps only the sessions still running; touching (one ends as the
    next starts) is not an overlap. Sessions that end before they start are reported elsewhere;
    a cancelled session frees its room. A session past midnight runs into the next day. Two
    sessions that both have ``may_overlap`` may share the room.
    """

    spans = [(i, s, _span(s)) for i, s in sessions if not s.cancelled and s.room is not None]
    timed = sorted(
        ((i, s, *when) for i, s, when in spans if when is not None),
        key=lambda item: (item[1].room or "", item[2], item[3], item[0]),
    )
    running: list[tuple[Session, dt.datetime]] = []
    room: str | None = None
    for index, session, start, end in timed:
        if session.room != room:
            room, running = session.room, []
        running = [(other, other_end) for other, other_end in running if other_end > start]
        for other, _ in running:
            if not (session.may_overlap and other.may_overlap):
                yield (index, session), other
        running.append((session, end))


def _clashes(
    sessions: list[tuple[int, Session]],
) -> Iterator[tuple[tuple[int, Session], str, int, str, Session]]:
    """Each person in a session that starts while another of their sessions is still running:
    (the later session, person, position, role, the other session).

    Like :func:`_overlaps` but across rooms: touching is not overlapping, cancelled sessions and
    sessions whose time is to be announced take no time. A person both chairing and speaking in
    a session is reported once, at their first mention. Two sessions that both have
    ``may_overlap`` may share people.
    """
    timed: list[tuple[dt.datetime, dt.datetime, int, Session]] = []
    for index, session in sessions:
        span = _span(session)
        if span is not None and not session.cancelled:
            timed.append((*span, index, session))
    timed.sort(key=lambda item: (item[0], item[1], item[2]))
    running: list[tuple[dt.datetime, Session]] = []
    for start, end, index, session in timed:
        running = [(other_end, other) for other_end, other in running if other_end > start]
        seen: set[str] = set()
        for role in ("chairs", "speakers"):
            for position, person in enumerate(getattr(session, role)):
                if person in seen:
                    continue
                seen.add(person)
                for _, other in running:
                    if session.may_overlap and other.may_overlap:
                        continue  # both say they run alongside others (Session.may_overlap)
                    if person in other.chairs or person in other.speakers:
                        yield (index, session), person, position, role, other
        running.append((end, session))


def _span(session: Session) -> tuple[dt.datetime, dt.datetime] | None:
    """A timed session's wall-clock start and end; None while its day or time is unknown."""
    if session.day is None or session.start is None or session.end is None:
        return None
    offset = end_day_offset(session.start, session.end)
    if offset is None:
        return None
    return (
        dt.datetime.combine(session.day, session.start),
        dt.datetime.combine(session.day + dt.timedelta(days=offset), session.end),
    )


def _clock_change(day: dt.date, time: dt.time, zone: dt.tzinfo) -> str | None:
    """Whether a clock change in ``zone`` makes ``time`` on ``day`` not exist ("skipped") or
    happen twice ("repeated"); None for an ordinary time."""
    wall = dt.datetime.combine(day, time, tzinfo=zone)
    early, late = wall.replace(fold=0), wall.replace(fold=1)
    if early.utcoffset() == late.utcoffset():
        return None

    def round_trips(value: dt.datetime) -> bool:
        back = value.astimezone(dt.UTC).astimezone(zone)
        return back.replace(tzinfo=None, fold=0) == wall.replace(tzinfo=None, fold=0)

    if round_trips(early) and round_trips(late):
        return "repeated"
    return "skipped"


def _change_window(day: dt.date, time: dt.time, zone: dt.tzinfo, kind: str) -> tuple[str, str]:
    """The wall-clock minutes around ``time`` that the clock change skips or repeats, as
    ("HH:MM", "HH:MM") with the end exclusive (e.g. 01:00 and 02:00)."""
    minute = time.hour * 60 + time.minute

    def same(m: int) -> bool:
        return 0 <= m < 24 * 60 and _clock_change(day, dt.time(m // 60, m % 60), zone) == kind

    first = minute
    while same(first - 1):
        first -= 1
    last = minute + 1
    while same(last):
        last += 1
    return f"{first // 60:02d}:{first % 60:02d}", f"{last // 60 % 24:02d}:{last % 60:02d}"


def _when(session: Session) -> str:
    """``Mon 25 Jul 10:00–11:30``: a timed session's day and times as attendees read them."""
    day = session.day
    if day is None:
        return "TBA"
    return f"{day:%a} {day.day} {day:%b} {_hhmm(session.start)}–{_hhmm(session.end)}"


# -- messages ------------------------------------------------------------------------------


def _describe(details: ErrorDetails, model: type[BaseModel], written: str | None) -> str:
    """Pydantic's error in words an organiser understands, naming the value as they wrote it."""
    kind = details["type"]
    loc = tuple(details["loc"])
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else "this item"
    value = details.get("input")
    shown = repr(written) if written is not None else repr(_plain(value))
    ctx = details.get("ctx") or {}
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        hint = _suggest(name, allowed)
        listing = f" (allowed: {', '.join(allowed)})" if allowed else ""
        return f"unknown key '{name}'{hint}{listing}"
    if kind == "missing":
        return f"missing required field '{name}'"
    if value is None and kind.endswith("_type"):
        return f"'{name}' is empty; give it a value or remove the line"
    if kind.startswith("time"):
        return f"{shown} is not a time (use HH:MM, e.g. '09:30')"
    if kind.startswith("date"):
        return f"{shown} is not a date (use YYYY-MM-DD, e.g. 2022-07-25)"
    if kind == "string_type":
        return f"expected text, found {_kind_of(value)} {shown}; put it in quotes"
    if kind == "string_too_short":
        return f"'{name}' must not be empty"
    if kind == "string_pattern_mismatch":
        field_info = _field_description(model, loc)
        rule = field_info or f"must match {ctx.get('pattern')}"
        return f"{shown} is not allowed here: {rule[0].lower()}{rule[1:]}"
    if kind == "enum":
        expected = str(ctx.get("expected", "")).replace("'", "")
        return f"{shown} is not one of: {expected}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{shown} is not a whole number"
    if kind in ("float_type", "float_parsing"):
        return f"{shown} is not a number"
    if kind in ("bool_type", "bool_parsing"):
        return f"{shown} is not true or false"
    if kind == "list_type":
        return f"expected a list, found {_kind_of(value)} {shown} (write [a, b] or '- ' lines)"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected keys and values (a mapping), found {_kind_of(value)} {shown}"
    if kind == "too_short":
        return f"'{name}' needs at least {ctx.get('min_length', 1)} item(s)"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return f"{shown} is out of range: {details['msg'].lower()}"
    if kind == "value_error":
        reason = str(ctx.get("error", details["msg"]))
        return reason[0].lower() + reason[1:] if reason else details["msg"]
    return f"{shown}: {details['msg']}"


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or str(exc)
    hint = ""
    if "\\t" in problem or "tab" in problem:
        hint = " (YAML does not allow tabs for indentation; use spaces)"
    elif "mapping values are not allowed" in problem:
        hint = " (is there a ':' in text that should be in quotes?)"
    context = f", {exc.context}" if exc.context else ""
    if exc.context_mark is not None and exc.context:
        context += f" started on line {exc.context_mark.line + 1}"
    return f"not valid YAML: {problem}{context}{hint}"


def _fields_at(model: type[BaseModel], loc: PathKey) -> list[str]:
    target = _model_at(model, loc)
    return list(target.model_fields) if target is not None else []


def _field_description(model: type[BaseModel], loc: PathKey) -> str | None:
    """The description of the field at ``loc`` (list indexes skipped), e.g. the id rule."""
    names = [part for part in loc if isinstance(part, str)]
    if not names:
        return None
    owner = _model_at(model, loc[: max(i for i, p in enumerate(loc) if isinstance(p, str))])
    if owner is None or names[-1] not in owner.model_fields:
        return None
    info = owner.model_fields[names[-1]]
    if info.description:
        return info.description
    for meta in info.metadata:
        description = getattr(meta, "description", None)
        if description:
            return str(description)
    return None


def _model_at(model: type[BaseModel], loc: PathKey) -> type[BaseModel] | None:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue  # the item type is found from the list's annotation below
        owner = _model_in(current)
        if owner is None or part not in owner.model_fields:
            return None
        current = owner.model_fields[part].annotation
    return _model_in(current)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dt.date):
        return "a date"
    if value is None:
        return "nothing"
    return "text"


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.time) else value


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())


def _hhmm(value: dt.time | None) -> str:
    if value is None:
        return "TBA"
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")
