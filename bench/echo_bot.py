"""A bare python-telegram-bot echo bot: the baseline that ``bench/updates.py`` runs confbot against.

One ``Application`` with one ``MessageHandler`` replying each text with itself, polling like
confbot does (``run_polling`` with its defaults), configured by the same environment:
``TELEGRAM_BOT_TOKEN``, ``TELEGRAM_API_URL`` and ``TELEGRAM_FILE_URL`` (the local emulator's
addresses). Stops on SIGTERM or Ctrl-C.

Run: ``TELEGRAM_BOT_TOKEN=... TELEGRAM_API_URL=http://127.0.0.1:8081/bot python bench/echo_bot.py``
"""

from __future__ import annotations

import logging
import os

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.message is not None and update.message.text is not None:
        await update.message.reply_text(update.message.text)


def main() -> None:
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    builder = ApplicationBuilder().token(os.environ["TELEGRAM_BOT_TOKEN"])
    if api_url := os.environ.get("TELEGRAM_API_URL"):
        builder = builder.base_url(api_url)
    if file_url := os.environ.get("TELEGRAM_FILE_URL"):
        builder = builder.base_file_url(file_url)
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(allowed_updates=[Update.MESSAGE])


if __name__ == "__main__":
    main()
