"""The team's tables (bot/store/team.py): granted roles, names, one-time invites, the audit log."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.domain.team import INVITE_LIFETIME, AuditAction, Role, hash_invite_code
from bot.store import Invite, Store
from tests.store.conftest import NOW

OWNER = 555_000_111
NEWCOMER = 7_123_456_789
OTHER = 648_211_093


async def test_grant_then_revoke_keeps_the_name_but_not_the_role(store: Store) -> None:
    await store.grant_role(NEWCOMER, Role.STAFF, OWNER, NOW, "Nadia")

    (row,) = await store.team_rows()
    assert (row.user_id, row.name, row.role, row.granted_by, row.granted_at) == (
        NEWCOMER,
        "Nadia",
        Role.STAFF,
        OWNER,
        NOW,
    )
    assert await store.revoke_role(NEWCOMER) == Role.STAFF
    assert await store.revoke_role(NEWCOMER) is None
    (row,) = await store.team_rows()
    assert (row.name, row.role, row.granted_by) == ("Nadia", None, None)


async def test_note_team_name_updates_the_name_and_keeps_the_role(store: Store) -> None:
    await store.grant_role(NEWCOMER, Role.ORGANISER, OWNER, NOW, "Nadia")
    await store.note_team_name(NEWCOMER, "Nadia B.", NOW + dt.timedelta(hours=1))

    (row,) = await store.team_rows()
    assert (row.name, row.role) == ("Nadia B.", Role.ORGANISER)


async def test_invite_is_used_once_and_only_before_it_expires(store: Store) -> None:
    code = hash_invite_code("abc")
    await store.create_invite(code, Role.STAFF, OWNER, NOW, NOW + INVITE_LIFETIME)
    stale = hash_invite_code("old")
    await store.create_invite(stale, Role.ORGANISER, OWNER, NOW, NOW + INVITE_LIFETIME)

    assert await store.invite_usable(code, NOW) == Role.STAFF
    assert await store.use_invite(code, NEWCOMER, NOW) == Invite(Role.STAFF, OWNER)
    assert await store.use_invite(code, OTHER, NOW) is None
    assert await store.invite_usable(code, NOW) is None
    later = NOW + INVITE_LIFETIME
    assert await store.invite_usable(stale, later) is None
    assert await store.use_invite(stale, OTHER, later) is None
    assert await store.use_invite(hash_invite_code("never made"), OTHER, NOW) is None


async def test_two_people_racing_for_one_invite_get_it_once(store: Store) -> None:
    code = hash_invite_code("race")
    await store.create_invite(code, Role.STAFF, OWNER, NOW, NOW + INVITE_LIFETIME)

    results = await asyncio.gather(*(store.use_invite(code, uid, NOW) for uid in range(1, 9)))

    assert sum(result is not None for result in results) == 1


async def test_the_store_keeps_only_the_hash_of_a_code(store: Store) -> None:
    await store.create_invite(
        hash_invite_code("s3cret-code"), Role.STAFF, OWNER, NOW, NOW + INVITE_LIFETIME
    )
    rows = await store._rows("SELECT * FROM team_invites")
    assert all("s3cret-code" not in str(value) for row in rows for value in tuple(row))


async def test_audit_lists_newest_first_with_paging(store: Store) -> None:
    for minute in range(5):
        await store.audit(
            OWNER,
            AuditAction.RELOAD,
            {"ok": True, "n": minute},
            now=NOW + dt.timedelta(minutes=minute),
        )
    await store.audit(OWNER, "inbox_reply", None, subject=NEWCOMER, now=NOW)

    assert await store.audit_count() == 6
    first = await store.audit_entries(2)
    assert [(e.action, e.details.get("n")) for e in first] == [
        ("inbox_reply", None),
        ("reload", 4),
    ]
    assert first[0].subject == NEWCOMER and first[0].details == {}
    second = await store.audit_entries(2, offset=2)
    assert [e.details["n"] for e in second] == [3, 2]
    assert second[0].at == NOW + dt.timedelta(minutes=3)


@pytest.mark.parametrize("details", [{"nested": {"a": 1}}, {"list": [1, 2]}, {"long": "x" * 600}])
async def test_audit_refuses_details_that_are_not_short_and_flat(
    store: Store, details: dict[str, object]
) -> None:
    with pytest.raises(ValueError):
        await store.audit(OWNER, "reload", details, now=NOW)
    assert await store.audit_count() == 0


async def test_purge_deletes_the_team_tables(store: Store) -> None:
    await store.grant_role(NEWCOMER, Role.STAFF, OWNER, NOW, "Nadia")
    await store.create_invite("h", Role.STAFF, OWNER, NOW, NOW + INVITE_LIFETIME)
    await store.audit(OWNER, "reload", {"ok": True}, now=NOW)

    counts = await store.purge_personal_data()

    assert (counts["team_members"], counts["team_invites"], counts["audit_log"]) == (1, 1, 1)
    assert await store.team_rows() == [] and await store.audit_count() == 0
