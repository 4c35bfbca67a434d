"""The programme grid (Mini App) in headless Chromium, against the running bot's listener.

Checked: a day of the bundled event shows its sessions, the line of "now" (the bot's clock) is
drawn on today's tab, a session's detail shows its description (fetched when it opens), ⭐ in
the detail adds it to the person's agenda (the store and /my agree), a page with unsigned or
forged initData shows an error and its API calls get 401, Arabic lays the page out right to
left, and at 360 px wide the page never scrolls sideways.

Needs Debian's ``chromium`` and ``chromium-driver`` (``scripts/test.sh`` installs them through
``scripts/browser.sh``) and Selenium; skipped without them. Selenium blocks, so each browser
step runs in a thread while the bot keeps running on the event loop. Screenshots go to the
test's tmp_path (their paths printed).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import aiohttp
import pytest

from bot.clock import Clock
from bot.content import Content
from bot.local import LOCAL_TOKEN, running_bot
from bot.miniapp.init_data import sign_init_data
from tests.e2e.conftest import ATTENDEE, Chat, WebhookBot, free_port
from tests.waiting import wait_until

webdriver = pytest.importorskip("selenium.webdriver")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None, reason="needs chromium and chromium-driver"
)
T = TypeVar("T")
DAY = "2022-07-25"  # the bot's clock (DURING_EVENT) is on this day


def signed(user_id: int = ATTENDEE, language: str = "en") -> str:
    return sign_init_data(
        LOCAL_TOKEN, user_id, auth_date=dt.datetime.now(dt.UTC), language_code=language
    )


def page_url(bot: WebhookBot, init_data: str, query: str = "") -> str:
    return f"{bot.base_url}/app/{query}#tgWebAppData={quote(init_data, safe='')}"


@pytest.fixture
def browser() -> Iterator[Any]:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM or ""
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_argument("--window-size=412,860")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER or ""))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


async def in_browser(step: Callable[[], T]) -> T:
    return await asyncio.to_thread(step)


async def open_page(browser: Any, url: str) -> str:
    """Open the page and wait until it says it is ready or failed; that word."""
    await in_browser(lambda: browser.get(url))

    async def settled() -> str | None:
        found = await in_browser(
            lambda: browser.execute_script("return document.body.dataset.state")
        )
        return found if found in ("ready", "error") else None

    return await wait_until(settled, 15, "the page to load")


@asynccontextmanager
async def page_of(
    browser: Any, content: Content, folder: Path, clock: Clock, tmp_path: Path
) -> AsyncIterator[str]:
    """The grid of ``content`` (from ``folder``) in the browser, served by a bot with its own
    listener on a free port and the given clock; yields the page's state."""
    port = free_port()
    async with running_bot(
        content,
        db_path=tmp_path / "bot.sqlite3",
        content_dir=folder,
        clock=clock,
        listen=("127.0.0.1", port),
    ):
        url = f"http://127.0.0.1:{port}/app/#tgWebAppData={quote(signed(), safe='')}"
        yield await open_page(browser, url)


def screenshot(browser: Any, path: Path) -> None:
    browser.save_screenshot(str(path))
    print(f"screenshot: {path}")


def js(browser: Any, script: str) -> Any:
    return browser.execute_script(script)


def timed_on(content: Content, day: str) -> list[str]:
    return [s.id for s in content.sessions if s.day and s.day.isoformat() == day and s.start]


async def test_miniapp_day_shows_its_sessions_and_star_adds_to_agenda(
    webhook_running: WebhookBot, content: Content, browser: Any, tmp_path: Path
) -> None:
    chat = Chat(webhook_running.emu, webhook_running.app)
    await chat.say("/start")

    state = await open_page(browser, page_url(webhook_running, signed()))
    shown_day = await in_browser(
        lambda: js(browser, "return document.getElementById('grid').dataset.day")
    )
    ids = await in_browser(
        lambda: js(
            browser, "return [...document.querySelectorAll('.session')].map(e => e.dataset.id)"
        )
    )
    now_line = await in_browser(
        lambda: js(browser, "return !document.getElementById('now-line').hidden")
    )
    await in_browser(lambda: screenshot(browser, tmp_path / "grid-day.png"))

    assert state == "ready"
    assert shown_day == DAY
    assert sorted(ids) == sorted(timed_on(content, DAY))
    assert now_line  # 10:30 on the bot's clock, inside the day's hours

    other_day = "2022-07-26"
    await in_browser(
        lambda: js(browser, f"document.querySelector('[data-day=\"{other_day}\"]').click()")
    )
    other_ids = await in_browser(
        lambda: js(
            browser, "return [...document.querySelectorAll('.session')].map(e => e.dataset.id)"
        )
    )
    assert sorted(other_ids) == sorted(timed_on(content, other_day))

    target = "undesa-workshop"
    await in_browser(
        lambda: js(browser, f"document.querySelector('[data-id=\"{target}\"]').click()")
    )

    async def described() -> str | None:
        text = await in_browser(
            lambda: js(browser, "return document.getElementById('detail-text').textContent")
        )
        return text or None

    # The programme comes without descriptions: the detail asks for this one's.
    description = await wait_until(described, 10, "the description in the detail")
    assert description.startswith("UN DESA/DPIDG capacity development workshop.")
    await in_browser(lambda: screenshot(browser, tmp_path / "detail.png"))
    await in_browser(lambda: js(browser, "document.getElementById('star').click()"))

    async def starred() -> bool | None:
        chosen = await in_browser(
            lambda: js(browser, "return document.getElementById('star').dataset.chosen")
        )
        return True if chosen == "true" else None

    await wait_until(starred, 10, "the star to be on")
    assert await chat.services.store.choices_of(ATTENDEE) == {target}
    [my] = await chat.say("/my")
    assert "Building back better" in my.plain_text
    await in_browser(lambda: screenshot(browser, tmp_path / "starred.png"))


@pytest.mark.parametrize("forgery", ["unsigned", "forged"])
async def test_miniapp_without_valid_init_data_shows_an_error_and_api_refuses(
    webhook_running: WebhookBot, browser: Any, tmp_path: Path, forgery: str
) -> None:
    if forgery == "unsigned":
        init_data = ""
    else:  # signed for someone, then the user changed to another person
        init_data = signed().replace(f"%22id%22%3A{ATTENDEE}", "%22id%22%3A1002")
        assert init_data != signed()
    async with aiohttp.ClientSession() as http:
        async with http.get(
            f"{webhook_running.base_url}/app/api/me",
            headers={"X-Telegram-Init-Data": init_data},
        ) as response:
            api_status = response.status

    state = await open_page(browser, page_url(webhook_running, init_data))
    status = await in_browser(lambda: js(browser, "return document.body.dataset.status"))
    message = await in_browser(
        lambda: js(browser, "return document.getElementById('message').textContent")
    )
    await in_browser(lambda: screenshot(browser, tmp_path / f"refused-{forgery}.png"))

    assert api_status == 401
    assert (state, status) == ("error", "401")
    assert "Telegram" in message


async def test_miniapp_arabic_is_right_to_left_and_fits_360_px(
    webhook_running: WebhookBot, browser: Any, tmp_path: Path
) -> None:
    await in_browser(lambda: browser.set_window_size(360, 780))
    widths: dict[str, tuple[int, int]] = {}
    directions: dict[str, str] = {}
    for language in ("en", "ar"):
        state = await open_page(
            browser, page_url(webhook_running, signed(language=language), f"?lang={language}")
        )
        assert state == "ready"
        directions[language] = await in_browser(lambda: js(browser, "return document.dir"))
        widths[language] = await in_browser(
            lambda: tuple(
                js(browser, "return [document.documentElement.scrollWidth, window.innerWidth]")
            )
        )
        await in_browser(
            lambda lang=language: screenshot(browser, tmp_path / f"grid-360-{lang}.png")
        )

    assert directions == {"en": "ltr", "ar": "rtl"}
    for language, (scroll_width, inner_width) in widths.items():
        assert inner_width <= 360, language
        assert scroll_width <= 360, language


async def test_miniapp_imported_38c3_day_shows_its_sessions(
    tmp_path: Path, browser: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import main as bot_main
    from bot.clock import FixedClock
    from bot.content import load_content_or_raise
    from tests.content.test_importer import XML_38C3

    out = tmp_path / "38c3"
    assert bot_main(["import", str(XML_38C3), "--out", str(out)]) == 0
    capsys.readouterr()
    content, _ = load_content_or_raise(out)
    day = content.days()[1]
    clock = FixedClock(dt.datetime.combine(day, dt.time(13), content.tz))
    async with page_of(browser, content, out, clock, tmp_path) as state:
        shown = await in_browser(
            lambda: js(
                browser,
                "return [document.getElementById('grid').dataset.day, "
                "document.querySelectorAll('.session').length]",
            )
        )
        await in_browser(lambda: screenshot(browser, tmp_path / "38c3-day.png"))

    expected = timed_on(content, day.isoformat())
    assert state == "ready"
    assert shown == [day.isoformat(), len(expected)]
    assert len(expected) > 50


@pytest.mark.bundled_as_is
async def test_miniapp_undated_sessions_are_on_the_date_to_be_announced_tab(
    webhook_running: WebhookBot, content: Content, browser: Any, tmp_path: Path
) -> None:
    undated = [s.id for s in content.undated_sessions()]
    assert sorted(undated) == ["undesa-panel", "undesa-workshop"]

    state = await open_page(browser, page_url(webhook_running, signed()))
    tabs = await in_browser(
        lambda: js(
            browser,
            "return [...document.querySelectorAll('#days button')]"
            ".map(b => [b.dataset.day, b.textContent])",
        )
    )
    # Today's tab: its grid, and nothing of the undated sessions.
    today_ids = await in_browser(
        lambda: js(
            browser, "return [...document.querySelectorAll('[data-id]')].map(e => e.dataset.id)"
        )
    )
    await in_browser(
        lambda: js(browser, "document.querySelector('[data-day=\"undated\"]').click()")
    )
    listed = await in_browser(
        lambda: js(
            browser,
            "return [document.getElementById('tba').hidden, "
            "document.querySelector('#tba h2').textContent, "
            "[...document.querySelectorAll('#tba .tba-item')].map(e => e.dataset.id), "
            "document.querySelectorAll('#grid .session').length, "
            "document.getElementById('message').hidden]",
        )
    )
    await in_browser(lambda: screenshot(browser, tmp_path / "undated.png"))

    assert state == "ready"
    assert tabs[-1] == ["undated", "Date to be announced"]
    assert not set(undated) & set(today_ids)
    assert listed == [False, "Date to be announced", undated, 0, True]

    await in_browser(
        lambda: js(browser, "document.querySelector('.tba-item[data-id=\"undesa-panel\"]').click()")
    )

    async def described() -> str | None:
        text = await in_browser(
            lambda: js(browser, "return document.getElementById('detail-text').textContent")
        )
        return text or None

    description = await wait_until(described, 10, "the description in the detail")
    detail = await in_browser(
        lambda: js(
            browser,
            "return [document.getElementById('detail').hidden, "
            "document.getElementById('detail-title').textContent, "
            "document.getElementById('detail-when').textContent, "
            "document.getElementById('star').textContent]",
        )
    )
    assert description.startswith("UN DESA/DPIDG panel session")
    assert detail[:2] == [False, "Innovative governance to leave no one behind"]
    assert detail[2].startswith("Date to be announced")
    assert "null" not in detail[2]
    assert detail[3] == "⭐ Add to my agenda"
    await in_browser(lambda: screenshot(browser, tmp_path / "undated-detail.png"))
    await in_browser(lambda: js(browser, "document.getElementById('star').click()"))

    async def starred() -> bool | None:
        chosen = await in_browser(
            lambda: js(browser, "return document.getElementById('star').dataset.chosen")
        )
        return True if chosen == "true" else None

    await wait_until(starred, 10, "the star to be on")
    marked = await in_browser(
        lambda: js(
            browser,
            "return document.querySelector('.tba-item[data-id=\"undesa-panel\"]')"
            ".classList.contains('chosen')",
        )
    )
    assert marked
    chat = Chat(webhook_running.emu, webhook_running.app)
    assert await chat.services.store.choices_of(ATTENDEE) == {"undesa-panel"}


async def test_miniapp_overlapping_sessions_of_one_room_are_side_by_side(
    tmp_path: Path, browser: Any
) -> None:
    from bot.clock import FixedClock
    from bot.content import load_content_or_raise
    from tests.e2e.conftest import copy_content

    # gov-1 (14:00-17:00, VIP meeting room) and reg-0 (14:00-18:00) in one room, both may_overlap.
    folder = copy_content(tmp_path)
    sessions = folder / "sessions.yaml"
    text = sessions.read_text(encoding="utf-8")
    for session_id in ("gov-1", "reg-0"):
        head = f"  - id: {session_id}\n"
        text = text.replace(head, head + "    may_overlap: true\n", 1)
    at = text.index("  - id: reg-0\n")
    text = text[:at] + text[at:].replace(
        "    room: registration-desk\n", "    room: vip-meeting-room\n", 1
    )
    # wg-m, the same day, loses its time: listed under the grid, not in it.
    at = text.index("  - id: wg-m\n")
    text = text[:at] + text[at:].replace('    start: "13:00"\n    end: "14:00"\n', "", 1)
    sessions.write_text(text, encoding="utf-8")
    content, _ = load_content_or_raise(folder)
    assert content.sessions_by_id["wg-m"].start is None
    pair = ("gov-1", "reg-0")
    assert {content.sessions_by_id[i].room for i in pair} == {"vip-meeting-room"}
    day = content.sessions_by_id["gov-1"].day
    assert day is not None
    clock = FixedClock(dt.datetime.combine(day, dt.time(15), content.tz))
    async with page_of(browser, content, folder, clock, tmp_path) as state:
        await in_browser(
            lambda: js(
                browser,
                "document.querySelector('.session[data-id=\"gov-1\"]')"
                ".scrollIntoView({block: 'center', inline: 'center'})",
            )
        )
        rects = await in_browser(
            lambda: js(
                browser,
                """
                const rect = (e) => { const r = e.getBoundingClientRect();
                  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
                const out = {};
                for (const id of ['gov-1', 'reg-0']) {
                  const box = document.querySelector(`.session[data-id="${id}"]`);
                  out[id] = rect(box);
                  out[id + ':column'] = rect(box.closest('.column'));
                  out[id + ':room'] = box.closest('.column').dataset.room;
                }
                return out;
                """,
            )
        )
        await in_browser(lambda: screenshot(browser, tmp_path / "overlap.png"))
        untimed = await in_browser(
            lambda: js(
                browser,
                "return [document.querySelector('#tba h2').textContent, "
                "[...document.querySelectorAll('#tba .tba-item')].map(e => e.dataset.id), "
                "document.querySelectorAll('#grid [data-id=\"wg-m\"]').length]",
            )
        )

    assert state == "ready"
    first, second = rects["gov-1"], rects["reg-0"]
    assert rects["gov-1:room"] == rects["reg-0:room"] == "vip-meeting-room"
    for box, column in ((first, rects["gov-1:column"]), (second, rects["reg-0:column"])):
        assert box["right"] - box["left"] > 30
        assert column["left"] <= box["left"] < box["right"] <= column["right"]
    # Side by side, not on top of each other: the two rectangles do not intersect.
    assert first["right"] <= second["left"] or second["right"] <= first["left"]
    assert first["top"] == second["top"]  # both start at 14:00
    assert untimed == ["Time to be announced", ["wg-m"], 0]
