"""The programme grid's page and JSON API, on the bot's own listener (``bot/web.py``).

- ``GET /app/`` and its ``app.js``, ``app.css``: the page, shipped in the package;
- ``GET /app/api/programme?lang=``: the programme (:func:`bot.miniapp.grid.programme`), built
  once per content and language and kept serialised and gzip-compressed (:class:`Programmes`):
  sent compressed to a client that accepts gzip, with an ETag, 304 to ``If-None-Match``;
- ``GET /app/api/session/<id>?lang=``: a session's description, for its detail panel;
- ``GET /app/api/me``: the ids of the sessions in the person's agenda, and the bot's current
  time (which moves; the programme does not);
- ``POST /app/api/star`` ``{"session": id, "on": true|false}``: adds to or removes from the
  person's agenda as the ⭐ button does (:func:`bot.services.agenda.set_chosen`), reminders
  planned again.

Every API request carries Telegram's ``initData`` in :data:`INIT_DATA_HEADER`; the person is
the signed ``user`` in it (:mod:`bot.miniapp.init_data`), nothing the page says of itself.
Without valid initData the answer is 401 with a message in the page's language.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.content import Content
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


def to_json(value: Any) -> bytes:
    """Compact JSON in UTF-8 (no ``\\uXXXX`` escapes, no spaces after separators)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def json_body(value: Any) -> web.Response:
    return web.Response(
        body=to_json(value),
        content_type="application/json",
        charset="utf-8",
        headers={"Cache-Control": "no-store"},
    )


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` header takes gzip (``gzip`` or ``*``, not with q=0)."""
    for item in accept_encoding.split(","):
        name, _, params = item.partition(";")
        if name.strip().lower() not in ("gzip", "*"):
            continue
        q = params.strip().lower()
        if q.startswith("q="):
            try:
                if float(q[2:]) <= 0:
                    continue
            except ValueError:
                continue
        return True
    return False


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Whether ``If-None-Match`` names this entity tag (weak comparison, as RFC 9110 says)."""
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags


@dataclass(frozen=True)
class ShapedProgramme:
    """One language's programme, ready to send: the JSON, the same gzip-compressed, its ETag."""

    body: bytes
    gzipped: bytes
    etag: str

    @classmethod
    def of(cls, shaped: dict[str, Any]) -> ShapedProgramme:
        body = to_json(shaped)
        digest = hashlib.sha256(body).hexdigest()[:20]
        return cls(body, gzip.compress(body, compresslevel=9, mtime=0), f'"{digest}"')


class Programmes:
    """The programme per language for the content in use, built on first asking.

    A reload (or an FAQ entry added from the inbox) puts a new :class:`~bot.content.Content` in
    the :class:`~bot.domain.event.EventState`: that new object is a new version, and the bodies
    built for the old one are dropped. The content is held (compared with ``is``), not its
    ``id()``, which a later object could reuse.
    """

    def __init__(self) -> None:
        self._content: Content | None = None
        self._by_language: dict[str, ShapedProgramme] = {}

    def get(self, content: Content, language: str) -> ShapedProgramme:
        if content is not self._content:
            self._content, self._by_language = content, {}
        shaped = self._by_language.get(language)
        if shaped is None:
            with use_language(language):
                shaped = ShapedProgramme.of(programme(content))
            self._by_language[language] = shaped
        return shaped


class MiniApp:
    def __init__(self, application: BotApplication) -> None:
        self.application = application
        self._assets = {name: (STATIC / name).read_bytes() for name in ASSETS}
        self.programmes = Programmes()

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
        shaped = self.programmes.get(svc.event.content, language)
        headers = {
            "ETag": shaped.etag,
            # The same for everyone in a language, but only with initData: the browser keeps it
            # and asks again with If-None-Match; no shared cache keeps it.
            "Cache-Control": "private, no-cache",
            "Vary": "Accept-Encoding",
        }
        if etag_matches(request.headers.get("If-None-Match", ""), shaped.etag):
            return web.Response(status=304, headers=headers)
        if accepts_gzip(request.headers.get("Accept-Encoding", "")):
            headers["Content-Encoding"] = "gzip"
            body = shaped.gzipped
        else:
            body = shaped.body
        return web.Response(
            body=body, content_type="application/json", charset="utf-8", headers=headers
        )

    async def _session(self, request: web.Request) -> web.Response:
        user = self._person(request)
        self._started()
        svc = self.data
        session = svc.event.content.sessions_by_id.get(request.match_info["id"])
        if session is None:
            raise web.HTTPNotFound(text="no such session")
        language = self._language(request) or await svc.language_of(user.id, user.language_code)
        with use_language(language):
            detail = session_detail(svc.event.content, session)
        response = json_body(detail)
        response.enable_compression()
        return response

    async def _me(self, request: web.Request) -> web.Response:
        user = self._person(request)
        self._started()
        svc = self.data
        chosen = await svc.store.choices_of(user.id)
        now = svc.now().astimezone(svc.event.content.tz).isoformat()
        return json_body({"chosen": sorted(chosen), "now": now})

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
        return json_body({"chosen": sorted(chosen), "clashes": [s.id for s in clashes]})
