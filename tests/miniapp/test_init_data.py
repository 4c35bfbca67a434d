"""initData is taken only when Telegram signed it for this bot, recently, for a user."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.miniapp.init_data import InitDataError, sign_init_data, verify_init_data

TOKEN = "123456:ABC-the-bot-token"
NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)


def signed(**kwargs: object) -> str:
    return sign_init_data(TOKEN, 1001, auth_date=NOW - dt.timedelta(minutes=1), **kwargs)  # type: ignore[arg-type]


def changed(init_data: str, **fields: str) -> str:
    pairs = dict(parse_qsl(init_data))
    pairs.update(fields)
    return urlencode(pairs)


def test_verify_init_data_correctly_signed_is_accepted() -> None:
    user = verify_init_data(signed(first_name="Amal", language_code="ar"), TOKEN, NOW)

    assert (user.id, user.first_name, user.language_code) == (1001, "Amal", "ar")


def test_verify_init_data_changed_user_is_refused() -> None:
    forged = changed(signed(), user='{"id":1002,"first_name":"Test","language_code":"en"}')

    with pytest.raises(InitDataError, match="wrong hash"):
        verify_init_data(forged, TOKEN, NOW)


def test_verify_init_data_added_field_is_refused() -> None:
    with pytest.raises(InitDataError, match="wrong hash"):
        verify_init_data(changed(signed(), start_param="x"), TOKEN, NOW)


def test_verify_init_data_wrong_hash_is_refused() -> None:
    with pytest.raises(InitDataError, match="wrong hash"):
        verify_init_data(changed(signed(), hash="0" * 64), TOKEN, NOW)


def test_verify_init_data_missing_hash_is_refused() -> None:
    fields = dict(parse_qsl(signed()))
    del fields["hash"]

    with pytest.raises(InitDataError, match="no hash"):
        verify_init_data(urlencode(fields), TOKEN, NOW)


def test_verify_init_data_older_than_a_day_is_refused() -> None:
    old = sign_init_data(TOKEN, 1001, auth_date=NOW - dt.timedelta(hours=24, seconds=1))

    with pytest.raises(InitDataError, match="out of date"):
        verify_init_data(old, TOKEN, NOW)


def test_verify_init_data_signed_a_day_ago_is_accepted() -> None:
    recent = sign_init_data(TOKEN, 1001, auth_date=NOW - dt.timedelta(hours=23, minutes=59))

    assert verify_init_data(recent, TOKEN, NOW).id == 1001


def test_verify_init_data_of_another_bot_is_refused() -> None:
    other = sign_init_data("654321:XYZ-another-bot", 1001, auth_date=NOW)

    with pytest.raises(InitDataError, match="wrong hash"):
        verify_init_data(other, TOKEN, NOW)


@pytest.mark.parametrize("init_data", ["", "garbage", "hash=&user=1"])
def test_verify_init_data_not_init_data_is_refused(init_data: str) -> None:
    with pytest.raises(InitDataError):
        verify_init_data(init_data, TOKEN, NOW)


def test_verify_init_data_without_user_is_refused() -> None:
    from bot.miniapp.init_data import _signature  # the only way to sign data without a user

    fields = {"auth_date": str(int(NOW.timestamp())), "query_id": "AA"}
    fields["hash"] = _signature(fields, TOKEN)

    with pytest.raises(InitDataError, match="no user"):
        verify_init_data(urlencode(fields), TOKEN, NOW)


def test_verify_init_data_matches_telegram_documented_algorithm() -> None:
    # Recomputed here from the documentation's words, independently of the module.
    import hashlib
    import hmac

    data = signed()
    fields = dict(parse_qsl(data))
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "hash")
    key = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()

    assert fields["hash"] == hmac.new(key, check.encode(), hashlib.sha256).hexdigest()
