"""Queries of running the bot: the webhook's secret, the health check's trivial query and the
outbox counts /metrics shows."""

from __future__ import annotations

import secrets

from bot.store.base import StoreBase

WEBHOOK_SECRET_SETTING = "webhook_secret"


class OperationsQueries(StoreBase):
    async def webhook_secret(self) -> str:
        """The secret_token of the webhook when CONFBOT_WEBHOOK_SECRET is unset: generated at the
        first start in webhook mode and kept in the settings table, as the feedback secret is,
        so a restart sets the same one (requests Telegram retries carry it)."""
        return await self._kept_setting(WEBHOOK_SECRET_SETTING, secrets.token_urlsafe(32))

    async def ping(self) -> bool:
        """Whether the database answers a trivial query."""
        row = await self._row("SELECT 1")
        return row is not None and row[0] == 1

    async def outbox_census(self) -> dict[tuple[str, str], int]:
        """How many outbox rows there are per (state, kind)."""
        rows = await self._rows("SELECT state, kind, COUNT(*) FROM outbox GROUP BY state, kind")
        return {(str(row[0]), str(row[1])): int(row[2]) for row in rows}

    async def broadcasts_in_progress(self) -> int:
        row = await self._row("SELECT COUNT(*) FROM broadcasts WHERE finished_at IS NULL")
        return int(row[0]) if row else 0
