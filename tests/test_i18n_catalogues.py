"""The catalogues: every text of the code is in the template and translated into every
language, each translation keeping its message's placeholders and HTML tags."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot import i18n

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = i18n.LOCALES / f"{i18n.DOMAIN}.pot"
# The keywords of scripts/i18n.sh (pybabel extract -k _ -k N_ -k ngettext:1,2).
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
LANGUAGES = ("fr", "ar")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
TAG = re.compile(r"</?(?:b|i|s|u|code|pre|a)(?: [^>]*)?>")  # the HTML Telegram reads


def code_messages() -> set[str | tuple[str, ...]]:
    found: set[str | tuple[str, ...]] = set()
    for folder in ("bot", "scheduler"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, keywords=KEYWORDS, comment_tags=()
        ):
            found.add(message if isinstance(message, str) else tuple(message))
    return found


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream, locale=locale)


def messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def key(message: Message) -> str | tuple[str, ...]:
    return message.id if isinstance(message.id, str) else tuple(message.id)


def sorted_tags(text: str) -> list[str]:
    return sorted(TAG.findall(text))


def test_template_is_up_to_date_with_the_code() -> None:
    # bash scripts/i18n.sh update, after changing a text of the code.
    assert {key(m) for m in messages(read(TEMPLATE))} == code_messages()


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_every_message_translated(language: str) -> None:
    path = i18n.LOCALES / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    catalog = read(path, language)
    found = {key(m): m for m in messages(catalog)}
    assert set(found) >= code_messages()
    missing = [
        key(m)
        for m in found.values()
        if m.fuzzy
        or not (m.string if isinstance(m.string, str) else all(m.string))
        or (not isinstance(m.string, str) and len(m.string) != catalog.num_plurals)
    ]
    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_and_tags(language: str) -> None:
    catalog = read(i18n.LOCALES / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po", language)
    broken = []
    for message in messages(catalog):
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        wanted_placeholders = set(PLACEHOLDER.findall(ids[-1]))
        wanted_tags = sorted_tags(ids[-1])
        for string in strings:
            if set(PLACEHOLDER.findall(string)) != wanted_placeholders:
                broken.append((ids[0], string, "placeholders"))
            if sorted_tags(string) != wanted_tags:
                broken.append((ids[0], string, "tags"))
    assert broken == []


def test_every_catalogue_compiles_and_is_an_interface_language() -> None:
    assert i18n.available_languages() == ("en", "ar", "fr")
    for language in LANGUAGES:
        i18n.translations.cache_clear()
        with i18n.use_language(language):
            assert i18n._("Cancel") != "Cancel"
    i18n.translations.cache_clear()


def test_plural_forms_follow_each_language() -> None:
    singular, plural = "{count} session", "{count} sessions"
    with i18n.use_language("fr"):
        assert [i18n.ngettext(singular, plural, n) for n in (0, 1, 2)] == [
            "{count} séance",
            "{count} séance",
            "{count} séances",
        ]
    with i18n.use_language("ar"):
        assert [i18n.ngettext(singular, plural, n) for n in (1, 2, 3, 11, 100)] == [
            "{count} جلسة",
            "{count} جلستان",
            "{count} جلسات",
            "{count} جلسة",
            "{count} جلسة",
        ]
