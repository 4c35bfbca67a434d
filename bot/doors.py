"""Door QR codes (``python -m bot qr``): a printable A4 PDF with one page per session and per
room, and a poster for the registration desk, each with a large QR code of the bot's deep link
(``/start s_<session id>``, ``/start r_<room id>``, or the bot itself); and each page as a PNG.

:func:`plan_doors` decides what is printed (plain data, in the event's default language);
:func:`write_doors` draws it with matplotlib, without pyplot (its PDF backend for the PDF, Agg
for the PNGs). The codes are segno's, error correction Q (a quarter of a code may be dirty or
covered and it still reads), quiet zone of 4 modules, as the QR standard asks.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import segno

from bot.content import Content
from bot.content.models import Session
from bot.features.agenda import DEEP_LINK_PREFIX as SESSION_PREFIX
from bot.features.fmt import TEXT_DATE_TBA, fmt_day_long, fmt_time, session_where
from bot.features.venue import ROOM_DEEP_LINK_PREFIX as ROOM_PREFIX
from bot.i18n import _, tr, use_language

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Telegram's rule for bot usernames: 5 to 32 letters, digits and underscores (ending in "bot").
USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
A4_INCHES = (210 / 25.4, 297 / 25.4)
QUIET_ZONE = 4
PNG_DPI = 150
# Direction marks the bot puts around texts for right-to-left chats; paper has no use for them.
_ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))


class DoorError(Exception):
    """The door codes cannot be made; the message says why."""


def clean_username(username: str) -> str:
    """``@ConfBot`` -> ``ConfBot``; a name Telegram would not accept is an error."""
    name = username.strip().removeprefix("@")
    if not USERNAME.match(name):
        raise DoorError(f"{username!r} is not a Telegram bot username (5-32 letters, digits or _).")
    return name


def bot_link(username: str, start: str | None = None) -> str:
    """``https://t.me/<bot>``, or with ``?start=<payload>`` the deep link that sends
    ``/start <payload>`` when opened."""
    return f"https://t.me/{username}" + (f"?start={start}" if start else "")


@dataclass(frozen=True)
class DoorPage:
    kind: Literal["session", "room", "poster"]
    key: str
    """The session's or room's id; ``poster`` for the poster."""
    heading: str
    lines: tuple[str, ...]
    link: str

    @property
    def png_name(self) -> str:
        return "poster.png" if self.kind == "poster" else f"{self.kind}-{self.key}.png"


@dataclass(frozen=True)
class DoorPlan:
    pages: tuple[DoorPage, ...]
    cancelled: tuple[Session, ...]
    """Sessions left out: a cancelled session gets no door code."""


def _plain(text: str) -> str:
    return text.translate(_ISOLATES)


def _when(session: Session) -> str:
    day = fmt_day_long(session.day) if session.day is not None else _(TEXT_DATE_TBA)
    if session.start is None or session.end is None:
        return f"{day}, {_('time to be announced')}"
    hours = f"{fmt_time(session.start)}–{fmt_time(session.end)}"
    return f"{day}, {hours}{' (+1)' if session.past_midnight else ''}"


def plan_doors(content: Content, username: str) -> DoorPlan:
    """The pages, in the event's default language: every session that is not cancelled, in
    programme order, then every room, then the poster."""
    event = content.event
    pages: list[DoorPage] = []
    with use_language(event.language):
        for session in content.sessions:
            if session.cancelled:
                continue
            pages.append(
                DoorPage(
                    kind="session",
                    key=session.id,
                    heading=_plain(tr(session.title)),
                    lines=(_plain(session_where(content, session)), _plain(_when(session))),
                    link=bot_link(username, f"{SESSION_PREFIX}{session.id}"),
                )
            )
        for room in content.rooms.values():
            place = room.place.name if room.place is not None and room.place.name else None
            pages.append(
                DoorPage(
                    kind="room",
                    key=room.id,
                    heading=_plain(tr(room.name)),
                    lines=(_plain(tr(place or content.venue.name)),),
                    link=bot_link(username, f"{ROOM_PREFIX}{room.id}"),
                )
            )
        days = f"{fmt_day_long(event.start_date)} – {fmt_day_long(event.end_date)}"
        where = ", ".join(tr(p) for p in (event.city, event.country) if p)
        pages.append(
            DoorPage(
                kind="poster",
                key="poster",
                heading=_plain(tr(event.name)),
                lines=tuple(_plain(line) for line in (days, where) if line),
                link=bot_link(username),
            )
        )
    cancelled = tuple(s for s in content.sessions if s.cancelled)
    return DoorPlan(pages=tuple(pages), cancelled=cancelled)


def qr_modules(link: str) -> list[list[bool]]:
    """The code of ``link`` as rows of modules (True is dark), quiet zone included."""
    code = segno.make(link, error="q", micro=False, boost_error=False)
    return [[bool(dark) for dark in row] for row in code.matrix_iter(scale=1, border=QUIET_ZONE)]


def _wrapped(text: str, width: int, max_lines: int) -> list[str]:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def draw_page(page: DoorPage, event_name: str) -> Figure:
    """One A4 portrait page: the event's name small at the top, the heading, its lines, the
    code 150 mm wide, and the link written under it (for whoever cannot scan)."""
    from bot.domain.charts import new_figure

    figure = new_figure(*A4_INCHES)
    poster = page.kind == "poster"
    y = 0.95
    if not poster:
        top_line = _wrapped(event_name, 70, 1)[0]
        figure.text(0.5, y, top_line, ha="center", va="top", fontsize=11, color="0.35")
        y -= 0.04
    heading_size, width = (30, 26) if poster else (26, 30)
    for line in _wrapped(page.heading, width, 4):
        figure.text(0.5, y, line, ha="center", va="top", fontsize=heading_size, weight="bold")
        y -= heading_size / 72 / A4_INCHES[1] * 1.3
    y -= 0.01
    for text in page.lines:
        for line in _wrapped(text, 50, 2):
            figure.text(0.5, y, line, ha="center", va="top", fontsize=16)
            y -= 16 / 72 / A4_INCHES[1] * 1.35
    side = 150 / 210  # of the page's width
    axes = figure.add_axes((0.5 - side / 2, 30 / 297, side, side * 210 / 297))
    axes.imshow(qr_modules(page.link), cmap="binary", interpolation="none", vmin=0, vmax=1)
    axes.set_axis_off()
    figure.text(0.5, 20 / 297, page.link, ha="center", va="center", fontsize=13, family="monospace")
    return figure


@dataclass(frozen=True)
class DoorFiles:
    pdf: Path
    pngs: tuple[Path, ...]
    removed: tuple[Path, ...]
    """PNGs of an earlier run whose session or room has no page any more."""


def write_doors(plan: DoorPlan, event_name: str, out_dir: Path) -> DoorFiles:
    """``out_dir/doors.pdf`` (every page) and ``out_dir/png/<page>.png`` (one per page)."""
    from matplotlib.backends.backend_pdf import PdfPages

    png_dir = out_dir / "png"
    png_dir.mkdir(parents=True, exist_ok=True)
    pdf_path = out_dir / "doors.pdf"
    partial = out_dir / ".doors.pdf.partial"
    pngs: list[Path] = []
    # No creation date: the same content prints the same file.
    metadata = {"Title": f"Door codes: {event_name}", "Creator": "confbot", "CreationDate": None}
    with PdfPages(partial, metadata=metadata) as pdf:
        for page in plan.pages:
            figure = draw_page(page, event_name)
            pdf.savefig(figure)
            png = png_dir / page.png_name
            figure.savefig(png, format="png", dpi=PNG_DPI)
            pngs.append(png)
    partial.replace(pdf_path)
    removed = _remove_stale(png_dir, pngs)
    return DoorFiles(pdf=pdf_path, pngs=tuple(pngs), removed=removed)


def _remove_stale(png_dir: Path, kept: Sequence[Path]) -> tuple[Path, ...]:
    stale = [
        path
        for pattern in ("session-*.png", "room-*.png")
        for path in sorted(png_dir.glob(pattern))
        if path not in kept
    ]
    for path in stale:
        path.unlink()
    return tuple(stale)
