"""Benchmark of an organiser broadcast against Telegram's limit of 30 messages per second.

Run from the repository root: ``.venv/bin/python bench/broadcast.py [--quick] [--n N]``.
The real bot (``bot.local.running_bot``) polls the local Bot API emulator in this process with
the emulator's flood limits on (30/s overall, token buckets; a request over them is answered 429).
N people are seeded as earlier users of the bot, the organiser composes a broadcast to everyone
through the conversation, presses "Send now", and the run ends when every outbox row of the
broadcast is final.

Figures: the achieved rate against the 30/s limit as a ratio; the total time, from the press on
"Send now" to the last copy delivered, against the ideal N / 30; the 429s the emulator answered;
the peak resident memory of this process (bot and emulator together). The baseline is the limit
itself: an ideal sender would reach ratio 1.0. Never fails on a timing; it fails if a recipient
did not get exactly one copy.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.clock import ShiftedClock  # noqa: E402
from bot.content import load_content_or_raise  # noqa: E402
from bot.domain.broadcast import Progress  # noqa: E402
from bot.local import running_bot  # noqa: E402
from bot.runtime import BotData  # noqa: E402
from botapi_emulator import BotApiEmulator, SentMessage  # noqa: E402

LIMIT = 30.0
ORGANISER = 9001
FIRST_USER = 100_000
MESSAGE = "Buses to the dinner leave at 18:00 from the main entrance"
EVENT_MOMENT = dt.datetime(2022, 7, 25, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))


async def seed(svc: BotData, user_ids: list[int]) -> None:
    now = svc.now()
    for user_id in user_ids:
        await svc.store.touch_user(user_id, "en", now)


async def press(emu: BotApiEmulator, message: SentMessage, label: str) -> None:
    await emu.press_button(ORGANISER, ORGANISER, message.message_id, button_text=label)


async def run(n: int) -> int:
    content, _ = load_content_or_raise(ROOT / "content")
    people = list(range(FIRST_USER, FIRST_USER + n))
    with tempfile.TemporaryDirectory() as tmp:
        async with (
            BotApiEmulator(limits=True) as emu,
            running_bot(
                content,
                db_path=Path(tmp) / "bench.sqlite3",
                content_dir=ROOT / "content",
                clock=ShiftedClock(EVENT_MOMENT),
                organisers=frozenset({ORGANISER}),
                emulator=emu,
            ) as (_, app),
        ):
            svc = app.bot_data
            assert isinstance(svc, BotData)
            await seed(svc, people)
            await emu.register_chats(people)

            await emu.send_from_user(ORGANISER, "/broadcast")
            await emu.wait_for_messages(ORGANISER, timeout=10)
            await emu.send_from_user(ORGANISER, MESSAGE)
            [menu] = await emu.wait_for_messages(ORGANISER, timeout=10)
            await press(emu, menu, "Everyone")
            _preview, confirm = await emu.wait_for_messages(ORGANISER, count=2, timeout=30)
            # The organiser reads the preview before pressing; without this pause the copy to
            # the organiser's own chat would be a fourth message to that chat within a second.
            await asyncio.sleep(3.0)
            await emu.reset_stats()
            log_start = len(await emu.delivery_log())
            started = time.time()
            await press(emu, confirm, "Send now")
            await emu.wait_for_edit(ORGANISER, confirm.message_id, timeout=30)

            [broadcast] = await svc.store.recent_broadcasts(1)
            while True:  # the outbox, not the emulator, says when every row is final
                if Progress.of(await svc.store.broadcast_counts(broadcast.id)).finished:
                    break
                await asyncio.sleep(0.5)
            stats = await emu.stats()
            copies = [e for e in await emu.delivery_log(log_start) if e.text == MESSAGE]

    per_chat = Counter(e.chat_id for e in copies)
    wrong = [p for p in people if per_chat.get(p, 0) != 1]
    delivered = len(copies)
    total_s = max(e.time for e in copies) - started
    ideal_s = delivered / LIMIT
    rate = delivered / total_s
    ratio = rate / LIMIT
    first_to_last = max(e.time for e in copies) - min(e.time for e in copies)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"recipients:            {n} (+ the organiser, who is a user too)")
    print(f"delivered:             {delivered}")
    print(f"total (press → last):  {total_s:.2f} s   ideal {ideal_s:.2f} s")
    print(f"first → last copy:     {first_to_last:.2f} s")
    print(f"rate:                  {rate:.2f}/s against {LIMIT:.0f}/s   ratio {ratio:.3f}")
    print(f"peak 1 s window:       {stats.peak_messages_in(1.0)} messages")
    print(f"429 answers:           {stats.too_many_requests}")
    print(f"peak RSS:              {peak_mb:.0f} MB (bot and emulator)")
    print(
        f"bench broadcast: n={n} ratio={ratio:.3f} total_s={total_s:.2f} ideal_s={ideal_s:.2f} "
        f"r429={stats.too_many_requests} peak_mb={peak_mb:.0f}"
    )
    if wrong:
        print(f"FAILED: {len(wrong)} recipients did not get exactly one copy", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="1,000 recipients (under a minute)")
    parser.add_argument("--n", type=int, help="number of recipients (default 10,000)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    n = args.n or (1_000 if args.quick else 10_000)
    return asyncio.run(run(n))


if __name__ == "__main__":
    raise SystemExit(main())
