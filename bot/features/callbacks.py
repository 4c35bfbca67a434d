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

import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from typing import (
    Annotated,
    Any,
    ClassVar,
    Generic,
    Literal,
    Self,
    TypeVar,
    get_origin,
    get_type_hints,
)

from telegram import CallbackQuery, InlineKeyboardButton, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler

from bot.features.permissions import in_private, permitted, private_only
from bot.features.send import reply
from bot.i18n import N_, _
from bot.runtime import Context

log = logging.getLogger(__name__)

SEP = ":"
MAX_CALLBACK_BYTES = 64  # Telegram's limit on callback_data, in UTF-8 bytes
MAX_NUMBER_DIGITS = 9
_NUMBER = re.compile(rf"[0-9]{{1,{MAX_NUMBER_DIGITS}}}")
# The ids of sessions, rooms, speakers and FAQ entries, as the content schema allows them.
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")

_DAY_KEY = re.compile(r"[0-9]{8}")

TEXT_STALE = N_("This button is out of date. Here is the menu.")

T = TypeVar("T")
V = TypeVar("V")


def number(text: str) -> int | None:
    """A non-negative number written in ASCII digits only, or None.

    ``str.isdigit()`` accepts "²" and "٣", which ``int()`` then refuses or reads; callback data
    comes from the outside, so only ``[0-9]`` counts, and not too many of them."""
    return int(text) if _NUMBER.fullmatch(text) else None


def content_id(text: str) -> str | None:
    """An id as the content schema allows it (session, room, speaker, FAQ entry), or None."""
    return text if _ID.fullmatch(text) else None


def day_key(day: dt.date) -> str:
    """A day as callback data writes it: ``YYYYMMDD``."""
    return day.strftime("%Y%m%d")


def parse_day_key(key: str) -> dt.date | None:
    """The day a day key names, or None."""
    # strptime reads any Unicode digit; a day key is eight ASCII ones.
    if not _DAY_KEY.fullmatch(key):
        return None
    try:
        return dt.date(int(key[:4]), int(key[4:6]), int(key[6:]))
    except ValueError:
        return None


class Part(Generic[V]):
    """How one field of a button is written in its callback data, and read back.

    ``read`` raises ValueError for text that is not a value this part writes; parsing then
    returns None."""

    def __init__(self, write: Callable[[V], str], read: Callable[[str], V]) -> None:
        self.write = write
        self.read = read


def _checked(value: T | None) -> T:
    if value is None:
        raise ValueError("not a value of this part")
    return value


def one_of(choices: Collection[str]) -> Part[str]:
    """A part that is one of a fixed set of words."""
    return Part(str, lambda text: _checked(text if text in choices else None))


# The part of a field by its type, when its annotation does not name one (``Annotated``).
PARTS: dict[object, Part[Any]] = {
    int: Part(str, lambda text: _checked(number(text))),
    str: Part(str, lambda text: _checked(content_id(text))),
    bool: Part(lambda on: "1" if on else "0", lambda text: {"1": True, "0": False}[text]),
    dt.date: Part(day_key, lambda text: _checked(parse_day_key(text))),
}


class CallbackData:
    """Base of every button's data: ``<prefix>:<action>:<field>:<field>...``.

    A namespace is one subclass that sets ``prefix`` (``class AgendaButton(CallbackData,
    prefix="ag")``); each kind of button is a frozen dataclass below it that names its
    ``action`` (``class AgendaSession(AgendaButton, action="s")``) and has typed fields, each
    written as one part: an ``int`` in ASCII digits, a ``str`` as a content id, a ``bool`` as
    ``1``/``0``, a date as its day key, or as the :class:`Part` an ``Annotated`` field names.
    A namespace with a grammar of its own overrides :meth:`parts` and :meth:`from_parts`.
    ``parse`` on any class of the namespace returns an instance of that class or None.
    """

    prefix: ClassVar[str]
    pattern: ClassVar[str]  # for the namespace's CallbackQueryHandler
    # The kind's first part. Not named ``action``: feedback's buttons have a field of that name.
    _action: ClassVar[str]
    _kinds: ClassVar[dict[str, type[CallbackData]]]  # the namespace's kinds by action

    def __init_subclass__(
        cls, prefix: str | None = None, action: str | None = None, **kwargs: object
    ) -> None:
        super().__init_subclass__(**kwargs)
        if prefix is not None:
            if not prefix or SEP in prefix:
                raise ValueError(f"bad callback prefix {prefix!r}")
            cls.prefix = prefix
            cls.pattern = rf"^{re.escape(prefix)}{SEP}"
            cls._kinds = {}
        if action is not None:
            if not action or SEP in action or action in cls._kinds:
                raise ValueError(f"bad or repeated action {action!r} in {cls.__name__}")
            cls._action = action
            cls._kinds[action] = cls

    def parts(self) -> tuple[str, ...]:
        """The parts after the prefix: the action, then each field."""
        fields = _fields(type(self))
        return (self._action, *(part.write(getattr(self, name)) for name, part in fields))

    @classmethod
    def from_parts(cls, parts: Sequence[str]) -> CallbackData | None:
        """The button the parts after the prefix name, or None; must never raise."""
        kind = cls._kinds.get(parts[0]) if getattr(cls, "_kinds", None) else None
        if kind is None:
            return None
        fields = _fields(kind)
        if len(parts) != 1 + len(fields):
            return None
        try:
            values = [part.read(text) for (_, part), text in zip(fields, parts[1:], strict=True)]
        except (ValueError, KeyError):
            return None
        return kind(*values)

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


_FIELDS: dict[type[CallbackData], tuple[tuple[str, Part[Any]], ...]] = {}


def _fields(kind: type[CallbackData]) -> tuple[tuple[str, Part[Any]], ...]:
    """The dataclass fields of a kind of button, in order, each with its part.

    Read on first use (a class is a dataclass only once its decorator has run, after
    ``__init_subclass__``), then kept."""
    if kind in _FIELDS:
        return _FIELDS[kind]
    hints = get_type_hints(kind, include_extras=True)
    found: list[tuple[str, Part[Any]]] = []
    for field in dataclasses.fields(kind):  # type: ignore[arg-type]  # every kind is a dataclass
        hint = hints[field.name]
        if get_origin(hint) is Annotated:
            part = next(m for m in hint.__metadata__ if isinstance(m, Part))
        else:
            part = PARTS[hint]
        found.append((field.name, part))
    _FIELDS[kind] = tuple(found)
    return _FIELDS[kind]


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data.pack())


# --- the menu's buttons (namespace ``m``), handled by bot.features.menu --------------------------


class MenuButton(CallbackData, prefix="m"):
    # The menu's one kind of button has no action: the page is the only part.
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

    await answer(_(TEXT_STALE))
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
    private: bool | Callable[[D], str | None] = False,
    stale: StaleReply = stale_reply,
    ended: R | None = None,
) -> CallbackQueryHandler:
    """A handler for the buttons of ``data_type``'s namespace (or of ``pattern``).

    In order: a permission check when ``role`` is given (refused: an alert, nothing shown; a
    role's buttons work in private chats only); parsing (malformed or forged: ``stale``); when
    ``private`` is set, a press in a group is answered with a pointer to the private chat and
    nothing is edited (``private`` may be a function giving the deep link's start parameter
    for the button); then ``body`` with the typed press. The query is answered exactly once
    whatever happens, with no text if nobody gave one. ``ended`` is what the handler returns
    when ``body`` did not run (a ConversationHandler reads it)."""

    async def handle(update: Update, context: Context) -> R | None:
        query = update.callback_query
        if query is None:
            return ended
        if role is not None and not await permitted(
            update, context.bot_data, role, f"button {query.data!r}"
        ):
            return ended  # permitted() answered with the refusal
        data = data_type.parse(query.data)
        if data is not None and private and not in_private(update):
            start = private(data) if callable(private) else None
            await private_only(update, f"button {query.data!r}", start=start)
            return ended  # private_only() answered with the pointer
        answer = AnswerOnce(query)
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
