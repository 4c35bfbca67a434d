"""The venue: address and a native map pin, rooms, Wi-Fi, transport, accessibility, help.

``/start r_<room id>`` (a room's door QR code) opens the room's card.

Callback data (namespace ``vn``): ``vn:t:<topic>``, ``vn:r:<room id>`` and ``vn:rp:<room id>``
(the map pin of a room's place: its own when it is away from the main venue, else the venue's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler, filters

from bot.content import Content
from bot.content.models import Place
from bot.features.agenda import render_listing
from bot.features.callbacks import HOME, CallbackData, Press, button, button_handler, one_of
from bot.features.fmt import esc, fmt_number, local_text
from bot.features.keyboards import keyboard
from bot.features.send import reply, show
from bot.i18n import N_, _, isolate, ngettext, tr
from bot.runtime import Context

TOPICS = (
    "overview",
    "address",
    "map",
    "rooms",
    "wifi",
    "transport",
    "accessibility",
    "emergency",
    "help-desk",
)
TEXT_NO_PIN = N_("The venue's map position has not been published yet.")
TEXT_NO_PLACE_PIN = N_("The map position of this place has not been published yet.")
TEXT_MAP_PIN = N_("📍 Map pin")
TEXT_OPEN_MAP = N_("Open the map")
TEXT_WIFI = N_("Wi-Fi")
TEXT_HELP_DESK = N_("Help desk")
TEXT_UNKNOWN = N_("Not published yet.")
TEXT_TO_CONFIRM = N_("to be confirmed")
TEXT_EMERGENCY_UNCONFIRMED = N_(
    "These numbers were not given by the organisers: confirm them at the help desk."
)
TEXT_APPROXIMATE = N_("The pin marks the area only, not the exact building.")


class VenueButton(CallbackData, prefix="vn"):
    pass


@dataclass(frozen=True)
class VenueTopic(VenueButton, action="t"):
    """``vn:t:<topic>``: one of :data:`TOPICS`."""

    topic: Annotated[str, one_of(TOPICS)] = "overview"


@dataclass(frozen=True)
class VenueRoom(VenueButton, action="r"):
    """``vn:r:<room id>``: one room and its sessions."""

    room_id: str


@dataclass(frozen=True)
class VenueRoomPin(VenueButton, action="rp"):
    """``vn:rp:<room id>``: a native map pin of the room's place, as a new message."""

    room_id: str


# A placeholder inside a text runs from TODO to the end of its clause ("...; later days: TODO").
_PLACEHOLDER = re.compile(r"TODO\b[^;\n]*")


def _todo(text: str | None) -> str:
    """Placeholders in the content stay visible to organisers but read plainly to attendees: a
    text that is only a placeholder reads "Not published yet."; a text that is partly known
    shows what is known and marks only the unknown clause."""
    text = tr(text) if text else text
    if not text or text.lstrip().startswith("TODO"):
        return _(TEXT_UNKNOWN)
    if "TODO" not in text:
        return esc(text)
    parts = _PLACEHOLDER.split(text)
    return _("<i>not published yet</i>").join(esc(part) for part in parts)


def venue_markup() -> InlineKeyboardMarkup:
    return keyboard(
        [
            [
                button(_("🗺 Map pin"), VenueTopic("map")),
                button(_("🚪 Rooms"), VenueTopic("rooms")),
            ],
            [
                button(_("📶 Wi-Fi"), VenueTopic("wifi")),
                button(_("🚌 Transport"), VenueTopic("transport")),
            ],
            [
                button(_("♿ Access"), VenueTopic("accessibility")),
                button(_("🆘 Emergency"), VenueTopic("emergency")),
            ],
            [button(_("🛎 Help desk"), VenueTopic("help-desk")), button(_("🏠 Menu"), HOME)],
        ]
    )


def render_topic(content: Content, topic: str) -> str:
    venue = content.venue
    if topic in ("overview", "address", "map"):
        lines = [f"📍 <b>{esc(local_text(venue.name))}</b>", _todo(venue.address)]
        place = ", ".join(local_text(p) for p in (venue.city, venue.country) if p)
        if place:
            lines.append(esc(place))
        if venue.map_url:
            lines.append(f'<a href="{esc(venue.map_url)}">{_(TEXT_OPEN_MAP)}</a>')
        if venue.coordinates is not None and venue.coordinates.approximate:
            lines.append(f"<i>{_(TEXT_APPROXIMATE)}</i>")
        if topic == "overview":
            rooms = ", ".join(local_text(r.name) for r in content.rooms.values())
            lines += ["", _("<b>Rooms:</b> {rooms}").format(rooms=esc(rooms))]
            if venue.wifi:
                lines.append(_("<b>Wi-Fi:</b> {network}").format(network=_todo(venue.wifi.network)))
            if venue.help_desk:
                name = esc(local_text(venue.help_desk.name))
                lines.append(_("<b>Help:</b> {help_desk}").format(help_desk=name))
        if venue.todo:
            lines += ["", f"⚠️ <i>{esc(tr(venue.todo))}</i>"]
        return "\n".join(lines)
    if topic == "rooms":
        lines = [_("🚪 <b>Rooms</b>")]
        # Every room, those of rooms.yaml too (an import writes them there).
        for room in content.rooms.values():
            details = [
                d
                for d in (
                    _("floor {floor}").format(floor=isolate(str(room.floor)))
                    if room.floor
                    else None,
                    ngettext("{count} seat", "{count} seats", room.capacity).format(
                        count=fmt_number(room.capacity)
                    )
                    if room.capacity
                    else None,
                    _("at {place}").format(place=local_text(room.place.label))
                    if room.place and room.place.label
                    else None,
                )
                if d
            ]
            line = f"• <b>{esc(local_text(room.name))}</b>"
            if details:
                line += f" ({esc(', '.join(details))})"
            lines.append(line)
        return "\n".join(lines)
    if topic == "wifi":
        if venue.wifi is None:
            return f"📶 <b>{_(TEXT_WIFI)}</b>\n{_(TEXT_UNKNOWN)}"
        lines = [
            f"📶 <b>{_(TEXT_WIFI)}</b>",
            _("Network: {network}").format(network=f"<code>{_todo(venue.wifi.network)}</code>"),
        ]
        lines.append(
            _("Password: {password}").format(password=f"<code>{_todo(venue.wifi.password)}</code>")
        )
        if venue.wifi.note:
            lines.append(esc(tr(venue.wifi.note)))
        return "\n".join(lines)
    if topic == "transport":
        items = [f"• {_todo(t)}" for t in venue.transport] or [_(TEXT_UNKNOWN)]
        return "\n".join([_("🚌 <b>Getting there</b>"), *items])
    if topic == "accessibility":
        lines = [_("♿ <b>Accessibility</b>"), _todo(venue.accessibility)]
        lines += [
            f"• {esc(local_text(r.name))}: {esc(tr(r.accessibility))}"
            for r in content.rooms.values()
            if r.accessibility
        ]
        return "\n".join(lines)
    if topic == "emergency":
        lines = [_("🆘 <b>Emergency</b>")]
        lines += [
            f"• {esc(tr(c.name))}: <b>{esc(isolate(c.phone or ''))}</b>"
            + (f" <i>({_(TEXT_TO_CONFIRM)})</i>" if c.todo else "")
            for c in venue.emergency
        ]
        if any(c.todo for c in venue.emergency):
            lines.append(f"<i>{_(TEXT_EMERGENCY_UNCONFIRMED)}</i>")
        if venue.help_desk:
            lines.append(
                _("On site: {help_desk}").format(help_desk=esc(local_text(venue.help_desk.name)))
            )
        return "\n".join(lines)
    if topic == "help-desk":
        desk = venue.help_desk
        if desk is None:
            return f"🛎 <b>{_(TEXT_HELP_DESK)}</b>\n{_(TEXT_UNKNOWN)}"
        lines = [f"🛎 <b>{esc(local_text(desk.name))}</b>"]
        lines += [
            f"{_(label)}: {_todo(value)}"
            for label, value in (
                (N_("Where"), desk.where),
                (N_("Hours"), desk.hours),
                (N_("Phone"), desk.phone),
                (N_("E-mail"), desk.email),
            )
            if value
        ]
        return "\n".join(lines)
    raise ValueError(f"unknown venue topic {topic!r}")


def render_room(content: Content, room_id: str) -> tuple[str, InlineKeyboardMarkup] | None:
    room = content.rooms.get(room_id)
    if room is None:
        return None
    lines = [f"🚪 <b>{esc(local_text(room.name))}</b>"]
    place = room.place
    if place is None:
        lines.append(_("at {place}").format(place=esc(local_text(content.venue.name))))
    else:
        # A room away from the main venue: where it is, and how to get there.
        if place.name:
            lines.append(_("at {place}").format(place=f"<b>{esc(local_text(place.name))}</b>"))
        if place.address:
            lines.append(f"📍 {_todo(place.address)}")
        if place.directions:
            lines.append(f"🚶 {esc(tr(place.directions))}")
        if place.map_url:
            lines.append(f'🗺 <a href="{esc(place.map_url)}">{_(TEXT_OPEN_MAP)}</a>')
    for label, value in (
        (N_("Floor"), room.floor),
        (N_("Seats"), room.capacity),
        (N_("Accessibility"), room.accessibility),
        (N_("How to find it"), room.directions),
    ):
        if value is not None:
            shown = tr(value) if isinstance(value, str) else fmt_number(value)
            lines.append(f"{_(label)}: {esc(shown)}")
    sessions = [s for s in content.sessions if s.room == room_id]
    text, markup = render_listing(
        content,
        "\n".join(lines) + "\n\n" + _("<b>Sessions here</b>"),
        sessions,
        _("No sessions in this room."),
    )
    if place is not None and place.coordinates is not None:
        # The room's own pin, before the way back (the venue's pin is /venue's).
        rows = [list(row) for row in markup.inline_keyboard]
        markup = keyboard([*rows[:-1], [button(_(TEXT_MAP_PIN), VenueRoomPin(room.id))], rows[-1]])
    return text, markup


async def send_pin(update: Update, content: Content) -> None:
    chat = update.effective_chat
    venue = content.venue
    if chat is None:
        return
    if venue.coordinates is None:
        await reply(update, _(TEXT_NO_PIN))
        return
    address = tr(venue.address) if "TODO" not in venue.address else tr(venue.city or venue.name)
    name = tr(venue.name)
    await chat.send_venue(
        latitude=venue.coordinates.latitude,
        longitude=venue.coordinates.longitude,
        title=(
            name
            if not venue.coordinates.approximate
            else _("{place} (approximate)").format(place=name)
        )[:100],
        address=address[:100],
    )


async def send_place_pin(update: Update, place: Place, title: str) -> None:
    """A native venue pin of ``place`` (``title`` names it when the place has no name)."""
    chat = update.effective_chat
    if chat is None:
        return
    if place.coordinates is None:
        await reply(update, _(TEXT_NO_PLACE_PIN))
        return
    name = tr(place.name) if place.name else title
    address = tr(place.address) if place.address and "TODO" not in place.address else name
    await chat.send_venue(
        latitude=place.coordinates.latitude,
        longitude=place.coordinates.longitude,
        title=name[:100],
        address=address[:100],
    )


async def venue_command(update: Update, context: Context) -> None:
    content = context.bot_data.event.content
    await reply(update, render_topic(content, "overview"), venue_markup())
    await send_pin(update, content)


async def venue_button(update: Update, context: Context, press: Press[VenueButton]) -> None:
    content = context.bot_data.event.content
    match press.data:
        case VenueTopic(topic):
            await show(update, render_topic(content, topic), venue_markup())
            if topic == "map":
                await send_pin(update, content)
        case VenueRoom(room_id) if rendered := render_room(content, room_id):
            await show(update, *rendered)
        case VenueRoomPin(room_id) if room := content.rooms.get(room_id):
            if room.place is None:
                await send_pin(update, content)
            else:
                await send_place_pin(update, room.place, tr(room.name))
        case _:
            await press.stale()


ROOM_DEEP_LINK_PREFIX = "r_"


async def room_deep_link_start(update: Update, context: Context) -> None:
    """``/start r_<room id>``: the room's card; an unknown room (a code printed for a room
    removed since) gets the list of rooms."""
    content = context.bot_data.event.content
    arg = (context.args or [""])[0]
    rendered = render_room(content, arg.removeprefix(ROOM_DEEP_LINK_PREFIX))
    if rendered is None:
        await reply(update, render_topic(content, "rooms"), venue_markup())
        return
    await reply(update, *rendered)


def register_deep_links(application: Application) -> None:
    """``/start r_<room id>``: before the menu's plain ``/start`` (bot/app.py calls this before
    ``menu.register``), so that a room's door code wins."""
    application.add_handler(
        CommandHandler(
            "start", room_deep_link_start, filters.Regex(rf"^/start(@\w+)? {ROOM_DEEP_LINK_PREFIX}")
        )
    )


def register(application: Application) -> None:
    application.add_handler(CommandHandler("venue", venue_command))
    application.add_handler(button_handler(VenueButton, venue_button))
