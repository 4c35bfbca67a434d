"""What the grid's detail panel links to: the session's join or stream link and, away from the
main venue, a map of its place; the same words as the chat's session card."""

from __future__ import annotations

from pathlib import Path

from bot.content import Content
from bot.i18n import use_language
from bot.miniapp.grid import session_detail
from tests.places import KASBAH, OPEN_DATA_LINK, WG_M_STREAM, places_content


def content(tmp_path: Path) -> Content:
    return places_content(tmp_path)


def links(content: Content, session_id: str) -> list[tuple[str, str]]:
    detail = session_detail(content, content.sessions_by_id[session_id])
    return [(link["label"], link["url"]) for link in detail["links"]]


def test_detail_links_online_hybrid_and_off_site(tmp_path: Path) -> None:
    loaded = content(tmp_path)
    lat, lon = KASBAH

    assert links(loaded, "open-data") == [("💻 Join online", OPEN_DATA_LINK)]
    assert links(loaded, "wg-m") == [("📺 Watch online", WG_M_STREAM)]
    assert links(loaded, "kasbah-walk") == [
        ("Open the map", f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}")
    ]
    assert links(loaded, "plen-1") == []


def test_detail_links_in_the_reader_language(tmp_path: Path) -> None:
    loaded = content(tmp_path)

    with use_language("fr"):
        ((label, _url),) = links(loaded, "open-data")

    assert label != "💻 Join online" and label.startswith("💻")
