"""Feedback in plain Python: pseudonyms, questions, aggregation, the minimum-group rule, exports,
charts, and the feedback section of event.yaml as the loader checks it."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.content import Content, load_content
from bot.domain.feedback import (
    EXPORT_FIXED_COLUMNS,
    FeedbackAnswer,
    NextStep,
    Step,
    build_csv,
    build_xlsx,
    comment_due,
    distribution_chart,
    export_table,
    feedback_closed,
    feedback_closes_at,
    means_chart,
    next_step,
    open_for_feedback,
    prompt_deadline,
    prompt_due,
    pseudonym,
    questions_for,
    secret_check,
    summarise,
    summarise_event,
    visible_groups,
)
from bot.features.feedback import FeedbackButton
from bot.i18n import use_language
from tests.conftest import CONTENT_DIR

CASABLANCA = dt.timezone(dt.timedelta(hours=1))
# The workshop (26 July) closes for feedback at the end of 27 July, event time.
WORKSHOP_OPEN = dt.datetime(2022, 7, 27, 23, 59, tzinfo=CASABLANCA)
WORKSHOP_CLOSED = dt.datetime(2022, 7, 28, 0, 0, tzinfo=CASABLANCA)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def answer(
    respondent: str,
    rating: int | None,
    group: str | None = None,
    session: str = "undesa-workshop",
    comment: str | None = None,
    answers: dict[str, int | str | None] | None = None,
    answered_at: dt.datetime = dt.datetime(2022, 7, 26, 12, 40, 17, tzinfo=dt.UTC),
) -> FeedbackAnswer:
    return FeedbackAnswer(
        session_id=session,
        rating=rating,
        attended=rating is not None,
        comment=comment,
        answers=answers or {},
        group=group,
        answered_at=answered_at,
        respondent=respondent,
    )


def test_pseudonym_is_stable_per_secret_and_hides_the_id() -> None:
    key = pseudonym(b"secret", 1001)
    assert key == pseudonym(b"secret", 1001)
    assert key != pseudonym(b"secret", 1002)
    assert key != pseudonym(b"other", 1001)
    assert "1001" not in key and len(key) == 32


def test_questions_for_workshop_and_panel_only(bundled_timed: Content) -> None:
    settings = bundled_timed.event.feedback
    workshop = bundled_timed.sessions_by_id["undesa-workshop"]
    opening = bundled_timed.sessions_by_id["plen-1"]
    assert [q.id for q in questions_for(settings, workshop)] == ["partnerships", "practices"]
    assert questions_for(settings, opening) == []


def test_prompt_due_and_deadline_follow_the_session_end(bundled_timed: Content) -> None:
    opening = bundled_timed.sessions_by_id["plen-1"]
    assert prompt_due(bundled_timed, opening) == dt.datetime(2022, 7, 25, 11, 35, tzinfo=CASABLANCA)
    assert prompt_deadline(bundled_timed, opening) == dt.datetime(
        2022, 7, 27, 0, 0, tzinfo=CASABLANCA
    )


def test_open_for_feedback_lists_started_sessions_that_ask_latest_first(
    bundled_timed: Content,
) -> None:
    now = dt.datetime(2022, 7, 26, 14, 5, tzinfo=CASABLANCA)
    ids = [s.id for s in open_for_feedback(bundled_timed, now)]
    assert ids == ["undesa-panel", "undesa-workshop", "plen-1"]  # registration asks nothing


def test_visible_groups_hides_groups_under_the_minimum() -> None:
    assert visible_groups({"gov": 5, "cso": 4, "academia": 3, "intl": 0}, 3) == {
        "gov",
        "cso",
        "academia",
    }


def test_visible_groups_hides_a_second_group_when_one_could_be_inferred() -> None:
    # Hiding only "intl" (1) would leave its rating = total - shown; "cso" (3) goes too.
    assert visible_groups({"gov": 5, "cso": 3, "intl": 1}, 3) == {"gov"}
    assert visible_groups({"gov": 2, "cso": 1}, 3) == set()


def test_summarise_counts_ratings_absences_questions_and_rate(bundled_timed: Content) -> None:
    workshop = bundled_timed.sessions_by_id["undesa-workshop"]
    answers = [
        answer("a", 5, "gov", answers={"partnerships": 5, "practices": "yes"}),
        answer("b", 4, "gov", answers={"partnerships": 3, "practices": "no"}),
        answer("c", 4, "gov", answers={"partnerships": None}),
        answer("d", None, comment="Could not get in: the room was full"),
        answer("e", 2, "cso", comment="  "),
        answer("x", 1, session="undesa-panel"),
    ]
    summary = summarise(workshop, bundled_timed, answers, prompted={"a", "b", "d", "z"})
    assert (summary.answers, summary.ratings, summary.not_attended) == (5, 4, 1)
    assert summary.distribution == (0, 1, 0, 2, 1)
    assert summary.mean == pytest.approx(3.75)
    assert (summary.prompted, summary.responded_prompted, summary.response_rate) == (4, 3, 0.75)
    partnerships, practices = summary.questions
    assert (partnerships.answered, partnerships.mean) == (2, 4.0)
    assert practices.counts == (("Yes", 1), ("No", 1))
    assert [(g.label, g.ratings) for g in summary.groups] == []  # cso 1 < 3, so gov hides too
    assert summary.hidden_ratings == 4
    assert summary.comments == ("Could not get in: the room was full",)


def test_summarise_event_keeps_programme_order_and_skips_sessions_that_do_not_ask(
    bundled_timed: Content,
) -> None:
    summaries = summarise_event(bundled_timed, [answer("a", 5)], {})
    assert [s.session_id for s in summaries] == ["plen-1", "undesa-workshop", "undesa-panel"]
    assert summaries[1].ratings == 1 and summaries[0].ratings == 0


def test_export_table_has_no_ids_groups_or_times_finer_than_a_day(bundled_timed: Content) -> None:
    answers = [answer(f"r{n}", 4, "gov") for n in range(3)] + [answer("s", 2, "intl")]
    table = export_table(bundled_timed, answers, WORKSHOP_CLOSED)
    assert table.header == (*EXPORT_FIXED_COLUMNS, "partnerships", "practices", "comment")
    assert "group" not in table.header and "answered_at" not in table.header
    assert [row[3] for row in table.rows] == [dt.date(2022, 7, 26)] * 4
    for row in table.rows:
        assert not any(isinstance(v, dt.datetime) and v.time() != dt.time(9, 0) for v in row)
        assert not {"r0", "s", "Public servant", "gov", "intl"} & set(map(str, row))
    # intl alone would be inferable from the total: gov is hidden too, so no group at all.
    assert table.group_rows == ()
    table = export_table(bundled_timed, answers, WORKSHOP_CLOSED, min_group_size=1)
    assert [row[2:] for row in table.group_rows] == [
        ("Public servant", 3, 4.0),
        ("International organisation", 1, 2.0),
    ]


def test_export_table_holds_only_sessions_whose_feedback_closed(bundled_timed: Content) -> None:
    workshop = bundled_timed.sessions_by_id["undesa-workshop"]
    assert feedback_closes_at(bundled_timed, workshop) == WORKSHOP_CLOSED
    assert not feedback_closed(bundled_timed, "undesa-workshop", WORKSHOP_OPEN)
    assert feedback_closed(bundled_timed, "gone-session", WORKSHOP_OPEN)
    answers = [answer("a", 5), answer("b", 3, session="plen-1")]
    table = export_table(bundled_timed, answers, WORKSHOP_OPEN)
    assert table.sessions == {"plen-1"} and [row[0] for row in table.rows] == ["plen-1"]
    table = export_table(bundled_timed, answers, WORKSHOP_CLOSED)
    assert table.sessions == {"plen-1", "undesa-workshop"}


def test_export_rows_are_ordered_by_what_they_say_not_by_who(bundled_timed: Content) -> None:
    answers = [
        answer("zz", 5, "gov", comment="b"),
        answer("aa", 3, "cso"),
        answer("mm", 5, "gov", comment="a"),
    ]
    table = export_table(bundled_timed, answers, WORKSHOP_CLOSED)
    backwards = export_table(bundled_timed, list(reversed(answers)), WORKSHOP_CLOSED)
    renamed = [dataclasses.replace(a, respondent=a.respondent[::-1] + "x") for a in answers]
    assert table == backwards == export_table(bundled_timed, renamed, WORKSHOP_CLOSED)
    assert [(row[5], row[-1]) for row in table.rows] == [(3, None), (5, "a"), (5, "b")]


def test_two_exports_cannot_be_differenced_to_isolate_a_new_answer(bundled_timed: Content) -> None:
    # Four people answered the workshop (three from one group); a fifth answers later, while
    # feedback is still open. An export in between and one after must not differ by one row.
    before = [answer(f"p{n}", 4, "gov") for n in range(3)] + [answer("p3", 2, "cso")]
    late = answer("p4", 1, "intl", answered_at=dt.datetime(2022, 7, 27, 18, 5, tzinfo=dt.UTC))
    first = export_table(bundled_timed, before, WORKSHOP_OPEN)
    second = export_table(bundled_timed, [*before, late], WORKSHOP_OPEN)
    assert first == second  # the workshop is still open: nothing of it is exported yet
    assert "undesa-workshop" not in first.sessions
    # Once closed, no answer can come in or change (the service refuses them), so every later
    # export holds exactly the same rows for the workshop.
    closed = export_table(bundled_timed, [*before, late], WORKSHOP_CLOSED)
    later = export_table(bundled_timed, [*before, late], WORKSHOP_CLOSED + dt.timedelta(days=30))
    assert closed == later
    assert sum(1 for row in closed.rows if row[0] == "undesa-workshop") == 5


def test_summary_shows_groups_only_once_closed(bundled_timed: Content) -> None:
    workshop = bundled_timed.sessions_by_id["undesa-workshop"]
    answers = [answer(f"g{n}", 4, "gov") for n in range(4)]
    live = summarise(workshop, bundled_timed, answers, closed=False)
    assert (live.groups, live.hidden_ratings, live.closed) == ((), 4, False)
    final = summarise(workshop, bundled_timed, answers, closed=True)
    assert [(g.group, g.ratings) for g in final.groups] == [("gov", 4)]
    by_time = summarise_event(bundled_timed, answers, {}, now=WORKSHOP_OPEN)
    assert next(s for s in by_time if s.session_id == "undesa-workshop").groups == ()


def test_summary_comments_are_in_text_order_not_pseudonym_order(bundled_timed: Content) -> None:
    workshop = bundled_timed.sessions_by_id["undesa-workshop"]
    answers = [answer("a", 4, comment="zebra"), answer("b", 4, comment="apple")]
    assert summarise(workshop, bundled_timed, answers).comments == ("apple", "zebra")


def test_secret_check_tells_secrets_apart_without_showing_them() -> None:
    check = secret_check(b"s" * 40)
    assert check == secret_check(b"s" * 40) != secret_check(b"t" * 40)
    assert "s" * 8 not in check


def test_build_csv_neutralises_formulas_and_keeps_unicode(bundled_timed: Content) -> None:
    comment = "=1+1 \u202bمرحبا\u202c <script>"
    table = export_table(bundled_timed, [answer("a", 5, comment=comment)], WORKSHOP_CLOSED)
    data = build_csv(table)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][-1] == "'" + comment
    assert rows[1][2] == "2022-07-26 09:00"


def test_build_xlsx_writes_text_as_text_and_drops_control_characters(
    bundled_timed: Content,
) -> None:
    table = export_table(
        bundled_timed, [answer("a", 5, comment="=SUM(A1:A2)\x07 bell")], WORKSHOP_CLOSED
    )
    summaries = summarise_event(bundled_timed, [answer("a", 5)], {})
    workbook = load_workbook(io.BytesIO(build_xlsx(table, summaries)))
    cell = workbook["Answers"].cell(row=2, column=len(table.header))
    assert (cell.value, cell.data_type) == ("=SUM(A1:A2) bell", "s")
    assert workbook["Answers"].cell(row=2, column=3).value == dt.datetime(2022, 7, 26, 9, 0)
    assert [c.value for c in workbook["Sessions"][1]][:3] == [
        "session_id",
        "session_title",
        "session_start",
    ]


def test_charts_are_png(bundled_timed: Content) -> None:
    summaries = summarise_event(bundled_timed, [answer("a", 5), answer("b", 3)], {})
    assert distribution_chart(summaries[1]).startswith(PNG_MAGIC)
    assert distribution_chart(summaries[0]).startswith(PNG_MAGIC)  # no ratings yet
    assert means_chart(summaries).startswith(PNG_MAGIC)
    assert means_chart([]).startswith(PNG_MAGIC)


@pytest.mark.parametrize(
    ("data", "parsed"),
    [
        ("fb:plen-1:4", FeedbackButton("rate", "plen-1", 4)),
        ("fb:plen-1:n", FeedbackButton("absent", "plen-1")),
        ("fb:plen-1:q:1:0", FeedbackButton("question", "plen-1", 1, 0)),
        ("fb:plen-1:q:0:-", FeedbackButton("question", "plen-1", 0, None)),
        ("fb:_:g:academia", FeedbackButton("group", group="academia")),
        ("fb:_:f:1", FeedbackButton("follow_up", number=1)),
        ("fb:_:l:2", FeedbackButton("list", number=2)),
        ("fb:plen-1:6", None),
        ("fb:plen-1:0", None),
        ("fb:Plen:4", None),
        ("fb:_:g:admins", None),
        ("fb:plen-1:q:x:1", None),
        ("fb", None),
        ("", None),
        ("rp:l:0", None),
    ],
)
def test_parse_button_accepts_only_well_formed_data(
    data: str, parsed: FeedbackButton | None
) -> None:
    assert FeedbackButton.parse(data) == parsed


def _event_with_feedback(tmp_path: Path, section: str) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    event = folder / "event.yaml"
    text = event.read_text()
    event.write_text(text[: text.index("feedback:")] + section)
    return folder


def test_loader_reports_feedback_problems_with_file_line_and_field(tmp_path: Path) -> None:
    folder = _event_with_feedback(
        tmp_path,
        "feedback:\n"
        "  questions:\n"
        "    - {id: a, text: A?}\n"
        "    - {id: b, text: B?, type: yes_no}\n"
        "    - {id: c, text: C?, type: choice, options: [x]}\n"
        "    - {id: d, text: D?, sessions: [plen-9]}\n"
        "    - {id: a, text: E?, kinds: [meal]}\n",
    )
    result = load_content(folder)
    messages = [str(p) for p in result.errors]
    lines = (folder / "event.yaml").read_text().splitlines()
    line = lines.index("    - {id: c, text: C?, type: choice, options: [x]}") + 1
    assert result.content is None
    assert (
        f"{folder / 'event.yaml'}:{line}: feedback.questions[2]: error: "
        + ("a choice question needs between 2 and 8 options")
        in messages
    ), messages


def test_loader_refuses_more_than_three_questions_and_unknown_sessions(tmp_path: Path) -> None:
    folder = _event_with_feedback(
        tmp_path,
        "feedback:\n"
        "  questions:\n"
        "    - {id: a, text: A?}\n"
        "    - {id: b, text: B?, type: yes_no}\n"
        "    - {id: c, text: C?, type: choice, options: [x, y]}\n"
        "    - {id: d, text: D?, kinds: [ceremony]}\n"
        "    - {id: e, text: E?, sessions: [plen-9]}\n"
        "    - {id: a, text: F?, kinds: [meal]}\n",
    )
    messages = [str(p) for p in load_content(folder).errors]
    assert any(
        "feedback.questions[4].sessions[0]: error: unknown session 'plen-9'" in m for m in messages
    ), messages
    assert any(
        "feedback.questions[5].id: error: duplicate question id 'a'" in m for m in messages
    ), messages
    assert any(
        "would get 4 questions (a, b, c, d); keep it to at most 3 a session" in m for m in messages
    ), messages


def test_loader_accepts_a_session_delay(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    sessions = folder / "sessions.yaml"
    sessions.write_text(
        sessions.read_text().replace(
            "    for_everyone: true\n",
            "    for_everyone: true\n    feedback_delay_minutes: 30\n",
            1,
        )
    )
    result = load_content(folder)
    assert result.content is not None
    opening = result.content.sessions_by_id["plen-1"]
    assert opening.feedback_delay_minutes == 30
    assert prompt_due(result.content, opening).time() == dt.time(12, 0)


# --- the attendee's flow: what the card asks next ----------------------------------------------


def test_next_step_without_an_answer_asks_for_a_rating(content: Content) -> None:
    questions = questions_for(content.event.feedback, content.sessions_by_id["undesa-workshop"])
    assert next_step(questions, None) == NextStep(Step.RATE)
    assert next_step(questions, None, asking_comment=True) == NextStep(Step.RATE)


def test_next_step_after_absent_offers_the_rating(content: Content) -> None:
    questions = questions_for(content.event.feedback, content.sessions_by_id["undesa-workshop"])
    assert next_step(questions, answer("a", None)) == NextStep(Step.ABSENT)


def test_next_step_asks_questions_in_order_before_a_comment(content: Content) -> None:
    questions = questions_for(content.event.feedback, content.sessions_by_id["undesa-workshop"])
    assert [q.id for q in questions] == ["partnerships", "practices"]
    rated = answer("a", 4)
    assert next_step(questions, rated, asking_comment=True) == NextStep(Step.QUESTION, 0)
    skipped_first = answer("a", 4, answers={"partnerships": None})
    assert next_step(questions, skipped_first) == NextStep(Step.QUESTION, 1)


def test_next_step_after_the_questions_is_comment_or_done(content: Content) -> None:
    questions = questions_for(content.event.feedback, content.sessions_by_id["undesa-workshop"])
    full = answer("a", 4, answers={"partnerships": 5, "practices": "yes"})
    assert next_step(questions, full, asking_comment=True) == NextStep(Step.COMMENT)
    assert next_step(questions, full) == NextStep(Step.DONE)
    assert next_step([], answer("a", 2)) == NextStep(Step.DONE)


def test_comment_due_only_without_comment_and_questions_left(content: Content) -> None:
    questions = questions_for(content.event.feedback, content.sessions_by_id["undesa-workshop"])
    full = {"partnerships": 5, "practices": "yes"}
    assert comment_due(questions, answer("a", 4, answers=full))
    assert not comment_due(questions, answer("a", 4, answers={"partnerships": 5}))
    assert not comment_due(questions, answer("a", 4, answers=full, comment="Great"))
    assert not comment_due(questions, None)


def test_export_in_the_readers_language(bundled_timed: Content) -> None:
    answers = [
        answer("a", 5, "gov", answers={"practices": "yes"}),
        answer("b", None, comment="Salle pleine"),
    ]
    with use_language("fr"):
        table = export_table(bundled_timed, answers, WORKSHOP_CLOSED, min_group_size=1)
        data = build_csv(table)
        workbook = load_workbook(
            io.BytesIO(build_xlsx(table, summarise_event(bundled_timed, answers, {})))
        )

    assert table.header[:6] == (
        "id_séance",
        "titre_séance",
        "début_séance",
        "répondu_le",
        "présent",
        "note",
    )
    assert table.header[-3:] == ("partnerships", "practices", "commentaire")  # content ids kept
    assert [(row[4], row[5], row[-2]) for row in table.rows] == [
        ("non", None, None),
        ("oui", 5, "Oui"),
    ]
    assert table.rows[0][1].startswith("Reconstruire en mieux")  # the title in French
    assert table.group_rows[0][2] == "Fonction publique"
    assert data.startswith(b"\xef\xbb\xbf")  # still UTF-8 with a BOM for Excel
    assert next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[0] == "id_séance"
    assert workbook.sheetnames == ["Réponses", "Groupes", "Séances"]
    assert workbook["Groupes"]["C1"].value == "groupe"


def test_charts_in_arabic_are_png(bundled_timed: Content) -> None:
    summaries = summarise_event(bundled_timed, [answer("a", 5), answer("b", 3)], {})
    with use_language("ar"):
        assert distribution_chart(summaries[1]).startswith(PNG_MAGIC)
        assert means_chart(summaries).startswith(PNG_MAGIC)
