"""The programme grid's page and JSON API, on the bot's own listener (``bot/web.py``).

- ``GET /app/`` and its ``app.js``, ``app.css``: the page, shipped in the package;
- ``GET /app/api/programme?lang=``: the programme (:func:`bot.miniapp.grid.programme`);
- ``GET /app/api/session/<id>?lang=``: a session's description, for its detail panel;
- ``GET /app/api/me``: the ids of the sessions in the person's agenda;
- ``POST /app/api/star`` ``{"session": id, "on": true|false}``: adds to or removes from the
  person's agenda as the ⭐ button does (:func:`bot.services.agenda.set_chosen`), reminders
  planned again.

Every API request carries Telegram's ``initData`` in :data:`INIT_DATA_HEADER`; the person is
the signed ``user`` in it (:mod:`bot.miniapp.init_data`), nothing the page says of itself.
Without valid initData the answer is 401 with a message in the page's language.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.i18n import supported, use_language
from bot.miniapp.grid import not_from_telegram, programme, session_detail
from bot.miniapp.init_data import InitDataError, WebAppUser, verify_init_data
from bot.runtime import BotApplication, BotData
from bot.services.agenda import set_chosen

log = logging.getLogger(__name__)

INIT_DATA_HEADER = "X-Telegram-Init-Data"
STATIC = Path(__file__).parent / "static"
ASSETS = {
    "index.html": "text/html",
    "app.js": "text/javascript",
    "app.css": "text/css",
}
# The page loads only what it came with: no CDN, no inline script.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class MiniApp:
    def __init__(self, application: BotApplication) -> None:
        self.application = application
        self._assets = {name: (STATIC / name).read_bytes() for name in ASSETS}
        # The programme per (content in use, language); a reload brings a new EventState.
        self._programmes: dict[tuple[int, str], dict[str, Any]] = {}

    @property
    def data(self) -> BotData:
        return self.application.bot_data

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/app", self._to_page)
        app.router.add_get("/app/", self._asset)
        app.router.add_get("/app/{name:(app\\.js|app\\.css|index\\.html)}", self._asset)
        app.router.add_get("/app/api/programme", self._programme)
        app.router.add_get("/app/api/session/{id}", self._session)
        app.router.add_get("/app/api/me", self._me)
        app.router.add_post("/app/api/star", self._star)

    # --- the page -----------------------------------------------------------------------------

    async def _to_page(self, request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently("/app/")

    async def _asset(self, request: web.Request) -> web.Response:
        name = request.match_info.get("name", "index.html")
        response = web.Response(
            body=self._assets[name],
            content_type=ASSETS[name],
            charset="utf-8",
            headers={"Cache-Control": "no-cache", **SECURITY_HEADERS},
        )
        response.enable_compression()
        return response

    # --- the API ------------------------------------------------------------------------------

    def _language(self, request: web.Request, user: WebAppUser | None = None) -> str | None:
        return supported(request.query.get("lang")) or (
            supported(user.language_code) if user is not None else None
        )

    def _person(self, request: web.Request) -> WebAppUser:
        token = self.data.settings.token or ""
        init_data = request.headers.get(INIT_DATA_HEADER, "")
        try:
            # Telegram's clock, not the bot's (a rehearsal clock may be years away).
            return verify_init_data(init_data, token, dt.datetime.now(dt.UTC))
        except InitDataError as exc:
            log.info("mini app request refused: %s", exc)
            language = self._language(request) or self.data.default_language
            with use_language(language):
                body = {"error": "unauthorized", "message": not_from_telegram()}
            raise web.HTTPUnauthorized(
                text=json.dumps(body, ensure_ascii=False), content_type="application/json"
            ) from exc

    def _started(self) -> None:
        if not self.data.started:
            raise web.HTTPServiceUnavailable(text="starting")

    async def _programme(self, request: web.Request) -> web.Response:
        user = self._person(request)
        self._started()
        svc = self.data
        language = self._language(request) or await svc.language_of(user.id, user.language_code)
        key = (id(svc.event), language)
        shaped = self._programmes.get(key)
        if shaped is None:
            with use_language(language):
                shaped = programme(svc.event.content, svc.now())
            self._programmes = {k: v for k, v in self._programmes.items() if k[0] == key[0]}
            self._programmes[key] = shaped
        body = {**shaped, "now": svc.now().astimezone(svc.event.content.tz).isoformat()}
        response = web.json_response(body, headers={"Cache-Control": "no-store"})
        response.enable_compression()
        return response

    async def _session(self, request: web.Request) -> web.Response:
        user = self._person(request)
        self._started()
        svc = self.data
        session = svc.event.content.sessions_by_id.get(request.match_info["id"])
        if session is None:
            raise web.HTTPNotFound(text="no such session")
        language = self._language(request) or await svc.language_of(user.id, user.language_code)
        with use_language(language):
            detail = session_detail(session)
        response = web.json_response(detail, headers={"Cache-Control": "no-store"})
        response.enable_compression()
        return response

    async def _me(self, request: web.Request) -> web.Response:
        user = self._person(request)
        self._started()
        chosen = await self.data.store.choices_of(user.id)
        return web.json_response({"chosen": sorted(chosen)}, headers={"Cache-Control": "no-store"})

    async def _star(self, request: web.Request) -> web.Response:
        user = self._person(request)
        self._started()
        svc = self.data
        try:
            body = await request.json()
            session_id, on = body["session"], body["on"]
        except (ValueError, KeyError, TypeError):
            raise web.HTTPBadRequest(text="expected {session, on}") from None
        if not isinstance(session_id, str) or not isinstance(on, bool):
            raise web.HTTPBadRequest(text="expected {session: string, on: boolean}")
        session = svc.event.content.sessions_by_id.get(session_id)
        if session is None:
            raise web.HTTPNotFound(text="no such session")
        if on and session.cancelled:
            raise web.HTTPConflict(text="the session is cancelled")
        clashes = await set_chosen(svc, user.id, session, on)
        chosen = await svc.store.choices_of(user.id)
        return web.json_response(
            {"chosen": sorted(chosen), "clashes": [s.id for s in clashes]},
            headers={"Cache-Control": "no-store"},
        )
