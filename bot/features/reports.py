"""Feedback reports for staff and organisers: ``/report`` (one line per session), ``/report
<session>`` (distribution, questions, groups, comments and two charts) and ``/export`` (CSV and
an Excel workbook). Nothing here shows who answered; see :mod:`bot.domain.feedback`.

Callback data (namespace ``rp``): ``rp:l:<page>``, ``rp:s:<session>``, ``rp:m`` (the chart of
means), ``rp:x`` (export). Everyone else gets a polite refusal, and the attempt is logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.domain.agenda import find_session
from bot.domain.feedback import (
    FeedbackSummary,
    build_csv,
    build_xlsx,
    distribution_chart,
    export_table,
    means_chart,
)
from bot.domain.team import AuditAction
from bot.features.callbacks import (
    CallbackData,
    Press,
    button,
    button_handler,
)
from bot.features.fmt import esc, fmt_day, fmt_number, fmt_time, local_text, shorten
from bot.features.keyboards import keyboard, paged_rows
from bot.features.permissions import permitted
from bot.features.send import reply, show
from bot.i18n import N_, _, isolate, tr
from bot.runtime import BotData, Context

log = logging.getLogger(__name__)

NS = "rp"
PAGE_SIZE = 6
BAR_WIDTH = 16
TEXT_NO_SESSION = N_("No session matches <code>{words}</code>. /report lists them all.")
TEXT_EXPORTING = N_("⬇️ Preparing the export…")
TEXT_EXPORT_CAPTION = N_(
    "{rows} answers of {sessions} sessions whose feedback has closed (the end of the day after "
    "each), one row each; no names, user ids, groups or times of day."
)
TEXT_GROUPS_LATER = N_(
    "<i>Shown once feedback on the session closes (the end of the day after it), so that "
    "nobody's group can be told from who answered in between.</i>"
)
# Unicode first-strong isolate: a right-to-left comment cannot reorder the bullet before it.
ISOLATE, POP_ISOLATE = "\u2068", "\u2069"


class ReportButton(CallbackData, prefix=NS):
    pass


@dataclass(frozen=True)
class ReportList(ReportButton, action="l"):
    """``rp:l:<page>``: one page of the overview."""

    page: int = 0


@dataclass(frozen=True)
class ReportSession(ReportButton, action="s"):
    """``rp:s:<session id>``: one session's report and charts."""

    session_id: str


@dataclass(frozen=True)
class ReportMeans(ReportButton, action="m"):
    """``rp:m``: the chart of mean ratings."""


@dataclass(frozen=True)
class ReportExport(ReportButton, action="x"):
    """``rp:x``: the CSV and Excel export."""


def fmt_mean(mean: float | None) -> str:
    return isolate(f"{mean:.2f}") if mean is not None else "–"


def fmt_rate(summary: FeedbackSummary) -> str:
    rate = summary.response_rate
    if rate is None:
        return _("nobody prompted yet")
    return _("{rate} of {prompted} prompted").format(
        rate=isolate(f"{rate:.0%}"), prompted=fmt_number(summary.prompted)
    )


def render_overview(
    summaries: Sequence[FeedbackSummary], page: int
) -> tuple[str, InlineKeyboardMarkup]:
    total = sum(s.answers for s in summaries)
    ratings = sum(s.ratings for s in summaries)
    lines = [
        _("📊 <b>Feedback</b>: {answers} answers, {ratings} ratings, {sessions} sessions").format(
            answers=fmt_number(total),
            ratings=fmt_number(ratings),
            sessions=fmt_number(len(summaries)),
        ),
    ]
    shown, rows = paged_rows(
        summaries,
        page,
        lambda s: button(
            f"📊 {fmt_time(s.starts_at) if s.starts_at else _('TBA')} "
            f"{isolate(shorten(tr(s.title), 40))}",
            ReportSession(s.session_id),
        ),
        ReportList,
        size=PAGE_SIZE,
    )
    for s in shown:
        when = summary_when(s)
        lines += [
            "",
            f"<b>{esc(when)}</b> {esc(local_text(s.title))}",
            _("{answers} answers · {rate} · ★ {mean} · {absent} did not attend").format(
                answers=fmt_number(s.answers),
                rate=esc(fmt_rate(s)),
                mean=fmt_mean(s.mean),
                absent=fmt_number(s.not_attended),
            ),
        ]
    rows.append([button(_("📈 Means chart"), ReportMeans()), button(_("⬇️ Export"), ReportExport())])
    return "\n".join(lines), keyboard(rows)


def summary_when(s: FeedbackSummary) -> str:
    if s.starts_at is None:
        return _("time to be announced")
    return f"{fmt_day(s.starts_at.date())} {isolate(fmt_time(s.starts_at))}"


def bar(count: int, most: int) -> str:
    width = round(BAR_WIDTH * count / most) if most else 0
    return "█" * width or "·"


def render_detail(summary: FeedbackSummary, min_group_size: int) -> str:
    s = summary
    when = summary_when(s)
    lines = [
        f"📊 <b>{esc(local_text(s.title))}</b>",
        f"<i>{esc(when)}</i>",
        "",
        _("Answers: <b>{answers}</b> ({rate})").format(
            answers=fmt_number(s.answers), rate=esc(fmt_rate(s))
        ),
        _("Ratings: <b>{ratings}</b>, mean <b>{mean}</b>").format(
            ratings=fmt_number(s.ratings), mean=fmt_mean(s.mean)
        ),
        _("Did not attend: <b>{absent}</b>").format(absent=fmt_number(s.not_attended)),
        "",
        _("<b>Ratings</b>"),
    ]
    most = max(s.distribution)
    for rating in (5, 4, 3, 2, 1):
        count = s.distribution[rating - 1]
        lines.append(f"<code>{rating}★ {bar(count, most):<{BAR_WIDTH}} {count:>4}</code>")
    for result in s.questions:
        lines += ["", f"❓ <b>{esc(tr(result.question.text))}</b>"]
        if result.mean is not None:
            lines.append(
                _("Mean {mean} from {answers} answers").format(
                    mean=fmt_mean(result.mean), answers=fmt_number(result.answered)
                )
            )
        for label, count in result.counts:
            share = f" ({isolate(f'{count / result.answered:.0%}')})" if result.answered else ""
            shown = _(label) if label in ("Yes", "No") else tr(label)
            lines.append(f"• {esc(shown)}: {fmt_number(count)}{share}")
    lines += ["", _("<b>By group</b>")]
    if not s.closed:
        lines.append(_(TEXT_GROUPS_LATER))
    for group in s.groups:
        lines.append(
            _("• {group}: {ratings} ratings, mean {mean}").format(
                group=esc(_(group.label)),
                ratings=fmt_number(group.ratings),
                mean=fmt_mean(group.mean),
            )
        )
    if s.hidden_ratings and s.closed:
        lines.append(
            _(
                "<i>{hidden} ratings from groups of fewer than {size} are not shown by group.</i>"
            ).format(hidden=fmt_number(s.hidden_ratings), size=fmt_number(min_group_size))
        )
    if s.closed and not s.groups and not s.hidden_ratings:
        lines.append("–")
    lines += ["", _("<b>Comments</b> ({count})").format(count=fmt_number(len(s.comments)))]
    for comment in s.comments:
        text = "\n   ".join(esc(part) for part in comment.splitlines() if part.strip())
        lines.append(f"• {ISOLATE}{text}{POP_ISOLATE}")
    if not s.comments:
        lines.append("–")
    return "\n".join(lines)


async def all_summaries(svc: BotData) -> list[FeedbackSummary]:
    return await svc.feedback.summaries(svc.event.content, svc.now())


async def report_command(update: Update, context: Context) -> None:
    svc = context.bot_data
    if not await permitted(update, svc, "staff", "/report"):
        return
    words = " ".join(context.args or []).strip()
    summaries = await all_summaries(svc)
    if not words:
        await audit_report(update, svc, None)
        await reply(update, *render_overview(summaries, 0))
        return
    session = find_session(svc.event.content, words)
    summary = next((s for s in summaries if session and s.session_id == session.id), None)
    if summary is None:
        await reply(update, _(TEXT_NO_SESSION).format(words=esc(words)))
        return
    await audit_report(update, svc, summary.session_id)
    await send_detail(update, svc, summary, summaries)


async def audit_report(update: Update, svc: BotData, session_id: str | None) -> None:
    """One audit row per report asked for: the overview, or one session's (by id)."""
    user = update.effective_user
    if user is None:
        return
    details: dict[str, object] = {"session": session_id} if session_id else {}
    await svc.store.audit(user.id, AuditAction.REPORT, details, now=svc.now())


async def send_detail(
    update: Update, svc: BotData, summary: FeedbackSummary, summaries: Sequence[FeedbackSummary]
) -> None:
    min_size = svc.event.content.event.feedback.min_group_size
    await reply(update, render_detail(summary, min_size))
    chat = update.effective_chat
    if chat is None:
        return
    # matplotlib takes a noticeable moment per chart: off the event loop.
    distribution = await asyncio.to_thread(distribution_chart, summary)
    caption = _("Ratings: {title}").format(title=esc(local_text(summary.title)))
    await chat.send_photo(distribution, caption=caption[:1000])
    means = await asyncio.to_thread(means_chart, summaries)
    await chat.send_photo(means, caption=_("Mean rating per session"))


async def send_means(update: Update, summaries: Sequence[FeedbackSummary]) -> None:
    chat = update.effective_chat
    if chat is not None:
        means = await asyncio.to_thread(means_chart, summaries)
        await chat.send_photo(means, caption=_("Mean rating per session"))


async def export_command(update: Update, context: Context) -> None:
    svc = context.bot_data
    if not await permitted(update, svc, "staff", "/export"):
        return
    await send_export(update, svc)


async def send_export(update: Update, svc: BotData) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    content = svc.event.content
    now = svc.now()
    answers = await svc.store.all_feedback_answers()
    table = export_table(content, answers, now)
    # The per-session sheet too covers closed sessions only: two exports then differ by whole
    # sessions, never by one answer.
    summaries = [s for s in await all_summaries(svc) if s.closed and s.session_id in table.sessions]
    csv_bytes = await asyncio.to_thread(build_csv, table)
    xlsx_bytes = await asyncio.to_thread(build_xlsx, table, summaries)
    stamp = now.astimezone(content.tz).strftime("%Y%m%d")
    name = f"feedback-{content.event.id}-{stamp}"
    caption = _(TEXT_EXPORT_CAPTION).format(
        rows=fmt_number(len(table.rows)), sessions=fmt_number(len(table.sessions))
    )
    await chat.send_document(csv_bytes, filename=f"{name}.csv", caption=caption)
    await chat.send_document(xlsx_bytes, filename=f"{name}.xlsx", caption=caption)
    if update.effective_user is not None:
        await svc.store.audit(
            update.effective_user.id,
            AuditAction.EXPORT,
            {"rows": len(table.rows), "sessions": len(table.sessions)},
            now=now,
        )


async def report_button(update: Update, context: Context, press: Press[ReportButton]) -> None:
    """Staff only: the permission is checked before the press reaches here."""
    svc = context.bot_data
    match press.data:
        case ReportList(page):
            await show(update, *render_overview(await all_summaries(svc), page))
        case ReportSession(session_id):
            summaries = await all_summaries(svc)
            summary = next((s for s in summaries if s.session_id == session_id), None)
            if summary is None:
                await press.stale()
                return
            await press.answer()  # before the charts, which take a moment
            await audit_report(update, svc, session_id)
            await send_detail(update, svc, summary, summaries)
        case ReportMeans():
            await press.answer()
            await send_means(update, await all_summaries(svc))
        case ReportExport():
            await press.answer(_(TEXT_EXPORTING))
            await send_export(update, svc)
        case _:
            await press.stale()


def register(application: Application) -> None:
    application.add_handler(CommandHandler("report", report_command))
    application.add_handler(CommandHandler("export", export_command))
    application.add_handler(button_handler(ReportButton, report_button, role="staff"))
