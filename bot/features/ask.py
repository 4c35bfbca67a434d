"""Free-text questions: whatever an attendee types that is not a command.

The domain's :class:`~bot.domain.ask.Answerer` picks the best match and up to three
alternatives; this module renders the match with the feature that owns it and offers the
alternatives as buttons made with the owning features' callback data classes.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, MessageHandler, filters

from bot.content.models import Place
from bot.domain.ask import Answer, AnswerContext, Match, Target
from bot.features.agenda import (
    AgendaLanguage,
    AgendaOnline,
    AgendaSession,
    AgendaTrack,
    pinned_place,
    render_language,
    render_listing,
    render_online,
    render_session,
    render_track,
    session_markup,
    session_when_long,
)
from bot.features.callbacks import CallbackData, button
from bot.features.faq import FaqQuestion, render_faq_entry
from bot.features.fmt import esc, fmt_day, fmt_time, session_where
from bot.features.inbox import offer_button, record_outcome, with_offer
from bot.features.keyboards import keyboard
from bot.features.menu import render_menu
from bot.features.send import reply
from bot.features.speakers import SpeakerPage, render_speaker
from bot.features.venue import (
    TOPICS,
    VenueRoom,
    VenueTopic,
    render_room,
    render_topic,
    send_pin,
    send_place_pin,
    venue_markup,
)
from bot.i18n import N_, _, isolate, tr
from bot.runtime import BotData, Context, EventState

TEXT_NO_MATCH = N_("Sorry, I don't know the answer to that.")
TEXT_NO_MATCH_HINT = N_("Try other words, pick one of these, or use the menu.")
TEXT_ALSO = N_("<i>Did you mean something else?</i>")
TEXT_NOTHING_THEN = N_("Nothing is scheduled then.")
MAX_QUESTION_CHARS = 500


def alternative_button(match: Match) -> InlineKeyboardButton | None:
    data: CallbackData
    if match.target is Target.session:
        data = AgendaSession(match.ref)
    elif match.target is Target.faq:
        data = FaqQuestion(match.ref)
    elif match.target is Target.speaker:
        data = SpeakerPage(match.ref)
    elif match.target is Target.room:
        data = VenueRoom(match.ref)
    elif match.target is Target.venue and match.ref in TOPICS:
        data = VenueTopic(match.ref)
    elif match.target is Target.listing and (filtered := filter_button(match.ref)):
        data = filtered
    else:
        # A listing by time is computed from the question's time words; it has no stable button.
        return None
    return button(tr(match.label)[:40], data)


def filter_button(ref: str) -> CallbackData | None:
    """The /agenda filter a listing ref names (``track:<id>``, ``language:<code>``, ``online``)."""
    kind, _sep, value = ref.partition(":")
    if kind == "track" and value:
        return AgendaTrack(value)
    if kind == "language" and value:
        return AgendaLanguage(value)
    if ref == "online":
        return AgendaOnline()
    return None


def render_filter(state: EventState, ref: str) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """A listing by track, language or online, exactly as the /agenda filter shows it."""
    kind, _sep, value = ref.partition(":")
    if kind == "track":
        return render_track(state.content, value)
    if kind == "language":
        return render_language(state.content, value)
    if ref == "online":
        return render_online(state.content)
    return None


def with_alternatives(
    markup: InlineKeyboardMarkup | None, answer: Answer
) -> tuple[InlineKeyboardMarkup | None, bool]:
    extra = [[b] for b in map(alternative_button, answer.alternatives) if b is not None]
    if not extra:
        return markup, False
    # The answer's own buttons first, the alternatives after them, as a reader scans.
    rows = [list(row) for row in (markup.inline_keyboard if markup else ())]
    return keyboard(rows + extra), True


def session_lead(state: EventState, ref: str, aspect: str | None) -> str | None:
    session = state.agenda.session(ref)
    if session is None:
        return None
    if aspect == "where":
        where = esc(session_where(state.content, session))
        return _("📍 Where: <b>{where}</b>").format(where=where)
    if aspect == "when":
        when = esc(session_when_long(session))
        return _("🕙 When: <b>{when}</b>").format(when=when) + (
            " " + _("(❌ cancelled)") if session.cancelled else ""
        )
    if aspect == "who":
        if not session.chairs and not session.speakers:
            return _("🎙 No chairs or speakers have been announced for it yet.")
        names = [
            isolate(" ".join(tr(p) for p in (person.honorific, person.name) if p))
            for person in (state.content.speakers_by_id[i] for i in session.chairs)
        ]
        if names:
            return _("🎙 Chaired by <b>{names}</b>.").format(names=esc(", ".join(names)))
    return None


def render_answer(
    state: EventState, answer: Answer, chosen: set[str]
) -> tuple[str, InlineKeyboardMarkup | None, bool]:
    """Text, buttons, and whether a venue pin should follow."""
    content = state.content
    best = answer.best
    pin = False
    text: str
    markup: InlineKeyboardMarkup | None
    if best is None:
        _text, menu_markup = render_menu(content)
        markup, _alternatives = with_alternatives(menu_markup, answer)
        return f"{_(TEXT_NO_MATCH)} {_(TEXT_NO_MATCH_HINT)}", markup, False
    if best.target is Target.session and (session := state.agenda.session(best.ref)):
        text = render_session(content, session)
        lead = session_lead(state, best.ref, answer.aspect)
        if lead:
            text = f"{lead}\n\n{text}"
        markup = session_markup(content, session, session.id in chosen)
    elif best.target is Target.faq and (entry := content.faq_by_id.get(best.ref)):
        text, markup = render_faq_entry(entry)
    elif best.target is Target.speaker and (
        rendered := render_speaker(content, state.agenda, best.ref)
    ):
        text, markup = rendered
    elif best.target is Target.room and (room := render_room(content, best.ref)):
        text, markup = room
    elif best.target is Target.venue:
        topic = best.ref if best.ref != "address" else "overview"
        try:
            text = render_topic(content, topic)
        except ValueError:
            text = render_topic(content, "overview")
        markup = venue_markup()
        pin = best.ref in ("map", "address")
    elif best.target is Target.listing and (filtered := render_filter(state, best.ref)):
        text, markup = filtered
    elif best.target is Target.listing:
        title = _("🗓 <b>Sessions</b>")
        if answer.window is not None:
            start, end = (m.astimezone(content.tz) for m in answer.window)
            hours = isolate(f"{fmt_time(start)}–{fmt_time(end)}")
            title = f"🗓 <b>{esc(fmt_day(start.date()))}, {hours}</b>"
        text, markup = render_listing(content, title, answer.listing, _(TEXT_NOTHING_THEN))
    else:
        # The content changed under the answer (a reload); fall back to the menu.
        text, markup = render_menu(content)
    markup, has_alternatives = with_alternatives(markup, answer)
    if has_alternatives:
        text = f"{text}\n\n{_(TEXT_ALSO)}"
    return text, markup, pin


async def question_message(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    svc = context.bot_data
    state = svc.event
    now = svc.now()
    user = update.effective_user
    previous = svc.recent_answers.recall(user.id, now) if user is not None else None
    answer = state.answerer.answer(message.text[:MAX_QUESTION_CHARS], now, previous)
    if user is not None:
        svc.recent_answers.remember(user.id, AnswerContext.of(answer, now) or previous)
    chosen = await svc.store.choices_of(user.id) if user is not None else set()
    text, markup, pin = render_answer(state, answer, chosen)
    if user is not None:
        markup = offer_organisers(svc, user.id, message.text, answer, markup)
    await reply(update, text, markup)
    await record_outcome(svc, answer)
    place = follow_up_place(state, answer)
    if place is not None:
        await send_place_pin(update, *place)
    elif pin:
        await send_pin(update, state.content)


def offer_organisers(
    svc: BotData, user_id: int, text: str, answer: Answer, markup: InlineKeyboardMarkup | None
) -> InlineKeyboardMarkup:
    """The inbox's "Ask the organisers" (no answer) or "Not what I asked" (an answer) button."""
    return with_offer(markup, offer_button(svc, user_id, text, answer), answer)


def follow_up_place(state: EventState, answer: Answer) -> tuple[Place, str] | None:
    """ "How do I get there" after a session away from the venue: that place's pin."""
    best = answer.best
    if not answer.follow_up or answer.aspect != "where" or best is None:
        return None
    if best.target is not Target.session or (session := state.agenda.session(best.ref)) is None:
        return None
    place = pinned_place(state.content, session)
    return (place, session.title) if place is not None else None


def register(application: Application) -> None:
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, question_message)
    )
