"""Arabic questions, Modern Standard and dialects (Darija, Egyptian, Levantine, Gulf): the
clitics, the dialects' time and question words and fillers, through the real answerer."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain import lexicon
from bot.domain.ask import Answerer, Target
from tests.domain.asking import MONDAY_9, best_of, example, example_answerer


def test_clitic_forms_arabic_include_conjunction_preposition_and_article() -> None:
    forms = lexicon.arabic_clitic_forms(lexicon.normalise("جلسة"))

    assert {"والجلسه", "بالجلسه", "للجلسه", "فجلسه"} <= set(forms)


def test_clitic_forms_arabic_short_word_has_none() -> None:
    # "ب" + "نت" (the net) is "بنت", a girl.
    assert lexicon.arabic_clitic_forms("نت") == []


def test_vocabulary_arabic_word_with_conjunction_is_its_concept() -> None:
    words = lexicon.words_of("والاجتماعية")

    assert [t.key for t in lexicon.terms(words, ("ar",))] == ["social"]


def test_vocabulary_arabic_stop_word_with_conjunction_is_a_stop_word() -> None:
    assert "ومن" in lexicon.vocabulary("ar").stop_words


def test_light_stem_arabic_ta_marbuta_before_a_pronoun_is_the_noun() -> None:
    assert lexicon.light_stem("شنطتي") == lexicon.light_stem("شنطه")


def test_vocabulary_arabic_dialect_future_verb_is_its_concept() -> None:
    # Egyptian "ح" + "يتكلم" (will speak).
    assert [t.key for t in lexicon.terms(["حيتكلم"], ("ar",))] == ["speaker"]


@pytest.mark.parametrize(
    "text",
    ["ماذا يجري الآن", "ماذا يحدث الآن", "شنو واقع دابا", "شو عم يصير هلق"],
)
def test_what_is_on_now_arabic_is_the_now_listing(answerer: Answerer, text: str) -> None:
    assert best_of(answerer.answer(text, MONDAY_9)) == (Target.listing, "now")


@pytest.mark.parametrize("text", ["ومن بعد؟", "وبعدين؟"])
def test_and_after_arabic_is_the_next_listing(answerer: Answerer, text: str) -> None:
    assert best_of(answerer.answer(text, MONDAY_9)) == (Target.listing, "next")


@pytest.mark.parametrize("text", ["العشية", "هاد العشية شنو كاين"])
def test_darija_aachiya_is_the_afternoon_listing(answerer: Answerer, text: str) -> None:
    assert best_of(answerer.answer(text, MONDAY_9)) == (Target.listing, "2022-07-25:afternoon")


def test_today_with_an_ordinal_arabic_is_that_day_of_the_event(answerer: Answerer) -> None:
    first = best_of(answerer.answer("برنامج اليوم الأول", MONDAY_9))
    second = best_of(answerer.answer("اليوم الثاني", MONDAY_9))

    assert (first, second) == (
        (Target.listing, "2022-07-24:day"),
        (Target.listing, "2022-07-25:day"),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("فين نركن السيارة", (Target.faq, "transport")),
        ("فين نباركي الطوموبيل", (Target.faq, "transport")),
        ("صيفط ليا اللوكاسيون", (Target.venue, "map")),
        ("ابعتلي الموقع", (Target.venue, "address")),
        ("ندوة الحكامة", (Target.session, "undesa-panel")),
        ("كيفاش نوصل بالطرامواي", (Target.faq, "transport")),
        ("صيفط ليا الخريطة", (Target.venue, "map")),
        ("فين نسول", (Target.venue, "help-desk")),
        ("وين بقدر اسأل", (Target.venue, "help-desk")),
        ("هل في مصعد للكراسي المتحركة", (Target.faq, "accessibility")),
        ("كاين بث مباشر؟", (Target.faq, "online")),
    ],
)
def test_practical_question_in_darija_or_levantine_finds_the_answer(
    answerer: Answerer, text: str, expected: tuple[Target, str]
) -> None:
    assert best_of(answerer.answer(text, MONDAY_9)) == expected


def test_anyone_arabic_is_not_sunday() -> None:
    # "أحد" alone is "anyone" ("leave no one behind"); Sunday is "الأحد".
    keys = [t.key for t in lexicon.terms(lexicon.words_of("عدم ترك أحد"), ("ar",))]

    assert "sunday" not in keys


def test_nisba_bases_arabic_nationality_gives_the_country() -> None:
    assert "المانيا" in lexicon.arabic_nisba_bases(lexicon.normalise("الألمانية"))


def test_nationality_arabic_finds_the_speaker_from_that_country(answerer: Answerer) -> None:
    # Fatimetou Mint Abdel Malick's country is Mauritania: "الموريتانية", the Mauritanian.
    answer = answerer.answer("الرئيسة الموريتانية", MONDAY_9)

    assert best_of(answer) == (Target.speaker, "mint-abdel-malick")


def test_name_particle_arabic_written_apart_meets_the_joined_latin_name(
    answerer: Answerer,
) -> None:
    # "Ra'ed Benshams": "بن شمس" is one name in Latin letters.
    answer = answerer.answer("الدكتور بن شمس", MONDAY_9)

    assert best_of(answer) == (Target.speaker, "benshams")


@pytest.mark.parametrize(("text", "wrong"), [("تلاوة", "tuesday"), ("الفعالة", "session")])
def test_terms_arabic_word_is_not_a_concept_its_snowball_stem_collides_with(
    text: str, wrong: str
) -> None:
    # "تلاوة" (a recitation) and "التلات" (Tuesday) have one Snowball stem; so do "الفعالة"
    # (effective) and "فعالية" (an event).
    keys = [t.key for t in lexicon.terms(lexicon.words_of(text), ("ar",))]

    assert wrong not in keys


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("عالمسرح", "stage"),  # Levantine "على" + article
        ("كتسالي", "end"),  # Darija progressive "ك" on a verb
        ("هيبتدي", "start"),  # Egyptian future "ه" on a verb
        ("تبداو", "start"),  # Darija plural "و" on a verb
    ],
)
def test_terms_arabic_dialect_clitic_on_a_word_keeps_its_concept(text: str, concept: str) -> None:
    assert [t.key for t in lexicon.terms(lexicon.words_of(text), ("ar",))] == [concept]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("شو في مسا اليوم", (Target.listing, "2022-07-25:evening")),
        ("ايه اللي بيحصل دلوقتي", (Target.listing, "now")),
        ("وش فيه الحين", (Target.listing, "now")),
        ("شو في بكرا الصبح", (Target.listing, "2022-07-26:morning")),
        ("نهار الثلاثاء شنو كاين", (Target.listing, "2022-07-26:day")),
    ],
)
def test_time_question_in_a_dialect_is_the_listing(
    answerer: Answerer, text: str, expected: tuple[Target, str]
) -> None:
    assert best_of(answerer.answer(text, MONDAY_9)) == expected


def test_normalise_arabic_persian_keyboard_letters_are_the_arabic_ones() -> None:
    # Keyboards set to Persian or Urdu write "ک" and "ی" for kaf and ya.
    assert lexicon.normalise("کیف") == lexicon.normalise("كيف")


def test_skeleton_maghrebi_g_meets_the_latin_g() -> None:
    # Moroccan names with the g written "ڭ": "بوڭرين" is "Bougrine".
    assert lexicon.skeleton("بوڭرين") == lexicon.skeleton("bougrine")


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("مفيش واي فاي", ["wifi"]),  # Egyptian "is there no"
        ("عندكمش واي فاي", ["wifi"]),  # Egyptian "don't you have"
        ("ماتلغاتش", ["cancelled"]),  # Darija "was it not cancelled"
    ],
)
def test_terms_arabic_dialect_negation_with_final_shin_keeps_the_meaning(
    text: str, keys: list[str]
) -> None:
    assert [t.key for t in lexicon.terms(lexicon.words_of(text), ("ar",))] == keys


def test_terms_arabic_standard_future_prefix_on_a_verb_keeps_its_concept() -> None:
    # "سيتحدث" is "س" + "يتحدث" (will speak).
    assert [t.key for t in lexicon.terms(["سيتحدث"], ("ar",))] == ["speaker"]


def test_available_now_in_standard_arabic_is_the_now_listing(answerer: Answerer) -> None:
    # "المتاحة" (available) is a filler, not a subject.
    answer = answerer.answer("ما هي الجلسات المتاحة الآن", MONDAY_9)

    assert best_of(answer) == (Target.listing, "now")


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("الوزاني", "ouazzani"),  # French "ou" before a vowel is w
        ("تشارلز", "charles"),  # Arabic "تش" is Latin ch
        ("كريستوف", "christophe"),  # Greek "chr" is kr
        ("ظريف", "zarif"),  # ظ is mostly spelt z
    ],
)
def test_skeleton_arabic_name_meets_its_latin_spelling(arabic: str, latin: str) -> None:
    assert lexicon.skeleton(lexicon.normalise(arabic)) == lexicon.skeleton(latin)


def test_skeleton_arabic_name_with_its_article_meets_the_joined_latin_spelling() -> None:
    # "العمراني" is "Amrani" or, the article joined, "Elamrani".
    word = lexicon.normalise("العمراني")

    assert (lexicon.skeleton(word), lexicon.skeleton(word, keep_article=True)) == (
        lexicon.skeleton("amrani"),
        lexicon.skeleton("elamrani"),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("صباح الخير، شنو البرنامج اليوم", (Target.listing, "2022-07-25:day")),
        ("مساء الخير شو في هلق", (Target.listing, "now")),
    ],
)
def test_greeting_arabic_is_not_a_part_of_the_day(
    answerer: Answerer, text: str, expected: tuple[Target, str]
) -> None:
    # "صباح الخير" is "good morning", not a question about the morning.
    assert best_of(answerer.answer(text, MONDAY_9)) == expected


@pytest.mark.parametrize("text", ["برنامج 26 يوليوز", "برنامج 26 تموز", "برنامج 26 جويلية"])
def test_date_with_a_regional_arabic_month_name_is_that_day(answerer: Answerer, text: str) -> None:
    # July in Morocco, the Levant and Algeria.
    assert best_of(answerer.answer(text, MONDAY_9)) == (Target.listing, "2022-07-26:day")


def test_room_lettered_in_arabic_is_that_latin_letter() -> None:
    lisbon = example("lisbon")
    now = dt.datetime(2026, 10, 23, 10, 0, tzinfo=lisbon.tz)
    # The abjad order: alef, ba, jim, dal are A, B, C, D.
    answer = Answerer(lisbon).answer("قاعة ب فين", now)
    assert best_of(answer) == (Target.room, "room-b")


def test_day_number_beyond_the_event_is_a_date_of_the_month() -> None:
    camp = example("camp2019")
    now = dt.datetime(2019, 8, 22, 11, 0, tzinfo=camp.tz)
    # The camp has six days: "نهار 25" is 25 August.
    answer = Answerer(camp).answer("نهار الاحد 25 شنو فيه", now)
    assert best_of(answer) == (Target.listing, "2019-08-25:day")


def test_track_in_arabic_is_the_track_listing() -> None:
    hackathon = example("hackathon")
    now = dt.datetime(2027, 3, 13, 10, 0, tzinfo=hackathon.tz)
    answer = Answerer(hackathon).answer("مسار المناخ", now)
    assert best_of(answer) == (Target.listing, "track:climate")


@pytest.mark.parametrize("word", ["بتكون", "كنقدر", "حيكون"])
def test_stop_words_arabic_filler_verb_with_dialect_prefix_is_a_filler(word: str) -> None:
    assert word in lexicon.vocabulary("ar").stop_words


@pytest.mark.parametrize(
    ("text", "absent"),
    [("تلات دقايق", "tuesday"), ("واحد بيضايقني", "sunday")],
)
def test_terms_arabic_number_word_is_not_a_weekday(text: str, absent: str) -> None:
    # "تلات" is three (Tuesday is "التلات"), "واحد" someone (Sunday is "الأحد").
    keys = [t.key for t in lexicon.terms(lexicon.words_of(text), ("ar",))]
    assert absent not in keys


@pytest.mark.parametrize("text", ["اشنو داير دابا", "هسع شو في", "شنو دايز دابا فالبرنامج"])
def test_dialect_what_is_on_now_arabic_is_the_now_listing(answerer: Answerer, text: str) -> None:
    assert best_of(answerer.answer(text, MONDAY_9)) == (Target.listing, "now")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وقت الغدا فين", (Target.faq, "lunch")),
        ("مكتب التسجيل فين", (Target.room, "registration-desk")),
    ],
)
def test_darija_practical_question_finds_its_answer(
    answerer: Answerer, text: str, expected: tuple[Target, str]
) -> None:
    assert best_of(answerer.answer(text, MONDAY_9)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وين الشاور", (Target.faq, "showers")),
        ("البيتزا امتى", (Target.session, "pizza")),
        ("امتى توزيع الجوائز", (Target.session, "awards")),
        ("شنو خاصني نجيب معايا", (Target.faq, "what-to-bring")),
        # Harassment and whom to tell: the awareness team, not the rules.
        ("واحد كيضايقني شكون نبلغ", (Target.faq, "awareness")),
    ],
)
def test_dialect_question_at_the_hackathon_finds_its_answer(
    text: str, expected: tuple[Target, str]
) -> None:
    hackathon = example("hackathon")
    now = dt.datetime(2027, 3, 13, 10, 0, tzinfo=hackathon.tz)
    assert best_of(Answerer(hackathon).answer(text, now)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وين الفوييه", (Target.room, "foyer")),
        ("مدينة الربع ساعة", (Target.session, "keynote-sat")),
        # A topic the content lacks ("responsible AI") keeps the AI it begins with, and its
        # first word is not read as the name Tiago.
        ("الذكاء الاصطناعي المسؤول في المشتريات", (Target.session, "ai-procurement")),
        # "المرضى" (patients) is a subject, not the name Marta.
        ("نشر بيانات المرضى", (Target.session, "health-data")),
    ],
)
def test_arabic_subject_words_find_the_lisbon_session(
    text: str, expected: tuple[Target, str]
) -> None:
    lisbon = example("lisbon")
    now = dt.datetime(2026, 10, 23, 10, 0, tzinfo=lisbon.tz)
    assert best_of(Answerer(lisbon).answer(text, now)) == expected


def test_terms_arabic_for_lunch_is_lunch_not_tomorrow() -> None:
    # "للغدا" is "الغدا" (lunch) after "ل"; bare "غدا" is tomorrow and takes no article.
    assert [t.key for t in lexicon.terms(["للغدا"], ("ar",))] == ["lunch"]


def test_when_does_the_conference_start_arabic_is_not_a_place(answerer: Answerer) -> None:
    # Like "when does the conference start": the conference, not the venue's map or access.
    query_keys = [t.key for t in lexicon.terms(lexicon.words_of("امتى كيبدا المؤتمر"), ("ar",))]
    assert "venue" not in query_keys
    assert best_of(answerer.answer("عنوان المؤتمر", MONDAY_9)) == (Target.venue, "address")


def test_i_want_to_know_arabic_is_said_before_the_question() -> None:
    words = lexicon.without_stop_phrases(lexicon.words_of("ابي اعرف وين الحمام"), ("ar",))
    assert words == lexicon.words_of("وين الحمام")


def test_title_arabic_the_event_lacks_is_not_read_as_a_name() -> None:
    # Lisbon's content has no "president": "رئيس" is a title, not the speaker Rocha.
    lisbon = example("lisbon")
    now = dt.datetime(2026, 10, 23, 10, 0, tzinfo=lisbon.tz)
    answer = Answerer(lisbon).answer("مين رئيس البرنامج", now)
    assert best_of(answer) != (Target.speaker, "catarina-rocha")


@pytest.mark.parametrize(("arabic", "latin"), [("كويلو", "coelho"), ("بينيرو", "pinheiro")])
def test_skeleton_portuguese_lh_and_nh_meet_their_arabic_spelling(arabic: str, latin: str) -> None:
    assert lexicon.skeleton(lexicon.normalise(arabic)) == lexicon.skeleton(latin)


@pytest.mark.parametrize("text", ["عافاك فين الدوش", "الله يعافيك وين الشاور"])
def test_please_in_the_dialects_is_said_around_the_question(text: str) -> None:
    hackathon = example("hackathon")
    now = dt.datetime(2027, 3, 13, 10, 0, tzinfo=hackathon.tz)
    assert best_of(Answerer(hackathon).answer(text, now)) == (Target.faq, "showers")


@pytest.mark.parametrize("word", ["هانا", "سالي"])
def test_stop_words_arabic_name_like_a_prefixed_filler_is_not_a_filler(word: str) -> None:
    # "ه" + "انا" is Hannah, "س" + "الي" Sally: only verbs take the dialect prefixes.
    assert word not in lexicon.vocabulary("ar").stop_words


def test_clitic_forms_arabic_demonstrative_takes_the_place_of_the_article() -> None:
    # Levantine and Gulf "هالمسا" is "this evening": "ها" + the article of "المسا".
    assert "هالمسا" in lexicon.arabic_clitic_forms("المسا")
    assert "هالمسا" not in lexicon.arabic_clitic_forms("مسا")


def test_vocabulary_arabic_stop_word_is_not_a_clitic_form_of_another_word() -> None:
    # Darija "كاين" (there is) is not "ك" + "اين" (like where).
    assert [t.key for t in lexicon.terms(["كاين"], ("ar",))] == ["there"]


def _lisbon_friday_10() -> dt.datetime:
    return dt.datetime(2026, 10, 23, 10, 0, tzinfo=example("lisbon").tz)


def _hackathon_saturday_11() -> dt.datetime:
    return dt.datetime(2027, 3, 13, 11, 0, tzinfo=example("hackathon").tz)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("شو في هالمسا", (Target.listing, "2026-10-23:evening")),
        ("فيه شي بهالوقت", (Target.listing, "now")),
        ("حدا بيضايقني لمين احكي", (Target.faq, "code-of-conduct")),
        ("الطابق كام room b", (Target.room, "room-b")),
        # Iraqi "what's on now", Algerian "what's happening now" ("درك" is now, "الدرك" the
        # gendarmerie).
        ("شكو ماكو هسه", (Target.listing, "now")),
        ("واش راهو صاري درك", (Target.listing, "now")),
    ],
)
def test_dialect_question_lisbon_finds_the_answer(text: str, expected: tuple[Target, str]) -> None:
    answer = example_answerer("lisbon").answer(text, _lisbon_friday_10())

    assert best_of(answer) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وين ندوش", (Target.faq, "showers")),
        ("شو عاملين هلق", (Target.listing, "now")),
        ("ورشة للناس اللي اول مرة", (Target.session, "ws-git")),
        ("Okafor عطيني نبذة", (Target.speaker, "amara-okafor")),
    ],
)
def test_dialect_question_hackathon_finds_the_answer(
    text: str, expected: tuple[Target, str]
) -> None:
    answer = example_answerer("hackathon").answer(text, _hackathon_saturday_11())

    assert best_of(answer) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("النشيد الوطني امتى", (Target.session, "plen-1")),
        ("البلدان في الأوضاع الخاصة", (Target.session, "undesa-panel")),
        ("شنو النتائج المتوقعة", (Target.faq, "objectives")),
        ("رئيسة جهة نواكشوط", (Target.speaker, "mint-abdel-malick")),
        ("واش الورشة لاي واحد", (Target.faq, "audience")),
    ],
)
def test_title_words_arabic_meet_the_english_content(
    answerer: Answerer, text: str, expected: tuple[Target, str]
) -> None:
    assert best_of(answerer.answer(text, MONDAY_9)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("امتى غايبدا المؤتمر", "start"), ("فوقاش غاتسالي الجلسة", "end")],
)
def test_darija_future_prefix_on_a_verb_keeps_its_concept(text: str, expected: str) -> None:
    # Moroccan "غا" + "يبدا" (will start), "غا" + "تسالي" (will end).
    keys = [t.key for t in lexicon.terms(lexicon.words_of(text), ("ar",))]

    assert expected in keys


def _camp_thursday_14() -> dt.datetime:
    return dt.datetime(2019, 8, 22, 14, 0, tzinfo=example("camp2019").tz)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("صنع لعبة فيديو في ويكند", "b6e4c4bc0b92"),  # Making video games in a weekend
        ("عدد الوفيات لكل تيراواط ساعة", "a3626607cc24"),  # Deaths per TWh
        ("دومينات مزورة بحروف شبه بعض", "8e3d703a61a1"),  # ... when homographs attack
    ],
)
def test_title_words_arabic_meet_the_camp_talk(text: str, expected: str) -> None:
    answer = example_answerer("camp2019").answer(text, _camp_thursday_14())

    assert best_of(answer) == (Target.session, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("بنتي عندها 16 سنة تقدر تشارك", (Target.faq, "age")),
        ("القاعة C فاش من طابق", (Target.room, "room-c")),
    ],
)
def test_my_child_and_which_floor_in_the_dialects_find_the_answer(
    text: str, expected: tuple[Target, str]
) -> None:
    # "My daughter is 16, can she take part": her age; Darija "فاش من طابق", which floor.
    event = "hackathon" if expected[0] is Target.faq else "lisbon"
    now = _hackathon_saturday_11() if event == "hackathon" else _lisbon_friday_10()

    assert best_of(example_answerer(event).answer(text, now)) == expected


def test_normalise_arabic_letters_of_borrowed_sounds_are_the_plain_letters() -> None:
    # Moroccan and Egyptian keyboards write v, g and p with their own letters.
    assert lexicon.normalise("ڤيديو ڭاع پيتزا") == lexicon.normalise("فيديو كاع بيتزا")


def test_light_stem_arabic_noun_with_a_pronoun_loses_its_ending_as_the_noun_does() -> None:
    # "خصوصيتي" (my privacy) is "خصوصية" + "ي": both lose the ending "ية".
    assert lexicon.light_stem("خصوصيتي") == lexicon.light_stem("خصوصيه")


@pytest.mark.parametrize(
    ("with_pronoun", "alone"), [("جلساته", "جلسات"), ("تليفوني", "تليفون"), ("شنطتي", "شنطه")]
)
def test_light_stem_arabic_word_with_a_pronoun_is_the_word_alone(
    with_pronoun: str, alone: str
) -> None:
    # "His sessions" is "sessions" + "ه": a plural's "ات" is no ta marbuta.
    assert lexicon.light_stem(with_pronoun) == lexicon.light_stem(alone)
