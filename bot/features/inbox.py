"""The organisers' inbox: questions the bot could not answer, passed on by the person who asked
and answered by staff.

Attendees (namespace ``iq``): ``iq:a:<pending>`` passes their last question on ("🙋 Ask the
organisers"), ``iq:n:<pending>`` says an answer missed ("🙋 Not what I asked") and offers it.
The question's text stays server-side (:class:`bot.domain.inbox.PendingQuestions`); the button
names it by a short id.

Staff (namespace ``ib``, private chats): ``ib:r:<id>`` claims a question for a reply (one
UPDATE: a second staff member is told who holds it), ``ib:k:<id>`` skips to the next,
``ib:d:<id>`` marks it answered elsewhere, ``ib:s:<id>`` marks it spam (mutes its author),
``ib:c:<id>`` gives a claim back, ``ib:f:<id>`` makes the reply a FAQ entry, ``ib:o`` shows the
oldest open question. The claimer's next private text is the reply; it reaches the attendee
through the outbox (:data:`OutboxKind.INBOX_REPLY`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.domain.ask import Answer
from bot.domain.inbox import (
    CLAIM_TIME,
    MAX_QUESTION_CHARS,
    QUESTIONS_PER_HOUR,
    Verdict,
    faq_entry,
    guess_refs,
    judge_question,
    outcome_of,
    ref_title,
    topic_ref,
)
from bot.domain.outbox import Delivery, OutboxKind, OutboxRow
from bot.domain.team import AuditAction
from bot.features.callbacks import CallbackData, Press, button, button_handler
from bot.features.fmt import esc, fmt_day, fmt_number, fmt_time, shorten
from bot.features.keyboards import keyboard
from bot.features.permissions import permitted
from bot.features.send import reply, show
from bot.i18n import N_, _, isolate, language_name, ngettext, tr
from bot.runtime import BotData, Context
from bot.store import InboxQuestion
from scheduler.sender import Rendered

log = logging.getLogger(__name__)

MAX_REPLY_CHARS = 3000  # the reply, quoted question and title must fit one message
LABEL_ASK = N_("🙋 Ask the organisers")
LABEL_NOT_IT = N_("🙋 Not what I asked")
TEXT_OFFER = N_("Sorry about that. I can pass your question on to the organisers:")
TEXT_PASSED_ON = N_("🙋 Passed on to the organisers. A member of staff will answer you here.")
TEXT_GONE = N_("That question is no longer at hand: please type it again.")
TEXT_TOO_LONG = N_(
    "Your question is {length} characters long. Please shorten it to at most {limit} "
    "characters and send it again."
)
TEXT_EMPTY = N_("📥 The inbox is empty: no open questions.")
TEXT_LAST = N_("⏭ That was the last open question.")
TEXT_TAKEN = N_("⚠️ Already being answered by {name}.")
TEXT_CLOSED = N_("✅ That question is already dealt with.")
TEXT_WRITE = N_(
    "✍️ Write your reply as your next message, within {minutes} minutes. It goes to {name} in "
    "private, with their question."
)
TEXT_EXPIRED = N_(
    "⌛ Your claim on that question ran out, so your text was not sent; the question is back "
    "in the /inbox."
)
TEXT_REPLY_TOO_LONG = N_(
    "Your reply is {length} characters long; at most {limit} fit. Please shorten it and send it "
    "again."
)
TEXT_SENT = N_("✅ Sent to {name}.")
TEXT_CANCELLED = N_("✖️ Reply cancelled; the question is back in the inbox.")
TEXT_FAQ_ADDED = N_(
    "📌 Added to the FAQ: everyone asking this now gets your answer. /faq shows it."
)
TEXT_REPLY_TITLE = N_("💬 <b>The organisers answered your question</b>")


class AskOrganisersButton(CallbackData, prefix="iq"):
    pass


@dataclass(frozen=True)
class AskOrganisers(AskOrganisersButton, action="a"):
    """``iq:a:<pending id>``: pass the person's last question on to the organisers."""

    pending: int


@dataclass(frozen=True)
class NotWhatIAsked(AskOrganisersButton, action="n"):
    """``iq:n:<pending id>``: the answer missed; offer to pass the question on."""

    pending: int


class InboxButton(CallbackData, prefix="ib"):
    pass


@dataclass(frozen=True)
class InboxReply(InboxButton, action="r"):
    """``ib:r:<question id>``: claim the question and write the reply."""

    question: int


@dataclass(frozen=True)
class InboxSkip(InboxButton, action="k"):
    """``ib:k:<question id>``: the next open question after this one."""

    question: int


@dataclass(frozen=True)
class InboxAnswered(InboxButton, action="d"):
    """``ib:d:<question id>``: answered elsewhere; close it."""

    question: int


@dataclass(frozen=True)
class InboxSpam(InboxButton, action="s"):
    """``ib:s:<question id>``: spam; close it and mute its author."""

    question: int


@dataclass(frozen=True)
class InboxCancel(InboxButton, action="c"):
    """``ib:c:<question id>``: give the claim back without replying."""

    question: int


@dataclass(frozen=True)
class InboxToFaq(InboxButton, action="f"):
    """``ib:f:<question id>``: make the sent reply a FAQ entry."""

    question: int


@dataclass(frozen=True)
class InboxOldest(InboxButton, action="o"):
    """``ib:o``: the oldest open question."""


# --- called by the free-text answers (bot.features.ask) --------------------------------------


def offer_button(svc: BotData, user_id: int, text: str, answer: Answer) -> InlineKeyboardButton:
    """Keep the question for a few minutes and give the button that passes it on: "Ask the
    organisers" when the bot had no answer, "Not what I asked" under an answer."""
    pending = svc.pending_questions.keep(
        user_id, text, answer.language, guess_refs(answer), svc.now()
    )
    if answer.best is None:
        return button(_(LABEL_ASK), AskOrganisers(pending))
    return button(_(LABEL_NOT_IT), NotWhatIAsked(pending))


def with_offer(
    markup: InlineKeyboardMarkup | None, offer: InlineKeyboardButton, answer: Answer
) -> InlineKeyboardMarkup:
    """The answer's buttons with the offer: first when there was no answer, else last."""
    rows = [list(row) for row in (markup.inline_keyboard if markup else ())]
    return keyboard([[offer], *rows] if answer.best is None else [*rows, [offer]])


async def record_outcome(svc: BotData, answer: Answer) -> None:
    """The ask log: what became of a free-text question, by hour and language; no user id."""
    hour = svc.now().astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    await svc.store.log_question(hour, answer.language, outcome_of(answer), topic_ref(answer))


# --- attendees ------------------------------------------------------------------------------


def display_name(update: Update) -> str:
    user = update.effective_user
    return (user.full_name or user.username or "?") if user is not None else "?"


async def audit(svc: BotData, actor: int, action: AuditAction, details: dict[str, Any]) -> None:
    """One staff action on the inbox, in the audit log (shown by /audit)."""
    await svc.store.audit(actor, action, details, now=svc.now())


async def ask_button(update: Update, context: Context, press: Press[AskOrganisersButton]) -> None:
    svc = context.bot_data
    user = update.effective_user
    if user is None:
        return
    now = svc.now()
    match press.data:
        case NotWhatIAsked(pending) if svc.pending_questions.has(user.id, pending, now):
            markup = keyboard([[button(_(LABEL_ASK), AskOrganisers(pending))]])
            await reply(update, _(TEXT_OFFER), markup)
        case AskOrganisers(pending) if taken := svc.pending_questions.take(user.id, pending, now):
            known = await svc.store.user(user.id)
            verdict = judge_question(
                taken.text,
                await svc.store.questions_asked_since(user.id, now - dt.timedelta(hours=1)),
                muted=await svc.store.is_muted(user.id),
                blocked=known is not None and known.blocked,
            )
            if verdict is Verdict.IGNORED:
                return
            if verdict is Verdict.TOO_LONG:
                text = _(TEXT_TOO_LONG).format(
                    length=fmt_number(len(taken.text)), limit=fmt_number(MAX_QUESTION_CHARS)
                )
            elif verdict is Verdict.TOO_MANY:
                text = ngettext(
                    "You have passed on {count} question in the last hour; please try again later.",
                    "You have passed on {count} questions in the last hour; please try again "
                    "later.",
                    QUESTIONS_PER_HOUR,
                ).format(count=fmt_number(QUESTIONS_PER_HOUR))
            else:
                if verdict is Verdict.QUEUE:
                    await svc.store.queue_question(
                        user.id,
                        display_name(update),
                        taken.language,
                        taken.text,
                        taken.guesses,
                        now,
                    )
                else:
                    log.info("question of a muted person not queued")
                text = _(TEXT_PASSED_ON)
            await reply(update, text)
        case _:
            await press.answer(_(TEXT_GONE), show_alert=True)


# --- staff: the queue -----------------------------------------------------------------------


def render_question(
    svc: BotData, question: InboxQuestion, open_count: int, note: str = ""
) -> tuple[str, InlineKeyboardMarkup]:
    content = svc.event.content
    asked = question.asked_at.astimezone(content.tz)
    guesses = [esc(shorten(tr(ref_title(content, ref)), 60)) for ref in question.guesses]
    lines = [note, ""] if note else []
    lines += [
        ngettext(
            "📥 <b>Inbox</b>: {count} open question",
            "📥 <b>Inbox</b>: {count} open questions",
            open_count,
        ).format(count=fmt_number(open_count)),
        "",
        _("🙋 From <b>{name}</b>, in {language}, {day} {time}").format(
            name=esc(question.asker_name),
            language=esc(language_name(question.language)),
            day=esc(fmt_day(asked.date())),
            time=isolate(fmt_time(asked)),
        ),
        f"<blockquote>{esc(question.text)}</blockquote>",
        _("🤖 My guesses: {guesses}").format(guesses="; ".join(guesses) if guesses else "–"),
    ]
    markup = keyboard(
        [
            [
                button(_("✍️ Reply"), InboxReply(question.id)),
                button(_("⏭ Skip"), InboxSkip(question.id)),
            ],
            [
                button(_("✅ Answered"), InboxAnswered(question.id)),
                button(_("🚫 Spam"), InboxSpam(question.id)),
            ],
        ]
    )
    return "\n".join(lines), markup


async def render_next(
    svc: BotData, after: int = 0, note: str = ""
) -> tuple[str, InlineKeyboardMarkup | None]:
    now = svc.now()
    question = await svc.store.next_open_question(now, after)
    if question is None:
        lead = f"{note}\n\n" if note else ""
        if after and await svc.store.open_question_count(now):
            markup = keyboard([[button(_("📥 Back to the oldest"), InboxOldest())]])
            return lead + _(TEXT_LAST), markup
        return lead + _(TEXT_EMPTY), None
    return render_question(svc, question, await svc.store.open_question_count(now), note)


async def inbox_command(update: Update, context: Context) -> None:
    svc = context.bot_data
    if not await permitted(update, svc, "staff", "/inbox"):
        return
    await reply(update, *await render_next(svc))


async def inbox_button(update: Update, context: Context, press: Press[InboxButton]) -> None:
    """Staff only: the permission is checked before the press reaches here."""
    svc = context.bot_data
    user = update.effective_user
    if user is None:
        return
    now = svc.now()
    match press.data:
        case InboxOldest():
            await show(update, *await render_next(svc))
        case InboxSkip(question_id):
            await show(update, *await render_next(svc, after=question_id))
        case InboxReply(question_id):
            await claim(update, svc, question_id, now)
        case InboxAnswered(question_id) | InboxSpam(question_id):
            state = "spam" if isinstance(press.data, InboxSpam) else "closed"
            if await svc.store.close_question(question_id, state, now):
                action = AuditAction.INBOX_SPAM if state == "spam" else AuditAction.INBOX_CLOSED
                await audit(svc, user.id, action, {"question": question_id})
                await show(update, *await render_next(svc))
            else:
                await show(
                    update, *await render_next(svc, note=await why_not_free(svc, question_id))
                )
        case InboxCancel(question_id):
            svc.inbox_claims.pop(user.id, None)
            await svc.store.release_claim(question_id, user.id)
            await show(update, *await render_next(svc, note=_(TEXT_CANCELLED)))
        case InboxToFaq(question_id):
            await add_to_faq(update, svc, question_id, now)
        case _:
            await press.stale()


async def why_not_free(svc: BotData, question_id: int) -> str:
    question = await svc.store.inbox_question(question_id)
    if question is not None and question.state == "claimed" and question.claimed_name:
        return _(TEXT_TAKEN).format(name=esc(question.claimed_name))
    return _(TEXT_CLOSED)


async def claim(update: Update, svc: BotData, question_id: int, now: dt.datetime) -> None:
    user = update.effective_user
    assert user is not None
    name = display_name(update)
    if not await svc.store.claim_question(question_id, user.id, name, now + CLAIM_TIME, now):
        await show(update, *await render_next(svc, note=await why_not_free(svc, question_id)))
        return
    question = await svc.store.inbox_question(question_id)
    assert question is not None
    svc.inbox_claims[user.id] = question_id
    await audit(svc, user.id, AuditAction.INBOX_CLAIM, {"question": question_id})
    text = "\n".join(
        [
            f"<blockquote>{esc(question.text)}</blockquote>",
            _(TEXT_WRITE).format(
                minutes=fmt_number(int(CLAIM_TIME.total_seconds() // 60)),
                name=f"<b>{esc(question.asker_name)}</b>",
            ),
        ]
    )
    await show(update, text, keyboard([[button(_("✖️ Cancel"), InboxCancel(question_id))]]))


async def reply_message(update: Update, context: Context) -> None:
    """A staff member's private text while they hold a claim: the reply."""
    svc = context.bot_data
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or message.text is None:
        return
    now = svc.now()
    svc.inbox_claims.pop(user.id, None)
    question = await svc.store.claim_of(user.id, now)
    if question is None:
        await reply(update, _(TEXT_EXPIRED))
        return
    if len(message.text) > MAX_REPLY_CHARS:
        svc.inbox_claims[user.id] = question.id
        await reply(
            update,
            _(TEXT_REPLY_TOO_LONG).format(
                length=fmt_number(len(message.text)), limit=fmt_number(MAX_REPLY_CHARS)
            ),
        )
        return
    delivery = Delivery(
        key=f"inbox-reply:{question.id}",
        kind=OutboxKind.INBOX_REPLY,
        chat_id=question.user_id,
        payload={"question": question.id},
        due_at=now,
    )
    name = display_name(update)
    if not await svc.store.answer_question(question.id, user.id, name, message.text, delivery, now):
        await reply(update, _(TEXT_EXPIRED))
        return
    if svc.sender is not None:
        svc.sender.wake()
    await audit(svc, user.id, AuditAction.INBOX_REPLY, {"question": question.id})
    markup = keyboard(
        [
            [button(_("📌 Add to FAQ"), InboxToFaq(question.id))],
            [button(_("📥 Next question"), InboxOldest())],
        ]
    )
    await reply(update, _(TEXT_SENT).format(name=f"<b>{esc(question.asker_name)}</b>"), markup)


async def add_to_faq(update: Update, svc: BotData, question_id: int, now: dt.datetime) -> None:
    user = update.effective_user
    assert user is not None
    added = await svc.store.add_faq_from(question_id, user.id, display_name(update), now)
    if added is None:
        await show(update, *await render_next(svc, note=_(TEXT_CLOSED)))
        return
    await refresh_added_faq(svc)
    await audit(svc, user.id, AuditAction.INBOX_FAQ, {"question": question_id, "faq": added.faq_id})
    text = f"{_(TEXT_FAQ_ADDED)}\n<blockquote>{esc(added.question)}</blockquote>"
    await show(update, text, keyboard([[button(_("📥 Next question"), InboxOldest())]]))


async def refresh_added_faq(svc: BotData) -> None:
    """Build the FAQ entries added from the inbox into the content in use (at start-up, and
    after each one is added): answerable at once, listed in /faq, kept across reloads."""
    added = await svc.store.added_faq()
    svc.event = svc.event.with_added_faq([faq_entry(a) for a in added])


async def restore_claims(svc: BotData) -> None:
    """Route the replies of staff who held a claim when the bot stopped."""
    svc.inbox_claims.update(await svc.store.live_claims(svc.now()))


# --- the reply, through the outbox ----------------------------------------------------------


async def render_reply(svc: BotData, rows: Sequence[OutboxRow]) -> Rendered | None:
    """The reply in private, quoting the question; None (skipped) when the question is gone."""
    question_id = rows[0].payload.get("question")
    question = await svc.store.inbox_question(question_id) if isinstance(question_id, int) else None
    if question is None or question.answer is None:
        return None
    text = "\n".join(
        [
            _(TEXT_REPLY_TITLE),
            f"<blockquote>{esc(question.text)}</blockquote>",
            esc(question.answer),
        ]
    )
    return Rendered(text)


class _Claiming(filters.MessageFilter):
    """A private text from a staff member who holds a claim (their reply)."""

    def __init__(self, svc: BotData) -> None:
        super().__init__(name="claiming")
        self.svc = svc

    def filter(self, message: Message) -> bool:
        user = message.from_user
        return user is not None and user.id in self.svc.inbox_claims


def register(application: Application) -> None:
    """Before ``broadcast`` and ``ask``: a claimer's next text is their reply, nothing else."""
    svc = application.bot_data
    assert isinstance(svc, BotData)
    application.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE & _Claiming(svc),
            reply_message,
        )
    )
    application.add_handler(CommandHandler("inbox", inbox_command))
    application.add_handler(button_handler(InboxButton, inbox_button, role="staff"))
    application.add_handler(button_handler(AskOrganisersButton, ask_button, private=True))
