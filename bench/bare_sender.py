"""A bare python-telegram-bot sender: the baseline that ``bench/broadcast.py --paid`` runs against.

One ``telegram.Bot`` (python-telegram-bot's default httpx request, as ``ApplicationBuilder``
builds it) sends one paid message (``allow_paid_broadcast``) to each of ``--count`` chats from
``--first``, ``--concurrency`` at a time, as fast as it can: no outbox, no database, no pacing.
What it achieves is the most one Python process can send through python-telegram-bot here.
Prints one JSON line: ``{"sent": ..., "seconds": ..., "cpu_s": ...}`` (its own CPU time).

Run: ``TELEGRAM_BOT_TOKEN=... TELEGRAM_API_URL=http://127.0.0.1:8081/bot \
python bench/bare_sender.py --first 100000 --count 2000``
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import time
import warnings

from telegram import Bot
from telegram.error import RetryAfter
from telegram.request import HTTPXRequest

MESSAGE = "Buses to the dinner leave at 18:00 from the main entrance"


async def send_all(first: int, count: int, concurrency: int) -> dict[str, float]:
    bot = Bot(
        os.environ["TELEGRAM_BOT_TOKEN"],
        base_url=os.environ["TELEGRAM_API_URL"],
        request=HTTPXRequest(connection_pool_size=256),  # ApplicationBuilder's default
    )
    chats = iter(range(first, first + count))
    sent = 0

    async def worker() -> None:
        nonlocal sent
        for chat_id in chats:
            while True:
                try:
                    await bot.send_message(
                        chat_id, MESSAGE, disable_web_page_preview=True, allow_paid_broadcast=True
                    )
                    break
                except RetryAfter as exc:  # over the 1,000/s: wait as told, as confbot does
                    with warnings.catch_warnings():  # PTB 22 warns a timedelta is coming
                        warnings.simplefilter("ignore")
                        wait = exc.retry_after
                    seconds = wait.total_seconds() if isinstance(wait, dt.timedelta) else wait
                    await asyncio.sleep(float(seconds))
            sent += 1

    async with bot:
        started, cpu_started = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds, cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
    return {"sent": sent, "seconds": seconds, "cpu_s": cpu_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--first", type=int, required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(send_all(args.first, args.count, args.concurrency))))


if __name__ == "__main__":
    main()
