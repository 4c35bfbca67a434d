"""Content texts given in several languages: a string, or a mapping by language code."""

from __future__ import annotations

from pathlib import Path

from bot.content import load_content
from bot.content.models import Localized
from bot.content.schema import json_schema
from bot.i18n import tr, use_language
from tests.content.conftest import Edit

TITLE = (
    "    title:\n"
    '      en: "IASIA Board of Management meeting"\n'
    '      fr: "Réunion du Conseil de direction de l\'AIEIA"\n'
)
TRANSLATED = (
    "    title:\n"
    '      en: "IASIA Board of Management meeting"\n'
    '      fr: "Réunion du Conseil de direction de l\'IASIA"\n'
)


def test_text_by_language_reads_as_default_and_translates(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", TITLE, TRANSLATED)

    content = load_content(folder).content

    assert content is not None
    title = content.sessions_by_id["gov-1"].title
    assert isinstance(title, Localized)
    assert title == "IASIA Board of Management meeting"
    assert title.in_language("fr") == "Réunion du Conseil de direction de l'IASIA"
    assert title.in_language("fr-CA") == "Réunion du Conseil de direction de l'IASIA"
    assert title.in_language("ar") == "IASIA Board of Management meeting"
    with use_language("fr"):
        assert tr(title) == "Réunion du Conseil de direction de l'IASIA"
        assert tr("plain") == "plain"


def test_default_language_of_event_is_the_plain_value(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", TITLE, TRANSLATED)
    edit("event.yaml", "language: en", "language: fr")

    content = load_content(folder).content

    assert content is not None
    assert content.sessions_by_id["gov-1"].title == "Réunion du Conseil de direction de l'IASIA"


def test_translation_key_must_be_a_language_code(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", TITLE, "    title:\n      English: Board meeting\n")

    result = load_content(folder)

    assert [(p.field, p.message) for p in result.errors] == [
        ("sessions[1].title", "'English' is not a language code (write en: ..., fr: ...)")
    ]


def test_missing_translation_is_a_warning_when_event_lists_languages(
    folder: Path, edit: Edit
) -> None:
    # The bundled event lists French and translates every text it gives by language; a title
    # left in English only, and a language the event does not translate into, are reported.
    edit("sessions.yaml", TITLE, '    title:\n      en: "IASIA Board of Management meeting"\n')

    result = load_content(folder)

    assert result.content is not None
    assert [(p.field, p.message) for p in result.warnings if "translation" in p.message] == [
        ("sessions[1].title", "no translation in fr")
    ]

    edit("event.yaml", "languages: [fr]", "languages: [fr, ar]")

    warnings = load_content(folder).warnings
    missing = {p.field: p.message for p in warnings if "translation" in p.message}

    assert missing.pop("sessions[1].title") == "no translation in fr, ar"
    assert missing and set(missing.values()) == {"no translation in ar"}


def test_faq_answer_is_checked_in_every_language(folder: Path, edit: Edit) -> None:
    edit("faq.yaml", "        Les informations Wi-Fi", "        <b>Les informations Wi-Fi")

    result = load_content(folder)

    assert [p.field for p in result.errors] == ["faq[0].answer.fr"]


def test_json_schema_accepts_a_text_or_its_translations() -> None:
    title = json_schema()["sessions.yaml"]["$defs"]["Session"]["properties"]["title"]

    kinds = [option["type"] for option in title["anyOf"]]
    assert kinds == ["string", "object"]
