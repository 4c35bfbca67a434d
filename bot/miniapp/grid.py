"""What the programme grid shows, as plain JSON-ready data: no Telegram, no HTTP, no store.

Texts come in the reader's language: content texts through ``tr()`` (translated in the YAML),
the page's own labels through gettext, so that the catalogues translate them as the bot's
messages. The programme holds only what the grid draws or filters on: times are the wall clock
in the event's zone (``start``/``end``), with the UTC offset of each day, so that the page draws
"now" in the event's zone whatever the phone's zone is. A session's description, most of the
bytes, comes apart (:func:`session_detail`) when its detail opens. The programme depends only on
the content and the language (the bot's current time is in ``/app/api/me``), so the API builds
it once per content and language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.content import Content, Session, SessionMode
from bot.domain.agenda import session_languages
from bot.i18n import N_, _, current_language, format_day, is_rtl, language_name, tr

# The page's words; the page shows these, never its own.
LABELS = {
    "search": N_("Search"),
    "all_tracks": N_("All tracks"),
    "all_languages": N_("All languages"),
    "all_rooms": N_("All rooms"),
    "add": N_("⭐ Add to my agenda"),
    "remove": N_("Remove from my agenda"),
    "online": N_("Online"),
    "cancelled": N_("Cancelled"),
    "nothing": N_("No session matches."),
    "close": N_("Close"),
    "speakers": N_("Speakers"),
    "undated": N_("Date to be announced"),
    "untimed": N_("Time to be announced"),
    "failed": N_("That did not work. Try again in a moment."),
}
TEXT_NOT_FROM_TELEGRAM = N_(
    "This page works only when opened from the bot in Telegram. Open it again from the bot."
)
# The chat's menu button (setChatMenuButton), in the event's language: one text for everyone.
TEXT_MENU_BUTTON = N_("Programme")
# A column for the sessions without a room (online only).
ONLINE_ROOM = "online"


def labels() -> dict[str, str]:
    return {key: _(text) for key, text in LABELS.items()}


def not_from_telegram() -> str:
    return _(TEXT_NOT_FROM_TELEGRAM)


def _offset_minutes(content: Content, day: dt.date) -> int:
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=content.tz)
    offset = noon.utcoffset() or dt.timedelta(0)
    return int(offset.total_seconds() // 60)


def _session(content: Content, session: Session) -> dict[str, Any]:
    track = content.track_of(session)
    return {
        "id": session.id,
        "title": tr(session.title),
        "kind": session.kind.value,
        "day": session.day.isoformat() if session.day else None,
        "start": session.start.strftime("%H:%M") if session.start else None,
        "end": session.end.strftime("%H:%M") if session.end else None,
        "room": session.room or ONLINE_ROOM,
        "track": track.id if track else None,
        "languages": list(session.language),
        "status": session.status.value,
        "speakers": [
            tr(content.speakers_by_id[p].name)
            for p in dict.fromkeys((*session.chairs, *session.speakers))
            if p in content.speakers_by_id
        ],
    }


# The same words as the session card's buttons and the venue's map link (one catalogue entry).
LINK_JOIN = N_("💻 Join online")
LINK_WATCH = N_("📺 Watch online")
LINK_MAP = N_("Open the map")


def session_links(content: Content, session: Session) -> list[dict[str, str]]:
    """The session's links, as its card in the chat has them: the join or stream link (not for
    a cancelled session) and, away from the main venue, a map of its place."""
    links: list[dict[str, str]] = []
    if session.online_url and not session.cancelled:
        label = LINK_JOIN if session.mode is SessionMode.online else LINK_WATCH
        links.append({"label": _(label), "url": session.online_url})
    place = content.place_of(session) if content.off_site(session) else None
    if place is not None:
        url = place.map_url
        if url is None and place.coordinates is not None:
            lat, lon = place.coordinates.latitude, place.coordinates.longitude
            url = f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
        if url is not None:
            links.append({"label": _(LINK_MAP), "url": url})
    return links


def session_detail(content: Content, session: Session) -> dict[str, Any]:
    """What the detail panel adds to the grid's box, in the current language: the description
    and the session's links."""
    return {
        "id": session.id,
        "description": tr(session.description) if session.description else None,
        "links": session_links(content, session),
    }


def programme(content: Content) -> dict[str, Any]:
    """The whole programme for the page, in the current language (``bot.i18n.use_language``)."""
    language = current_language()
    used_rooms = {s.room or ONLINE_ROOM for s in content.sessions}
    rooms = [
        {"id": room.id, "name": tr(room.name)}
        for room in content.rooms.values()
        if room.id in used_rooms
    ]
    if ONLINE_ROOM in used_rooms and ONLINE_ROOM not in content.rooms:
        rooms.append({"id": ONLINE_ROOM, "name": _(LABELS["online"])})
    return {
        "event": {
            "name": tr(content.event.short_name),
            "language": language,
            "dir": "rtl" if is_rtl(language) else "ltr",
        },
        "labels": labels(),
        "days": [
            {
                "date": day.isoformat(),
                "label": format_day(day),
                "utc_offset_minutes": _offset_minutes(content, day),
            }
            for day in content.days()
        ],
        "rooms": rooms,
        "tracks": [
            {"id": t.id, "name": tr(t.name), "colour": t.colour} for t in content.tracks.values()
        ],
        "languages": [
            {"code": code, "name": language_name(code)} for code in session_languages(content)
        ],
        "sessions": [_session(content, s) for s in content.sessions],
    }
