"""A person's data: all of it found, all of it erased, everyone's purged (bot/store/privacy.py).

The erasure checks read every table of the schema from ``sqlite_master`` and every column of
it, so a table added later is checked too, whether or not privacy.py knows about it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.domain.feedback import pseudonym
from bot.domain.outbox import Delivery, OutboxKind
from bot.domain.team import INVITE_LIFETIME, Role
from bot.store import Store
from bot.store.privacy import OTHER_TABLES, PERSONAL_TABLES
from tests.store.conftest import NOW

# Ids long enough not to turn up by chance in a count, a message id or a timestamp.
PERSON = 731_900_417
OTHER = 648_211_093
SECRET = b"test-secret"
OWNER = 555_000_111


def key_of(user_id: int) -> str:
    return pseudonym(SECRET, user_id)


async def give_everything(store: Store, user_id: int) -> None:
    """Put a row about ``user_id`` in every table that can hold one."""
    respondent = key_of(user_id)
    await store.touch_user(user_id, "fr", NOW)
    await store.set_lead_minutes(user_id, 30)
    await store.add_choice(user_id, "plen-1", NOW)
    await store.record_door_open(user_id, "wg-m", NOW)
    await store.set_follow_up(user_id, True, NOW)
    await store.set_pending_comment(user_id, "plen-1", NOW + dt.timedelta(minutes=10), NOW)
    await store.save_rating("plen-1", respondent, 4, NOW)
    await store.save_comment("plen-1", respondent, "Good panel", NOW)
    await store.set_feedback_group(respondent, "academia", NOW)
    await store.enqueue(
        [
            Delivery(
                key=f"reminder:{user_id}:plen-1",
                kind=OutboxKind.REMINDER,
                chat_id=user_id,
                payload={"session": "plen-1"},
                due_at=NOW,
            )
        ],
        NOW,
    )
    broadcast = await store.create_broadcast(
        created_by=user_id,
        audience="all",
        audience_label="everyone",
        content_kind="text",
        body="Welcome",
        file_id=None,
        paid=False,
        recipients=[user_id],
        due_at=NOW,
        now=NOW,
    )
    await store.set_progress_message(broadcast.id, user_id, 77)
    # On the team: a role given by an owner, an invite made, and an audited action.
    await store.grant_role(user_id, Role.STAFF, OWNER, NOW, f"Member {user_id % 7}")
    await store.create_invite(f"hash-{user_id}", Role.STAFF, user_id, NOW, NOW + INVITE_LIFETIME)
    await store.audit(user_id, "reload", {"ok": True}, now=NOW)
    question = await store.queue_question(user_id, "Amina", "fr", "prayer room?", (), NOW)
    await store.close_question(question, "spam", NOW)  # mutes them
    own = await store.queue_question(user_id, "Amina", "fr", "where to pray", (), NOW)
    await store.claim_question(own, user_id, "Amina", NOW + dt.timedelta(minutes=15), NOW)
    await store.answer_question(
        own,
        user_id,
        "Amina",
        "Room B2",
        Delivery(f"inbox-reply:{own}", OutboxKind.INBOX_REPLY, OTHER + 1, {}, NOW),
        NOW,
    )
    await store.add_faq_from(own, user_id, "Amina", NOW)


async def rows_naming(store: Store, user_id: int) -> dict[str, int]:
    """How many rows of each table hold the user id or the pseudonym, in any column (in text,
    anywhere in it: an outbox key spells the id)."""
    marks = (str(user_id), key_of(user_id))
    found: dict[str, int] = {}
    for table in await store.table_names():
        rows = await store._rows(f"SELECT * FROM {table}")  # a generic look

        def names(value: Any) -> bool:
            if isinstance(value, int) and not isinstance(value, bool):
                return value == user_id
            return isinstance(value, str) and any(mark in value for mark in marks)

        count = sum(1 for row in rows if any(names(value) for value in tuple(row)))
        if count:
            found[table] = count
    return found


async def test_every_table_is_known_as_personal_or_not(store: Store) -> None:
    known = {t.table for t in PERSONAL_TABLES} | set(OTHER_TABLES)
    assert set(await store.table_names()) == known


async def test_forget_leaves_no_row_with_the_user_id_or_pseudonym_in_any_table(
    store: Store,
) -> None:
    await give_everything(store, PERSON)
    await give_everything(store, OTHER)
    others_before = await rows_naming(store, OTHER)
    assert set(await rows_naming(store, PERSON)) == {t.table for t in PERSONAL_TABLES}

    counts = await store.forget_person(PERSON, key_of(PERSON))

    assert await rows_naming(store, PERSON) == {}
    assert await rows_naming(store, OTHER) == others_before
    assert counts == {
        "users": 1,
        "choices": 1,
        "session_openers": 1,
        "feedback_follow_up": 1,
        "feedback_pending_comments": 1,
        "outbox": 2,  # the reminder and the broadcast's copy
        "feedback_answers": 1,
        "feedback_respondents": 1,
        "broadcasts": 1,  # unlinked, not deleted
        "team_members": 1,
        "team_invites": 1,
        "audit_log": 1,  # pseudonymised, not deleted
        "inbox_questions": 2,
        "inbox_muted": 1,
        "faq_added": 1,  # unlinked, not deleted
    }


async def test_forget_keeps_the_broadcast_text_but_not_its_author(store: Store) -> None:
    await give_everything(store, PERSON)

    await store.forget_person(PERSON, key_of(PERSON))

    (broadcast,) = await store.recent_broadcasts(10)
    assert (broadcast.created_by, broadcast.body, broadcast.progress_chat_id) == (
        0,
        "Welcome",
        None,
    )


async def test_forget_drops_the_cached_choices_and_pending_comment(store: Store) -> None:
    await give_everything(store, PERSON)
    assert await store.choices_of(PERSON) == {"plen-1"}

    await store.forget_person(PERSON, key_of(PERSON))

    assert await store.choices_of(PERSON) == set()
    assert await store.take_pending_comment(PERSON, NOW) is None
    assert await store.user(PERSON) is None


async def test_forgotten_user_comes_back_as_a_newcomer(store: Store) -> None:
    await give_everything(store, PERSON)
    await store.forget_person(PERSON, key_of(PERSON))

    later = NOW + dt.timedelta(days=1)
    assert await store.touch_user(PERSON, None, later) is True
    user = await store.user(PERSON)
    assert user is not None and user.first_seen == later


async def test_forget_of_someone_unknown_deletes_nothing(store: Store) -> None:
    await give_everything(store, OTHER)

    counts = await store.forget_person(PERSON, key_of(PERSON))

    assert set(counts.values()) == {0}


async def test_personal_rows_hold_every_row_about_the_person_and_only_theirs(
    store: Store,
) -> None:
    await give_everything(store, PERSON)
    await give_everything(store, OTHER)

    found = await store.personal_rows(PERSON, key_of(PERSON))

    assert {table: len(rows) for table, rows in found.items()} == {
        t.table: n
        for t, n in zip(PERSONAL_TABLES, (1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1), strict=True)
    }
    # As many rows as the generic look finds naming the person, table by table.
    assert {t: len(rows) for t, rows in found.items()} == await rows_naming(store, PERSON)
    (user,) = found["users"]
    assert (user["user_id"], user["language"], user["lead_minutes"]) == (PERSON, "fr", 30)
    assert [row["session_id"] for row in found["choices"]] == ["plen-1"]
    assert [row["session_id"] for row in found["session_openers"]] == ["wg-m"]
    (answer,) = found["feedback_answers"]
    assert (answer["rating"], answer["comment"]) == (4, "Good panel")
    assert found["feedback_respondents"][0]["grp"] == "academia"
    assert {row["chat_id"] for row in found["outbox"]} == {PERSON}


async def test_purge_deletes_everyones_personal_data_and_is_idempotent(store: Store) -> None:
    await give_everything(store, PERSON)
    await give_everything(store, OTHER)

    first = await store.purge_personal_data()
    second = await store.purge_personal_data()

    assert await rows_naming(store, PERSON) == {}
    assert await rows_naming(store, OTHER) == {}
    assert first["users"] == 2 and first["outbox"] == 6 and first["broadcasts"] == 2
    assert set(second.values()) == {0}
    assert await store.choices_of(PERSON) == set()


async def test_forget_of_a_team_member_takes_their_role_and_pseudonymises_the_audit(
    store: Store,
) -> None:
    await store.grant_role(PERSON, Role.ORGANISER, OWNER, NOW, "Amina")
    await store.audit(OWNER, "role_granted", {"role": "organiser"}, subject=PERSON, now=NOW)
    await store.audit(PERSON, "reload", {"ok": True}, now=NOW)
    await store.audit(PERSON, "export", {"rows": 3}, now=NOW)
    await store.grant_role(OTHER, Role.STAFF, PERSON, NOW, "Omar")

    counts = await store.forget_person(PERSON, key_of(PERSON))

    assert counts["audit_log"] == 3 and counts["team_members"] == 2
    assert {row.user_id: (row.role, row.granted_by) for row in await store.team_rows()} == {
        OTHER: (Role.STAFF, 0)  # the role they were given stays, by nobody now
    }
    entries = await store.audit_entries(10)
    assert [e.action for e in entries] == ["export", "reload", "role_granted"]
    export, reload, granted = entries
    # One pseudonym for the person across the erasure, negative (never a Telegram id).
    assert export.actor == reload.actor == granted.subject < 0
    assert granted.actor == OWNER
    assert await rows_naming(store, PERSON) == {}
