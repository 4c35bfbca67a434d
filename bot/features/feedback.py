"""Feedback from attendees: the prompt the sender delivers after a session, one-tap ratings, the
event's own questions, an optional comment, ``/feedback`` for any session that has started, and
the one-off question about the attendee's group (with the follow-up opt-in).

Callback data (namespace ``fb``), typed as :class:`FeedbackButton`:

* ``fb:<session>:<1-5>`` rate, ``fb:<session>:n`` "I did not attend";
* ``fb:<session>:q:<question>:<option|->`` answer (or skip) one of the event's questions;
* ``fb:<session>:c`` write a comment, ``fb:<session>:s`` skip it, ``fb:<session>:x`` remove it;
* ``fb:<session>:o`` open a session's feedback card (from the ``/feedback`` list);
* ``fb:_:l:<page>`` the list, ``fb:_:g[:<group>]`` the group question, ``fb:_:f[:<0|1>]``
  the follow-up opt-in (``_`` cannot be a session id).

Comments: after a rating (and the questions) the bot marks in the store that the person's next
text is a comment, for a few minutes. :func:`comment_message` runs before every text handler
(group -2) and takes a message only when such a mark is there; anything else goes on to ``ask``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.content import Content, Session
from bot.content.models import FeedbackQuestion, QuestionType
from bot.domain.agenda import find_session
from bot.domain.feedback import (
    GROUP_LABELS,
    GROUPS,
    NO_GROUP,
    RATINGS,
    FeedbackAnswer,
    Step,
    answer_label,
    next_step,
    open_for_feedback,
    question_options,
    questions_for,
)
from bot.domain.outbox import OutboxRow
from bot.features.callbacks import (
    HOME,
    CallbackData,
    Press,
    button,
    button_handler,
    content_id,
)
from bot.features.callbacks import number as ascii_number
from bot.features.fmt import (
    esc,
    fmt_number,
    local_text,
    session_day,
    session_hours,
    session_start,
    shorten,
)
from bot.features.keyboards import keyboard, paged_rows
from bot.features.permissions import private_only
from bot.features.send import reply, show
from bot.i18n import N_, _, isolate, tr
from bot.runtime import BotData, Context
from bot.services.feedback import FeedbackAction, FeedbackPress, Toast
from scheduler.sender import Rendered

NS = "fb"
DEEP_LINK_PREFIX = "fb"  # /start fb_<session>: the card in private; /start fb: the list
ANYONE = "_"
COMMENT_ECHO_CHARS = 300

TEXT_ASK_RATING = N_("How was it? One tap, from 1 (poor) to 5 (excellent).")
TEXT_ABSENT = N_("Noted: you did not attend. Thanks for telling me!\nYou did after all? Rate it:")
TEXT_ASK_COMMENT = N_(
    "💬 Anything to add? <b>Type a short comment</b> and send it, or press Skip. "
    "Comments are read by the organisers without your name."
)
TEXT_DONE = N_(
    "✅ Thank you! You can change your answer with /feedback until the end of the day after "
    "the session."
)
TEXT_COMMENT_SAVED = N_("💬 Thanks, your comment on <b>{title}</b> is saved:")
TEXT_LIST = N_(
    "📝 <b>Feedback</b>\nRate any session that has started; you can change your answer later. "
    "✅ marks the ones you answered."
)
TEXT_LIST_EMPTY = N_("📝 No session has started yet: come back after the first one.")
TEXT_PRIVATE = N_(
    "📝 Feedback is personal: give it in a private chat with me (the organisers see it without "
    "your name)."
)
TEXT_NO_SUCH_SESSION = N_("I could not find that session. Here are the ones you can rate:")
TEXT_GROUP = N_(
    "👥 <b>One optional question</b>\nWhich group do you belong to? The organisers see results "
    "by group, never by person, and only for groups with several answers."
)
TEXT_GROUP_SAVED = N_("👥 Thanks, noted: <b>{label}</b>.")
TEXT_FOLLOW_UP = N_("📬 <b>After the event</b>\n{follow_up}\nShall I send you the recommendations?")
TEXT_FOLLOW_UP_YES = N_("📬 Noted: I will send you the follow-up recommendations after the event.")
TEXT_FOLLOW_UP_NO = N_("📬 Noted: no follow-up messages.")
ANSWER_RATED = N_("Thanks! You rated it {rating}/5.")
ANSWER_ABSENT = N_("Noted: you did not attend.")
ANSWER_SAVED = N_("Saved.")
ANSWER_GONE = N_("This session is no longer in the programme.")
ANSWER_NO_FEEDBACK = N_("Feedback is not collected for this session.")
ANSWER_NOT_STARTED = N_("This session has not started yet.")
ANSWER_RATE_FIRST = N_("Please rate the session first.")
ANSWER_CLOSED = N_("Feedback on this session has closed.")
ANSWER_COMMENT_REMOVED = N_("Comment removed.")
# The answer to a press, by what the press did (Toast.NONE: an empty answer).
TOASTS: dict[Toast, str] = {
    Toast.RATED: ANSWER_RATED,
    Toast.ABSENT: ANSWER_ABSENT,
    Toast.SAVED: ANSWER_SAVED,
    Toast.COMMENT_REMOVED: ANSWER_COMMENT_REMOVED,
    Toast.GONE: ANSWER_GONE,
    Toast.NO_FEEDBACK: ANSWER_NO_FEEDBACK,
    Toast.NOT_STARTED: ANSWER_NOT_STARTED,
    Toast.RATE_FIRST: ANSWER_RATE_FIRST,
    Toast.CLOSED: ANSWER_CLOSED,
}


# --- callback data: built and parsed here only ----------------------------------------------


_SIMPLE = {"n": "absent", "c": "comment", "s": "skip", "x": "uncomment", "o": "open"}
_SIMPLE_VERB = {action: verb for verb, action in _SIMPLE.items()}


@dataclass(frozen=True)
class FeedbackButton(CallbackData, prefix=NS):
    action: str  # rate absent question comment skip uncomment open list group follow_up
    session_id: str = ""
    number: int = 0  # rating, question index, page, follow-up 0/1 (-1: the question itself)
    option: int | None = None  # question option index; None: skipped
    group: str = ""

    def parts(self) -> tuple[str, ...]:
        match self.action:
            case "list":
                return (ANYONE, "l", str(self.number))
            case "group":
                return (ANYONE, "g", self.group) if self.group else (ANYONE, "g")
            case "follow_up":
                return (ANYONE, "f") if self.number == -1 else (ANYONE, "f", str(self.number))
            case "rate":
                return (self.session_id, str(self.number))
            case "question":
                option = "-" if self.option is None else str(self.option)
                return (self.session_id, "q", str(self.number), option)
            case action if action in _SIMPLE_VERB:
                return (self.session_id, _SIMPLE_VERB[action])
        raise ValueError(f"unknown feedback button action {self.action!r}")

    @classmethod
    def from_parts(cls, parts: Sequence[str]) -> CallbackData | None:
        match parts:
            case [subject, *_] if subject != ANYONE and content_id(subject) is None:
                return None
            case ["_", "l", page] if (shown := ascii_number(page)) is not None:
                return FeedbackButton("list", number=shown)
            case ["_", "g"]:
                return FeedbackButton("group")
            case ["_", "g", group] if group in GROUP_LABELS:
                return FeedbackButton("group", group=group)
            case ["_", "f"]:
                return FeedbackButton("follow_up", number=-1)
            case ["_", "f", "0" | "1" as wanted]:
                return FeedbackButton("follow_up", number=int(wanted))
            case ["_", *_]:
                return None
            case [session_id, rating] if ascii_number(rating) in RATINGS:
                return FeedbackButton("rate", session_id, int(rating))
            case [session_id, verb] if verb in _SIMPLE:
                return FeedbackButton(_SIMPLE[verb], session_id)
            case [session_id, "q", index, option]:
                asked = ascii_number(index)
                picked = None if option == "-" else ascii_number(option)
                if asked is None or (picked is None and option != "-"):
                    return None
                return FeedbackButton("question", session_id, asked, picked)
        return None


def rating_row(session: Session, current: int | None = None) -> list[InlineKeyboardButton]:
    return [
        button(f"·{r}·" if r == current else str(r), FeedbackButton("rate", session.id, r))
        for r in RATINGS
    ]


# --- rendering ------------------------------------------------------------------------------


def stars(rating: int) -> str:
    return "★" * rating + "☆" * (5 - rating) + f" ({isolate(f'{rating}/5')})"


def option_label(question: FeedbackQuestion, label: str) -> str:
    """An answer's label in the reader's language: the bot's own (yes, no) from the catalogue,
    the organisers' options from the content."""
    return _(label) if question.type is QuestionType.yes_no else tr(label)


def card_header(session: Session) -> str:
    when = f"{session_day(session)} {session_hours(session)}"
    return f"📝 <b>{esc(local_text(session.title))}</b>\n<i>{esc(when)}</i>"


def render_card(
    session: Session,
    questions: Sequence[FeedbackQuestion],
    answer: FeedbackAnswer | None,
    asking_comment: bool = False,
) -> tuple[str, InlineKeyboardMarkup]:
    """The feedback card of one session for one person, at whatever step their answer is."""
    head = card_header(session)
    step = next_step(questions, answer, asking_comment)
    if step.step is Step.RATE:
        return (
            f"{head}\n\n{_(TEXT_ASK_RATING)}",
            keyboard(
                [
                    rating_row(session),
                    [button(_("🚫 I did not attend"), FeedbackButton("absent", session.id))],
                ]
            ),
        )
    if step.step is Step.ABSENT:
        return f"{head}\n\n{_(TEXT_ABSENT)}", keyboard([rating_row(session)])
    assert answer is not None and answer.rating is not None  # every later step has a rating
    rated = _("Your rating: {stars}").format(stars=stars(answer.rating))
    if step.step is Step.QUESTION and (index := step.question) is not None:
        question = questions[index]
        count = (
            " "
            + _("({number} of {count})").format(
                number=fmt_number(index + 1), count=fmt_number(len(questions))
            )
            if len(questions) > 1
            else ""
        )
        hint = (
            "\n" + _("<i>1 = not at all, 5 = very much</i>")
            if question.type is QuestionType.scale
            else ""
        )
        options = [
            button(option_label(question, label), FeedbackButton("question", session.id, index, i))
            for i, (_value, label) in enumerate(question_options(question))
        ]
        rows = [options] if len(options) <= 5 else [[b] for b in options]
        rows.append([button(_("Skip ›"), FeedbackButton("question", session.id, index, None))])
        text = f"{head}\n{rated}\n\n❓{count} <b>{esc(tr(question.text))}</b>{hint}"
        return text, keyboard(rows)
    if step.step is Step.COMMENT:
        return (
            f"{head}\n{rated}\n\n{_(TEXT_ASK_COMMENT)}",
            keyboard([[button(_("Skip"), FeedbackButton("skip", session.id))]]),
        )
    lines = [head, rated]
    for question in questions:
        value = answer.answers.get(question.id)
        if value is not None:
            shown = option_label(question, answer_label(question, value))
            lines.append(f"• {esc(tr(question.text))} <b>{esc(shown)}</b>")
    if answer.comment:
        lines.append(_("💬 Your comment is saved."))
    lines += ["", _(TEXT_DONE)]
    comment_label = _("💬 Change comment") if answer.comment else _("💬 Add a comment")
    return "\n".join(lines), keyboard(
        [
            rating_row(session, answer.rating),
            [
                button(comment_label, FeedbackButton("comment", session.id)),
                button(_("🚫 I did not attend"), FeedbackButton("absent", session.id)),
            ],
        ]
    )


def render_list(
    content: Content,
    sessions: Sequence[Session],
    answered: set[str],
    page: int,
) -> tuple[str, InlineKeyboardMarkup]:
    if not sessions:
        return _(TEXT_LIST_EMPTY), keyboard([[button(_("🏠 Menu"), HOME)]])

    def session_button(session: Session) -> InlineKeyboardButton:
        mark = "✅" if session.id in answered else "☆"
        title = isolate(shorten(tr(session.title), 36))
        label = f"{mark} {session_day(session)} {session_start(session)} {title}"
        return button(label, FeedbackButton("open", session.id))

    _shown, rows = paged_rows(
        sessions, page, session_button, lambda shown: FeedbackButton("list", number=shown)
    )
    extra = [button(_("👥 My group"), FeedbackButton("group"))]
    if content.event.follow_up:
        extra.append(button(_("📬 Follow-up"), FeedbackButton("follow_up", number=-1)))
    rows.append(extra)
    return _(TEXT_LIST), keyboard(rows)


def render_group_question(current: str | None = None) -> tuple[str, InlineKeyboardMarkup]:
    choices = [
        button(("✅ " if value == current else "") + _(label), FeedbackButton("group", group=value))
        for value, label in GROUPS
    ]
    rows = [choices[i : i + 2] for i in range(0, len(choices), 2)]
    rows.append([button(_("Prefer not to say"), FeedbackButton("group", group=NO_GROUP))])
    return _(TEXT_GROUP), keyboard(rows)


def render_follow_up(follow_up: str) -> tuple[str, InlineKeyboardMarkup]:
    return _(TEXT_FOLLOW_UP).format(follow_up=esc(tr(follow_up))), keyboard(
        [
            [
                button(_("Yes, please"), FeedbackButton("follow_up", number=1)),
                button(_("No, thanks"), FeedbackButton("follow_up", number=0)),
            ]
        ]
    )


# --- what the sender delivers ---------------------------------------------------------------


async def render_prompt(svc: BotData, rows: Sequence[OutboxRow]) -> Rendered | None:
    """The prompt after a session; nothing when the session is gone, no longer asks for
    feedback, or the person already answered through /feedback."""
    row = rows[0]
    content = svc.event.content
    session = content.sessions_by_id.get(str(row.payload.get("session")))
    if session is None or not session.feedback:
        return None
    if await svc.feedback.answer(session.id, row.chat_id) is not None:
        return None
    questions = questions_for(content.event.feedback, session)
    return Rendered(*render_card(session, questions, None))


# --- handlers -------------------------------------------------------------------------------


def deep_link(session_id: str = "") -> str:
    """The start parameter that opens a session's feedback card (or the list) in private."""
    return f"{DEEP_LINK_PREFIX}_{session_id}" if session_id else DEEP_LINK_PREFIX


async def feedback_command(update: Update, context: Context) -> None:
    """``/feedback`` lists the sessions that have started; ``/feedback <session>`` opens one.

    Private only: answers are personal, so in a group it points to the private chat."""
    svc = context.bot_data
    content = svc.event.content
    words = " ".join(context.args or [])
    session = find_session(content, words) if words else None
    if not await private_only(
        update, "/feedback", start=deep_link(session.id if session else ""), text=_(TEXT_PRIVATE)
    ):
        return
    await open_feedback(update, svc, session, asked=bool(words))


async def feedback_deep_link(update: Update, context: Context) -> None:
    """``/start fb_<session>`` (from a group's pointer) opens that session's card;
    ``/start fb`` the list."""
    svc = context.bot_data
    arg = (context.args or [""])[0]
    session_id = arg.removeprefix(DEEP_LINK_PREFIX).removeprefix("_")
    if not await private_only(update, "/start fb", start=arg, text=_(TEXT_PRIVATE)):
        return
    session = svc.event.content.sessions_by_id.get(session_id) if session_id else None
    await open_feedback(update, svc, session, asked=bool(session_id))


async def open_feedback(
    update: Update, svc: BotData, session: Session | None, *, asked: bool
) -> None:
    """The card of ``session`` if it is open for feedback, else the list (with a note when a
    session was ``asked`` for and cannot be rated)."""
    user = update.effective_user
    if user is None:
        return
    content = svc.event.content
    open_now = open_for_feedback(content, svc.now())
    if session is not None and session in open_now:
        await send_card(update, svc, session, user.id)
        return
    answered = await svc.feedback.answered_sessions(user.id)
    text, markup = render_list(content, open_now, answered, 0)
    if asked:
        text = f"{_(TEXT_NO_SUCH_SESSION)}\n\n{text}"
    await reply(update, text, markup)


async def send_card(update: Update, svc: BotData, session: Session, user_id: int) -> None:
    answer = await svc.feedback.answer(session.id, user_id)
    questions = questions_for(svc.event.content.event.feedback, session)
    await show(update, *render_card(session, questions, answer))


async def feedback_button(update: Update, context: Context, press: Press[FeedbackButton]) -> None:
    user = update.effective_user
    pressed = press.data
    if user is None:
        await press.stale()
        return
    svc = context.bot_data
    if not pressed.session_id:
        await person_button(update, svc, press, user.id)
        return
    outcome = await svc.feedback.press(
        svc.event.content,
        user.id,
        FeedbackPress(
            FeedbackAction(pressed.action), pressed.session_id, pressed.number, pressed.option
        ),
        svc.now(),
    )
    if outcome.toast is Toast.STALE:
        await press.stale()
        return
    toast = TOASTS.get(outcome.toast)
    await press.answer(_(toast).format(rating=isolate(str(pressed.number))) if toast else None)
    if outcome.session is None:
        return
    card = render_card(outcome.session, outcome.questions, outcome.answer, outcome.asking_comment)
    await show(update, *card)
    if outcome.ask_group:
        await reply(update, *render_group_question())


async def person_button(
    update: Update, svc: BotData, press: Press[FeedbackButton], user_id: int
) -> None:
    pressed = press.data
    content = svc.event.content
    now = svc.now()
    service = svc.feedback
    if pressed.action == "list":
        await press.answer()
        answered = await service.answered_sessions(user_id)
        sessions = open_for_feedback(content, now)
        await show(update, *render_list(content, sessions, answered, pressed.number))
    elif pressed.action == "group" and not pressed.group:
        await press.answer()
        await show(update, *render_group_question(await service.open_group_question(user_id, now)))
    elif pressed.action == "group":
        await service.set_group(user_id, pressed.group, now)
        label = (
            _("prefer not to say") if pressed.group == NO_GROUP else _(GROUP_LABELS[pressed.group])
        )
        await press.answer(_(ANSWER_SAVED))
        text = _(TEXT_GROUP_SAVED).format(label=esc(label))
        if content.event.follow_up:
            follow_text, markup = render_follow_up(content.event.follow_up)
            await show(update, f"{text}\n\n{follow_text}", markup)
        else:
            await show(update, text)
    elif pressed.number == -1:  # the follow-up question on its own
        await press.answer()
        await show(update, *render_follow_up(content.event.follow_up or ""))
    else:
        await service.set_follow_up(user_id, pressed.number == 1, now)
        await press.answer(_(ANSWER_SAVED))
        await show(update, _(TEXT_FOLLOW_UP_YES) if pressed.number == 1 else _(TEXT_FOLLOW_UP_NO))


async def comment_message(update: Update, context: Context) -> None:
    """Take a private text as a comment when one is expected; otherwise leave it to ``ask``."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or message.text is None:
        return
    svc = context.bot_data
    content = svc.event.content
    taken = await svc.feedback.take_comment(content, user.id, message.text, svc.now())
    if taken is None:
        return
    session_id = taken.session_id
    title = local_text(taken.session.title) if taken.session else session_id
    echo = message.text
    if len(echo) > COMMENT_ECHO_CHARS:
        echo = echo[: COMMENT_ECHO_CHARS - 1] + "…"
    text = f"{_(TEXT_COMMENT_SAVED).format(title=esc(title))}\n{esc(echo)}\n\n{_(TEXT_DONE)}"
    markup = keyboard(
        [
            [
                button(_("✏️ Change"), FeedbackButton("comment", session_id)),
                button(_("🗑 Remove"), FeedbackButton("uncomment", session_id)),
            ]
        ]
    )
    await reply(update, text, markup)
    if taken.ask_group:
        await reply(update, *render_group_question())
    raise ApplicationHandlerStop


COMMENT_GROUP = -2  # before users (-1) and every text handler (0); stops them only when it took
PURGE_JOB = "feedback-purge-pending-comments"
# A pending comment outlives its window by at most this long.
PURGE_SECONDS = 30


async def purge_pending_comments(context: Context) -> None:
    """Delete pending comments whose window is over: such a row ties a user id to "answered
    about this session at this time", which must not outlive its use."""
    svc = context.bot_data
    await svc.store.purge_expired_pending_comments(svc.now())


def schedule_purges(application: Application) -> None:
    """At start: the repeating purge (JobQueue jobs are not persisted, so made every start)."""
    job_queue = application.job_queue
    if job_queue is None:
        return
    for job in job_queue.get_jobs_by_name(PURGE_JOB):
        job.schedule_removal()
    job_queue.run_repeating(
        purge_pending_comments,
        interval=PURGE_SECONDS,
        first=PURGE_SECONDS,
        name=PURGE_JOB,
        # A late purge is still a purge; runs missed meanwhile are one run.
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )


def register(application: Application) -> None:
    # Before the menu's plain /start (registered later), so that the deep link wins.
    application.add_handler(
        CommandHandler(
            "start",
            feedback_deep_link,
            filters.Regex(rf"^/start(@\w+)? {DEEP_LINK_PREFIX}(_[a-z0-9-]+)?$"),
        )
    )
    application.add_handler(CommandHandler("feedback", feedback_command))
    application.add_handler(
        button_handler(
            FeedbackButton,
            feedback_button,
            # A press in a group opens the same card in private instead of editing the
            # group's message with the presser's answers.
            private=lambda pressed: deep_link(pressed.session_id),
        )
    )
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, comment_message),
        group=COMMENT_GROUP,
    )
