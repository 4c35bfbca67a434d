"""Remembers who talks to the bot in private (id, language, first and last seen) before any
feature runs, and follows them blocking and unblocking it.

Only a private chat counts: someone seen only in a group never started the bot, so they are not
stored and get no reminders (Telegram would refuse to send them anything anyway). A user who
blocks or unblocks the bot is told by a ``my_chat_member`` update for the private chat (new
status ``kicked`` or ``member``), which marks them blocked and cancels what was planned for
them, or unblocks them and plans it again.
"""

from __future__ import annotations

import datetime as dt

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.ext import Application, ChatMemberHandler, TypeHandler

from bot.domain.team import display_name
from bot.features.menu import set_default_commands, set_role_commands
from bot.features.permissions import in_private
from bot.i18n import current_language, set_language
from bot.runtime import Context

LANGUAGE_GROUP = -3

# Writing last_seen on every update would put a disk write on the hot path for no gain;
# once per user per interval is enough to know who is active.
TOUCH_INTERVAL = dt.timedelta(minutes=5)


async def choose_language(update: Update, context: Context) -> None:
    """Speak the sender's language for the rest of this update: every ``_()`` below every later
    handler translates into it (a context variable of the update's task; see bot/i18n.py)."""
    user = update.effective_user
    svc = context.bot_data
    if user is None or user.is_bot:
        set_language(svc.default_language)
        return
    set_language(await svc.language_of(user.id, user.language_code))


async def remember_user(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None or user.is_bot or update.my_chat_member is not None or not in_private(update):
        return
    svc = context.bot_data
    now = svc.now()
    last_touch = svc.last_touch
    previous = last_touch.get(user.id)
    if previous is not None and abs(now - previous) < TOUCH_INTERVAL:
        return
    if await svc.store.touch_user(user.id, user.language_code, now):
        # A newcomer is owed the reminders of the sessions for everyone.
        await svc.replan(user.id)
    last_touch[user.id] = now
    if not svc.default_commands_set:
        svc.default_commands_set = await set_default_commands(context.bot, svc.default_language)
    team = svc.team
    if team.is_staff(user.id):
        # The name /team and /audit show them by, as Telegram gives it now.
        await team.note_name(
            user.id, display_name(user.first_name, user.last_name, user.username), now
        )
        if user.id not in svc.role_commands_set:
            if await set_role_commands(context.bot, team, user.id, current_language()):
                svc.role_commands_set.add(user.id)


async def membership_changed(update: Update, context: Context) -> None:
    """A user blocked the bot (``kicked``) or unblocked it (``member``) in their private chat."""
    change = update.my_chat_member
    if change is None or change.chat.type != ChatType.PRIVATE:
        return  # the bot added to or removed from a group: nobody's reminders change
    svc = context.bot_data
    user_id = change.from_user.id
    status = change.new_chat_member.status
    if status == ChatMember.BANNED:
        changed = await svc.store.mark_blocked(user_id, svc.now())
    elif status == ChatMember.MEMBER:
        changed = await svc.store.mark_unblocked(user_id)
    else:
        return
    if changed:
        # Blocked: what was planned is cancelled (nothing is planned for a blocked user).
        # Unblocked: reminders and prompts still ahead are planned again.
        await svc.replan(user_id)


def register(application: Application) -> None:
    # The lowest group of all, before feedback's comment handler (group -2) answers anything.
    application.add_handler(TypeHandler(Update, choose_language), group=LANGUAGE_GROUP)
    # Group -1 runs before the features' group 0 and does not stop them.
    application.add_handler(TypeHandler(Update, remember_user), group=-1)
    application.add_handler(ChatMemberHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER))
