"""``python -m bot preview``: chat with the real bot in this terminal, through the local emulator.

You are one user (an attendee by default). What you type is sent as your message; a number
presses that button of the bot's latest keyboard. The bot's messages, edits, map pins, files and
button notices are printed as they arrive, including reminders sent on the bot's own
initiative. When standard input is not a terminal, one line is one message and the preview
waits for the bot to go quiet before sending the next, so it can be scripted::

    printf '/start\\n/agenda\\n1\\n' | python -m bot preview --at "2022-07-25 09:55"
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from bot.clock import Clock, ShiftedClock, SystemClock, parse_event_moment
from bot.config import Settings
from bot.content import ContentError, load_content_or_raise
from bot.local import LOCAL_TOKEN, running_bot
from bot.miniapp.init_data import sign_init_data
from botapi_emulator import BotApiEmulator, SentMessage

USER_ID = 1001
QUIET_SECONDS = 0.4
MAX_WAIT_SECONDS = 6.0


def parse_moment(text: str, tz: dt.tzinfo, opening: dt.datetime) -> dt.datetime:
    return opening if text == "event" else parse_event_moment(text, tz)


class Transcript:
    """Prints what the bot does in one chat, and remembers the buttons that can be pressed."""

    def __init__(self, emu: BotApiEmulator, chat_id: int, write: Callable[[str], None]) -> None:
        self.emu = emu
        self.chat_id = chat_id
        self.write = write
        self.seen: dict[int, int] = {}  # message id -> edits already printed
        self.buttons: list[tuple[int, str]] = []  # (message id, callback data), numbered from 1
        self.last_activity = time.monotonic()

    async def poll(self) -> bool:
        """Print new messages and edits; True when there were any."""
        changed = False
        for message in await self.emu.messages(self.chat_id, include_deleted=False):
            edits = len(message.edits)
            if self.seen.get(message.message_id) == edits:
                continue
            edited = message.message_id in self.seen
            self.seen[message.message_id] = edits
            self.show(message, edited)
            changed = True
        if changed:
            self.last_activity = time.monotonic()
        return changed

    def show(self, message: SentMessage, edited: bool) -> None:
        prefix = "bot (edited)> " if edited else "bot> "
        if message.venue:
            venue = message.venue
            location = venue.get("location", {})
            body = (
                f"📍 [map pin] {venue.get('title')} — {venue.get('address')} "
                f"({location.get('latitude')}, {location.get('longitude')})"
            )
        elif message.location:
            body = f"📍 [map pin] {message.location}"
        elif message.media is not None:
            media = message.media
            body = f"📎 [{media.kind}] {media.filename or media.file_id} ({media.size} bytes)"
            if message.plain_text:
                body += "\n" + message.plain_text
        else:
            body = message.plain_text
        lines = body.split("\n")
        self.write(prefix + lines[0])
        for line in lines[1:]:
            self.write(" " * len("bot> ") + line)
        if message.buttons:
            self.buttons = []
            for row in message.buttons:
                labels = []
                for button in row:
                    if "callback_data" in button:
                        self.buttons.append((message.message_id, button["callback_data"]))
                        labels.append(f"[{len(self.buttons)}] {button['text']}")
                    elif "url" in button:
                        labels.append(f"[link] {button['text']} <{button['url']}>")
                self.write(" " * len("bot> ") + "  ".join(labels))

    async def settle(self) -> None:
        """Wait until the bot has answered and gone quiet (bounded)."""
        start = time.monotonic()
        answered = False
        while time.monotonic() - start < MAX_WAIT_SECONDS:
            if await self.poll():
                answered = True
            elif answered and time.monotonic() - self.last_activity > QUIET_SECONDS:
                return
            await asyncio.sleep(0.05)


async def converse(emu: BotApiEmulator, interactive: bool) -> None:
    transcript = Transcript(emu, USER_ID, lambda line: print(line, flush=True))
    loop = asyncio.get_running_loop()

    async def watch() -> None:
        # Reminders and notices arrive on their own: print them while the user is typing.
        while True:
            await transcript.poll()
            await asyncio.sleep(0.2)

    watcher = asyncio.create_task(watch()) if interactive else None
    if interactive:
        print("Type a message, or a number to press a button. Ctrl-D or /quit leaves.")
    try:
        while True:
            if interactive:
                line = await loop.run_in_executor(None, _prompt)
            else:
                line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            text = line.rstrip("\n").strip()
            if not text:
                continue
            if text in ("/quit", "/exit"):
                break
            if not interactive:
                # Print what arrived on its own meanwhile (a reminder, a feedback prompt) first,
                # so that a number presses a button of the keyboard shown last.
                await transcript.poll()
                print(f"you> {text}", flush=True)
            if text.isdigit() and 1 <= int(text) <= len(transcript.buttons):
                message_id, data = transcript.buttons[int(text) - 1]
                query_id = await emu.press_button(USER_ID, USER_ID, message_id, data, strict=False)
                await transcript.settle()
                answer = await emu.callback_answer(query_id)
                if answer is not None and answer.text:
                    print(f"bot (notice)> {answer.text}", flush=True)
            else:
                await emu.send_from_user(USER_ID, text, first_name="You")
                await transcript.settle()
    finally:
        if watcher is not None:
            watcher.cancel()


def _prompt() -> str:
    try:
        return input("you> ") + "\n"
    except EOFError:
        return ""


async def run_preview(args: argparse.Namespace) -> int:
    env = Settings.from_env()
    content_dir = Path(args.content) if args.content else env.content_dir
    try:
        content, warnings = load_content_or_raise(content_dir)
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 2
    clock: Clock = SystemClock()
    if args.at:
        starts = [t for s in content.sessions if (t := content.starts_at(s)) is not None]
        opening = (
            min(starts)
            if starts
            else dt.datetime.combine(content.event.start_date, dt.time(9), content.tz)
        )
        try:
            clock = ShiftedClock(parse_moment(args.at, content.tz, opening))
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
    role = args.role
    organisers = frozenset({USER_ID}) if role == "organiser" else frozenset()
    staff = frozenset({USER_ID}) if role == "staff" else frozenset()
    interactive = sys.stdin.isatty()
    with tempfile.TemporaryDirectory(prefix="confbot-preview-") as tmp:
        db_path = Path(args.db) if args.db else Path(tmp) / "preview.sqlite3"
        async with running_bot(
            content,
            db_path=db_path,
            content_dir=content_dir,
            clock=clock,
            organisers=organisers,
            staff=staff,
            listen=env.listen,
        ) as (emu, app):
            url = app.bot_data.settings.miniapp_url
            if url is not None:
                # The programme grid in a browser, as the preview's user (CONFBOT_LISTEN set).
                init_data = sign_init_data(LOCAL_TOKEN, USER_ID, auth_date=dt.datetime.now(dt.UTC))
                print(f"programme grid: {url}#tgWebAppData={quote(init_data, safe='')}")
            if interactive:
                local = clock.now().astimezone(content.tz)
                print(
                    f"confbot preview: {content.event.short_name} · you are an {role} · "
                    f"bot clock {local:%Y-%m-%d %H:%M} {content.event.timezone} · "
                    f"{len(warnings)} content placeholders (run `python -m bot check`)"
                )
            await converse(emu, interactive)
    return 0


def main(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(run_preview(args))
    except KeyboardInterrupt:
        return 0
