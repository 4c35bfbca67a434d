"""An imported programme, imported again after the organisers changed it in pretalx: the
running bot's /reload tells the people who chose a moved session, as for hand-written content.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import Clock, FixedClock
from bot.content import load_content_or_raise
from bot.content.import_cli import main as import_main
from tests.e2e.conftest import ATTENDEE, Chat

REPO = Path(__file__).resolve().parents[2]
EXPORT = REPO / "tests" / "data" / "schedules" / "camp2019-frab.schedule.json"
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "camp"
    assert import_main([str(EXPORT), "--out", str(folder)]) == 0
    return folder


@pytest.fixture
def clock() -> Clock:
    return FixedClock(dt.datetime(2019, 8, 21, 9, 0, tzinfo=BERLIN))


async def test_reimport_then_reload_tells_chooser_of_moved_session(
    chat: Chat, organiser: Chat, content_dir: Path, tmp_path: Path
) -> None:
    content, _ = load_content_or_raise(content_dir)
    (badge,) = [s for s in content.sessions if s.title == "card10 Badge"]
    (card,) = await chat.say(f"/start s_{badge.id}")
    await chat.press(card, "Add to my agenda")
    document = json.loads(EXPORT.read_bytes())
    event = document["schedule"]["conference"]["days"][0]["rooms"]["Curie"][1]
    assert event["title"] == "card10 Badge"
    event["date"] = "2019-08-21T16:00:00+02:00"
    event["start"] = "16:00"
    changed = tmp_path / "schedule.json"
    changed.write_text(json.dumps(document), encoding="utf-8")

    assert import_main([str(changed), "--out", str(content_dir)]) == 0
    await organiser.say("/reload")

    (notice,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
    assert notice.plain_text.splitlines()[:2] == [
        "📣 Change to a session in your agenda",
        "card10 Badge",
    ]
    assert "→ Wed 21 Aug 16:00–" in notice.plain_text
