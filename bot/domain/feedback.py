"""Feedback after sessions, as plain Python: which questions a session gets, the pseudonymous key
answers are stored under, aggregation into a :class:`FeedbackSummary` with the minimum-group rule,
and the files staff read (CSV, an Excel workbook, PNG charts). No Telegram, no database.

Privacy. Answers are stored under ``pseudonym(secret, user_id)``, an HMAC-SHA256 of the user id:
one answer per person and session holds, the person can change it, and the answer tables name
nobody. Reports and exports never show the pseudonym. Results by group are shown only for groups
with at least ``min_group_size`` ratings, and when the groups hidden that way would add up to
fewer than that (so that their figures could be worked out by subtracting the shown groups from
the total) the smallest shown groups are hidden too.

Exports and results by group cover closed sessions only. A session's feedback closes at
:func:`feedback_closes_at` (the end of the day after it, when prompts stop too); from then on its
answers can no longer be given or changed. So a session's rows and group figures appear all at
once, final, in the first export after it closes, and two exports differ only by whole sessions:
a new answer never shows up as a difference of one row, and its author's group never as a
difference of one rating. Rows name no group and no time finer than the day they were first
given, and are sorted by what they say (session, attendance, rating, the questions' answers, the
comment), an order that carries nobody's identity; groups appear only as per-session figures
under the minimum-group rule. Live figures in ``/report`` (counts, ratings, comments) never name
a group before the session closes.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from babel.dates import format_datetime
from babel.numbers import format_decimal

from bot.content.models import (
    Content,
    FeedbackQuestion,
    FeedbackSettings,
    QuestionType,
    Session,
)
from bot.domain.charts import new_figure, png_bytes, short_label
from bot.i18n import N_, _, babel_locale, ngettext, tr

AnswerValue = int | str


@dataclass(frozen=True)
class FeedbackAnswer:
    """One person's answer about one session (the person is not named)."""

    session_id: str
    rating: int | None  # 1..5; None when the person did not attend
    attended: bool
    comment: str | None
    # question id -> answer; None: the person skipped the question
    answers: Mapping[str, AnswerValue | None] = field(default_factory=dict)
    group: str | None = None
    answered_at: dt.datetime | None = None
    respondent: str = ""  # the pseudonym; only for counting distinct people, never shown


RATINGS = (1, 2, 3, 4, 5)
MAX_QUESTIONS = 3
NO_GROUP = "none"
# The groups attendees can say they belong to: (stored value, label). Values are short because
# they travel in callback data.
GROUPS: tuple[tuple[str, str], ...] = (
    ("gov", N_("Public servant")),
    ("cso", N_("Civil society")),
    ("private", N_("Private sector")),
    ("academia", N_("Academia")),
    ("intl", N_("International organisation")),
    ("other", N_("Other")),
)
# In English, marked for the catalogues: whoever shows a label translates it.
GROUP_LABELS: dict[str, str] = {**dict(GROUPS), NO_GROUP: N_("Not given")}
YES, NO = "yes", "no"
# How long after the comment was asked for the person's next text is taken as the comment.
COMMENT_WINDOW = dt.timedelta(minutes=10)


def pseudonym(secret: bytes, user_id: int) -> str:
    """The key a person's answers are stored under: stable for one secret, not reversible
    without it (HMAC-SHA256 of the user id, 128 bits kept)."""
    return hmac.new(secret, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]


SECRET_CHECK_LABEL = b"confbot feedback secret check v1"


def secret_check(secret: bytes) -> str:
    """A value that tells whether a secret is the one recorded, without revealing it (an HMAC
    of a fixed label under the secret)."""
    return hmac.new(secret, SECRET_CHECK_LABEL, hashlib.sha256).hexdigest()


# --- questions ------------------------------------------------------------------------------


def questions_for(settings: FeedbackSettings, session: Session) -> list[FeedbackQuestion]:
    """The event's own questions for one session, at most three (the loader refuses more)."""
    return [q for q in settings.questions if q.applies_to(session)][:MAX_QUESTIONS]


def question_options(question: FeedbackQuestion) -> list[tuple[AnswerValue, str]]:
    """(stored value, button label) of each possible answer, in order."""
    if question.type is QuestionType.scale:
        return [(n, str(n)) for n in RATINGS]
    if question.type is QuestionType.yes_no:
        return [(YES, N_("Yes")), (NO, N_("No"))]
    return [(option, option) for option in question.options]


def parse_option(question: FeedbackQuestion, index: int) -> AnswerValue | None:
    """The answer behind the ``index``-th button, or None for a stale or forged index."""
    options = question_options(question)
    return options[index][0] if 0 <= index < len(options) else None


def answer_label(question: FeedbackQuestion, value: AnswerValue | None) -> str:
    if value is None:
        return ""
    if question.type is QuestionType.yes_no:
        return "Yes" if value == YES else "No" if value == NO else str(value)
    return str(value)


def first_unanswered(
    questions: Sequence[FeedbackQuestion], answer: FeedbackAnswer | None
) -> int | None:
    """Index of the next question to ask after a rating, or None when all are answered."""
    if answer is None or answer.rating is None:
        return None
    for index, question in enumerate(questions):
        if question.id not in answer.answers:
            return index
    return None


# --- the attendee's flow -------------------------------------------------------------------


class Step(StrEnum):
    """Where one person's feedback on one session stands, i.e. what their card asks next."""

    RATE = "rate"  # nothing stored: a rating, or "I did not attend"
    ABSENT = "absent"  # stored as not attended: they may still rate
    QUESTION = "question"  # rated; one of the event's questions is not answered yet
    COMMENT = "comment"  # rated, questions done, a comment is awaited
    DONE = "done"


@dataclass(frozen=True)
class NextStep:
    step: Step
    question: int | None = None  # the index of the question to ask, for Step.QUESTION


def next_step(
    questions: Sequence[FeedbackQuestion],
    answer: FeedbackAnswer | None,
    asking_comment: bool = False,
) -> NextStep:
    """What to ask next given the session's questions and the stored answer.

    The questions come before a comment: ``asking_comment`` (a comment was asked for) only
    counts once every question is answered or skipped.
    """
    if answer is None:
        return NextStep(Step.RATE)
    if not answer.attended or answer.rating is None:
        return NextStep(Step.ABSENT)
    index = first_unanswered(questions, answer)
    if index is not None:
        return NextStep(Step.QUESTION, index)
    if asking_comment:
        return NextStep(Step.COMMENT)
    return NextStep(Step.DONE)


def comment_due(questions: Sequence[FeedbackQuestion], answer: FeedbackAnswer | None) -> bool:
    """After a rating or a question: whether the comment is asked for now (no comment yet and
    no question left)."""
    return (
        answer is not None
        and answer.comment is None
        and first_unanswered(questions, answer) is None
    )


def prompt_due(content: Content, session: Session) -> dt.datetime | None:
    """When a session's feedback prompt goes out: its end plus the session's or event's delay;
    None while its time is to be announced (no prompt)."""
    delay = session.feedback_delay_minutes
    if delay is None:
        delay = content.event.feedback.delay_minutes
    ends_at = content.ends_at(session)
    if ends_at is None:
        return None
    return ends_at + dt.timedelta(minutes=delay)


def prompt_deadline(content: Content, session: Session) -> dt.datetime | None:
    """After this, a prompt is useless: the end of the day after the session (event time);
    None while its time is to be announced."""
    if not session.timed or session.day is None:
        return None
    day_after = session.day + dt.timedelta(days=2)
    return dt.datetime.combine(day_after, dt.time(0, 0), tzinfo=content.tz)


def feedback_closes_at(content: Content, session: Session) -> dt.datetime | None:
    """When a session's feedback closes for good: the moment its prompts stop. After it, its
    answers are final, and only then are they exported and shown by group. None while the
    session's time is to be announced: it has not happened, so nothing is final."""
    return prompt_deadline(content, session)


def feedback_closed(content: Content, session_id: str, now: dt.datetime) -> bool:
    """Whether a session's answers are final at ``now``. A session no longer in the programme
    counts as closed: nobody can answer about it any more."""
    session = content.sessions_by_id.get(session_id)
    if session is None:
        return True
    closes_at = feedback_closes_at(content, session)
    return closes_at is not None and closes_at <= now


def open_for_feedback(content: Content, now: dt.datetime) -> list[Session]:
    """Sessions anyone may rate now (started, feedback not turned off, not closed), latest
    first. A session whose time is to be announced has not started."""
    started: list[tuple[dt.datetime, Session]] = []
    for s in content.sessions:
        starts_at, closes_at = content.starts_at(s), feedback_closes_at(content, s)
        if not s.feedback or s.cancelled or starts_at is None or closes_at is None:
            continue
        if starts_at <= now < closes_at:
            started.append((starts_at, s))
    started.sort(key=lambda pair: (pair[0], pair[1].id), reverse=True)
    return [s for _, s in started]


# --- aggregation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupResult:
    group: str
    label: str
    ratings: int
    mean: float


@dataclass(frozen=True)
class QuestionResult:
    question: FeedbackQuestion
    counts: tuple[tuple[str, int], ...]  # (answer label, count), in the options' order
    answered: int
    mean: float | None  # for scale questions


@dataclass(frozen=True)
class FeedbackSummary:
    """What staff read about one session; names nobody."""

    session_id: str
    title: str
    starts_at: dt.datetime | None
    """None when the session's day or time is (again) to be announced."""
    prompted: int  # people the prompt was sent to
    responded_prompted: int  # of those, how many answered (rating or "did not attend")
    answers: int  # people who answered, prompted or through /feedback
    ratings: int
    not_attended: int
    mean: float | None
    distribution: tuple[int, int, int, int, int]  # count of 1..5
    questions: tuple[QuestionResult, ...]
    groups: tuple[GroupResult, ...]  # only groups large enough to show, once closed
    hidden_ratings: int  # ratings not shown by group (all of them before the session closes)
    comments: tuple[str, ...]
    closed: bool = True  # the answers are final (see feedback_closes_at)

    @property
    def response_rate(self) -> float | None:
        return self.responded_prompted / self.prompted if self.prompted else None


def visible_groups(counts: Mapping[str, int], min_size: int) -> set[str]:
    """The groups whose results may be shown.

    A group is shown with at least ``min_size`` ratings. If the hidden ones then hold between 1
    and ``min_size - 1`` ratings, their figures would follow from the total minus the shown
    groups; the smallest shown groups are hidden as well until that is no longer so.
    """
    shown = {g for g, n in counts.items() if n >= min_size}
    hidden = sum(n for g, n in counts.items() if g not in shown)
    while shown and 0 < hidden < min_size:
        smallest = min(shown, key=lambda g: (counts[g], g))
        shown.discard(smallest)
        hidden += counts[smallest]
    return shown


def _mean(values: Iterable[int | float]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None


def summarise(
    session: Session,
    content: Content,
    answers: Sequence[FeedbackAnswer],
    prompted: Collection[str] = (),
    min_group_size: int | None = None,
    closed: bool = True,
) -> FeedbackSummary:
    """The summary of one session from its answers and the pseudonyms of the people prompted.

    Results by group only when ``closed``: while answers still come in, two reports a moment
    apart would tell the group of whoever answered in between."""
    min_size = content.event.feedback.min_group_size if min_group_size is None else min_group_size
    mine = [a for a in answers if a.session_id == session.id]
    rated = [a for a in mine if a.rating is not None]
    counts = Counter(a.rating for a in rated)
    distribution = (counts[1], counts[2], counts[3], counts[4], counts[5])
    prompted_set = set(prompted)
    questions = []
    for question in questions_for(content.event.feedback, session):
        given = [v for a in rated if (v := a.answers.get(question.id)) is not None]
        tally = Counter(given)
        questions.append(
            QuestionResult(
                question=question,
                counts=tuple((label, tally[value]) for value, label in question_options(question)),
                answered=len(given),
                mean=_mean(v for v in given if isinstance(v, int))
                if question.type is QuestionType.scale
                else None,
            )
        )
    by_group: dict[str, list[int]] = {}
    for a in rated:
        assert a.rating is not None
        by_group.setdefault(a.group or NO_GROUP, []).append(a.rating)
    shown = visible_groups({g: len(r) for g, r in by_group.items()}, min_size) if closed else set()
    groups = tuple(
        GroupResult(
            g, GROUP_LABELS.get(g, g), len(by_group[g]), sum(by_group[g]) / len(by_group[g])
        )
        for g in [*(g for g, _label in GROUPS), NO_GROUP]
        if g in shown
    )
    # Comments in the order of their text: unrelated to the time (or the order) in which people
    # answered, and to who they are (a pseudonym order would be the same in every session).
    comments = tuple(sorted(a.comment for a in mine if a.comment and a.comment.strip()))
    return FeedbackSummary(
        session_id=session.id,
        title=session.title,
        starts_at=content.starts_at(session),
        prompted=len(prompted_set),
        responded_prompted=sum(1 for a in mine if a.respondent in prompted_set),
        answers=len(mine),
        ratings=len(rated),
        not_attended=sum(1 for a in mine if not a.attended),
        mean=_mean(a.rating for a in rated if a.rating is not None),
        distribution=distribution,
        questions=tuple(questions),
        groups=groups,
        hidden_ratings=len(rated) - sum(g.ratings for g in groups),
        comments=comments,
        closed=closed,
    )


def summarise_event(
    content: Content,
    answers: Sequence[FeedbackAnswer],
    prompted: Mapping[str, Collection[str]],
    min_group_size: int | None = None,
    now: dt.datetime | None = None,
) -> list[FeedbackSummary]:
    """One summary per session that asks for feedback or has answers, in programme order;
    with ``now``, results by group only for sessions closed by then."""
    by_session: dict[str, list[FeedbackAnswer]] = {}
    for answer in answers:
        by_session.setdefault(answer.session_id, []).append(answer)
    return [
        summarise(
            s,
            content,
            by_session.get(s.id, []),
            prompted.get(s.id, ()),
            min_group_size,
            closed=now is None or feedback_closed(content, s.id, now),
        )
        for s in content.sessions
        if s.feedback or s.id in by_session
    ]


# --- exports --------------------------------------------------------------------------------

# Column names and fixed cell texts: in English, marked for the catalogues, written in the
# language of the staff member who asks for the export (translated when the file is built).
EXPORT_FIXED_COLUMNS = (
    N_("session_id"),
    N_("session_title"),
    N_("session_start"),
    N_("answered_on"),
    N_("attended"),
    N_("rating"),
)
EXPORT_COMMENT_COLUMN = N_("comment")
EXPORT_GROUP_COLUMNS = (
    N_("session_id"),
    N_("session_title"),
    N_("group"),
    N_("ratings"),
    N_("mean_rating"),
)
EXPORT_SESSION_COLUMNS = (
    N_("session_id"),
    N_("session_title"),
    N_("session_start"),
    N_("prompted"),
    N_("answers"),
    N_("response_rate"),
    N_("ratings"),
    N_("mean_rating"),
    N_("did_not_attend"),
)
ATTENDED_YES, ATTENDED_NO = N_("yes"), N_("no")
SHEET_ANSWERS, SHEET_GROUPS, SHEET_SESSIONS = N_("Answers"), N_("Groups"), N_("Sessions")

Cell = str | int | float | dt.date | dt.datetime | None


@dataclass(frozen=True)
class ExportTable:
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    # Per session and group, under the minimum-group rule: (session, title, group, n, mean).
    group_rows: tuple[tuple[Cell, ...], ...] = ()
    sessions: frozenset[str] = frozenset()  # the sessions exported (closed ones)


def _sort_key(row: tuple[Cell, ...]) -> tuple[tuple[int, str], ...]:
    # Mixed types (None, numbers, text): compare as (kind, text) so any row sorts.
    return tuple(
        (0, "") if v is None else (1, f"{v:>12}") if isinstance(v, int | float) else (2, str(v))
        for v in row
    )


def export_table(
    content: Content,
    answers: Sequence[FeedbackAnswer],
    now: dt.datetime,
    min_group_size: int | None = None,
) -> ExportTable:
    """The answers of the sessions closed at ``now`` (see the module's "Privacy"), one row each:
    session, the day the answer was first given, attendance, rating, each of the event's
    questions, the comment. No user id, no pseudonym, no group, no time of day; rows in the order
    of what they say. Groups only as per-session figures under the minimum-group rule. The
    session's start is a naive wall-clock time in the event's zone (spreadsheets have no time
    zones); sessions no longer in the programme keep their id with an empty title.

    Column names, titles, yes/no and group names are in the current language (the reader's)."""
    min_size = content.event.feedback.min_group_size if min_group_size is None else min_group_size
    questions = content.event.feedback.questions
    header = (
        *(_(column) for column in EXPORT_FIXED_COLUMNS),
        *(q.id for q in questions),
        _(EXPORT_COMMENT_COLUMN),
    )
    by_session: dict[str, list[FeedbackAnswer]] = {}
    for answer in answers:
        if feedback_closed(content, answer.session_id, now):
            by_session.setdefault(answer.session_id, []).append(answer)
    order = {s.id: i for i, s in enumerate(content.sessions)}
    rows: list[tuple[Cell, ...]] = []
    group_rows: list[tuple[Cell, ...]] = []
    for session_id in sorted(by_session, key=lambda i: (order.get(i, len(order)), i)):
        mine = by_session[session_id]
        session = content.sessions_by_id.get(session_id)
        title = tr(session.title) if session else ""
        starts_at = content.starts_at(session) if session else None
        start = _naive(starts_at, content) if starts_at else None
        values = [
            (
                _(ATTENDED_YES) if a.attended else _(ATTENDED_NO),
                a.rating,
                *(_export_answer(q, a.answers.get(q.id)) for q in questions),
                a.comment,
                a.answered_at.astimezone(content.tz).date() if a.answered_at else None,
            )
            for a in mine
        ]
        for *said, day in sorted(values, key=_sort_key):
            rows.append((session_id, title, start, day, *said))
        by_group: dict[str, list[int]] = {}
        for a in mine:
            if a.rating is not None:
                by_group.setdefault(a.group or NO_GROUP, []).append(a.rating)
        shown = visible_groups({g: len(r) for g, r in by_group.items()}, min_size)
        for g in [*(g for g, _label in GROUPS), NO_GROUP]:
            if g in shown:
                ratings = by_group[g]
                mean = round(sum(ratings) / len(ratings), 3)
                group_rows.append((session_id, title, _(GROUP_LABELS[g]), len(ratings), mean))
    return ExportTable(
        header=header,
        rows=tuple(rows),
        group_rows=tuple(group_rows),
        sessions=frozenset(by_session),
    )


def _export_answer(question: FeedbackQuestion, value: AnswerValue | None) -> Cell:
    label = answer_label(question, value)
    if not label:
        return None
    # "Yes" and "No" are the bot's words; a choice is the content's, stored as given.
    return _(label) if question.type is QuestionType.yes_no else label


def _naive(moment: dt.datetime, content: Content) -> dt.datetime:
    return moment.astimezone(content.tz).replace(tzinfo=None, microsecond=0)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        # A spreadsheet would run "=HYPERLINK(...)" typed by an attendee as a formula; the
        # leading apostrophe makes it text (OWASP's advice for CSV injection).
        return "'" + value
    return value


def build_csv(table: ExportTable) -> bytes:
    """UTF-8 with a byte order mark, so that Excel shows accents, emoji and Arabic correctly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(table.header)
    writer.writerows([_csv_cell(v) for v in row] for row in table.rows)
    return out.getvalue().encode("utf-8-sig")


def build_xlsx(table: ExportTable, summaries: Sequence[FeedbackSummary] = ()) -> bytes:
    """An Excel workbook: the answers, and a sheet with one line per session when given; sheet
    and column names in the current language.

    Every text cell is written as text, never as a formula, whatever it starts with; characters
    the file format cannot hold (control characters) are dropped.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_(SHEET_ANSWERS))
    bold = Font(bold=True)

    def header_cell(value: str) -> WriteOnlyCell:
        made = WriteOnlyCell(sheet, value=value)
        made.data_type = "s"
        made.font = bold
        return made

    def cell(value: Cell) -> object:
        if isinstance(value, str):
            text = str(ILLEGAL_CHARACTERS_RE.sub("", value))
            if text.startswith("="):
                # openpyxl would store it as a formula; a typed comment is text.
                made = WriteOnlyCell(sheet, value=text)
                made.data_type = "s"
                return made
            return text
        return value  # plain values are cheap to write; dates get openpyxl's date format

    sheet.freeze_panes = "A2"
    sheet.append([header_cell(h) for h in table.header])
    for row in table.rows:
        sheet.append([cell(v) for v in row])
    groups = workbook.create_sheet(_(SHEET_GROUPS))
    groups.append([header_cell(_(h)) for h in EXPORT_GROUP_COLUMNS])
    for row in table.group_rows:
        groups.append([cell(v) for v in row])
    if summaries:
        overview = workbook.create_sheet(_(SHEET_SESSIONS))
        overview.append([header_cell(_(n)) for n in EXPORT_SESSION_COLUMNS])
        for s in summaries:
            rate = round(s.response_rate, 4) if s.response_rate is not None else None
            mean = round(s.mean, 3) if s.mean is not None else None
            values: list[Cell] = [
                s.session_id,
                tr(s.title),
                s.starts_at.replace(tzinfo=None) if s.starts_at else None,
                s.prompted,
                s.answers,
                rate,
                s.ratings,
                mean,
                s.not_attended,
            ]
            overview.append([cell(v) for v in values])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- charts ---------------------------------------------------------------------------------


MEAN_PATTERN = "0.00"


def _chart_time(moment: dt.datetime) -> str:
    """``24 Jul 13:05``: day, month and wall-clock time as the reader's locale writes them."""
    # Naive: Babel shows a naive time as given, the event's wall clock.
    return format_datetime(moment.replace(tzinfo=None), "dd MMM HH:mm", locale=babel_locale())


def _number(value: float, pattern: str = "#,##0") -> str:
    return format_decimal(value, pattern, locale=babel_locale())


def distribution_chart(summary: FeedbackSummary) -> bytes:
    """A PNG bar chart of how many people gave each rating, its words in the current language."""
    figure = new_figure(6.0, 3.4)
    axes = figure.subplots()
    bars = axes.bar([str(r) for r in RATINGS], summary.distribution, color="#2f6db5")
    axes.bar_label(bars, labels=[_number(n) for n in summary.distribution], padding=2)
    axes.set_xlabel(_("Rating (1 = poor, 5 = excellent)"))
    axes.set_ylabel(_("Answers"))
    mean = (
        _("mean {mean}").format(mean=_number(summary.mean, MEAN_PATTERN))
        if summary.mean is not None
        else _("no ratings yet")
    )
    figures = ngettext("{count} rating, {mean}", "{count} ratings, {mean}", summary.ratings)
    figures = figures.format(count=_number(summary.ratings), mean=mean)
    axes.set_title(f"{short_label(tr(summary.title))}\n{figures}", fontsize=10)
    axes.set_ylim(0, max(1, *summary.distribution) * 1.2)
    axes.spines[["top", "right"]].set_visible(False)
    return png_bytes(figure)


def means_chart(summaries: Sequence[FeedbackSummary]) -> bytes:
    """A PNG of the mean rating of every rated session across the event, in programme order;
    its words in the current language."""

    rated = [s for s in summaries if s.mean is not None]
    figure = new_figure(7.0, max(2.0, 0.4 * len(rated) + 1.2))
    axes = figure.subplots()
    labels = [
        f"{_chart_time(s.starts_at)} {short_label(tr(s.title), 40)}"
        if s.starts_at
        else short_label(tr(s.title), 52)
        for s in rated
    ]
    means = [s.mean or 0.0 for s in rated]
    positions = list(range(len(rated)))
    bars = axes.barh(positions, means, color="#2f6db5")
    axes.bar_label(
        bars,
        labels=[
            _("{mean} (n={count})").format(mean=_number(m, MEAN_PATTERN), count=_number(s.ratings))
            for m, s in zip(means, rated, strict=True)
        ],
        padding=3,
        fontsize=8,
    )
    axes.set_yticks(positions, labels=labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, 5.9)
    axes.set_xticks(list(RATINGS))
    axes.set_xlabel(_("Mean rating"))
    axes.set_title(_("Mean rating per session") if rated else _("No ratings yet"), fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    return png_bytes(figure)
