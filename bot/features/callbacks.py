"""Typed callback data, and the one way a button press is handled.

Every feature defines the buttons of its namespace once, as small frozen dataclasses built on
:class:`CallbackData` (after aiogram's ``CallbackData``): a prefix, typed fields, one separator,
``pack()`` with Telegram's 64-byte check, and ``parse()`` that returns None for anything that is
not exactly a button we make. Other features import those classes; nobody spells another
feature's strings.

Press handling (:func:`button_handler`): answer the query exactly once, parse with the feature's
class, and reply politely to a button that is malformed, forged or out of date.

The menu's own button (namespace ``m``) is defined here rather than in :mod:`bot.features.menu`:
every feature links back to the menu, and the menu imports every feature to build itself.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, Literal, Self, TypeVar

from telegram import CallbackQuery, InlineKeyboardButton, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler

from bot.features.common import permitted, reply
from bot.runtime import Context

log = logging.getLogger(__name__)

SEP = ":"
MAX_CALLBACK_BYTES = 64  # Telegram's limit on callback_data, in UTF-8 bytes
MAX_NUMBER_DIGITS = 9
_NUMBER = re.compile(rf"[0-9]{{1,{MAX_NUMBER_DIGITS}}}")
# The ids of sessions, rooms, speakers and FAQ entries, as the content schema allows them.
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")

TEXT_STALE = "This button is out of date. Here is the menu."


def number(text: str) -> int | None:
    """A non-negative number written in ASCII digits only, or None.

    ``str.isdigit()`` accepts "²" and "٣", which ``int()`` then refuses or reads; callback data
    comes from the outside, so only ``[0-9]`` counts, and not too many of them."""
    return int(text) if _NUMBER.fullmatch(text) else None


def content_id(text: str) -> str | None:
    """An id as the content schema allows it (session, room, speaker, FAQ entry), or None."""
    return text if _ID.fullmatch(text) else None


class CallbackData:
    """Base of every button's data: ``<prefix>:<part>:<part>...``.

    A namespace is one subclass that sets ``prefix`` (``class AgendaButton(CallbackData,
    prefix="ag")``) and implements :meth:`from_parts`; each kind of button is a frozen
    dataclass below it that implements :meth:`parts`. ``parse`` on any class of the namespace
    returns an instance of that class or None.
    """

    prefix: ClassVar[str]
    pattern: ClassVar[str]  # for the namespace's CallbackQueryHandler

    def __init_subclass__(cls, prefix: str | None = None, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if prefix is not None:
            if not prefix or SEP in prefix:
                raise ValueError(f"bad callback prefix {prefix!r}")
            cls.prefix = prefix
            cls.pattern = rf"^{re.escape(prefix)}{SEP}"

    def parts(self) -> tuple[str, ...]:
        """The parts after the prefix."""
        raise NotImplementedError

    @classmethod
    def from_parts(cls, parts: Sequence[str]) -> CallbackData | None:
        """The button the parts after the prefix name, or None; must never raise."""
        return None

    def pack(self) -> str:
        parts = [str(part) for part in self.parts()]
        if any(not part or SEP in part for part in parts):
            raise ValueError(f"empty part or {SEP!r} in a part of {type(self).__name__}: {parts}")
        data = SEP.join([self.prefix, *parts])
        if len(data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def parse(cls, data: object) -> Self | None:
        """The button ``data`` packs, if it is one of this class; None for anything else."""
        if not isinstance(data, str) or len(data.encode(errors="replace")) > MAX_CALLBACK_BYTES:
            return None
        prefix, sep, rest = data.partition(SEP)
        if not sep or prefix != getattr(cls, "prefix", None):
            return None
        found = cls.from_parts(rest.split(SEP))
        return found if isinstance(found, cls) else None


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data.pack())


# --- the menu's buttons (namespace ``m``), handled by bot.features.menu --------------------------


class MenuButton(CallbackData, prefix="m"):
    @classmethod
    def from_parts(cls, parts: Sequence[str]) -> CallbackData | None:
        match parts:
            case [page] if page in MenuPage.PAGES:
                return MenuPage(page)
        return None


@dataclass(frozen=True)
class MenuPage(MenuButton):
    """``m:home`` (the main menu) and ``m:about``."""

    PAGES: ClassVar[tuple[str, ...]] = ("home", "about")
    page: str = "home"

    def parts(self) -> tuple[str, ...]:
        return (self.page,)


HOME = MenuPage("home")


# --- answering a press ----------------------------------------------------------------------

D = TypeVar("D", bound=CallbackData)
R = TypeVar("R")


class AnswerOnce:
    """The answer to one callback query, given at most once (Telegram refuses a second)."""

    def __init__(self, query: CallbackQuery) -> None:
        self.query = query
        self.given = False

    async def __call__(self, text: str | None = None, *, show_alert: bool = False) -> None:
        if self.given:
            log.warning("second answer %r to the callback query %r dropped", text, self.query.data)
            return
        self.given = True
        await self.query.answer(text, show_alert=show_alert)


StaleReply = Callable[[Update, Context, AnswerOnce], Awaitable[None]]


class Press(Generic[D]):
    """One press of a button: its parsed data, and the answer Telegram waits for.

    ``answer`` may be awaited at most once with a text or alert of the handler's own;
    :func:`button_handler` gives an empty answer if the handler did not."""

    def __init__(
        self, update: Update, context: Context, data: D, answer: AnswerOnce, stale: StaleReply
    ) -> None:
        self.update = update
        self.context = context
        self.data = data
        self.answer = answer
        self._stale = stale

    async def stale(self) -> None:
        """The polite answer to a button whose subject is gone (a note and the menu)."""
        await self._stale(self.update, self.context, self.answer)


async def stale_reply(update: Update, context: Context, answer: AnswerOnce) -> None:
    """A forged, malformed or outdated button: a polite note and the menu, never a traceback."""
    # The menu is built from every feature's buttons, and every feature uses this: imported
    # when needed so that features never import the menu.
    from bot.features.menu import render_menu

    await answer(TEXT_STALE)
    await reply(update, *render_menu(context.bot_data.event.content))


async def stale_button(update: Update, context: Context) -> None:
    """The last-resort handler of any callback query no feature took."""
    query = update.callback_query
    if query is None:
        return
    await stale_reply(update, context, AnswerOnce(query))


def button_handler(
    data_type: type[D],
    body: Callable[[Update, Context, Press[D]], Awaitable[R | None]],
    *,
    pattern: str | None = None,
    role: Literal["staff", "organiser"] | None = None,
    stale: StaleReply = stale_reply,
    ended: R | None = None,
) -> CallbackQueryHandler:
    """A handler for the buttons of ``data_type``'s namespace (or of ``pattern``).

    In order: a permission check when ``role`` is given (refused: an alert, nothing shown);
    parsing (malformed or forged: ``stale``); then ``body`` with the typed press. The query is
    answered exactly once whatever happens, with no text if nobody gave one. ``ended`` is what
    the handler returns when ``body`` did not run (a ConversationHandler reads it)."""

    async def handle(update: Update, context: Context) -> R | None:
        query = update.callback_query
        if query is None:
            return ended
        if role is not None and not await permitted(
            update, context.bot_data, role, f"button {query.data!r}"
        ):
            return ended  # permitted() answered with the refusal
        answer = AnswerOnce(query)
        data = data_type.parse(query.data)
        if data is None:
            await _answered(answer, stale(update, context, answer))
            return ended
        return await _answered(
            answer, body(update, context, Press(update, context, data, answer, stale))
        )

    return CallbackQueryHandler(handle, pattern=pattern or data_type.pattern)


async def _answered(answer: AnswerOnce, work: Awaitable[R]) -> R:
    """Run ``work``, then answer the query if it did not, even when it failed."""
    try:
        result = await work
    except Exception:
        if not answer.given:
            try:
                await answer()
            except TelegramError:  # the error being raised matters more than this one
                log.debug("could not answer a failed callback query", exc_info=True)
        raise
    if not answer.given:
        await answer()
    return result
