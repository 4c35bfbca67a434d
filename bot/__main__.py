"""Command line: ``python -m bot run|preview|reset-feedback|faq-export|backup|qr|emulator|check|
schema|import``."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import sys
from collections.abc import Callable

from bot.clock import Clock, ShiftedClock, SystemClock, parse_event_moment
from bot.config import ConfigError, Settings


def _run(args: argparse.Namespace) -> int:

    from bot.app import build_application
    from bot.content import ContentError, load_content_or_raise
    from bot.runner import run_until_signalled

    try:
        settings = Settings.from_env()
        token = settings.require_token()
        content, warnings = load_content_or_raise(settings.content_dir)
    except (ConfigError, ContentError) as exc:
        print(exc, file=sys.stderr)
        return 2
    for warning in warnings:
        logging.getLogger("bot.content").warning("%s", warning)
    clock: Clock = SystemClock()
    if args.at:
        # A rehearsal: the bot lives through the event's programme from this moment on.
        try:
            clock = ShiftedClock(parse_event_moment(args.at, content.tz))
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
    application = build_application(settings, content, token=token, clock=clock)
    try:
        asyncio.run(run_until_signalled(application))
    except ConfigError as exc:  # found at start, e.g. a feedback secret that does not match
        print(exc, file=sys.stderr)
        return 2
    return 0


def _reset_feedback(args: argparse.Namespace) -> int:
    """Delete every feedback answer, group and mark, and the feedback secret's record, so that
    the bot starts with whatever CONFBOT_FEEDBACK_SECRET says now."""
    from bot.store import Store

    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not args.yes:
        print(
            f"This deletes every feedback answer in {settings.db_path}. "
            "Run again with --yes to do it.",
            file=sys.stderr,
        )
        return 2

    async def reset() -> int:
        store = await Store.open(settings.db_path)
        try:
            return await store.reset_feedback()
        finally:
            await store.close()

    deleted = asyncio.run(reset())
    print(f"Feedback reset: {deleted} answers deleted.")
    return 0


def _faq_export(args: argparse.Namespace) -> int:
    """Print the FAQ entries staff added from the inbox as faq.yaml text, to paste in."""
    from bot.domain.inbox import faq_yaml
    from bot.store import Store

    async def added() -> str:
        path = args.db or Settings.from_env().db_path
        store = await Store.open(path)
        try:
            return faq_yaml(await store.added_faq())
        finally:
            await store.close()

    print(asyncio.run(added()), end="")
    return 0


def _backup(args: argparse.Namespace) -> int:
    """A consistent copy of the live database (safe while the bot runs), to FILE."""
    from pathlib import Path

    from bot.store.backup import BackupError, backup_database

    try:
        source = Path(args.db) if args.db else Settings.from_env().db_path
        result = backup_database(source, Path(args.file), force=args.force)
    except (ConfigError, BackupError) as exc:
        print(exc, file=sys.stderr)
        return 2
    print(
        f"Backed up {result.source} to {result.target}: {result.size_bytes / 1e6:.1f} MB, "
        f"{result.tables} tables, {result.rows} rows, schema version {result.schema_version}, "
        "integrity check ok."
    )
    return 0


async def _username_from_telegram(token: str, api_url: str) -> str:
    """The bot's username, asked of Telegram (getMe)."""
    from telegram import Bot
    from telegram.error import TelegramError

    try:
        async with Bot(token, base_url=api_url) as bot:
            return bot.username
    except TelegramError as exc:
        # Some of python-telegram-bot's errors quote the token: never print it.
        reason = str(exc).replace(token, "<token>")
        raise ConfigError(
            f"Could not ask Telegram for the bot's username ({reason}); give it with --bot."
        ) from exc


def _bot_username(given: str | None, settings: Settings) -> str:
    """--bot, else CONFBOT_BOT_USERNAME, else getMe with TELEGRAM_BOT_TOKEN."""
    import os

    username = given or os.environ.get("CONFBOT_BOT_USERNAME", "").strip()
    if username:
        return username
    if not settings.token:
        raise ConfigError(
            "Which bot do the codes open? Give its username with --bot (or set "
            "CONFBOT_BOT_USERNAME), or set TELEGRAM_BOT_TOKEN to ask Telegram."
        )
    return asyncio.run(_username_from_telegram(settings.token, settings.api_url))


def _qr(args: argparse.Namespace) -> int:
    """The door QR codes: DIR/doors.pdf and a PNG per page."""
    from pathlib import Path

    from bot.content import ContentError, load_content_or_raise
    from bot.doors import DoorError, clean_username, plan_doors, write_doors

    try:
        settings = Settings.from_env()
        content_dir = Path(args.content) if args.content else settings.content_dir
        content, _warnings = load_content_or_raise(content_dir)
        username = clean_username(_bot_username(args.bot, settings))
    except (ConfigError, ContentError, DoorError) as exc:
        print(exc, file=sys.stderr)
        return 2
    out = Path(args.out)
    plan = plan_doors(content, username)
    files = write_doors(plan, str(content.event.name), out)
    print(f"Door codes for @{username}, {len(plan.pages)} pages:")
    print(f"  {files.pdf} (A4)")
    for page, png in zip(plan.pages, files.pngs, strict=True):
        label = page.kind if page.kind == "poster" else f"{page.kind} {page.key}"
        print(f"  {png}  {label}: {page.link}")
    for session in plan.cancelled:
        print(f"Skipped session {session.id} ({session.title}): cancelled.")
    for path in files.removed:
        print(f"Removed {path}: from an earlier run, its session or room has no page now.")
    return 0


# The emulator is a development tool in a distribution of its own (emulator/), absent from a
# production install; the commands that need it say so in one line instead of a traceback.
EMULATOR_MISSING = (
    "The Bot API emulator is not installed; in the confbot checkout run: pip install -e ./emulator"
)


def _main_needing_emulator(module: str) -> Callable[..., int] | None:
    """The ``main`` of ``module``, which needs the emulator; None, said in one line, without it."""
    try:
        main: Callable[..., int] = importlib.import_module(module).main
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] != "botapi_emulator":
            raise
        print(EMULATOR_MISSING, file=sys.stderr)
        return None
    return main


def _preview(args: argparse.Namespace) -> int:
    preview_main = _main_needing_emulator("bot.preview")
    return 2 if preview_main is None else preview_main(args)


def _emulator(argv: list[str]) -> int:
    emulator_main = _main_needing_emulator("botapi_emulator")
    return 2 if emulator_main is None else emulator_main(argv, prog="python -m bot emulator")


def _check(argv: list[str]) -> int:
    from bot.content.check import main as check_main

    return check_main(argv)


def _import(argv: list[str]) -> int:
    from bot.content.import_cli import main as import_main

    return import_main(argv)


def _schema(argv: list[str]) -> int:
    from bot.content.schema import main as schema_main

    return schema_main(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m bot", description="confbot")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser(
        "run",
        help="run the bot: long polling, or a webhook with CONFBOT_WEBHOOK_URL "
        "(needs TELEGRAM_BOT_TOKEN)",
    )
    run.add_argument(
        "--at",
        metavar="'YYYY-MM-DD HH:MM'",
        help="rehearse: start the bot's clock at this moment of the event (event "
        "time zone) instead of now",
    )
    preview = sub.add_parser(
        "preview", help="chat with the bot in this terminal, through the local emulator"
    )
    preview.add_argument(
        "--as",
        dest="role",
        choices=("attendee", "staff", "organiser"),
        default="attendee",
        help="who you are in the chat",
    )
    preview.add_argument(
        "--at",
        metavar="'YYYY-MM-DD HH:MM'",
        help="set the bot's clock to this moment of the event (event time "
        "zone); 'event' means the opening of the event",
    )
    preview.add_argument("--db", help="SQLite file (default: a temporary file)")
    preview.add_argument("--content", help="content folder (default: CONFBOT_CONTENT or content/)")
    reset = sub.add_parser(
        "reset-feedback",
        help="delete all feedback answers and the record of the feedback secret (CONFBOT_DB)",
    )
    reset.add_argument("--yes", action="store_true", help="really delete them")
    faq_export = sub.add_parser(
        "faq-export", help="print the FAQ entries added from the inbox as faq.yaml"
    )
    faq_export.add_argument("--db", help="SQLite file (default: CONFBOT_DB)")
    backup = sub.add_parser(
        "backup",
        help="copy the live database (CONFBOT_DB) to FILE, safely while the bot runs",
    )
    backup.add_argument("file", metavar="FILE", help="where to write the copy")
    backup.add_argument("--db", help="SQLite file to copy (default: CONFBOT_DB)")
    backup.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    qr = sub.add_parser(
        "qr", help="door QR codes: a printable A4 PDF and PNGs of the bot's deep links"
    )
    qr.add_argument("--out", required=True, metavar="DIR", help="folder to write them to")
    qr.add_argument(
        "--bot",
        metavar="USERNAME",
        help="the bot's username (default: CONFBOT_BOT_USERNAME, else asked of Telegram "
        "with TELEGRAM_BOT_TOKEN)",
    )
    qr.add_argument("--content", help="content folder (default: CONFBOT_CONTENT or content/)")
    sub.add_parser("emulator", help="run the local Telegram Bot API emulator", add_help=False)
    sub.add_parser("check", help="validate a content folder: check [DIR]", add_help=False)
    sub.add_parser("schema", help="print or write the content JSON Schemas", add_help=False)
    sub.add_parser(
        "import",
        help="import a pretalx/frab schedule.xml or .json: import FILE --out DIR",
        add_help=False,
    )

    # emulator/check/schema/import parse their own arguments.
    if argv and argv[0] in ("emulator", "check", "schema", "import"):
        handler = {
            "emulator": _emulator,
            "check": _check,
            "schema": _schema,
            "import": _import,
        }[argv[0]]
        return handler(argv[1:])
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.command == "run" else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    commands = {
        "run": _run,
        "preview": _preview,
        "reset-feedback": _reset_feedback,
        "faq-export": _faq_export,
        "backup": _backup,
        "qr": _qr,
    }
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
