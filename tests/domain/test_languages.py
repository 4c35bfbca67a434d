from __future__ import annotations

from bot.domain.languages import language_name, language_names, spoken_list


def test_language_name_in_english_by_default() -> None:
    assert language_name("pt") == "Portuguese"
    assert language_name("pt-BR") == "Portuguese (Brazil)"
    assert language_name("fr", "pt") == "francês"


def test_unknown_code_is_its_own_name() -> None:
    assert language_name("xq") == "xq"
    assert language_names("xq") == ("xq",)


def test_spoken_list_joins_names_for_a_sentence() -> None:
    assert spoken_list(("pt",)) == "Portuguese"
    assert spoken_list(("pt", "en")) == "Portuguese and English"
    assert spoken_list(("pt", "en", "fr")) == "Portuguese, English and French"


def test_names_in_the_six_question_languages_and_its_own() -> None:
    assert language_names("pt") == (
        "pt",
        "Portuguese",
        "portugais",
        "Portugiesisch",
        "português",
        "portugués",
        "البرتغالية",
    )
    assert language_names("de") == (
        "de",
        "German",
        "allemand",
        "Deutsch",
        "alemão",
        "alemán",
        "الألمانية",
    )


def test_regional_code_also_answers_to_its_base_language() -> None:
    names = language_names("pt-BR")
    assert "Portuguese (Brazil)" in names and "Portuguese" in names and "português" in names
