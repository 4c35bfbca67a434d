"""The team service: configured ids keep their roles, invites grant once, revokes take back only
what was granted, and the in-memory copy follows every change."""

from __future__ import annotations

import datetime as dt

from bot.config import Settings
from bot.domain.team import INVITE_LIFETIME, Role
from bot.services.team import Redeemed, TeamService
from bot.store import Store

NOW = dt.datetime(2022, 7, 25, 8, 0, tzinfo=dt.UTC)
OWNER = 9001
STAFF = 9002
NEWCOMER = 7_123_456_789


async def team_on(store: Store) -> TeamService:
    team = TeamService(store, Settings(organisers=frozenset({OWNER}), staff=frozenset({STAFF})))
    await team.load()
    return team


async def test_configured_ids_keep_their_roles(store: Store) -> None:
    team = await team_on(store)
    assert (team.role_of(OWNER), team.role_of(STAFF), team.role_of(NEWCOMER)) == (
        Role.OWNER,
        Role.STAFF,
        None,
    )
    assert team.is_organiser(OWNER) and team.is_staff(OWNER) and team.is_owner(OWNER)
    assert team.is_staff(STAFF) and not team.is_organiser(STAFF)
    assert await team.revoke(OWNER, OWNER, NOW) is None
    assert team.member_ids() == {OWNER, STAFF}


async def test_an_invite_grants_its_role_once(store: Store) -> None:
    team = await team_on(store)
    code = await team.create_invite(Role.ORGANISER, OWNER, NOW)

    assert await team.redeem(code, NEWCOMER, "Nadia", NOW) == Redeemed(
        Role.ORGANISER, granted=True, invited_by=OWNER
    )
    assert team.is_organiser(NEWCOMER) and team.name_of(NEWCOMER) == "Nadia"
    assert await team.redeem(code, 1003, "Someone", NOW) is None
    assert team.organiser_ids() == [OWNER, NEWCOMER]
    # A fresh service reads the same from the database.
    assert (await team_on(store)).role_of(NEWCOMER) == Role.ORGANISER


async def test_an_expired_or_unknown_invite_grants_nothing(store: Store) -> None:
    team = await team_on(store)
    code = await team.create_invite(Role.STAFF, OWNER, NOW)

    assert await team.redeem(code, NEWCOMER, "Nadia", NOW + INVITE_LIFETIME) is None
    assert await team.redeem("nope" * 6, NEWCOMER, "Nadia", NOW) is None
    assert team.role_of(NEWCOMER) is None


async def test_an_invite_to_someone_with_that_role_already_stays_unused(store: Store) -> None:
    team = await team_on(store)
    code = await team.create_invite(Role.STAFF, OWNER, NOW)

    assert await team.redeem(code, OWNER, "Olivia", NOW) == Redeemed(Role.OWNER, granted=False)
    assert await team.redeem(code, NEWCOMER, "Nadia", NOW) is not None


async def test_revoke_takes_back_the_granted_role_and_is_audited(store: Store) -> None:
    team = await team_on(store)
    code = await team.create_invite(Role.STAFF, OWNER, NOW)
    await team.redeem(code, NEWCOMER, "Nadia", NOW)

    assert await team.revoke(NEWCOMER, OWNER, NOW) == Role.STAFF
    assert team.role_of(NEWCOMER) is None and NEWCOMER not in team.member_ids()
    assert [(e.action, e.actor, e.subject) for e in await store.audit_entries(10)] == [
        ("role_revoked", OWNER, NEWCOMER),
        ("role_granted", OWNER, NEWCOMER),
        ("invite_created", OWNER, None),
    ]


async def test_names_are_kept_for_team_members_only(store: Store) -> None:
    team = await team_on(store)
    await team.note_name(STAFF, "Sam", NOW)
    await team.note_name(1003, "An Attendee", NOW)

    assert team.name_of(STAFF) == "Sam"
    assert [row.user_id for row in await store.team_rows()] == [STAFF]
