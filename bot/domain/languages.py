"""Languages of sessions by name, from Babel's locale data (CLDR), never from lists of our own.

Content gives languages as codes (``pt``, ``pt-BR``); attendees read and type names: "Portuguese",
"portugais", "português". Codes Babel does not know keep their code as their only name.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

# The languages attendees are expected to type a language's name in, besides its own name.
NAME_LOCALES = ("en", "fr", "de", "pt", "es", "ar")


@cache
def _locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def language_name(code: str, in_language: str = "en") -> str:
    """The language's name in ``in_language`` ("Portuguese", "Portuguese (Brazil)"), or the
    code itself when Babel does not know it."""
    locale = _locale(code)
    name = locale.get_display_name(in_language) if locale is not None else None
    return name or code


def spoken_list(codes: tuple[str, ...] | list[str], in_language: str = "en") -> str:
    """ "Portuguese and English", "Portuguese, English and French": names joined for a sentence."""
    names = [language_name(code, in_language) for code in codes]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


@cache
def language_names(code: str) -> tuple[str, ...]:
    """Every name attendees may type for the language: in the six languages questions are
    understood in and in the language itself, for the full code and for its base language
    ("pt" of "pt-BR"); the code first. Duplicates are left out."""
    names = [code]
    locale = _locale(code)
    if locale is not None:
        base = _locale(locale.language)
        for one in (locale, base):
            if one is None:
                continue
            names += [one.get_display_name(other) or "" for other in NAME_LOCALES]
            names.append(one.get_display_name() or "")
    return tuple(dict.fromkeys(name for name in names if name))
