"""Remembers who talks to the bot (id, language, first and last seen) before any feature runs."""

from __future__ import annotations

import datetime as dt

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.features.menu import set_default_commands, set_role_commands
from bot.runtime import Context

# Writing last_seen on every update would put a disk write on the hot path for no gain;
# once per user per interval is enough to know who is active.
TOUCH_INTERVAL = dt.timedelta(minutes=5)


async def remember_user(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None or user.is_bot:
        return
    svc = context.bot_data
    now = svc.now()
    last_touch = svc.last_touch
    previous = last_touch.get(user.id)
    if previous is not None and abs(now - previous) < TOUCH_INTERVAL:
        return
    if await svc.store.touch_user(user.id, user.language_code, now):
        # A newcomer is owed the reminders of the sessions for everyone; someone back after
        # blocking the bot gets back what was cancelled when they blocked it.
        await svc.replan(user.id)
    last_touch[user.id] = now
    if not svc.default_commands_set:
        svc.default_commands_set = await set_default_commands(context.bot)
    if user.id not in svc.role_commands_set and svc.settings.is_staff(user.id):
        if await set_role_commands(context.bot, svc.settings, user.id):
            svc.role_commands_set.add(user.id)


def register(application: Application) -> None:
    # Group -1 runs before the features' group 0 and does not stop them.
    application.add_handler(TypeHandler(Update, remember_user), group=-1)
