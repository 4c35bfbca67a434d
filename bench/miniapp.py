"""The programme grid (Mini App) on a large programme: what the page costs to load.

Imports the 38C3 schedule (tests/data/schedules/38c3-hub.schedule.xml, 1007 sessions), runs the
bot with its listener against the emulator, and measures: the bytes a phone downloads (the
page's three files and the programme's JSON, gzip-compressed as the listener sends them), the
time headless Chromium takes from navigation to the rendered grid (skipped, -1, without
chromium and chromium-driver), and the p99 of the API's answers, beside the p99 of /healthz in
the same run as a baseline.

Run from the repository root: ``.venv/bin/python bench/miniapp.py [--quick]``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gzip
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.clock import FixedClock  # noqa: E402
from bot.content import load_content_or_raise  # noqa: E402
from bot.content.import_cli import main as import_main  # noqa: E402
from bot.local import LOCAL_TOKEN, running_bot  # noqa: E402
from bot.miniapp.api import INIT_DATA_HEADER  # noqa: E402
from bot.miniapp.init_data import sign_init_data  # noqa: E402

SCHEDULE = ROOT / "tests/data/schedules/38c3-hub.schedule.xml"
USER = 1001


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98] if len(samples) > 1 else samples[0]


async def timed_gets(
    http: aiohttp.ClientSession, url: str, headers: dict[str, str], n: int
) -> list[float]:
    took = []
    for _ in range(n):
        started = time.perf_counter()
        async with http.get(url, headers=headers) as response:
            await response.read()
            assert response.status == 200, response.status
        took.append((time.perf_counter() - started) * 1000)
    return took


def render_ms(url: str, runs: int) -> float:
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        return -1.0
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=412,860"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    times = []
    try:
        for _ in range(runs):
            driver.get("about:blank")
            driver.get(url)
            for _ in range(300):
                found = driver.execute_script("return document.body.dataset.renderMs")
                if found:
                    times.append(float(found))
                    break
                time.sleep(0.05)
    finally:
        driver.quit()
    return statistics.median(times) if times else -1.0


async def run(quick: bool) -> None:
    n = 200 if quick else 1000
    with tempfile.TemporaryDirectory(prefix="bench-miniapp-") as tmp:
        out = Path(tmp) / "content"
        assert import_main([str(SCHEDULE), "--out", str(out)]) == 0
        content, _ = load_content_or_raise(out)
        day = content.days()[1]
        clock = FixedClock(dt.datetime.combine(day, dt.time(13), content.tz))
        port = free_port()
        async with running_bot(
            content,
            db_path=Path(tmp) / "bot.sqlite3",
            content_dir=out,
            clock=clock,
            listen=("127.0.0.1", port),
        ):
            base = f"http://127.0.0.1:{port}"
            init_data = sign_init_data(LOCAL_TOKEN, USER, auth_date=dt.datetime.now(dt.UTC))
            headers = {INIT_DATA_HEADER: init_data, "Accept-Encoding": "gzip"}
            async with aiohttp.ClientSession(auto_decompress=False) as http:
                size = 0
                for path in (
                    "/app/",
                    "/app/app.js",
                    "/app/app.css",
                    "/app/api/programme",
                    "/app/api/me",
                ):
                    async with http.get(base + path, headers=headers) as response:
                        body = await response.read()
                        if response.headers.get("Content-Encoding") != "gzip":
                            body = gzip.compress(body)
                        size += len(body)
            async with aiohttp.ClientSession() as http:
                await timed_gets(http, base + "/app/api/programme", headers, 5)  # warm the cache
                programme = await timed_gets(http, base + "/app/api/programme", headers, n)
                me = await timed_gets(http, base + "/app/api/me", headers, n)
                health = await timed_gets(http, base + "/healthz", {}, n)
            url = f"{base}/app/#tgWebAppData={quote(init_data, safe='')}"
            rendered = await asyncio.to_thread(render_ms, url, 3 if quick else 10)
    api = p99(programme + me)
    base_p99 = p99(health)
    print(
        f"sessions: {len(content.sessions)} "
        f"(day {day}: {sum(1 for s in content.sessions if s.day == day)})"
    )
    print(f"transfer (gzip): {size / 1024:.1f} kB")
    print(f"render (headless Chromium, median): {rendered:.0f} ms")
    print(
        f"API p99: programme {p99(programme):.2f} ms, me {p99(me):.2f} ms; "
        f"/healthz p99 {base_p99:.2f} ms"
    )
    print(f"API p99 / healthz p99: {api / base_p99:.2f}")
    print(
        f"bench miniapp: sessions={len(content.sessions)} kb={size / 1024:.1f} "
        f"render_ms={rendered:.0f} api_p99_ms={api:.2f} healthz_p99_ms={base_p99:.2f}"
    )


def free_port() -> int:
    """A free port for the listener (its URL is known before it starts)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller run, well under a minute")
    args = parser.parse_args()
    asyncio.run(run(args.quick))


if __name__ == "__main__":
    main()
