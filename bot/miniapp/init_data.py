"""Telegram Mini App ``initData``: checking it as Telegram documents, and signing test data.

Telegram hands a Mini App a query string (``query_id=...&user=...&auth_date=...&hash=...``)
signed with the bot's token. The server checks it this way (core.telegram.org/bots/webapps,
"Validating data received via the Mini App"):

- ``secret_key = HMAC_SHA256(key="WebAppData", msg=bot_token)``;
- ``data_check_string``: every field but ``hash``, as ``key=value`` lines sorted by key, joined
  by ``"\\n"`` (values URL-decoded);
- the data is Telegram's when ``hex(HMAC_SHA256(key=secret_key, msg=data_check_string))`` equals
  ``hash`` (compared in constant time).

Beyond the signature, data older than :data:`MAX_AGE` is refused (a leaked URL stops working),
and the person is read only from the signed ``user`` field, never from anything else the page
sends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

MAX_AGE = dt.timedelta(hours=24)
# Clocks drift: data signed up to this much "in the future" is still taken.
CLOCK_SKEW = dt.timedelta(minutes=5)


class InitDataError(ValueError):
    """The initData is not Telegram's for this bot, or too old; the message says why."""


@dataclass(frozen=True)
class WebAppUser:
    id: int
    first_name: str
    language_code: str | None


def secret_key(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def _signature(fields: dict[str, str], token: str) -> str:
    message = data_check_string(fields).encode()
    return hmac.new(secret_key(token), message, hashlib.sha256).hexdigest()


def verify_init_data(init_data: str, token: str, now: dt.datetime) -> WebAppUser:
    """The person the initData was signed for; :class:`InitDataError` if it is not Telegram's
    for the bot with ``token``, has no user, or is older than :data:`MAX_AGE` at ``now``."""
    if not init_data:
        raise InitDataError("no initData")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError as exc:
        raise InitDataError("initData is not a query string") from exc
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataError("a field is given twice")
    given = fields.get("hash", "")
    if not given:
        raise InitDataError("no hash")
    if not hmac.compare_digest(given.encode(), _signature(fields, token).encode()):
        raise InitDataError("wrong hash")
    try:
        signed_at = dt.datetime.fromtimestamp(int(fields["auth_date"]), dt.UTC)
    except (KeyError, ValueError, OverflowError) as exc:
        raise InitDataError("no auth_date") from exc
    if signed_at < now - MAX_AGE or signed_at > now + CLOCK_SKEW:
        raise InitDataError("auth_date out of date")
    try:
        user: Any = json.loads(fields["user"])
        user_id = user["id"]
    except (KeyError, ValueError, TypeError) as exc:
        raise InitDataError("no user") from exc
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
        raise InitDataError("no user id")
    language = user.get("language_code")
    return WebAppUser(
        id=user_id,
        first_name=str(user.get("first_name", "")),
        language_code=language if isinstance(language, str) else None,
    )


def sign_init_data(
    token: str,
    user_id: int,
    *,
    auth_date: dt.datetime,
    first_name: str = "Test",
    language_code: str = "en",
    query_id: str = "AAtest",
) -> str:
    """initData as Telegram would give it to the bot with ``token``: for tests and for the
    local preview's test URL, never for real people."""
    user = json.dumps(
        {"id": user_id, "first_name": first_name, "language_code": language_code},
        separators=(",", ":"),
        ensure_ascii=False,
    )
    fields = {"auth_date": str(int(auth_date.timestamp())), "query_id": query_id, "user": user}
    fields["hash"] = _signature(fields, token)
    return urlencode(fields)
