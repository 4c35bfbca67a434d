import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot import clock as clock_module
from bot.clock import ShiftedClock, parse_event_moment

LISBON = ZoneInfo("Europe/Lisbon")


def test_shifted_clock_across_autumn_change_keeps_real_elapsed_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ticks = iter([100.0, 120.0])
    monkeypatch.setattr(clock_module.time, "monotonic", lambda: next(ticks))
    start = parse_event_moment("2026-10-25 01:59:50", LISBON)
    clock = ShiftedClock(start)

    now = clock.now()

    assert now - start == dt.timedelta(seconds=20)
    assert now.astimezone(LISBON).strftime("%H:%M:%S %Z") == "01:00:10 WET"


def test_shifted_clock_counts_in_utc() -> None:
    clock = ShiftedClock(dt.datetime(2026, 7, 1, 10, 0, tzinfo=LISBON))

    assert clock.now().tzinfo is dt.UTC


def test_parse_event_moment_repeated_hour_means_first_occurrence() -> None:
    moment = parse_event_moment("2026-10-25 01:30", LISBON)

    assert moment.utcoffset() == dt.timedelta(hours=1)


@pytest.mark.parametrize("text", ["2026-10-25 01:30 (2nd)", "2026-10-25 01:30+00:00"])
def test_parse_event_moment_second_occurrence_by_marker_or_offset(text: str) -> None:
    moment = parse_event_moment(text, LISBON)

    assert moment.astimezone(dt.UTC) == dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)


def test_parse_event_moment_skipped_hour_refused() -> None:
    with pytest.raises(ValueError, match="does not exist"):
        parse_event_moment("2026-03-29 01:30", LISBON)


def test_parse_event_moment_second_marker_on_plain_hour_refused() -> None:
    with pytest.raises(ValueError, match="only once"):
        parse_event_moment("2026-07-01 10:00 (2nd)", LISBON)


def test_parse_event_moment_garbage_refused() -> None:
    with pytest.raises(ValueError, match="expected a moment"):
        parse_event_moment("tomorrow", LISBON)
