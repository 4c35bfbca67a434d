"""Feedback with the store: the respondent key of a user, the staff's summaries, and what each
step of the attendee's feedback flow does to the stored answer.

Answers, groups and "group asked" marks are stored under a respondent key, never a user id: the
:func:`~bot.domain.feedback.pseudonym` of the user id under the feedback secret (the configured
``CONFBOT_FEEDBACK_SECRET``, or one the store keeps). :meth:`FeedbackService.respondent` and
:meth:`FeedbackService.respondents` are the only places that key is worked out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.config import ConfigError, Settings, require_strong_secret
from bot.content import Content, Session
from bot.content.models import FeedbackQuestion
from bot.domain.feedback import (
    COMMENT_WINDOW,
    NO_GROUP,
    FeedbackAnswer,
    FeedbackSummary,
    comment_due,
    feedback_closed,
    parse_option,
    pseudonym,
    questions_for,
    secret_check,
    summarise_event,
)
from bot.store import Store


class FeedbackAction(StrEnum):
    """What a person pressed on a session's feedback card."""

    RATE = "rate"
    ABSENT = "absent"  # "I did not attend"
    QUESTION = "question"  # answer or skip one of the event's questions
    COMMENT = "comment"  # "add / change a comment"
    SKIP = "skip"  # skip the comment
    UNCOMMENT = "uncomment"  # remove the comment
    OPEN = "open"  # just show the card


@dataclass(frozen=True)
class FeedbackPress:
    action: FeedbackAction
    session_id: str
    number: int = 0  # the rating, or the index of the question
    option: int | None = None  # the index of the question's option; None: skipped


class Toast(StrEnum):
    """How a press is answered; the feature owns the words."""

    NONE = "none"  # an empty answer
    RATED = "rated"
    ABSENT = "absent"
    SAVED = "saved"
    COMMENT_REMOVED = "comment_removed"
    # Refusals: nothing was stored and there is no card to show.
    GONE = "gone"  # the session (or the question) is no longer in the programme
    NO_FEEDBACK = "no_feedback"
    NOT_STARTED = "not_started"
    CLOSED = "closed"  # the session's feedback has closed: its answers are final
    RATE_FIRST = "rate_first"
    STALE = "stale"  # a forged or outdated option


@dataclass(frozen=True)
class PressOutcome:
    """What a press did: how to answer it and, unless refused, the card to show now."""

    toast: Toast
    session: Session | None = None  # None: refused
    questions: tuple[FeedbackQuestion, ...] = ()
    answer: FeedbackAnswer | None = None  # the answer as stored now
    asking_comment: bool = False  # the card asks for a comment
    ask_group: bool = False  # ask the person's group now (it was never asked before)


@dataclass(frozen=True)
class CommentOutcome:
    """A text taken as the comment on a session."""

    session_id: str
    session: Session | None  # None if the session left the programme meanwhile
    ask_group: bool = False


RESET_HINT = (
    "To start feedback afresh instead (every answer, group and mark is deleted), run:\n"
    "  python -m bot reset-feedback"
)
SECRET_MISMATCH = (
    "CONFBOT_FEEDBACK_SECRET is not the secret this database's feedback was stored under: "
    "every answer would lose its author and people could answer twice. Set the variable back "
    "to the secret used before.\n" + RESET_HINT
)
SECRET_UNSET = (
    "CONFBOT_FEEDBACK_SECRET is not set, but this database's feedback was stored under a "
    "configured secret. Set the variable to that secret.\n" + RESET_HINT
)
SECRET_GENERATED_IN_USE = (
    "CONFBOT_FEEDBACK_SECRET is set, but this database already holds feedback stored under "
    "the secret the bot generated when the variable was unset: with the new secret every "
    "answer would lose its author. Unset the variable to go on with the generated secret.\n"
    + RESET_HINT
)


class FeedbackService:
    """Feedback for one store and configuration; cheap to make, so made where needed."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    async def verify_secret(self) -> None:
        """At start: make sure pseudonyms are keyed as before, or refuse with a ConfigError that
        says what happened and how to fix it.

        The first secret used is recorded as a check value (an HMAC of a fixed label under it).
        A configured secret must be strong. A configured secret that does not match the check,
        or no secret where one was configured before, is refused: every pseudonym would change,
        old answers would be orphaned and people could answer twice. Setting the variable after
        a run with a generated secret is taken only while nothing is stored under the generated
        one, which is then deleted."""
        configured = self.settings.feedback_secret
        generated, check, has_answers = await self.store.feedback_secret_state()
        if configured:
            require_strong_secret(configured)
            wanted = secret_check(configured.encode())
            if generated is not None:
                if has_answers:
                    raise ConfigError(SECRET_GENERATED_IN_USE)
                await self.store.record_feedback_secret_check(wanted, drop_generated=True)
            elif check is None:
                await self.store.record_feedback_secret_check(wanted, drop_generated=False)
            elif check != wanted:
                raise ConfigError(SECRET_MISMATCH)
            return
        if generated is None and check is not None:
            raise ConfigError(SECRET_UNSET)
        own = secret_check(await self._secret())  # generates one on first use
        if check is None:
            await self.store.record_feedback_secret_check(own, drop_generated=False)
        elif check != own:  # pragma: no cover - only by editing the settings table by hand
            raise ConfigError(SECRET_MISMATCH)

    async def _secret(self) -> bytes:
        return await self.store.feedback_secret(self.settings.feedback_secret)

    async def respondent(self, user_id: int) -> str:
        """The key a user's answers, group and marks are stored under."""
        return pseudonym(await self._secret(), user_id)

    async def respondents(self, user_ids: Iterable[int]) -> dict[int, str]:
        """The respondent key of each user (each once), in the order given."""
        secret = await self._secret()
        return {user_id: pseudonym(secret, user_id) for user_id in user_ids}

    async def summaries(self, content: Content, now: dt.datetime) -> list[FeedbackSummary]:
        """Every session's summary (results by group only for sessions closed at ``now``); the
        people prompted become respondent keys before anything else, so a summary never holds
        a user id."""
        answers = await self.store.all_feedback_answers()
        prompted_users = await self.store.feedback_prompted()
        keys = await self.respondents(u for users in prompted_users.values() for u in users)
        prompted = {
            session_id: {keys[user_id] for user_id in users}
            for session_id, users in prompted_users.items()
        }
        return summarise_event(content, answers, prompted, now=now)

    # --- one person's answers --------------------------------------------------------------

    async def answer(self, session_id: str, user_id: int) -> FeedbackAnswer | None:
        return await self.store.feedback_answer(session_id, await self.respondent(user_id))

    async def answered_sessions(self, user_id: int) -> set[str]:
        """The ids of the sessions the user answered about."""
        return set(await self.store.feedback_answers_of(await self.respondent(user_id)))

    async def press(
        self, content: Content, user_id: int, pressed: FeedbackPress, now: dt.datetime
    ) -> PressOutcome:
        """Store what a press on a session's card means and work out the card's next step.

        Refused, with nothing stored: a session no longer in the programme (or a question no
        longer asked), a session without feedback, not started yet or closed, a question or
        comment before any answer. After a rating or a question with nothing left to ask, the
        comment is asked for and the person's next text is taken as it for
        :data:`COMMENT_WINDOW`. Skipping
        the comment finishes the answer: the person's group is then asked, once ever.
        """
        session = content.sessions_by_id.get(pressed.session_id)
        if session is None:
            return PressOutcome(Toast.GONE)
        if not session.feedback:
            return PressOutcome(Toast.NO_FEEDBACK)
        starts_at = content.starts_at(session)
        if starts_at is None or starts_at > now:
            return PressOutcome(Toast.NOT_STARTED)
        if feedback_closed(content, session.id, now):
            return PressOutcome(Toast.CLOSED)
        respondent = await self.respondent(user_id)
        questions = questions_for(content.event.feedback, session)
        store = self.store
        asking_comment = False
        finished = False
        match pressed.action:
            case FeedbackAction.RATE:
                await store.save_rating(session.id, respondent, pressed.number, now)
                toast = Toast.RATED
            case FeedbackAction.ABSENT:
                await store.save_not_attended(session.id, respondent, now)
                await store.clear_pending_comment(user_id)
                toast = Toast.ABSENT
            case FeedbackAction.QUESTION:
                if pressed.number >= len(questions):
                    return PressOutcome(Toast.GONE)
                question = questions[pressed.number]
                value = None if pressed.option is None else parse_option(question, pressed.option)
                if pressed.option is not None and value is None:
                    return PressOutcome(Toast.STALE)
                if not await store.save_question_answer(
                    session.id, respondent, question.id, value, now
                ):
                    return PressOutcome(Toast.RATE_FIRST)
                toast = Toast.SAVED
            case FeedbackAction.COMMENT | FeedbackAction.SKIP | FeedbackAction.UNCOMMENT:
                if await store.feedback_answer(session.id, respondent) is None:
                    return PressOutcome(Toast.RATE_FIRST)
                toast = Toast.NONE
                if pressed.action is FeedbackAction.COMMENT:
                    asking_comment = True
                elif pressed.action is FeedbackAction.SKIP:
                    await store.clear_pending_comment(user_id)
                    finished = True
                else:
                    await store.save_comment(session.id, respondent, None, now)
                    toast = Toast.COMMENT_REMOVED
            case _:  # open
                toast = Toast.NONE
        answer = await store.feedback_answer(session.id, respondent)
        if pressed.action in (FeedbackAction.RATE, FeedbackAction.QUESTION) and comment_due(
            questions, answer
        ):
            asking_comment = True
        rated = answer is not None and answer.rating is not None
        if asking_comment and rated:
            await store.set_pending_comment(user_id, session.id, now + COMMENT_WINDOW, now)
        ask_group = finished and rated and await store.mark_group_asked(respondent, now)
        return PressOutcome(toast, session, tuple(questions), answer, asking_comment, ask_group)

    async def take_comment(
        self, content: Content, user_id: int, text: str, now: dt.datetime
    ) -> CommentOutcome | None:
        """Save a text as the comment the user was asked for; None when no comment was awaited
        (or the answer it belonged to is gone), so the text is something else."""
        session_id = await self.store.take_pending_comment(user_id, now)
        if session_id is None or feedback_closed(content, session_id, now):
            return None
        respondent = await self.respondent(user_id)
        if not await self.store.save_comment(session_id, respondent, text, now):
            return None
        answer = await self.store.feedback_answer(session_id, respondent)
        rated = answer is not None and answer.rating is not None
        ask_group = rated and await self.store.mark_group_asked(respondent, now)
        return CommentOutcome(session_id, content.sessions_by_id.get(session_id), ask_group)

    # --- the person's group and the follow-up ----------------------------------------------

    async def open_group_question(self, user_id: int, now: dt.datetime) -> str | None:
        """The person opened the group question themselves: it counts as asked. Returns the
        group they gave, if any."""
        respondent = await self.respondent(user_id)
        await self.store.mark_group_asked(respondent, now)
        return await self.store.feedback_group(respondent)

    async def set_group(self, user_id: int, group: str, now: dt.datetime) -> None:
        """Record the person's group; :data:`NO_GROUP` ("prefer not to say") stores none."""
        stored = None if group == NO_GROUP else group
        await self.store.set_feedback_group(await self.respondent(user_id), stored, now)

    async def set_follow_up(self, user_id: int, wanted: bool, now: dt.datetime) -> None:
        # Kept by user id, not respondent key: the follow-up is a message to send them.
        await self.store.set_follow_up(user_id, wanted, now)
