"""The languages of the interface: gettext catalogues compiled by Babel, the reader's language
for the current update or delivery, and dates and times formatted by Babel for that language.

Catalogues live in ``bot/locales/<lang>/LC_MESSAGES/confbot.po`` (English is the source language
and has none). They are compiled in memory by Babel when first needed, so the repository holds
no binary ``.mo`` files and a catalogue can never be out of date with its ``.po``. Adding a
language is adding a catalogue: ``pybabel init`` (see ``scripts/i18n.sh``).

The reader's language is a context variable: a handler (or the sender, per delivery) sets it once
with :func:`use_language`, and every ``_()`` below it, however deep, translates into it. asyncio
copies context variables into each task, so concurrent updates never see each other's language.

Texts defined at module level are marked with :func:`N_` (kept in English, extracted for the
catalogue) and translated when sent with ``_()``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parent / "locales"
DOMAIN = "confbot"
SOURCE_LANGUAGE = "en"
# Babel locales for formatting: British English writes "Sun 24 Jul" and 24-hour times, as the
# bot always has; Arabic as written in Morocco (the bundled event's host) keeps 24-hour times.
FORMAT_LOCALE = {"en": "en_GB", "ar": "ar_MA"}
# A long day as the bot has always written it in English ("Sunday 24 July 2022", no comma);
# other languages take their locale's full date.
LONG_DAY_PATTERN = {"en": "EEEE d MMMM y"}
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})

# Unicode isolates: mixed-direction text (a Latin title, a time, an emoji in an Arabic line)
# keeps its own order inside them without reordering the sentence around it.
FSI, PDI = "\u2068", "\u2069"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=SOURCE_LANGUAGE)


def available_languages() -> tuple[str, ...]:
    """The interface's languages: English and every language with a catalogue, sorted."""
    found = {
        path.parent.parent.name
        for path in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po")
        if path.is_file()
    }
    return (SOURCE_LANGUAGE, *sorted(found - {SOURCE_LANGUAGE}))


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language``; English and unknown languages translate nothing."""
    path = LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == SOURCE_LANGUAGE or not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as stream:
        catalog = read_po(stream, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def supported(code: str | None) -> str | None:
    """The interface language for a Telegram ``language_code`` ("fr-CA" -> "fr"), or None."""
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in available_languages() else None


def pick_language(chosen: str | None, telegram_code: str | None, event_default: str) -> str:
    """The language to speak to someone: their own choice (``/language``), else their Telegram
    app's language when the bot has it, else the event's default (else English)."""
    return (
        supported(chosen) or supported(telegram_code) or supported(event_default) or SOURCE_LANGUAGE
    )


def current_language() -> str:
    return _current.get()


@contextmanager
def use_language(language: str) -> Iterator[None]:
    """Translate into ``language`` inside the block (and in tasks started from it)."""
    token = _current.set(language)
    try:
        yield
    finally:
        _current.reset(token)


def set_language(language: str) -> None:
    """Translate into ``language`` for the rest of the current task (one update's handling)."""
    _current.set(language)


def _(message: str) -> str:
    """``message`` in the current language."""
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``, in the current language."""
    return translations(_current.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it yet (module-level texts)."""
    return message


def babel_locale(language: str | None = None) -> Locale:
    code = language or _current.get()
    try:
        return Locale.parse(FORMAT_LOCALE.get(code, code))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(FORMAT_LOCALE[SOURCE_LANGUAGE])


def is_rtl(language: str | None = None) -> bool:
    return (language or _current.get()) in RTL_LANGUAGES


def isolate(text: str) -> str:
    """``text`` as a unit of its own direction inside a right-to-left message; unchanged in a
    left-to-right one (isolates there would only add invisible characters)."""
    return f"{FSI}{text}{PDI}" if is_rtl() else text


def format_day(day: dt.date) -> str:
    """``Sun 24 Jul``, ``dim. 24 juil.``, ``الأحد، 24 يوليوز``: a day in the reader's language."""
    return isolate(format_skeleton("MMMEd", day, locale=babel_locale()))


def format_day_long(day: dt.date) -> str:
    """``Sunday 24 July 2022`` and its equivalents."""
    pattern = LONG_DAY_PATTERN.get(_current.get(), "full")
    return isolate(format_date(day, pattern, locale=babel_locale()))


def format_clock(moment: dt.datetime | dt.time) -> str:
    """``13:05``: a 24-hour wall-clock time (given in the event's zone)."""
    value = (
        moment
        if isinstance(moment, dt.datetime)
        else dt.datetime.combine(dt.date(2000, 1, 1), moment)
    )
    return format_skeleton("Hm", value, locale=babel_locale())


def language_in_text(code: str, in_language: str | None = None) -> str:
    """The name of the language ``code`` ("pt", "pt-BR") as running text in the reader's
    language: "Portuguese", "portugais", "البرتغالية" (Babel's CLDR names, lower-case where the
    language writes them so); the code itself when Babel does not know it."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return code
    return locale.get_display_name(babel_locale(in_language)) or code


def language_name(code: str, in_language: str | None = None) -> str:
    """The name of the language ``code`` on its own, as on a button or a label: capitalised
    ("Portuguese", "Portugais"); the code itself when Babel does not know it."""
    name = language_in_text(code, in_language)
    return name[:1].upper() + name[1:] if name != code else code


def own_name(code: str) -> str:
    """A language's name in itself ("Français", "العربية"), for the language picker."""
    return language_name(code, code)


def own_name_in_text(code: str) -> str:
    """A language's name in itself as running text ("français", "English", "العربية")."""
    return language_in_text(code, code)


def tr(text: str) -> str:
    """A content text in the reader's language: a text given in several languages in the YAML
    (``bot.content.models.Localized``) gives its translation, any other text itself."""
    in_language = getattr(text, "in_language", None)
    return in_language(_current.get()) if in_language is not None else text
