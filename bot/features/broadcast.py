"""Organiser broadcasts: ``/broadcast`` (compose, choose the audience, preview, send now or at a
time), ``/broadcasts`` (recent ones, cancel), the progress message edited in place, and the words
the sender delivers for outbox rows of kind ``broadcast``.

Every copy goes through the outbox (one row per recipient, written before the first one leaves)
and the one sender; this module never sends a broadcast itself. It only talks to the organiser.

Callback data (namespace ``bc``), typed as :class:`BroadcastButton` and its kinds:
``bc:a:<audience code>`` (choose an audience), ``bc:m:top|l|g`` and ``bc:m:s:<page>`` (audience
menus), ``bc:go``, ``bc:pay``, ``bc:at``, ``bc:back``, ``bc:x`` (the confirm step),
``bc:l`` (the list), ``bc:c:<id>`` / ``bc:cy:<id>`` (cancel a broadcast, then confirm).
"""

from __future__ import annotations

import datetime as dt
import logging
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    Application,
    CommandHandler,
    ConversationHandler,
    JobQueue,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.domain.broadcast import (
    Audience,
    AudienceKind,
    Progress,
    eta_seconds,
    format_duration,
    language_counts,
    paid_cost_stars,
    parse_send_time,
    progress_bar,
)
from bot.domain.feedback import GROUPS
from bot.domain.outbox import DeliveryState, OutboxRow
from bot.domain.team import AuditAction
from bot.features.callbacks import (
    AnswerOnce,
    CallbackData,
    Press,
    button,
    button_handler,
    number,
)
from bot.features.fmt import esc, fmt_day, fmt_number, fmt_time, session_day, session_start
from bot.features.keyboards import keyboard, paged_rows
from bot.features.permissions import permitted
from bot.features.send import reply, show
from bot.i18n import N_, _, isolate, language_name, ngettext, tr, use_language
from bot.runtime import BotData, Context
from bot.services.broadcast import recipients_of
from bot.store import Broadcast, Store
from scheduler.sender import DEFAULT_RATE, PAID_BROADCAST_RATE, Rendered

log = logging.getLogger(__name__)

NS = "bc"
COMPOSE, AUDIENCE, CONFIRM, SCHEDULE = range(4)
DRAFT_KEY = "broadcast_draft"
PROGRESS_SECONDS = 3.0
CONVERSATION_TIMEOUT = dt.timedelta(minutes=30)
RECENT = 8

TEXT_COMPOSE = N_(
    "📣 <b>New broadcast</b>\n"
    "Send me the message as people should receive it: text (bold, italic and links are kept), "
    "or a photo or a document with a caption.\n\n/cancel to stop."
)
TEXT_AUDIENCE = N_("Who should receive it?")
TEXT_NOBODY = N_("Nobody is in that audience yet. Choose another one.")
TEXT_PAID = N_(
    "\n\n💸 <b>Fast paid mode</b> is available: up to 1000 messages per second instead of 30, "
    "for a fee of 0.1 Telegram Stars per message, taken from the bot's balance "
    "(here about <b>{stars}</b> Stars)."
)
TEXT_WHEN = N_(
    "🕒 When should it go? Send a time, for example <code>18:00</code>, "
    "<code>2022-07-26 09:00</code> or <code>in 30 min</code> (event time).\n/cancel to stop."
)
TEXT_BAD_TIME = N_(
    "I could not read that as a time in the future. "
    "Try <code>18:00</code> or <code>in 30 min</code>."
)
TEXT_CANCELLED_DRAFT = N_("Cancelled. Nothing was sent.")
TEXT_NOTHING_TO_CANCEL = N_("There is nothing to cancel.")
TEXT_STALE_DRAFT = N_("This draft is closed. Start again with /broadcast.")
TEXT_UNSUPPORTED = N_("Please send text, a photo or a document (or /cancel).")
TEXT_NO_BROADCASTS = N_("No broadcasts yet. Start one with /broadcast.")
TEXT_CANCEL_ASK = N_("Stop broadcast #{id}? The {open} messages not sent yet will not be sent.")
TEXT_CANCEL_DONE = N_("Broadcast #{id} stopped: {count} messages will not be sent.")
TEXT_CANCEL_TOO_LATE = N_("Broadcast #{id} has already finished.")


# --- callback data -----------------------------------------------------------------------------


class BroadcastButton(CallbackData, prefix=NS):
    @classmethod
    def from_parts(cls, parts: Sequence[str]) -> CallbackData | None:
        match parts:
            case ["a", *code] if 1 <= len(code) <= 2 and (
                audience := Audience.parse(":".join(code))
            ):
                return ChooseAudience(audience)
            case ["m", "top" | "l" | "g" as menu]:
                return AudienceMenu(menu)
            case ["m", "s", page] if (shown := number(page)) is not None:
                return AudienceMenu("s", shown)
            case ["go" | "pay" | "at" | "back" | "x" as step]:
                return DraftStep(step)
            case ["l"]:
                return BroadcastList()
            case ["c" | "cy" as verb, ref] if (broadcast_id := number(ref)) is not None:
                return StopBroadcast(broadcast_id, confirmed=verb == "cy")
        return None


class DraftButton(BroadcastButton):
    """The buttons of the composing steps, handled inside the conversation."""

    pattern: ClassVar[str] = r"^bc:(a|m|go|pay|at|back|x)(:|$)"


@dataclass(frozen=True)
class ChooseAudience(DraftButton):
    """``bc:a:<audience code>`` (the code is one or two parts, e.g. ``all``, ``s:plen-1``)."""

    audience: Audience

    def parts(self) -> tuple[str, ...]:
        return ("a", *self.audience.code.split(":"))


@dataclass(frozen=True)
class AudienceMenu(DraftButton):
    """``bc:m:top|l|g`` and ``bc:m:s:<page>``: the menus to choose an audience from."""

    menu: str = "top"
    page: int = 0

    def parts(self) -> tuple[str, ...]:
        return ("m", "s", str(self.page)) if self.menu == "s" else ("m", self.menu)


@dataclass(frozen=True)
class DraftStep(DraftButton):
    """``bc:go``, ``bc:pay``, ``bc:at``, ``bc:back``, ``bc:x``: send, send paid, schedule,
    change the audience, cancel."""

    step: str

    def parts(self) -> tuple[str, ...]:
        return (self.step,)


class BroadcastsButton(BroadcastButton):
    """The buttons of ``/broadcasts`` and of the progress message, outside any draft."""


@dataclass(frozen=True)
class BroadcastList(BroadcastsButton):
    """``bc:l``: the recent broadcasts."""

    def parts(self) -> tuple[str, ...]:
        return ("l",)


@dataclass(frozen=True)
class StopBroadcast(BroadcastsButton):
    """``bc:c:<id>`` (asks first) and ``bc:cy:<id>`` (stops)."""

    broadcast_id: int
    confirmed: bool = False

    def parts(self) -> tuple[str, ...]:
        return ("cy" if self.confirmed else "c", str(self.broadcast_id))


DRAFT_VERBS = DraftButton.pattern


async def stale_draft(update: Update, context: Context, answer: AnswerOnce) -> None:
    """Broadcast buttons out of step get the organiser's own note, not the attendees' menu."""
    await answer(_(TEXT_STALE_DRAFT))


# --- what recipients see ------------------------------------------------------------------------


@dataclass
class Draft:
    content_kind: str  # "text", "photo" or "document"
    body: str
    file_id: str | None = None
    audience: Audience | None = None
    recipients: list[int] = field(default_factory=list)


def rendered_of(content_kind: str, body: str, file_id: str | None, paid: bool) -> Rendered:
    return Rendered(
        text=body,
        photo=file_id if content_kind == "photo" else None,
        document=file_id if content_kind == "document" else None,
        allow_paid_broadcast=paid,
    )


def render_broadcast(broadcast: Broadcast) -> Rendered:
    return rendered_of(broadcast.content_kind, broadcast.body, broadcast.file_id, broadcast.paid)


class BroadcastRenderer:
    """The outbox renderer of kind ``broadcast``: the message is read once per broadcast."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._cache: dict[str, Rendered | None] = {}

    async def __call__(self, rows: Sequence[OutboxRow]) -> Rendered | None:
        batch = rows[0].batch or ""
        if batch not in self._cache:
            found = await self._store.broadcast(int(batch)) if batch.isdigit() else None
            self._cache[batch] = render_broadcast(found) if found is not None else None
        return self._cache[batch]


async def send_preview(update: Update, draft: Draft) -> Message | None:
    """The draft sent to the organiser exactly as the sender will send it to everyone."""
    chat = update.effective_chat
    if chat is None:
        return None
    caption = draft.body or None
    if draft.content_kind == "photo" and draft.file_id:
        return await chat.send_photo(draft.file_id, caption=caption)
    if draft.content_kind == "document" and draft.file_id:
        return await chat.send_document(draft.file_id, caption=caption)
    return await chat.send_message(draft.body, disable_web_page_preview=True)


# --- audiences -----------------------------------------------------------------------------------


def audience_menu(paid_note: str = "") -> tuple[str, InlineKeyboardMarkup]:
    markup = keyboard(
        [
            [button(_("👥 Everyone"), ChooseAudience(Audience(AudienceKind.EVERYONE)))],
            [button(_("⭐ People who chose a session"), AudienceMenu("s"))],
            [
                button(_("🌐 A language"), AudienceMenu("l")),
                button(_("🏷 A stakeholder group"), AudienceMenu("g")),
            ],
            [
                button(
                    _("📬 Opted in to the follow-up"),
                    ChooseAudience(Audience(AudienceKind.FOLLOW_UP)),
                )
            ],
            [button(_("🧪 Staff only (test send)"), ChooseAudience(Audience(AudienceKind.STAFF)))],
            [button(_("✖ Cancel"), DraftStep("x"))],
        ]
    )
    return _(TEXT_AUDIENCE) + paid_note, markup


def session_menu(svc: BotData, page: int) -> tuple[str, InlineKeyboardMarkup]:
    content = svc.event.content
    _shown, rows = paged_rows(
        content.sessions,
        page,
        lambda s: button(
            f"{session_day(s)} {session_start(s)} {isolate(tr(s.title))}"[:60],
            ChooseAudience(Audience(AudienceKind.SESSION, s.id)),
        ),
        lambda shown: AudienceMenu("s", shown),
    )
    rows.append([button(_("« Back"), AudienceMenu("top"))])
    return _("Which session? Its choosers will receive the message."), keyboard(rows)


async def language_menu(svc: BotData) -> tuple[str, InlineKeyboardMarkup]:
    counts = language_counts(await svc.store.language_rows())
    rows = [
        [
            button(
                f"{language_name(code)} ({fmt_number(count)})",
                ChooseAudience(Audience(AudienceKind.LANGUAGE, code)),
            )
        ]
        for code, count in list(counts.items())[:12]
    ]
    rows.append([button(_("« Back"), AudienceMenu("top"))])
    return (
        _(
            "Which language? Each person counts in the language they chose with /language, "
            "else in their Telegram app's."
        ),
        keyboard(rows),
    )


def group_menu() -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [button(_(label), ChooseAudience(Audience(AudienceKind.GROUP, value)))]
        for value, label in GROUPS
    ]
    rows.append([button(_("« Back"), AudienceMenu("top"))])
    return _("Which stakeholder group (as people gave it with their feedback)?"), keyboard(rows)


def confirm_text(svc: BotData, draft: Draft) -> tuple[str, InlineKeyboardMarkup]:
    assert draft.audience is not None
    count = len(draft.recipients)
    text = ngettext(
        "👆 This is the preview, exactly as recipients will see it.\n"
        "Audience: <b>{label}</b>\nIt will reach <b>{count}</b> person.",
        "👆 This is the preview, exactly as recipients will see it.\n"
        "Audience: <b>{label}</b>\nIt will reach <b>{count}</b> people.",
        count,
    ).format(label=esc(draft.audience.describe(svc.event.content)), count=fmt_number(count))
    rows = [[button(_("📤 Send now"), DraftStep("go")), button(_("🕒 Schedule"), DraftStep("at"))]]
    if svc.settings.paid_broadcast:
        text += _(TEXT_PAID).format(stars=isolate(f"{paid_cost_stars(count):g}"))
        rows.append([button(_("💸 Send fast (paid)"), DraftStep("pay"))])
    rows.append(
        [button(_("↩ Change audience"), DraftStep("back")), button(_("✖ Cancel"), DraftStep("x"))]
    )
    return text, keyboard(rows)


# --- progress ----------------------------------------------------------------------------------


def render_progress(
    broadcast: Broadcast, counts: Mapping[DeliveryState, int], now: dt.datetime, rate: float
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The one message the organiser watches: scheduled, running with a bar and ETA, or done."""
    progress = Progress.of(counts)
    title = _("📣 <b>Broadcast #{id}</b> to {audience}").format(
        id=isolate(str(broadcast.id)), audience=esc(broadcast.audience_label)
    )
    cancel = keyboard([[button(_("✖ Stop this broadcast"), StopBroadcast(broadcast.id))]])
    n = fmt_number
    if progress.finished:
        lines = [
            title,
            _("✅ Finished.") if broadcast.cancelled_at is None else _("⏹ Stopped."),
            _("Delivered: <b>{count}</b>").format(count=n(progress.sent)),
            _("Blocked the bot: {count}").format(count=n(progress.blocked)),
            _("Not found: {count}").format(count=n(progress.not_found)),
            _("Failed: {count}").format(count=n(progress.failed)),
        ]
        if progress.cancelled:
            lines.append(_("Not sent (stopped): {count}").format(count=n(progress.cancelled)))
        if progress.skipped:
            lines.append(_("Skipped: {count}").format(count=n(progress.skipped)))
        return "\n".join(lines), None
    if now < broadcast.due_at:
        local = broadcast.due_at.astimezone(now.tzinfo)
        when = f"{fmt_day(local.date())} {isolate(fmt_time(local))}"
        scheduled = _("🕒 Scheduled for {when} to {count} people.").format(
            when=esc(when), count=n(progress.open)
        )
        return f"{title}\n{scheduled}", cancel
    elapsed = (now - broadcast.due_at).total_seconds()
    eta = eta_seconds(progress, elapsed, rate)
    lines = [
        title,
        f"{progress_bar(progress.fraction)} {isolate(f'{progress.fraction:.0%}')}",
        _(
            "{done} of {total} · delivered {sent} · blocked {blocked} · "
            "not found {not_found} · failed {failed}"
        ).format(
            done=n(progress.done),
            total=n(progress.done + progress.open),
            sent=n(progress.sent),
            blocked=n(progress.blocked),
            not_found=n(progress.not_found),
            failed=n(progress.failed),
        ),
        _("About {duration} left.").format(duration=isolate(format_duration(eta))),
    ]
    return "\n".join(lines), cancel


def progress_job_name(broadcast_id: int) -> str:
    return f"broadcast-progress:{broadcast_id}"


def start_progress(job_queue: JobQueue | None, broadcast_id: int, first: float = 1.0) -> None:
    """(Re)start the repeating job that keeps a broadcast's progress message up to date."""
    if job_queue is None:
        return
    name = progress_job_name(broadcast_id)
    for job in job_queue.get_jobs_by_name(name):
        job.schedule_removal()
    job_queue.run_repeating(
        progress_tick,
        interval=PROGRESS_SECONDS,
        first=first,
        name=name,
        data=broadcast_id,
        # A tick missed while the loop was busy is still wanted, once.
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )


async def restore_progress(application: Application) -> int:
    """At start-up: the outbox resumes the deliveries by itself; this resumes the reporting."""
    svc = application.bot_data
    unfinished = await svc.store.unfinished_broadcasts()
    for broadcast in unfinished:
        start_progress(application.job_queue, broadcast.id)
    return len(unfinished)


async def progress_tick(context: Context) -> None:
    job = context.job
    assert job is not None and isinstance(job.data, int)
    svc = context.bot_data
    broadcast = await svc.store.broadcast(job.data)
    if broadcast is None or broadcast.finished_at is not None:
        job.schedule_removal()
        return
    counts = await svc.store.broadcast_counts(broadcast.id)
    rate = (
        PAID_BROADCAST_RATE if broadcast.paid else (svc.sender.rate if svc.sender else DEFAULT_RATE)
    )
    # A job, not an update: in the language of the organiser who watches the progress.
    with use_language(await svc.language_of(broadcast.progress_chat_id)):
        text, markup = render_progress(broadcast, counts, svc.now(), rate)
    shown = svc.progress_shown
    if shown.get(broadcast.id) != text:
        await edit_progress(context, broadcast, text, markup)
        shown[broadcast.id] = text
    if Progress.of(counts).finished:
        await svc.store.finish_broadcast(broadcast.id, svc.now())
        shown.pop(broadcast.id, None)
        job.schedule_removal()


async def edit_progress(
    context: Context, broadcast: Broadcast, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    if broadcast.progress_chat_id is None or broadcast.progress_message_id is None:
        return
    try:
        await context.bot.edit_message_text(
            text,
            chat_id=broadcast.progress_chat_id,
            message_id=broadcast.progress_message_id,
            reply_markup=markup,
        )
    except BadRequest as exc:
        if "not modified" in str(exc).lower():
            return
        # The organiser deleted the message: the broadcast goes on, the report is in /broadcasts.
        log.warning("progress of broadcast %s not shown: %s", broadcast.id, exc)
    except Forbidden as exc:
        log.warning("progress of broadcast %s not shown: %s", broadcast.id, exc)


# --- /broadcasts -----------------------------------------------------------------------------


async def render_list(svc: BotData) -> tuple[str, InlineKeyboardMarkup | None]:
    recent = await svc.store.recent_broadcasts(RECENT)
    if not recent:
        return _(TEXT_NO_BROADCASTS), None
    lines = [_("📣 <b>Recent broadcasts</b>")]
    rows: list[list[InlineKeyboardButton]] = []
    now = svc.now()
    for b in recent:
        progress = Progress.of(await svc.store.broadcast_counts(b.id))
        local = b.due_at.astimezone(svc.event.content.tz)
        if progress.finished:
            status = _("stopped") if b.cancelled_at else _("done")
        elif now < b.due_at:
            status = _("scheduled")
        else:
            status = _("sending {percent}").format(percent=isolate(f"{progress.fraction:.0%}"))
        n = fmt_number
        lines.append(
            f"\n<b>{isolate(f'#{b.id}')}</b> {esc(fmt_day(local.date()))} "
            f"{isolate(fmt_time(local))} · {esc(b.audience_label)} · {status}\n"
            + _(
                "delivered {sent} · blocked {blocked} · not found {not_found} · failed {failed}"
            ).format(
                sent=n(progress.sent),
                blocked=n(progress.blocked),
                not_found=n(progress.not_found),
                failed=n(progress.failed),
            )
            + (
                " · " + _("not sent {count}").format(count=n(progress.cancelled))
                if progress.cancelled
                else ""
            )
            + (" · " + _("to go {count}").format(count=n(progress.open)) if progress.open else "")
        )
        if not progress.finished:
            rows.append(
                [button(_("✖ Stop #{id}").format(id=isolate(str(b.id))), StopBroadcast(b.id))]
            )
    rows.append([button(_("🔄 Refresh"), BroadcastList())])
    return "\n".join(lines), keyboard(rows)


# --- handlers ----------------------------------------------------------------------------------


async def broadcast_command(update: Update, context: Context) -> int:
    svc = context.bot_data
    if not await permitted(update, svc, "organiser", "/broadcast"):
        return ConversationHandler.END
    assert context.user_data is not None
    context.user_data.pop(DRAFT_KEY, None)
    await reply(update, _(TEXT_COMPOSE))
    return COMPOSE


async def compose_message(update: Update, context: Context) -> int:
    message = update.effective_message
    assert message is not None and context.user_data is not None
    if message.photo:
        draft = Draft("photo", message.caption_html or "", message.photo[-1].file_id)
    elif message.document is not None:
        draft = Draft("document", message.caption_html or "", message.document.file_id)
    elif message.text:
        draft = Draft("text", message.text_html)
    else:
        await reply(update, _(TEXT_UNSUPPORTED))
        return COMPOSE
    context.user_data[DRAFT_KEY] = draft
    await reply(update, *audience_menu())
    return AUDIENCE


def _draft(context: Context) -> Draft | None:
    found = (context.user_data or {}).get(DRAFT_KEY)
    return found if isinstance(found, Draft) else None


async def draft_button(update: Update, context: Context, press: Press[DraftButton]) -> int | None:
    """Every button of the composing steps; anything out of step is answered, never ignored.
    Organisers only: the permission is checked before the press reaches here."""
    svc = context.bot_data
    draft = _draft(context)
    if draft is None:
        await press.answer(_(TEXT_STALE_DRAFT))
        return ConversationHandler.END
    await press.answer()
    match press.data:
        case DraftStep("x"):
            context.user_data.pop(DRAFT_KEY, None)  # type: ignore[union-attr]
            await show(update, _(TEXT_CANCELLED_DRAFT))
            return ConversationHandler.END
        case AudienceMenu("s", page):
            await show(update, *session_menu(svc, page))
            return AUDIENCE
        case AudienceMenu("l"):
            await show(update, *(await language_menu(svc)))
            return AUDIENCE
        case AudienceMenu("g"):
            await show(update, *group_menu())
            return AUDIENCE
        case AudienceMenu() | DraftStep("back"):
            await show(update, *audience_menu())
            return AUDIENCE
        case ChooseAudience(audience):
            draft.audience = audience
            draft.recipients = await recipients_of(
                svc.store, svc.settings, audience, svc.team.member_ids()
            )
            if not draft.recipients:
                await show(update, _(TEXT_NOBODY), audience_menu()[1])
                return AUDIENCE
            label = esc(audience.describe(svc.event.content))
            await show(update, _("Audience: <b>{label}</b>").format(label=label))
            await send_preview(update, draft)
            await reply(update, *confirm_text(svc, draft))
            return CONFIRM
    if draft.audience is None:
        await show(update, *audience_menu())
        return AUDIENCE
    match press.data:
        case DraftStep("at"):
            await show(update, _(TEXT_WHEN))
            return SCHEDULE
        case DraftStep("go" | "pay" as step):
            paid = step == "pay" and svc.settings.paid_broadcast
            await launch(update, context, draft, svc.now(), paid=paid, edit=True)
            return ConversationHandler.END
    return None


async def schedule_text(update: Update, context: Context) -> int:
    svc = context.bot_data
    message = update.effective_message
    draft = _draft(context)
    assert message is not None
    if draft is None or draft.audience is None:
        await reply(update, _(TEXT_STALE_DRAFT))
        return ConversationHandler.END
    due_at = parse_send_time(message.text or "", svc.now(), svc.event.content.tz)
    if due_at is None:
        await reply(update, _(TEXT_BAD_TIME))
        return SCHEDULE
    await launch(update, context, draft, due_at, paid=False, edit=False)
    return ConversationHandler.END


async def launch(
    update: Update, context: Context, draft: Draft, due_at: dt.datetime, *, paid: bool, edit: bool
) -> None:
    """Write the whole broadcast to the outbox, then show the progress message and watch it."""
    svc = context.bot_data
    user = update.effective_user
    assert draft.audience is not None and user is not None
    # Recipients are chosen again at the last moment: people may have joined since the preview.
    recipients = (
        await recipients_of(svc.store, svc.settings, draft.audience, svc.team.member_ids())
        or draft.recipients
    )
    broadcast = await svc.store.create_broadcast(
        created_by=user.id,
        audience=draft.audience.code,
        audience_label=draft.audience.describe(svc.event.content),
        content_kind=draft.content_kind,
        body=draft.body,
        file_id=draft.file_id,
        paid=paid,
        recipients=recipients,
        due_at=due_at,
        now=svc.now(),
    )
    (context.user_data or {}).pop(DRAFT_KEY, None)
    log.info("broadcast %s to %d recipients, due %s", broadcast.id, len(recipients), due_at)
    await svc.store.audit(
        user.id,
        AuditAction.BROADCAST_SENT,
        {
            "broadcast": broadcast.id,
            "audience": draft.audience.code,
            "recipients": len(recipients),
            "scheduled": due_at > svc.now(),
            "paid": paid,
        },
        now=svc.now(),
    )
    if svc.sender is not None:
        svc.sender.wake()
    counts = {DeliveryState.PENDING: len(recipients)}
    text, markup = render_progress(broadcast, counts, svc.now(), DEFAULT_RATE)
    query = update.callback_query
    if edit and query is not None and isinstance(query.message, Message):
        await show(update, text, markup)
        chat_id, message_id = query.message.chat_id, query.message.message_id
    else:
        sent = await reply(update, text, markup)
        assert sent is not None
        chat_id, message_id = sent.chat_id, sent.message_id
    await svc.store.set_progress_message(broadcast.id, chat_id, message_id)
    svc.progress_shown[broadcast.id] = text
    start_progress(context.job_queue, broadcast.id)


async def cancel_command(update: Update, context: Context) -> int:
    (context.user_data or {}).pop(DRAFT_KEY, None)
    await reply(update, _(TEXT_CANCELLED_DRAFT))
    return ConversationHandler.END


async def nothing_to_cancel(update: Update, context: Context) -> None:
    await reply(update, _(TEXT_NOTHING_TO_CANCEL))


async def broadcasts_command(update: Update, context: Context) -> None:
    svc = context.bot_data
    if not await permitted(update, svc, "organiser", "/broadcasts"):
        return
    await reply(update, *(await render_list(svc)))


async def list_button(update: Update, context: Context, press: Press[BroadcastsButton]) -> None:
    """Buttons outside a draft: the list and stopping a broadcast. Organisers only: the
    permission is checked before the press reaches here; stale draft buttons never get here."""
    svc = context.bot_data
    match press.data:
        case BroadcastList():
            await show(update, *(await render_list(svc)))
            return
        case StopBroadcast(broadcast_id, confirmed):
            pass
        case _:
            await press.answer(_(TEXT_STALE_DRAFT))
            return
    broadcast = await svc.store.broadcast(broadcast_id)
    if broadcast is None:
        await press.answer(_(TEXT_STALE_DRAFT))
        return
    progress = Progress.of(await svc.store.broadcast_counts(broadcast.id))
    if progress.finished:
        await press.answer(_(TEXT_CANCEL_TOO_LATE).format(id=isolate(str(broadcast.id))))
        return
    if not confirmed:
        await press.answer()
        await reply(
            update,
            _(TEXT_CANCEL_ASK).format(
                id=isolate(str(broadcast.id)), open=fmt_number(progress.open)
            ),
            keyboard(
                [
                    [
                        button(_("⏹ Yes, stop it"), StopBroadcast(broadcast.id, confirmed=True)),
                        button(_("No"), BroadcastList()),
                    ]
                ]
            ),
        )
        return
    count = await svc.store.cancel_broadcast(broadcast.id, svc.now())
    user = update.effective_user
    log.info(
        "broadcast %s stopped by %s: %d not sent", broadcast.id, user.id if user else "?", count
    )
    if user is not None:
        await svc.store.audit(
            user.id,
            AuditAction.BROADCAST_CANCELLED,
            {"broadcast": broadcast.id, "not_sent": count},
            now=svc.now(),
        )
    await press.answer(
        _(TEXT_CANCEL_DONE).format(id=isolate(str(broadcast.id)), count=fmt_number(count))
    )
    await show(
        update, _(TEXT_CANCEL_DONE).format(id=isolate(str(broadcast.id)), count=fmt_number(count))
    )
    # The final report comes from the progress job once the messages in flight have finished.
    start_progress(context.job_queue, broadcast.id, first=0.2)


def outbox_renderer(svc: BotData) -> BroadcastRenderer:
    return BroadcastRenderer(svc.store)


def register(application: Application) -> None:
    """Must come before ``ask``: the draft is private text that ``ask`` would otherwise answer.
    Only an organiser inside a draft is held by the conversation; everyone else's text passes."""
    private = filters.ChatType.PRIVATE
    draft_buttons = button_handler(
        DraftButton,
        draft_button,
        role="organiser",
        stale=stale_draft,
        ended=ConversationHandler.END,
    )
    with warnings.catch_warnings():
        # per_message=False is intended: the steps are keyed by organiser, not by message.
        warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
        conversation = ConversationHandler(
            entry_points=[CommandHandler("broadcast", broadcast_command)],
            states={
                COMPOSE: [
                    MessageHandler(
                        private & ((filters.TEXT & ~filters.COMMAND) | filters.PHOTO)
                        | private & filters.Document.ALL,
                        compose_message,
                    )
                ],
                AUDIENCE: [draft_buttons],
                CONFIRM: [draft_buttons],
                SCHEDULE: [
                    MessageHandler(private & filters.TEXT & ~filters.COMMAND, schedule_text),
                    draft_buttons,
                ],
            },
            fallbacks=[CommandHandler("cancel", cancel_command)],
            allow_reentry=True,
            conversation_timeout=CONVERSATION_TIMEOUT,
            name="broadcast",
        )
    application.add_handler(conversation)
    application.add_handler(CommandHandler("broadcasts", broadcasts_command))
    application.add_handler(CommandHandler("cancel", nothing_to_cancel))
    application.add_handler(
        button_handler(
            BroadcastsButton,
            list_button,
            pattern=BroadcastButton.pattern,
            role="organiser",
            stale=stale_draft,
        )
    )


__all__ = ["outbox_renderer", "register", "restore_progress"]
