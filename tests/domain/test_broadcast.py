"""The pure part of broadcasts: audiences, recipients, send times, progress and its text."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.content import Content
from bot.domain.broadcast import (
    Audience,
    AudienceKind,
    Progress,
    eta_seconds,
    format_duration,
    group_members,
    language_counts,
    paid_cost_stars,
    parse_send_time,
    primary_language,
    progress_bar,
    select_recipients,
)
from bot.features.broadcast import (
    BroadcastButton,
    ChooseAudience,
    DraftStep,
    StopBroadcast,
    rendered_of,
)

TZ = dt.timezone(dt.timedelta(hours=1))
NOW = dt.datetime(2022, 7, 25, 10, 30, tzinfo=TZ)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("all", Audience(AudienceKind.EVERYONE)),
        ("s:plen-1", Audience(AudienceKind.SESSION, "plen-1")),
        ("l:pt-BR", Audience(AudienceKind.LANGUAGE, "pt")),
        ("g:cso", Audience(AudienceKind.GROUP, "cso")),
        ("f", Audience(AudienceKind.FOLLOW_UP)),
        ("st", Audience(AudienceKind.STAFF)),
    ],
)
def test_audience_parse_known_codes(code: str, expected: Audience) -> None:
    assert Audience.parse(code) == expected


@pytest.mark.parametrize("code", ["", "x", "s", "s:", "all:1", "l", "st:9"])
def test_audience_parse_malformed_is_none(code: str) -> None:
    assert Audience.parse(code) is None


def test_audience_code_round_trips() -> None:
    for audience in (Audience(AudienceKind.EVERYONE), Audience(AudienceKind.SESSION, "plen-1")):
        assert Audience.parse(audience.code) == audience


def test_audience_describe_session_uses_title(bundled: Content) -> None:
    session = bundled.sessions[0]
    label = Audience(AudienceKind.SESSION, session.id).describe(bundled)
    assert label == f"people who chose “{session.title}”"


def test_audience_describe_group_uses_label(bundled: Content) -> None:
    assert (
        Audience(AudienceKind.GROUP, "cso").describe(bundled) == "stakeholder group “Civil society”"
    )


def test_primary_language_drops_region() -> None:
    assert [primary_language(c) for c in ("pt-BR", "en_GB", "FR", None, "")] == [
        "pt",
        "en",
        "fr",
        "",
        "",
    ]


def test_language_counts_merges_regions_biggest_first() -> None:
    rows = [("fr", 2), ("en", 1), ("fr-CA", 2), (None, 5), ("ar", 1)]
    assert language_counts(rows) == {"fr": 4, "ar": 1, "en": 1}


def test_select_recipients_dedupes_and_sorts() -> None:
    assert select_recipients(Audience(AudienceKind.EVERYONE), [3, 1, 3, 2], {9}) == [1, 2, 3]


def test_select_recipients_staff_ignores_candidates() -> None:
    assert select_recipients(Audience(AudienceKind.STAFF), [1, 2], {9, 8}) == [8, 9]


def test_group_members_matches_respondent_keys() -> None:
    respondents = {1: "key-1", 2: "key-2", 3: "key-3"}
    groups = {"key-1": "cso", "key-2": "gov", "key-9": "cso"}
    assert group_members(respondents, groups, "cso") == [1]
    assert group_members(respondents, groups, "none") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18:00", dt.datetime(2022, 7, 25, 18, 0, tzinfo=TZ)),
        ("9.15", dt.datetime(2022, 7, 26, 9, 15, tzinfo=TZ)),  # passed today: tomorrow
        ("2022-07-26 09:00", dt.datetime(2022, 7, 26, 9, 0, tzinfo=TZ)),
        ("in 30 min", NOW + dt.timedelta(minutes=30)),
        ("+2h", NOW + dt.timedelta(hours=2)),
        ("45m", NOW + dt.timedelta(minutes=45)),
    ],
)
def test_parse_send_time_accepted_forms(text: str, expected: dt.datetime) -> None:
    assert parse_send_time(text, NOW, TZ) == expected


@pytest.mark.parametrize("text", ["tomorrow", "25:00", "2022-07-24 09:00", "in 0 min", ""])
def test_parse_send_time_rejects_past_or_unreadable(text: str) -> None:
    assert parse_send_time(text, NOW, TZ) is None


def test_progress_of_counts_open_and_done() -> None:
    progress = Progress.of({"sent": 6, "blocked": 1, "pending": 2, "sending": 1})
    assert (progress.done, progress.open, progress.total, progress.finished) == (7, 3, 10, False)
    assert progress.fraction == pytest.approx(0.7)


def test_progress_cancelled_rows_do_not_hold_it_open() -> None:
    progress = Progress.of({"sent": 2, "cancelled": 8})
    assert progress.finished
    assert progress.fraction == 1.0


def test_eta_uses_nominal_rate_until_enough_is_seen() -> None:
    assert eta_seconds(Progress.of({"sent": 5, "pending": 290}), 1.0, 29.0) == pytest.approx(10.0)


def test_eta_uses_observed_rate_when_slower() -> None:
    progress = Progress.of({"sent": 100, "pending": 100})
    assert eta_seconds(progress, 10.0, 29.0) == pytest.approx(10.0)


def test_eta_zero_when_finished() -> None:
    assert eta_seconds(Progress.of({"sent": 3}), 1.0, 29.0) == 0.0


def test_progress_bar_fills_proportionally() -> None:
    assert progress_bar(0.0, 4) == "░░░░"
    assert progress_bar(0.5, 4) == "▓▓░░"
    assert progress_bar(1.0, 4) == "▓▓▓▓"


def test_format_duration_units() -> None:
    assert [format_duration(s) for s in (0, 44.2, 125, 1800, 4000)] == [
        "0 s",
        "45 s",
        "2 min 05 s",
        "30 min",
        "1 h 06 min",
    ]


def test_paid_cost_is_a_tenth_of_a_star_each() -> None:
    assert paid_cost_stars(10_000) == 1000.0


@pytest.mark.parametrize(
    ("data", "pressed"),
    [
        ("bc:a:s:plen-1", ChooseAudience(Audience(AudienceKind.SESSION, "plen-1"))),
        ("bc:go", DraftStep("go")),
        ("bc:cy:12", StopBroadcast(12, confirmed=True)),
    ],
)
def test_parse_callback_known(data: str, pressed: BroadcastButton) -> None:
    assert BroadcastButton.parse(data) == pressed


@pytest.mark.parametrize("data", [None, "", "bc", "bc:zz", "bc:go:1", "bc:c:x", "fb:a:all"])
def test_parse_callback_forged_is_none(data: str | None) -> None:
    assert BroadcastButton.parse(data) is None


@pytest.mark.parametrize(
    ("kind", "photo", "document"),
    [("text", None, None), ("photo", "F1", None), ("document", None, "F1")],
)
def test_rendered_of_resends_upload_by_file_id(
    kind: str, photo: str | None, document: str | None
) -> None:
    rendered = rendered_of(kind, "<b>Buses</b> at 18:00", "F1" if kind != "text" else None, False)
    assert (rendered.text, rendered.photo, rendered.document) == (
        "<b>Buses</b> at 18:00",
        photo,
        document,
    )
    assert not rendered.allow_paid_broadcast
