"""A real ``telegram.ext.Application`` long-polls the emulator and answers a command."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from tests_emulator.conftest import TOKEN


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_html(f"<b>Welcome</b>, {' '.join(context.args or [])}")


async def test_application_polling_replies_to_start(emu) -> None:
    app = (
        ApplicationBuilder().token(TOKEN).base_url(emu.api_url).base_file_url(emu.file_url).build()
    )
    app.add_handler(CommandHandler("start", start))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        await emu.send_from_user(42, "/start s_plen-1", first_name="Ann")

        (reply,) = await emu.wait_for_messages(42, count=1, timeout=5)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()

    assert reply.plain_text == "Welcome, s_plen-1"
    assert reply.entities == [{"offset": 0, "length": 7, "type": "bold"}]
    stats = await emu.stats()
    assert stats.requests_by_method["deleteWebhook"] == 1
    assert stats.requests_by_method["getUpdates"] >= 1
