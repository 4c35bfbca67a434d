from __future__ import annotations

from itertools import islice

from bot.polling import MAX_DELAY, retry_delays


def test_retry_delays_double_up_to_the_cap() -> None:
    assert list(islice(retry_delays(0.5, 3.0), 6)) == [0.5, 1.0, 2.0, 3.0, 3.0, 3.0]


def test_retry_delays_by_default_never_exceed_a_few_seconds() -> None:
    assert max(islice(retry_delays(), 50)) == MAX_DELAY <= 5
