"""Run the emulator standalone: ``python -m botapi_emulator --port 8081 --limits on``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

from botapi_emulator.emulator import BotApiEmulator

__all__ = ["main", "serve"]


def _parse_args(argv: list[str] | None, prog: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Run the local Telegram Bot API emulator until interrupted.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8081, help="port (0 picks a free one)")
    parser.add_argument(
        "--limits",
        choices=("on", "off"),
        default="off",
        help="enforce Telegram's flood limits (429 with retry_after)",
    )
    return parser.parse_args(argv)


async def serve(host: str, port: int, limits: bool) -> None:
    """Serve until SIGINT/SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    async with BotApiEmulator(limits=limits, host=host, port=port) as emulator:
        print(f"Bot API base URL: {emulator.api_url}", flush=True)
        print(f"Bot API file URL: {emulator.file_url}", flush=True)
        print(f"Control URL:      {emulator.base_url}/_control/", flush=True)
        print(f"Flood limits:     {'on' if limits else 'off'}", flush=True)
        await stop.wait()


def main(argv: list[str] | None = None, *, prog: str = "python -m botapi_emulator") -> int:
    """Entry point for ``python -m botapi_emulator`` (and confbot's ``python -m bot emulator``)."""
    args = _parse_args(argv, prog)
    try:
        asyncio.run(serve(args.host, args.port, args.limits == "on"))
    except KeyboardInterrupt:
        pass
    except OSError as error:
        print(f"emulator: cannot listen on {args.host}:{args.port}: {error}")
        return 1
    return 0
