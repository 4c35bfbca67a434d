"""The interface's languages: choosing one, translating, and formatting for it."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import i18n
from bot.i18n import (
    FSI,
    PDI,
    _,
    current_language,
    format_clock,
    format_day,
    isolate,
    language_in_text,
    language_name,
    ngettext,
    own_name,
    own_name_in_text,
    pick_language,
    use_language,
)

PO = r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

msgid "Hello"
msgstr "Bonjour"

msgid "{n} session"
msgid_plural "{n} sessions"
msgstr[0] "{n} séance"
msgstr[1] "{n} séances"

#, fuzzy
msgid "Unsure"
msgstr "Pas sûr"
"""


@pytest.fixture
def french_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "confbot.po").write_text(PO, encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    i18n.translations.cache_clear()
    yield
    i18n.translations.cache_clear()


def test_available_languages_are_english_and_each_catalogue(french_catalogue: None) -> None:
    assert i18n.available_languages() == ("en", "fr")


def test_translation_follows_current_language(french_catalogue: None) -> None:
    assert _("Hello") == "Hello"
    with use_language("fr"):
        assert _("Hello") == "Bonjour"
        assert ngettext("{n} session", "{n} sessions", 1) == "{n} séance"
        assert ngettext("{n} session", "{n} sessions", 3) == "{n} séances"
        assert _("Unsure") == "Unsure"  # a fuzzy translation is a guess: not used
        assert _("Not in the catalogue") == "Not in the catalogue"
    assert current_language() == "en"


def test_pick_language_prefers_choice_then_telegram_then_event(french_catalogue: None) -> None:
    assert pick_language("fr", "en-GB", "en") == "fr"
    assert pick_language(None, "fr-CA", "en") == "fr"
    assert pick_language(None, "de", "fr") == "fr"
    assert pick_language(None, None, "de") == "en"
    assert pick_language("xx", "pt_BR", "en") == "en"


async def test_language_of_one_task_does_not_leak_into_another(french_catalogue: None) -> None:
    seen: dict[str, str] = {}

    async def handle(name: str, language: str) -> None:
        i18n.set_language(language)
        await asyncio.sleep(0.01)
        seen[name] = _("Hello")

    await asyncio.gather(handle("a", "fr"), handle("b", "en"))

    assert seen == {"a": "Bonjour", "b": "Hello"}
    assert current_language() == "en"


def test_days_and_times_are_formatted_for_the_reader() -> None:
    day = dt.date(2022, 7, 24)
    assert format_day(day) == "Sun 24 Jul"
    assert format_clock(dt.time(13, 5)) == "13:05"
    with use_language("fr"):
        assert format_day(day) == "dim. 24 juil."
    with use_language("ar"):
        assert format_day(day) == f"{FSI}الأحد، 24 يوليوز{PDI}"
        assert format_clock(dt.time(13, 5)) == "13:05"


def test_isolate_only_in_right_to_left_messages() -> None:
    assert isolate("09:30") == "09:30"
    with use_language("ar"):
        assert isolate("09:30") == f"{FSI}09:30{PDI}"


def test_language_names_in_reader_language_and_their_own() -> None:
    assert language_name("pt") == "Portuguese"
    assert language_name("pt-BR") == "Portuguese (Brazil)"
    assert language_name("zz-unknown-code") == "zz-unknown-code"
    with use_language("fr"):
        assert language_name("pt") == "Portugais"
    assert own_name("ar") == "العربية"
    assert own_name("fr") == "Français"


def test_language_names_in_running_text_keep_the_language_case() -> None:
    assert own_name_in_text("fr") == "français"
    assert own_name_in_text("en") == "English"
    assert own_name_in_text("ar") == "العربية"
    with use_language("fr"):
        assert language_in_text("pt") == "portugais"
    assert language_in_text("zz-unknown-code") == "zz-unknown-code"
