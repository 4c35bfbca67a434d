"""The programme grid's buttons and API on the running bot's listener (no browser here; the
page itself is tested in test_miniapp_browser.py)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from multidict import CIMultiDict

from bot.content import Content
from bot.local import LOCAL_TOKEN
from bot.miniapp import api
from bot.miniapp.grid import programme
from bot.miniapp.init_data import sign_init_data
from bot.services.content import reload_content
from tests.e2e.conftest import ATTENDEE, Chat, WebhookBot

HEADER = "X-Telegram-Init-Data"


def signed(user_id: int = ATTENDEE) -> str:
    return sign_init_data(LOCAL_TOKEN, user_id, auth_date=dt.datetime.now(dt.UTC))


async def call(
    bot: WebhookBot, method: str, path: str, init_data: str | None, body: Any = None
) -> tuple[int, Any]:
    headers = {} if init_data is None else {HEADER: init_data}
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, f"{bot.base_url}{path}", headers=headers, json=body) as response,
    ):
        is_json = response.content_type == "application/json"
        return response.status, await (response.json() if is_json else response.text())


async def raw_get(
    bot: WebhookBot, path: str, headers: dict[str, str]
) -> tuple[int, CIMultiDict[str], bytes]:
    """The answer as sent: status, headers and the body not decompressed."""
    async with (
        aiohttp.ClientSession(auto_decompress=False) as http,
        http.get(f"{bot.base_url}{path}", headers={HEADER: signed(), **headers}) as response,
    ):
        return response.status, CIMultiDict(response.headers), await response.read()


def web_apps(message: Any) -> list[str]:
    return [b["web_app"]["url"] for row in message.buttons for b in row if "web_app" in b]


async def test_miniapp_start_and_agenda_offer_the_grid_and_the_menu_button_opens_it(
    webhook_running: WebhookBot,
) -> None:
    chat = Chat(webhook_running.emu, webhook_running.app)
    page = f"{webhook_running.base_url}/app/"

    [menu] = await chat.say("/start")
    [agenda] = await chat.say("/agenda")

    assert web_apps(menu) == [page]
    assert web_apps(agenda) == [page]
    assert await webhook_running.emu.menu_button() == {
        "type": "web_app",
        "text": "Programme",
        "web_app": {"url": page},
    }


async def test_miniapp_start_without_a_listener_has_no_grid_button(chat: Chat) -> None:
    [menu] = await chat.say("/start")

    assert web_apps(menu) == []
    assert await chat.emu.menu_button() == {"type": "commands"}


async def test_miniapp_api_without_init_data_is_refused_in_the_asked_language(
    webhook_running: WebhookBot,
) -> None:
    status, body = await call(webhook_running, "GET", "/app/api/programme?lang=fr", None)
    star, _ = await call(
        webhook_running, "POST", "/app/api/star", "", {"session": "plen-1", "on": True}
    )

    assert (status, star) == (401, 401)
    assert body["error"] == "unauthorized"
    assert "Telegram" in body["message"] and "page" in body["message"].lower()
    assert body["message"].startswith("Cette page")


async def test_miniapp_programme_is_in_the_reader_language(webhook_running: WebhookBot) -> None:
    status, english = await call(webhook_running, "GET", "/app/api/programme?lang=en", signed())
    _, arabic = await call(webhook_running, "GET", "/app/api/programme?lang=ar", signed())

    assert status == 200
    content = webhook_running.app.bot_data.event.content
    assert [s["id"] for s in english["sessions"]] == [s.id for s in content.sessions]
    assert english["event"]["dir"] == "ltr" and arabic["event"]["dir"] == "rtl"
    assert english["labels"]["search"] == "Search" and arabic["labels"]["search"] != "Search"
    assert {d["utc_offset_minutes"] for d in english["days"]} == {60}
    opening = next(s for s in english["sessions"] if s["id"] == "plen-1")
    assert (opening["day"], opening["start"], opening["end"]) == ("2022-07-25", "10:00", "11:30")
    # Only what the grid draws: descriptions come with the detail, the time with /me.
    assert "description" not in opening and "now" not in english


@pytest.mark.bundled_as_is
async def test_miniapp_programme_has_the_sessions_to_be_announced(
    webhook_running: WebhookBot,
) -> None:
    _, english = await call(webhook_running, "GET", "/app/api/programme?lang=en", signed())
    _, french = await call(webhook_running, "GET", "/app/api/programme?lang=fr", signed())

    undated = {s["id"]: s for s in english["sessions"] if s["day"] is None}
    assert sorted(undated) == ["undesa-panel", "undesa-workshop"]
    for session in undated.values():
        assert (session["start"], session["end"]) == (None, None)
        assert session["room"] in {r["id"] for r in english["rooms"]}
    assert english["labels"]["undated"] == "Date to be announced"
    assert english["labels"]["untimed"] == "Time to be announced"
    assert french["labels"]["untimed"] == "Horaire à annoncer"


async def test_miniapp_me_has_the_bot_time(webhook_running: WebhookBot) -> None:
    status, me = await call(webhook_running, "GET", "/app/api/me", signed())

    assert status == 200
    assert me["chosen"] == []
    assert me["now"].startswith("2022-07-25T10:30:00+01:00")


async def test_miniapp_session_detail_has_its_description_in_the_reader_language(
    webhook_running: WebhookBot,
) -> None:
    path = "/app/api/session/undesa-workshop"
    status, english = await call(webhook_running, "GET", f"{path}?lang=en", signed())
    _, french = await call(webhook_running, "GET", f"{path}?lang=fr", signed())
    unknown, _ = await call(webhook_running, "GET", "/app/api/session/nope", signed())
    refused, _ = await call(webhook_running, "GET", path, None)
    forged, _ = await call(webhook_running, "GET", path, signed() + "0")

    assert status == 200
    assert english["id"] == "undesa-workshop"
    assert english["description"].startswith("UN DESA/DPIDG capacity development workshop.")
    assert french["description"].startswith("Atelier de renforcement des capacités")
    assert (unknown, refused, forged) == (404, 401, 401)


async def test_miniapp_programme_is_sent_gzipped_with_an_etag_and_304_when_unchanged(
    webhook_running: WebhookBot,
) -> None:
    path = "/app/api/programme?lang=en"
    status, headers, gzipped = await raw_get(webhook_running, path, {"Accept-Encoding": "gzip"})
    _, plain_headers, plain = await raw_get(webhook_running, path, {"Accept-Encoding": "identity"})
    etag = headers["ETag"]
    unchanged, again, empty = await raw_get(webhook_running, path, {"If-None-Match": etag})
    weak, _, _ = await raw_get(webhook_running, path, {"If-None-Match": f'"x", W/{etag}'})
    stale, _, _ = await raw_get(webhook_running, path, {"If-None-Match": '"not-it"'})
    _, arabic, _ = await raw_get(webhook_running, "/app/api/programme?lang=ar", {})

    assert status == 200
    assert headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain_headers
    assert gzip.decompress(gzipped) == plain
    assert json.loads(plain)["event"]["language"] == "en"
    assert len(gzipped) < len(plain) / 2
    assert etag == plain_headers["ETag"] and etag != arabic["ETag"]
    assert (unchanged, weak, stale) == (304, 304, 200)
    assert empty == b"" and again["ETag"] == etag


async def test_miniapp_programme_is_built_once_and_again_after_a_reload(
    webhook_running: WebhookBot, content_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[Content] = []

    def counted(content: Content) -> dict[str, Any]:
        built.append(content)
        return programme(content)

    monkeypatch.setattr(api, "programme", counted)
    path = "/app/api/programme?lang=en"
    first = [await raw_get(webhook_running, path, {}) for _ in range(3)]
    builds = len(built)
    sessions = content_dir / "sessions.yaml"
    text = sessions.read_text()
    assert "Building back better from COVID-19" in text
    sessions.write_text(text.replace("Building back better from COVID-19", "Rebuilt after COVID"))

    result = await reload_content(webhook_running.app.bot_data)
    _, headers, body = await raw_get(webhook_running, path, {})
    old_etag, _, _ = await raw_get(webhook_running, path, {"If-None-Match": first[0][1]["ETag"]})

    assert result.content is not None
    assert len({r[1]["ETag"] for r in first}) == 1 and builds == 1
    assert len(built) == 2 and built[1] is webhook_running.app.bot_data.event.content
    assert headers["ETag"] != first[0][1]["ETag"] and old_etag == 200
    titles = [s["title"] for s in json.loads(gzip.decompress(body))["sessions"]]
    assert any(t.startswith("Rebuilt after COVID") for t in titles)


async def test_miniapp_star_adds_and_removes_as_the_star_button_does(
    webhook_running: WebhookBot,
) -> None:
    chat = Chat(webhook_running.emu, webhook_running.app)
    await chat.say("/start")
    store = chat.services.store

    on, added = await call(
        webhook_running,
        "POST",
        "/app/api/star",
        signed(),
        {"session": "undesa-workshop", "on": True},
    )
    _, me = await call(webhook_running, "GET", "/app/api/me", signed())
    reminders = [r for r in await store.outbox_rows("reminder") if r.chat_id == ATTENDEE]
    off, removed = await call(
        webhook_running,
        "POST",
        "/app/api/star",
        signed(),
        {"session": "undesa-workshop", "on": False},
    )
    unknown, _ = await call(
        webhook_running, "POST", "/app/api/star", signed(), {"session": "nope", "on": True}
    )
    bad, _ = await call(webhook_running, "POST", "/app/api/star", signed(), {"session": 1})

    assert (on, off, unknown, bad) == (200, 200, 404, 400)
    assert added["chosen"] == ["undesa-workshop"] and me["chosen"] == ["undesa-workshop"]
    assert reminders  # planned again, as after ⭐
    assert removed["chosen"] == []
    assert await store.choices_of(ATTENDEE) == set()


async def test_miniapp_page_is_served_with_its_assets(webhook_running: WebhookBot) -> None:
    page, html = await call(webhook_running, "GET", "/app/", None)
    script, js = await call(webhook_running, "GET", "/app/app.js", None)
    hidden, _ = await call(webhook_running, "GET", "/app/../bot.sqlite3", None)

    assert (page, script) == (200, 200)
    assert 'src="app.js"' in html and "telegram-web-app.js" not in html
    assert "tgWebAppData" in js
    assert hidden == 404
