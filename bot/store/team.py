"""Queries of the team: granted roles, team members' names, one-time invites and the audit log.

Read through :class:`bot.services.team.TeamService`, which keeps the roles and names in memory
and reads them again after every change; only :meth:`TeamQueries.audit` is called directly by
features (every staff and organiser action writes one row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from bot.domain.team import Role, details_json, details_of
from bot.store.base import StoreBase, from_iso, iso, ts


@dataclass(frozen=True)
class TeamRow:
    user_id: int
    name: str
    role: Role | None  # None: no granted role (configured in the environment, or revoked)
    granted_by: int | None
    granted_at: dt.datetime | None


@dataclass(frozen=True)
class Invite:
    role: Role
    created_by: int


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    actor: int
    action: str
    subject: int | None
    details: dict[str, object]


class TeamQueries(StoreBase):
    # --- members ---------------------------------------------------------------------------

    async def team_rows(self) -> list[TeamRow]:
        rows = await self._rows(
            "SELECT user_id, name, role, granted_by, granted_at FROM team_members ORDER BY user_id"
        )
        return [
            TeamRow(
                int(r["user_id"]),
                str(r["name"]),
                Role(r["role"]) if r["role"] else None,
                r["granted_by"],
                from_iso(r["granted_at"]),
            )
            for r in rows
        ]

    async def note_team_name(self, user_id: int, name: str, now: dt.datetime) -> None:
        """Remember the name a team member is shown by (as Telegram gave it when they wrote)."""
        await self._write(
            "INSERT INTO team_members (user_id, name, seen_at) VALUES (?, ?, ?)"
            " ON CONFLICT(user_id) DO UPDATE SET name = excluded.name, seen_at = excluded.seen_at",
            (user_id, name, iso(now)),
        )

    async def grant_role(
        self, user_id: int, role: Role, granted_by: int, now: dt.datetime, name: str | None = None
    ) -> None:
        await self._write(
            "INSERT INTO team_members (user_id, name, role, granted_by, granted_at, seen_at)"
            " VALUES (?, COALESCE(?, ''), ?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET"
            " name = COALESCE(?, name), role = excluded.role, granted_by = excluded.granted_by,"
            " granted_at = excluded.granted_at",
            (user_id, name, role.value, granted_by, iso(now), iso(now), name),
        )

    async def revoke_role(self, user_id: int) -> Role | None:
        """Take back a granted role (the name stays for the audit log); the role it was."""
        async with self._transaction() as db:
            rows = list(
                await db.execute_fetchall(
                    "SELECT role FROM team_members WHERE user_id = ? AND role IS NOT NULL",
                    (user_id,),
                )
            )
            if not rows:
                return None
            await db.execute(
                "UPDATE team_members SET role = NULL, granted_by = NULL, granted_at = NULL"
                " WHERE user_id = ?",
                (user_id,),
            )
        return Role(rows[0][0])

    # --- invites ---------------------------------------------------------------------------

    async def create_invite(
        self, code_hash: str, role: Role, created_by: int, now: dt.datetime, expires_at: dt.datetime
    ) -> None:
        await self._write(
            "INSERT INTO team_invites (code_hash, role, created_by, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (code_hash, role.value, created_by, ts(now), ts(expires_at)),
        )

    async def use_invite(self, code_hash: str, user_id: int, now: dt.datetime) -> Invite | None:
        """Mark an unused, unexpired invite used by ``user_id``, at most once whoever races
        for it; the invite, or None when it is unknown, used or expired (not told apart)."""
        async with self._transaction() as db:
            rows = list(
                await db.execute_fetchall(
                    "UPDATE team_invites SET used_at = ?, used_by = ?"
                    " WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?"
                    " RETURNING role, created_by",
                    (ts(now), user_id, code_hash, ts(now)),
                )
            )
        if not rows:
            return None
        return Invite(Role(rows[0]["role"]), int(rows[0]["created_by"]))

    async def invite_usable(self, code_hash: str, now: dt.datetime) -> Role | None:
        row = await self._row(
            "SELECT role FROM team_invites WHERE code_hash = ? AND used_at IS NULL"
            " AND expires_at > ?",
            (code_hash, ts(now)),
        )
        return Role(row["role"]) if row else None

    # --- audit log -------------------------------------------------------------------------

    async def audit(
        self,
        actor: int,
        action: str,
        details: Mapping[str, object] | None = None,
        *,
        subject: int | None = None,
        now: dt.datetime | None = None,
    ) -> None:
        """Write one row of the audit log: ``actor`` (the user id of the staff member or
        organiser who acted) did ``action`` (a short snake_case word, e.g. ``inbox_reply``;
        see :class:`bot.domain.team.AuditAction`), with ``details`` as short flat JSON
        (numbers, booleans, short texts: ids of broadcasts or sessions, counts; never an
        attendee's id, name or words). ``subject`` is the team member the action was about,
        if any (a role granted or revoked), so that erasure can pseudonymise it. ``now`` is the
        bot's clock (``svc.now()``); without it, the system clock.

        Raises ValueError for details that are not flat or are too long."""
        moment = now if now is not None else dt.datetime.now(dt.UTC)
        await self._write(
            "INSERT INTO audit_log (at, actor, action, subject, details) VALUES (?, ?, ?, ?, ?)",
            (ts(moment), actor, action, subject, details_json(details)),
        )

    async def audit_count(self) -> int:
        row = await self._row("SELECT COUNT(*) FROM audit_log")
        return int(row[0]) if row else 0

    async def audit_entries(self, limit: int, offset: int = 0) -> list[AuditEntry]:
        """The latest entries first (by the order they were written)."""
        rows = await self._rows(
            "SELECT id, at, actor, action, subject, details FROM audit_log"
            " ORDER BY id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [
            AuditEntry(
                int(r["id"]),
                dt.datetime.fromisoformat(r["at"]),
                int(r["actor"]),
                str(r["action"]),
                r["subject"],
                details_of(str(r["details"])),
            )
            for r in rows
        ]
