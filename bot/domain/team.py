"""The team in plain Python: roles and their order, one-time invite codes, the name a team
member is shown by, and the audit log's actions and details.

Owners are the ids of ``CONFBOT_ORGANISERS``; ``CONFBOT_STAFF`` are configured staff. Both keep
their roles whatever the database says, and cannot be revoked from the chat. Everyone else's
role is granted (through an invite) and stored, and can be revoked by an organiser.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

INVITE_LIFETIME = dt.timedelta(days=1)
# The deep link's start parameter: ``inv_<code>`` (Telegram allows A-Z a-z 0-9 _ -, 64 at most).
INVITE_PREFIX = "inv_"
INVITE_CODE_BYTES = 16  # 128 bits: not guessable, so a plain SHA-256 is a fit store for it
_INVITE_CODE = re.compile(r"[A-Za-z0-9_-]{16,43}")

# Who an action or a role was given by when the person is forgotten: "nobody" (unlinked).
NOBODY = 0

MAX_DETAILS_CHARS = 500


class Role(StrEnum):
    """A role on the team, from the most to the least powerful."""

    OWNER = "owner"  # CONFBOT_ORGANISERS: an organiser no one can revoke from the chat
    ORGANISER = "organiser"
    STAFF = "staff"

    @property
    def rank(self) -> int:
        return {Role.OWNER: 3, Role.ORGANISER: 2, Role.STAFF: 1}[self]

    def includes(self, other: Role) -> bool:
        """Whether someone with this role may do what ``other`` may (owners are organisers,
        organisers are staff)."""
        return self.rank >= other.rank


# The roles an invite can give, and a revoke can take back.
GRANTABLE: tuple[Role, ...] = (Role.STAFF, Role.ORGANISER)


def highest(*roles: Role | None) -> Role | None:
    present = [role for role in roles if role is not None]
    return max(present, key=lambda role: role.rank) if present else None


def configured_role(user_id: int, organisers: frozenset[int], staff: frozenset[int]) -> Role | None:
    """The role the environment gives ``user_id``: owner, staff, or none."""
    if user_id in organisers:
        return Role.OWNER
    if user_id in staff:
        return Role.STAFF
    return None


def new_invite_code() -> str:
    """A fresh invite code, from :mod:`secrets`: 22 URL-safe characters."""
    return secrets.token_urlsafe(INVITE_CODE_BYTES)


def hash_invite_code(code: str) -> str:
    """What the store keeps of a code: whoever reads the database cannot open the link."""
    return hashlib.sha256(code.encode()).hexdigest()


def invite_code_of(start_parameter: str) -> str | None:
    """The code of a ``inv_<code>`` start parameter, or None when it is not one."""
    if not start_parameter.startswith(INVITE_PREFIX):
        return None
    code = start_parameter[len(INVITE_PREFIX) :]
    return code if _INVITE_CODE.fullmatch(code) else None


def invite_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={INVITE_PREFIX}{code}"


def display_name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """How a team member is shown: their name as Telegram gave it, else their @username, else
    an empty text (the caller says "no name yet"; a raw id is never shown)."""
    name = " ".join(part.strip() for part in (first_name, last_name) if part and part.strip())
    if name:
        return name[:64]
    if username:
        return f"@{username}"[:64]
    return ""


@dataclass(frozen=True)
class Member:
    """Someone on the team, as /team lists them."""

    user_id: int
    role: Role
    name: str  # "" when the bot has not seen their name yet
    configured: bool  # from the environment: cannot be revoked from the chat
    granted_by: int | None = None
    granted_at: dt.datetime | None = None

    @property
    def revocable(self) -> bool:
        return not self.configured


def team_order(members: list[Member]) -> list[Member]:
    """Owners, then organisers, then staff; by name within a role (unnamed last)."""
    return sorted(members, key=lambda m: (-m.role.rank, m.name == "", m.name.casefold(), m.user_id))


class AuditAction(StrEnum):
    """What the audit log records (the inbox adds its own actions through the same method)."""

    INVITE_CREATED = "invite_created"
    ROLE_GRANTED = "role_granted"
    ROLE_REVOKED = "role_revoked"
    BROADCAST_SENT = "broadcast_sent"
    BROADCAST_CANCELLED = "broadcast_cancelled"
    RELOAD = "reload"
    REPORT = "report"
    EXPORT = "export"
    AUDIT_EXPORT = "audit_export"
    INBOX_CLAIM = "inbox.claim"
    INBOX_REPLY = "inbox.reply"
    INBOX_FAQ = "inbox.faq"
    INBOX_CLOSED = "inbox.closed"
    INBOX_SPAM = "inbox.spam"


def details_json(details: Mapping[str, object] | None) -> str:
    """An action's details as short JSON: flat, of numbers, booleans, short texts and None.

    Details say what was done (a role, a broadcast id, a count), never about an attendee: a
    person concerned is the audit row's ``subject`` (a team member), which erasure can reach.
    """
    if not details:
        return "{}"
    for key, value in details.items():
        if not isinstance(key, str) or not (
            value is None or isinstance(value, bool | int | float | str)
        ):
            raise ValueError(f"audit details must be flat and simple: {key!r}={value!r}")
    text = json.dumps(details, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    if len(text) > MAX_DETAILS_CHARS:
        raise ValueError(f"audit details over {MAX_DETAILS_CHARS} characters: {text[:80]}...")
    return text


def details_of(text: str) -> dict[str, object]:
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // size))


def clamp_page(page: int, total: int, size: int) -> int:
    return min(max(page, 0), page_count(total, size) - 1)
