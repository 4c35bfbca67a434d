"""Who is on the team, the one place roles are read: the ids of the environment
(``CONFBOT_ORGANISERS`` are owners, ``CONFBOT_STAFF`` staff) and the roles granted in the
database through invites.

Every update asks whether its sender is staff or an organiser, so the roles and names are kept
in memory; this process is the only writer, and every change goes through here and reads them
again, so the copy stays true.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.config import Settings
from bot.domain.team import (
    INVITE_LIFETIME,
    AuditAction,
    Member,
    Role,
    configured_role,
    hash_invite_code,
    highest,
    new_invite_code,
    team_order,
)
from bot.store import Store, TeamRow


@dataclass(frozen=True)
class Redeemed:
    """What opening an invite did."""

    role: Role  # the person's role now
    granted: bool  # False: they already had this role or a higher one (the invite stays unused)
    invited_by: int | None = None  # who made the invite, when it was used


class TeamService:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._rows: dict[int, TeamRow] = {}

    async def load(self) -> None:
        """Read the granted roles and names again (at start-up and after every change)."""
        self._rows = {row.user_id: row for row in await self.store.team_rows()}

    # --- reading ---------------------------------------------------------------------------

    def role_of(self, user_id: int) -> Role | None:
        granted = self._rows.get(user_id)
        return highest(
            configured_role(user_id, self.settings.organisers, self.settings.staff),
            granted.role if granted else None,
        )

    def granted_role(self, user_id: int) -> Role | None:
        """The role granted in the database (what a revoke can take back), if any."""
        granted = self._rows.get(user_id)
        return granted.role if granted else None

    def has_role(self, user_id: int, role: Role | str) -> bool:
        mine = self.role_of(user_id)
        return mine is not None and mine.includes(Role(role))

    def is_staff(self, user_id: int) -> bool:
        """Staff, organiser or owner: everyone on the team."""
        return self.role_of(user_id) is not None

    def is_organiser(self, user_id: int) -> bool:
        return self.has_role(user_id, Role.ORGANISER)

    def is_owner(self, user_id: int) -> bool:
        return user_id in self.settings.organisers

    def is_configured(self, user_id: int) -> bool:
        return configured_role(user_id, self.settings.organisers, self.settings.staff) is not None

    def name_of(self, user_id: int) -> str:
        """The name the bot last saw for someone on the team ("" if none)."""
        row = self._rows.get(user_id)
        return row.name if row else ""

    def member_ids(self) -> frozenset[int]:
        """Everyone on the team (a test broadcast goes to them)."""
        granted = {row.user_id for row in self._rows.values() if row.role is not None}
        return self.settings.organisers | self.settings.staff | granted

    def organiser_ids(self) -> list[int]:
        return sorted(u for u in self.member_ids() if self.is_organiser(u))

    def members(self) -> list[Member]:
        found = []
        for user_id in self.member_ids():
            role = self.role_of(user_id)
            assert role is not None
            row = self._rows.get(user_id)
            found.append(
                Member(
                    user_id,
                    role,
                    row.name if row else "",
                    configured=self.is_configured(user_id),
                    granted_by=row.granted_by if row else None,
                    granted_at=row.granted_at if row else None,
                )
            )
        return team_order(found)

    # --- changing --------------------------------------------------------------------------

    async def note_name(self, user_id: int, name: str, now: dt.datetime) -> None:
        """Remember a team member's name when it is new or changed (nobody else's is kept)."""
        if not name or not self.is_staff(user_id):
            return
        row = self._rows.get(user_id)
        if row is not None and row.name == name:
            return
        await self.store.note_team_name(user_id, name, now)
        await self.load()

    async def create_invite(self, role: Role, created_by: int, now: dt.datetime) -> str:
        """A one-time code giving ``role``, valid for a day; only its hash is stored."""
        if role not in (Role.STAFF, Role.ORGANISER):
            raise ValueError(f"an invite cannot give {role}")
        code = new_invite_code()
        await self.store.create_invite(
            hash_invite_code(code), role, created_by, now, now + INVITE_LIFETIME
        )
        await self.store.audit(
            created_by, AuditAction.INVITE_CREATED, {"role": role.value}, now=now
        )
        return code

    async def redeem(self, code: str, user_id: int, name: str, now: dt.datetime) -> Redeemed | None:
        """Open an invite: its role for ``user_id``, once. None when the code is unknown, used
        or expired (told apart to nobody)."""
        code_hash = hash_invite_code(code)
        offered = await self.store.invite_usable(code_hash, now)
        if offered is None:
            return None
        current = self.role_of(user_id)
        if current is not None and current.includes(offered):
            return Redeemed(current, granted=False)
        invite = await self.store.use_invite(code_hash, user_id, now)
        if invite is None:  # someone else took it in between
            return None
        await self.store.grant_role(user_id, invite.role, invite.created_by, now, name or None)
        await self.store.audit(
            invite.created_by,
            AuditAction.ROLE_GRANTED,
            {"role": invite.role.value, "via": "invite"},
            subject=user_id,
            now=now,
        )
        await self.load()
        role = self.role_of(user_id)
        assert role is not None
        return Redeemed(role, granted=True, invited_by=invite.created_by)

    async def revoke(self, user_id: int, by: int, now: dt.datetime) -> Role | None:
        """Take back the granted role of ``user_id``; the role taken, or None when there was
        none to take (configured ids keep theirs)."""
        taken = await self.store.revoke_role(user_id)
        if taken is None:
            return None
        await self.store.audit(
            by, AuditAction.ROLE_REVOKED, {"role": taken.value}, subject=user_id, now=now
        )
        await self.load()
        return taken
