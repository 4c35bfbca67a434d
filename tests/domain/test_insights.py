"""What attendees ask, as figures: hours on the event's clock, plurals, a chart and a CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

from bot.domain.inbox import Outcome
from bot.domain.insights import Insights, build_insights, insights_chart, insights_csv
from bot.features.insights import render_insights
from bot.i18n import use_language

CASABLANCA = ZoneInfo("Africa/Casablanca")  # UTC+1 in July 2022
NOW = dt.datetime(2022, 7, 25, 10, 30, tzinfo=dt.UTC)
NINE_UTC = dt.datetime(2022, 7, 25, 9, tzinfo=dt.UTC)


def sample() -> Insights:
    return build_insights(
        {(NINE_UTC, Outcome.ANSWERED): 3, (NINE_UTC, Outcome.NONE): 1},
        {"en": 3, "fr": 1},
        {"faq:wifi": 2},
        ["is there a prayer room", "is there a prayer room?", "parking"],
        {"plen-1": 4},
        NOW,
    )


def test_build_insights_counts_outcomes_and_groups_unanswered() -> None:
    insights = sample()

    assert (insights.total, insights.answered, insights.guesses) == (4, 3, 0)
    assert insights.last_day_total == 4
    assert [g.count for g in insights.unanswered] == [2, 1]


def test_render_insights_gives_busiest_hour_on_event_clock_with_plural() -> None:
    text = render_insights(sample(), {"faq:wifi": "Wi-Fi"}, CASABLANCA)

    assert "Busiest hour: Mon 25 Jul 10:00 (4 questions)" in text
    assert "• Wi-Fi: 2" in text


def test_insights_csv_hours_on_event_clock_and_translated_headers() -> None:
    with use_language("fr"):
        data = insights_csv(sample(), {}, CASABLANCA)

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["rubrique", "élément", "nombre"]
    assert ["heure (Africa/Casablanca)", "2022-07-25 10:00", "4"] in rows


def test_insights_chart_is_a_png() -> None:
    assert insights_chart(sample(), {"faq:wifi": "Wi-Fi"}, CASABLANCA).startswith(b"\x89PNG")
