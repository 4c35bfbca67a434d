"""``python -m bot import FILE --out DIR``: turn a pretalx/frab export into a content folder.

Reads ``FILE`` with :func:`bot.content.importer.read_schedule` and writes the programme into
``DIR``: ``sessions.yaml`` (tracks and sessions), ``speakers.yaml`` and ``rooms.yaml``, which the
import owns; ``event.yaml``, ``venue.yaml`` and ``faq.yaml`` are created only when missing, with
TODO placeholders (warnings in ``check``) where the export says nothing. An existing event.yaml is
kept, except that its top-level ``timezone``, ``start_date`` and ``end_date`` lines are updated
in place (comments and everything else stay) when the export says otherwise; venue.yaml and
faq.yaml are never rewritten.

Re-importing keeps what organisers add by hand: for a session, room, track or speaker already in
DIR's file, every key the import does not write (a room's ``place``, a session's ``feedback:
false``, a speaker's ``honorific``) is kept, and the import's own keys are replaced.

Nothing is half-written: every file is built in memory and written to a temporary folder beside
DIR, together with DIR's hand-written files, and the real loader checks that folder; only when it
has no error are the files moved into DIR, one ``os.replace`` each. An export that cannot be read
gets one error naming the element or JSON path, exit status 2, and DIR untouched.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from bot.content.check import summary
from bot.content.importer import ImportedSchedule, ScheduleError, read_schedule
from bot.content.loader import load_content
from bot.content.models import Room, Session, Speaker, Track

# Keys the import writes; every other key of an existing entry is the organiser's and is kept.
SESSION_KEYS = (
    "id",
    "title",
    "kind",
    "day",
    "start",
    "end",
    "room",
    "may_overlap",
    "track",
    "speakers",
    "description",
    "language",
)
ROOM_KEYS = ("id", "name")
TRACK_KEYS = ("id", "name", "colour")
SPEAKER_KEYS = ("id", "name")  # and bio, for a speaker whose biography the export gives
SHOWN_OVERLAPS = 10


class ImportFailed(Exception):
    """The import cannot go ahead; the message says why and DIR was not touched."""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot import",
        description="Import a pretalx/frab schedule.xml or schedule.json into a content folder.",
    )
    parser.add_argument("file", help="the export: schedule.xml or schedule.json")
    parser.add_argument("--out", required=True, metavar="DIR", help="content folder to write")
    parser.add_argument(
        "--timezone",
        metavar="ZONE",
        help="IANA time zone of the event (overrides the export's; needed when it names none "
        "and its UTC offsets vary)",
    )
    args = parser.parse_args(argv)
    try:
        lines = import_schedule(Path(args.file), Path(args.out), args.timezone)
    except (ScheduleError, ImportFailed) as exc:
        print(f"{args.file}: {exc}" if isinstance(exc, ScheduleError) else exc, file=sys.stderr)
        print(f"Nothing was written to {args.out}.", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    return 0


def import_schedule(source: Path, out: Path, timezone: str | None = None) -> list[str]:
    """Import ``source`` into ``out`` and return the report, line by line.

    Raises :class:`ScheduleError` for an export that cannot be read and :class:`ImportFailed`
    when the result would not load; ``out`` is then untouched.
    """
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"{source}: cannot read the file: {exc.strerror or exc}") from exc
    existing_event = _read_text(out / "event.yaml")
    schedule = read_schedule(
        data, timezone=timezone, fallback_timezone=_top_level(existing_event, "timezone")
    )
    old = {
        name: _old_items(out / name) for name in ("sessions.yaml", "speakers.yaml", "rooms.yaml")
    }
    report = _describe(source, schedule)
    sessions = _merge(
        [_session_data(s) for s in schedule.sessions],
        old["sessions.yaml"].get("sessions"),
        SESSION_KEYS,
        Session,
        report,
        "session",
    )
    tracks = _merge(
        [_plain(t) for t in schedule.tracks],
        old["sessions.yaml"].get("tracks"),
        TRACK_KEYS,
        Track,
        report,
        "track",
    )
    rooms = _merge(
        [_plain(r) for r in schedule.rooms],
        old["rooms.yaml"].get("rooms"),
        ROOM_KEYS,
        Room,
        report,
        "room",
    )
    speakers = _merge_speakers(schedule, old["speakers.yaml"].get("speakers"), sessions, report)
    files: dict[str, str] = {
        "sessions.yaml": _header(
            source,
            schedule,
            f"tracks: {', '.join(TRACK_KEYS)}; sessions: {', '.join(SESSION_KEYS)}",
        )
        + _dump({"tracks": tracks, "sessions": sessions}),
        "speakers.yaml": _header(
            source, schedule, f"{', '.join(SPEAKER_KEYS)}, and bio when the export gives one"
        )
        + _dump({"speakers": speakers}),
        "rooms.yaml": _header(source, schedule, ", ".join(ROOM_KEYS)) + _dump({"rooms": rooms}),
    }
    created: list[str] = []
    if existing_event is None:
        files["event.yaml"] = _new_event(source, schedule)
        created.append("event.yaml")
    else:
        updated, changes = _update_event(existing_event, schedule)
        if changes:
            files["event.yaml"] = updated
            report += [f"event.yaml: {change}" for change in changes]
    for name, text in (("venue.yaml", _NEW_VENUE), ("faq.yaml", _NEW_FAQ)):
        if not (out / name).exists():
            files[name] = text
            created.append(name)
    _write_checked(out, files, report)
    written = [name for name in files if name not in created]
    report.append(f"Wrote {', '.join(str(out / name) for name in written)}")
    if created:
        report.append(f"Created {', '.join(str(out / name) for name in created)} (with TODOs)")
    kept = [name for name in ("event.yaml", "venue.yaml", "faq.yaml") if name not in files]
    if kept:
        report.append(f"Kept as written: {', '.join(str(out / name) for name in kept)}")
    return report


# -- the report -------------------------------------------------------------------------------


def _describe(source: Path, schedule: ImportedSchedule) -> list[str]:
    event = schedule.event
    lines = [
        f'Read {source.name}: {schedule.format}, version "{event.version}"',
        f"Event: {event.title} ({event.acronym}), {event.start_date} to {event.end_date}",
    ]
    offsets = ", ".join(event.offsets) or "none"
    zone_from = {
        "export": "named by the export",
        "--timezone": "from --timezone",
        "event.yaml": "from the existing event.yaml (the export names none)",
        "guessed": f"GUESSED from the UTC offsets of the events ({offsets}): the export names no"
        " zone; pass --timezone ZONE (e.g. Europe/Berlin) to set the real one",
    }[event.timezone_source]
    lines.append(f"Time zone: {event.timezone}, {zone_from}")
    days = schedule.session_days
    lines.append(
        f"Imported: {len(schedule.sessions)} sessions, {len(schedule.rooms)} rooms,"
        f" {len(schedule.tracks)} tracks, {len(schedule.speakers)} speakers,"
        f" {event.days} days in the export (sessions on {len(days)} calendar dates)"
    )
    lines += _describe_overlaps(schedule)
    ignored = [u for u in schedule.unmapped if not u.what.startswith(("type ", "language "))]
    if ignored:
        lines.append("Not mapped (ignored): element or key, occurrences, with content")
        lines += [f"  {u.what}: {u.count} ({u.filled} with content)" for u in ignored]
    others = [u for u in schedule.unmapped if u.what.startswith(("type ", "language "))]
    if others:
        lines.append("Not recognised:")
        lines += [f"  {u.what}: {u.count} {_sessions(u.count)}" for u in others]
    if schedule.left_out:
        lines.append(f"Left out: {len(schedule.left_out)} events")
        lines += [f"  {left.path}: {left.title!r} {left.reason}" for left in schedule.left_out]
    else:
        lines.append("Left out: none")
    return lines


def _sessions(count: int) -> str:
    return "session" if count == 1 else "sessions"


def _describe_overlaps(schedule: ImportedSchedule) -> list[str]:
    if not schedule.overlaps:
        return ["Overlaps: none"]
    titles = {s.id: s.title for s in schedule.sessions}
    names = {s.id: s.name for s in schedule.speakers}
    rooms = {r.id: r.name for r in schedule.rooms}
    in_room = [o for o in schedule.overlaps if o.person is None]
    by_person = [o for o in schedule.overlaps if o.person is not None]
    marked = {o.session for o in schedule.overlaps} | {o.other for o in schedule.overlaps}
    people = Counter(o.person for o in by_person)
    lines = [
        f"Overlaps: the export has {len(in_room)} pairs of sessions overlapping in one room and"
        f" {len(by_person)} clashes of a person in two sessions at once ({len(people)} people);"
        f" the {len(marked)} sessions involved are marked may_overlap: true"
    ]
    for overlap in schedule.overlaps[:SHOWN_OVERLAPS]:
        what = (
            f"room {rooms.get(overlap.room or '', overlap.room)}"
            if overlap.person is None
            else f"{names.get(overlap.person, overlap.person)}"
        )
        lines.append(
            f"  {what}: {titles[overlap.other]!r} ({overlap.other}) and"
            f" {titles[overlap.session]!r} ({overlap.session})"
        )
    if len(schedule.overlaps) > SHOWN_OVERLAPS:
        lines.append(f"  … and {len(schedule.overlaps) - SHOWN_OVERLAPS} more")
    return lines


# -- building the files -----------------------------------------------------------------------


def _header(source: Path, schedule: ImportedSchedule, owned: str) -> str:
    return (
        f"# Written by `python -m bot import` from {source.name}\n"
        f'# ({schedule.format}, version "{schedule.event.version}").\n'
        f"# A re-import replaces the keys it writes ({owned})\n"
        "# and keeps every other key you add to an entry (e.g. feedback: false, place:,\n"
        "# honorific:).\n"
    )


def _plain(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_defaults=True)


def _session_data(session: Session) -> dict[str, Any]:
    data = _plain(session)
    data["day"] = session.day
    if session.language:
        data["language"] = ", ".join(session.language)  # "de, en" reads better than a list
    for key in ("start", "end"):
        value = getattr(session, key)
        data[key] = value.strftime("%H:%M:%S" if value.second else "%H:%M")
    return data


def _merge(
    new: list[dict[str, Any]],
    old: Any,
    owned: tuple[str, ...],
    model: type[BaseModel],
    report: list[str],
    what: str,
) -> list[dict[str, Any]]:
    """The new entries, each with the keys of its old self that the import does not own."""
    previous = {item["id"]: item for item in _entries(old)}
    order = {key: index for index, key in enumerate(model.model_fields)}
    merged = []
    kept = 0
    for item in new:
        before = previous.pop(item["id"], None)
        if before is not None:
            extra = {k: v for k, v in before.items() if k not in owned and k not in item}
            kept += bool(extra)
            item = dict(sorted({**item, **extra}.items(), key=lambda kv: order.get(kv[0], 99)))
        merged.append(item)
    if kept:
        report.append(f"Re-import: kept hand-written keys of {kept} {what}(s)")
    if previous:
        report.append(
            f"Re-import: {len(previous)} {what}(s) no longer in the export were removed: "
            + ", ".join(sorted(previous))
        )
    return merged


def _merge_speakers(
    schedule: ImportedSchedule,
    old: Any,
    sessions: list[dict[str, Any]],
    report: list[str],
) -> list[dict[str, Any]]:
    new = []
    for speaker in schedule.speakers:
        data = _plain(speaker)
        if speaker.id not in schedule.speakers_with_bio:
            data.pop("bio", None)
        new.append(data)
    owned = {*SPEAKER_KEYS, "bio"}
    previous = {item["id"]: item for item in _entries(old)}
    order = {key: index for index, key in enumerate(Speaker.model_fields)}
    merged = []
    for item in new:
        before = previous.pop(item["id"], None)
        if before is not None:
            mine = owned if item["id"] in schedule.speakers_with_bio else set(SPEAKER_KEYS)
            extra = {k: v for k, v in before.items() if k not in mine}
            item = dict(sorted({**item, **extra}.items(), key=lambda kv: order.get(kv[0], 99)))
        merged.append(item)
    # A person only in hand-written chairs stays while a session names them.
    named = {person for s in sessions for person in s.get("chairs", []) or []}
    still = {pid: item for pid, item in previous.items() if pid in named}
    merged += still.values()
    gone = sorted(set(previous) - set(still))
    if gone:
        report.append(
            f"Re-import: {len(gone)} speaker(s) no longer in the export were removed: "
            + ", ".join(gone)
        )
    return merged


def _entries(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict) and isinstance(item.get("id"), str)]


def _old_items(path: Path) -> dict[str, Any]:
    text = _read_text(path)
    if text is None:
        return {}
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ImportFailed(
            f"{path}: cannot keep its hand-written keys, it is not valid YAML ({exc});"
            " fix it or move it away"
        ) from exc
    return data if isinstance(data, dict) else {}


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"{path}: cannot read the file: {exc}") from exc


class _Dumper(yaml.SafeDumper):
    """Block style, unicode as written, and multi-line text as a ``|`` block."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


_NEW_VENUE = """\
# Written by `python -m bot import` because the folder had none; the import never rewrites it.
# Rooms of the export are in rooms.yaml; rooms you add here share their ids (no duplicates).
name: "TODO: name of the venue"
address: "TODO: street address of the venue"
rooms: []
"""
_NEW_FAQ = """\
# Written by `python -m bot import` because the folder had none; the import never rewrites it.
faq: []
"""


def _new_event(source: Path, schedule: ImportedSchedule) -> str:
    event = schedule.event
    data: dict[str, Any] = {
        "id": _event_id(event.acronym),
        "name": event.title,
        "short_name": event.acronym,
        "theme": "TODO: the theme or motto of the event",
        "timezone": event.timezone,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "summary": "TODO: two or three sentences on what the event is, for attendees",
    }
    if event.timezone_source == "guessed":
        data["todo"] = (
            f"the time zone {event.timezone} was guessed from the export's UTC offsets"
            f" ({', '.join(event.offsets)}); write the event's real zone, e.g. Europe/Berlin"
        )
    return (
        f"# Written by `python -m bot import` from {source.name} because the folder had none.\n"
        "# Edit it freely: a re-import only updates timezone, start_date and end_date.\n"
    ) + _dump(data)


def _event_id(acronym: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", acronym.lower()).strip("-")[:32].rstrip("-")
    return slug or "event"


_TOP_LEVEL = r"^{key}:[ \t]*(?P<value>[^#\n]*?)(?P<gap>[ \t]*)(?P<comment>#[^\n]*)?$"


def _top_level(text: str | None, key: str) -> str | None:
    if text is None:
        return None
    match = re.search(_TOP_LEVEL.format(key=key), text, flags=re.MULTILINE)
    if match is None:
        return None
    return match.group("value").strip().strip("'\"") or None


def _update_event(text: str, schedule: ImportedSchedule) -> tuple[str, list[str]]:
    """event.yaml with its timezone and dates set to the export's, changing only those lines."""
    event = schedule.event
    changes = []
    for key, value in (
        ("timezone", event.timezone),
        ("start_date", event.start_date.isoformat()),
        ("end_date", event.end_date.isoformat()),
    ):
        before = _top_level(text, key)
        if before == value:
            continue
        pattern = re.compile(_TOP_LEVEL.format(key=key), flags=re.MULTILINE)
        match = pattern.search(text)
        if match is None:
            text = text.rstrip("\n") + f"\n{key}: {value}\n"
        else:
            comment = match.group("gap") + match.group("comment") if match.group("comment") else ""
            text = text[: match.start()] + f"{key}: {value}{comment}" + text[match.end() :]
        changes.append(f"{key} {before or '(none)'} -> {value} (from the export)")
    return text, changes


# -- writing ----------------------------------------------------------------------------------


def _write_checked(out: Path, files: dict[str, str], report: list[str]) -> None:
    """Write ``files`` to a temporary folder with DIR's other files, load it, and move the
    files into ``out`` only when the loader finds no error."""
    out = out.absolute()
    parent = out.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.import-", dir=parent))
    try:
        for name in ("event.yaml", "venue.yaml", "faq.yaml"):
            if name not in files and (out / name).exists():
                shutil.copyfile(out / name, staging / name)
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        result = load_content(staging)
        if not result.ok:
            problems = [str(p).replace(str(staging), str(out)) for p in result.errors]
            raise ImportFailed(
                "The imported content does not load:\n"
                + "\n".join(problems)
                + "\n"
                + summary(str(out), result)
            )
        out.mkdir(exist_ok=True)
        for name in files:
            os.replace(staging / name, out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
