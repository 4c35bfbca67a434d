"""Configuration from the environment (never from the repository: the token is a secret)."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_API_URL = "https://api.telegram.org/bot"
# Where the bot's own HTTP listener (webhook, /healthz, /metrics) listens in webhook mode when
# CONFBOT_LISTEN is not set: every interface, behind the reverse proxy that terminates HTTPS.
DEFAULT_LISTEN = ("0.0.0.0", 8080)
# Telegram's secret_token: 1 to 256 of these characters.
WEBHOOK_SECRET_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class ConfigError(Exception):
    """A setting is missing or malformed; the message says which and how to fix it."""


def _ids(name: str, raw: str | None) -> frozenset[int]:
    if not raw or not raw.strip():
        return frozenset()
    ids: set[int] = set()
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            ids.add(int(part))
        except ValueError as exc:
            raise ConfigError(
                f"{name} must be comma-separated Telegram user ids (numbers), got {part!r}"
            ) from exc
    return frozenset(ids)


MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 128


def secret_bits(secret: str) -> float:
    """A rough, deliberately low estimate of a secret's entropy: its length times the bits of
    one character, counted from the character classes it uses but never more than the
    distinct characters it actually holds (so "aaaa…" or "abababab…" score low)."""
    pool = 0
    if any(c.islower() for c in secret):
        pool += 26
    if any(c.isupper() for c in secret):
        pool += 26
    if any(c.isdigit() for c in secret):
        pool += 10
    if any(not c.isalnum() for c in secret):
        pool += 33
    distinct = len(set(secret))
    if distinct < 2:
        return 0.0
    return len(secret) * math.log2(min(pool, distinct))


def require_strong_secret(secret: str) -> None:
    """Refuse a feedback secret that could be guessed: the pseudonyms are only as safe as it."""
    if len(secret) < MIN_SECRET_LENGTH or secret_bits(secret) < MIN_SECRET_BITS:
        raise ConfigError(
            f"CONFBOT_FEEDBACK_SECRET is too weak ({len(secret)} characters, about "
            f"{secret_bits(secret):.0f} bits): it needs at least {MIN_SECRET_LENGTH} characters "
            f"and {MIN_SECRET_BITS} bits of randomness. Make one with:\n"
            '  python -c "import secrets; print(secrets.token_urlsafe(32))"\n'
            "If the database already holds feedback under the weak secret, a new one orphans "
            "it: see README, Feedback."
        )


def _listen(raw: str) -> tuple[str, int]:
    host, sep, port = raw.strip().rpartition(":")
    try:
        number = int(port)
    except ValueError:
        number = -1
    if not sep or not host or not 0 <= number <= 65535:
        raise ConfigError(f"CONFBOT_LISTEN must be host:port, e.g. 0.0.0.0:8080, got {raw!r}")
    return host.strip("[]"), number


def _webhook_url(raw: str) -> str:
    url = raw.strip()
    if not url.startswith(("https://", "http://")):
        raise ConfigError(
            f"CONFBOT_WEBHOOK_URL must be the public HTTPS URL Telegram posts to, got {raw!r}"
        )
    return url


def _webhook_secret(raw: str) -> str:
    if not 16 <= len(raw) <= 256 or not set(raw) <= WEBHOOK_SECRET_CHARS:
        raise ConfigError(
            "CONFBOT_WEBHOOK_SECRET must be 16 to 256 characters of A-Z, a-z, 0-9, _ and - "
            "(Telegram's rule). Make one with:\n  python -c \"import secrets; "
            'print(secrets.token_urlsafe(32))"'
        )
    return raw


@dataclass(frozen=True)
class Settings:
    # The token gives full control of the bot: never shown in a repr (nor logged, see
    # bot/redaction.py).
    token: str | None = field(default=None, repr=False)
    api_url: str = DEFAULT_API_URL
    file_url: str | None = None
    content_dir: Path = Path("content")
    db_path: Path = Path("data/confbot.sqlite3")
    # Owners and configured staff. Roles are read through bot.services.team.TeamService (which
    # adds the roles given in the chat), never from here.
    organisers: frozenset[int] = field(default_factory=frozenset)
    staff: frozenset[int] = field(default_factory=frozenset)
    staff_chat_id: int | None = None
    # Keys the pseudonyms feedback answers are stored under (HMAC-SHA256 of the user id). When
    # unset, a random secret is generated once and kept in the database's settings table.
    feedback_secret: str | None = field(default=None, repr=False)
    # Telegram's paid broadcast mode (allow_paid_broadcast: up to 1000 messages per second for
    # 0.1 Stars each); off unless CONFBOT_PAID_BROADCAST=1, and organisers are warned of the cost.
    paid_broadcast: bool = False
    # Webhook mode when set: the public HTTPS URL Telegram posts updates to (the reverse proxy
    # passes them on to ``listen``). Unset: long polling.
    webhook_url: str | None = None
    # The secret_token Telegram sends with every webhook request; generated and kept in the
    # database's settings table when unset.
    webhook_secret: str | None = field(default=None, repr=False)
    # (host, port) of the bot's HTTP listener: the webhook, /healthz and /metrics. In polling
    # mode there is none unless CONFBOT_LISTEN is set.
    listen: tuple[str, int] | None = None
    # Where people reach the listener from outside (the Mini App at <public_url>/app/); unset,
    # the origin of webhook_url, else the listener's own http URL (local runs).
    public_url: str | None = None

    @property
    def public_base(self) -> str | None:
        """The listener's public origin (and path prefix), without a trailing slash."""
        if self.public_url:
            return self.public_url.rstrip("/")
        if self.webhook_url is not None:
            scheme, _, rest = self.webhook_url.partition("://")
            return f"{scheme}://{rest.split('/', 1)[0]}"
        if self.listen is not None:
            host, port = self.listen
            host = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
            return f"http://{host}:{port}"
        return None

    @property
    def miniapp_url(self) -> str | None:
        """The programme grid's page (a Telegram Mini App), when there is a listener."""
        if self.listen is None or self.public_base is None:
            return None
        return f"{self.public_base}/app/"

    @property
    def web_app_url(self) -> str | None:
        """The page's URL for a ``web_app`` button, when Telegram would open it: Telegram wants
        https; the local emulator also takes http on this machine (127.0.0.1, localhost)."""
        url = self.miniapp_url
        if url is None:
            return None
        if url.startswith("https://"):
            return url
        local = url.startswith(("http://127.0.0.1:", "http://localhost:", "http://[::1]:"))
        return url if local and self.api_url != DEFAULT_API_URL else None

    @property
    def webhook_path(self) -> str:
        """The path of the webhook URL, which the listener takes updates at."""
        if self.webhook_url is None:
            return "/"
        rest = self.webhook_url.split("://", 1)[-1]
        path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
        return path.split("?", 1)[0] or "/"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        api_url = env.get("TELEGRAM_API_URL") or DEFAULT_API_URL
        staff_chat = env.get("CONFBOT_STAFF_CHAT", "").strip()
        try:
            staff_chat_id = int(staff_chat) if staff_chat else None
        except ValueError as exc:
            raise ConfigError(f"CONFBOT_STAFF_CHAT must be a chat id, got {staff_chat!r}") from exc
        feedback_secret = env.get("CONFBOT_FEEDBACK_SECRET") or None
        if feedback_secret is not None:
            require_strong_secret(feedback_secret)
        webhook_url = env.get("CONFBOT_WEBHOOK_URL", "").strip() or None
        raw_listen = env.get("CONFBOT_LISTEN", "").strip()
        listen = _listen(raw_listen) if raw_listen else (DEFAULT_LISTEN if webhook_url else None)
        webhook_secret = env.get("CONFBOT_WEBHOOK_SECRET") or None
        public_url = env.get("CONFBOT_PUBLIC_URL", "").strip() or None
        if public_url is not None and not public_url.startswith(("https://", "http://")):
            raise ConfigError(
                f"CONFBOT_PUBLIC_URL must be the bot's public HTTPS origin, got {public_url!r}"
            )
        return cls(
            public_url=public_url,
            webhook_url=_webhook_url(webhook_url) if webhook_url else None,
            webhook_secret=_webhook_secret(webhook_secret) if webhook_secret else None,
            listen=listen,
            token=env.get("TELEGRAM_BOT_TOKEN") or None,
            api_url=api_url,
            file_url=env.get("TELEGRAM_FILE_URL") or None,
            content_dir=Path(env.get("CONFBOT_CONTENT") or "content"),
            db_path=Path(env.get("CONFBOT_DB") or "data/confbot.sqlite3"),
            organisers=_ids("CONFBOT_ORGANISERS", env.get("CONFBOT_ORGANISERS")),
            staff=_ids("CONFBOT_STAFF", env.get("CONFBOT_STAFF")),
            staff_chat_id=staff_chat_id,
            feedback_secret=feedback_secret,
            paid_broadcast=env.get("CONFBOT_PAID_BROADCAST", "").strip().lower()
            in ("1", "true", "yes", "on"),
        )

    def require_token(self) -> str:
        if not self.token:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set. Get a token from @BotFather on Telegram and run:\n"
                "  export TELEGRAM_BOT_TOKEN=123456:ABC...\n"
                "To try the bot without Telegram, run `python -m bot preview` instead."
            )
        return self.token
