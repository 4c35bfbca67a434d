"""Typed callback data, without Telegram: every button packs to the string it always had,
parses back to itself, and anything else parses to None without raising."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from bot.content import Content
from bot.domain.broadcast import Audience, AudienceKind
from bot.features.agenda import (
    AgendaButton,
    AgendaDay,
    AgendaDays,
    AgendaLanguage,
    AgendaLanguages,
    AgendaNowNext,
    AgendaOnline,
    AgendaPin,
    AgendaSession,
    AgendaTrack,
    AgendaTracks,
    AgendaUndated,
    render_days,
)
from bot.features.broadcast import (
    AudienceMenu,
    BroadcastButton,
    BroadcastList,
    BroadcastsButton,
    ChooseAudience,
    DraftButton,
    DraftStep,
    StopBroadcast,
)
from bot.features.callbacks import (
    HOME,
    MAX_CALLBACK_BYTES,
    CallbackData,
    MenuButton,
    MenuPage,
    content_id,
    number,
)
from bot.features.faq import FaqButton, FaqList, FaqQuestion
from bot.features.feedback import FeedbackButton
from bot.features.inbox import (
    AskOrganisers,
    AskOrganisersButton,
    InboxAnswered,
    InboxButton,
    InboxCancel,
    InboxOldest,
    InboxReply,
    InboxSkip,
    InboxSpam,
    InboxToFaq,
    NotWhatIAsked,
)
from bot.features.language import LanguageButton, LanguagePick, LanguageSet
from bot.features.menu import render_menu
from bot.features.my_agenda import (
    AddToAgenda,
    EveryoneReminders,
    MyAgendaButton,
    MyAgendaList,
    MyCalendarFile,
    ReminderLead,
    RemoveFromAgenda,
    SettingsButton,
    SettingsShow,
)
from bot.features.reports import (
    ReportButton,
    ReportExport,
    ReportList,
    ReportMeans,
    ReportSession,
)
from bot.features.speakers import SpeakerList, SpeakerPage, SpeakersButton
from bot.features.team import (
    AuditButton,
    AuditFile,
    AuditPage,
    InviteRole,
    RevokeRole,
    TeamButton,
    TeamList,
)
from bot.features.venue import VenueButton, VenueRoom, VenueRoomPin, VenueTopic

NAMESPACES: tuple[type[CallbackData], ...] = (
    MenuButton,
    AgendaButton,
    SpeakersButton,
    VenueButton,
    FaqButton,
    MyAgendaButton,
    SettingsButton,
    FeedbackButton,
    ReportButton,
    BroadcastButton,
    LanguageButton,
    TeamButton,
    AuditButton,
    AskOrganisersButton,
    InboxButton,
)

# Every kind of button, and the exact string it has always been sent as: messages already sent
# carry these, so they must keep working.
WIRE: list[tuple[CallbackData, str]] = [
    (HOME, "m:home"),
    (MenuPage("about"), "m:about"),
    (AgendaDays(), "ag:days"),
    (AgendaNowNext(), "ag:nn"),
    (AgendaDay(dt.date(2022, 7, 25)), "ag:d:20220725:0"),
    (AgendaDay(dt.date(2022, 7, 26), 3), "ag:d:20220726:3"),
    (AgendaSession("plen-1"), "ag:s:plen-1"),
    (AgendaUndated(), "ag:tba:0"),
    (AgendaUndated(2), "ag:tba:2"),
    (AgendaPin("dinner"), "ag:pin:dinner"),
    (AgendaTracks(), "ag:trs"),
    (AgendaTrack("security"), "ag:tr:security:0"),
    (AgendaTrack("security", 2), "ag:tr:security:2"),
    (AgendaLanguages(), "ag:lgs"),
    (AgendaLanguage("pt"), "ag:lg:pt:0"),
    (AgendaLanguage("pt-BR", 1), "ag:lg:pt-BR:1"),
    (AgendaOnline(), "ag:on:0"),
    (AgendaOnline(3), "ag:on:3"),
    (SpeakerList(), "sp:l:0"),
    (SpeakerList(2), "sp:l:2"),
    (SpeakerPage("rhachi"), "sp:p:rhachi"),
    (VenueTopic("overview"), "vn:t:overview"),
    (VenueTopic("help-desk"), "vn:t:help-desk"),
    (VenueRoom("hall-a"), "vn:r:hall-a"),
    (VenueRoomPin("terrace"), "vn:rp:terrace"),
    (FaqList(), "fq:l:0"),
    (FaqQuestion("wifi"), "fq:q:wifi"),
    (AskOrganisers(12), "iq:a:12"),
    (NotWhatIAsked(12), "iq:n:12"),
    (InboxReply(3), "ib:r:3"),
    (InboxSkip(3), "ib:k:3"),
    (InboxAnswered(3), "ib:d:3"),
    (InboxSpam(3), "ib:s:3"),
    (InboxCancel(3), "ib:c:3"),
    (InboxToFaq(3), "ib:f:3"),
    (InboxOldest(), "ib:o"),
    (AddToAgenda("plen-1"), "my:a:plen-1"),
    (RemoveFromAgenda("plen-1"), "my:r:plen-1"),
    (MyAgendaList(), "my:l"),
    (MyCalendarFile(), "my:ics"),
    (SettingsShow(), "st:show"),
    (ReminderLead(None), "st:l:off"),
    (ReminderLead(15), "st:l:15"),
    (EveryoneReminders(True), "st:e:1"),
    (EveryoneReminders(False), "st:e:0"),
    (FeedbackButton("rate", "plen-1", 4), "fb:plen-1:4"),
    (FeedbackButton("absent", "plen-1"), "fb:plen-1:n"),
    (FeedbackButton("comment", "plen-1"), "fb:plen-1:c"),
    (FeedbackButton("skip", "plen-1"), "fb:plen-1:s"),
    (FeedbackButton("uncomment", "plen-1"), "fb:plen-1:x"),
    (FeedbackButton("open", "plen-1"), "fb:plen-1:o"),
    (FeedbackButton("question", "plen-1", 1, 0), "fb:plen-1:q:1:0"),
    (FeedbackButton("question", "plen-1", 0, None), "fb:plen-1:q:0:-"),
    (FeedbackButton("list", number=2), "fb:_:l:2"),
    (FeedbackButton("group"), "fb:_:g"),
    (FeedbackButton("group", group="academia"), "fb:_:g:academia"),
    (FeedbackButton("follow_up", number=-1), "fb:_:f"),
    (FeedbackButton("follow_up", number=1), "fb:_:f:1"),
    (FeedbackButton("follow_up", number=0), "fb:_:f:0"),
    (ReportList(), "rp:l:0"),
    (ReportSession("plen-1"), "rp:s:plen-1"),
    (ReportMeans(), "rp:m"),
    (ReportExport(), "rp:x"),
    (ChooseAudience(Audience(AudienceKind.EVERYONE)), "bc:a:all"),
    (ChooseAudience(Audience(AudienceKind.SESSION, "plen-1")), "bc:a:s:plen-1"),
    (ChooseAudience(Audience(AudienceKind.LANGUAGE, "en")), "bc:a:l:en"),
    (ChooseAudience(Audience(AudienceKind.GROUP, "academia")), "bc:a:g:academia"),
    (ChooseAudience(Audience(AudienceKind.FOLLOW_UP)), "bc:a:f"),
    (ChooseAudience(Audience(AudienceKind.STAFF)), "bc:a:st"),
    (AudienceMenu(), "bc:m:top"),
    (AudienceMenu("l"), "bc:m:l"),
    (AudienceMenu("g"), "bc:m:g"),
    (AudienceMenu("s"), "bc:m:s:0"),
    (AudienceMenu("s", 4), "bc:m:s:4"),
    (DraftStep("go"), "bc:go"),
    (DraftStep("pay"), "bc:pay"),
    (DraftStep("at"), "bc:at"),
    (DraftStep("back"), "bc:back"),
    (DraftStep("x"), "bc:x"),
    (BroadcastList(), "bc:l"),
    (StopBroadcast(12), "bc:c:12"),
    (StopBroadcast(12, confirmed=True), "bc:cy:12"),
    (LanguagePick(), "lg:p"),
    (LanguageSet("en"), "lg:s:en"),
    (InviteRole("staff"), "tm:i:staff"),
    (InviteRole("organiser"), "tm:i:organiser"),
    (TeamList(), "tm:l"),
    (RevokeRole(1002), "tm:r:1002:0"),
    # Telegram user ids run past nine digits (up to 52 bits).
    (RevokeRole(7_123_456_789, confirmed=True), "tm:r:7123456789:1"),
    (AuditPage(), "au:p:0"),
    (AuditPage(3), "au:p:3"),
    (AuditFile(), "au:f"),
]


def namespace_of(data: CallbackData) -> type[CallbackData]:
    return next(ns for ns in NAMESPACES if isinstance(data, ns))


@pytest.mark.parametrize(("data", "wire"), WIRE, ids=[wire for _, wire in WIRE])
def test_button_packs_to_its_wire_string(data: CallbackData, wire: str) -> None:
    assert data.pack() == wire


@pytest.mark.parametrize(("data", "wire"), WIRE, ids=[wire for _, wire in WIRE])
def test_wire_string_parses_back_to_its_button(data: CallbackData, wire: str) -> None:
    assert namespace_of(data).parse(wire) == data
    assert type(data).parse(wire) == data


def test_every_namespace_has_its_own_prefix_and_pattern() -> None:
    prefixes = [ns.prefix for ns in NAMESPACES]
    assert prefixes == [
        "m",
        "ag",
        "sp",
        "vn",
        "fq",
        "my",
        "st",
        "fb",
        "rp",
        "bc",
        "lg",
        "tm",
        "au",
        "iq",
        "ib",
    ]
    assert [ns.pattern for ns in NAMESPACES] == [f"^{p}:" for p in prefixes]


def test_parse_on_a_kind_takes_only_that_kind() -> None:
    assert AgendaSession.parse("ag:days") is None
    assert AgendaDays.parse("ag:days") == AgendaDays()
    assert DraftButton.parse("bc:l") is None
    assert BroadcastsButton.parse("bc:go") is None
    assert BroadcastsButton.parse("bc:c:3") == StopBroadcast(3)


def test_draft_pattern_matches_draft_buttons_only() -> None:
    draft = [wire for data, wire in WIRE if isinstance(data, DraftButton)]
    others = [wire for data, wire in WIRE if not isinstance(data, DraftButton)]
    assert all(re.match(DraftButton.pattern, wire) for wire in draft)
    assert not any(re.match(DraftButton.pattern, wire) for wire in others)


@pytest.mark.parametrize(
    "text", ["²", "٣", "１", "-1", "+1", " 1", "1 ", "1\n", "", "1_000", "0x1", "1.0", "9" * 10]
)
def test_number_accepts_ascii_digits_only(text: str) -> None:
    assert number(text) is None


def test_number_reads_ascii_digits() -> None:
    assert [number(t) for t in ("0", "7", "012", "9" * 9)] == [0, 7, 12, 999_999_999]


@pytest.mark.parametrize("text", ["Plen-1", "-plen", "plen_1", "plén", "", "a" * 33, "a b"])
def test_content_id_refuses_what_the_schema_refuses(text: str) -> None:
    assert content_id(text) is None


FORGED = [
    # unicode and signed numbers where a number belongs
    "sp:l:²",
    "sp:l:٣",
    "sp:l:-1",
    "sp:l:+1",
    "sp:l: 1",
    "sp:l:1 ",
    "sp:l:" + "9" * 10,
    "fq:l:²",
    "rp:l:٣",
    "ag:d:20220725:²",
    "ag:d:２０２２0725:0",
    "ag:d:20221399:0",
    "ag:d:2022-07-25:0",
    "bc:c:²",
    "bc:cy:-1",
    "bc:m:s:٣",
    "fb:_:l:²",
    "fb:plen-1:²",
    "fb:plen-1:q:²:0",
    "fb:plen-1:q:0:٣",
    "fb:plen-1:q:0:+1",
    "st:l:１５",
    "st:l:7",
    "st:e:2",
    # missing and extra parts
    "m",
    "m:",
    "m:home:1",
    "ag",
    "ag:",
    "ag:days:1",
    "ag:d:20220725",
    "ag:d:20220725:0:0",
    "ag:s",
    "ag:s:",
    "ag:s:plen-1:x",
    "ag:pin",
    "ag:pin:Dinner",
    "ag:trs:0",
    "ag:tr",
    "ag:tr:security",
    "ag:tr:security:²",
    "ag:lgs:pt",
    "ag:lg:pt",
    "ag:lg:PT:0",
    "ag:lg:português:0",
    "ag:lg:p:0",
    "ag:lg:pt-B:0",
    "ag:on",
    "ag:on:-1",
    "ag:on:٣",
    "vn:rp",
    "vn:rp:Terrace",
    "sp:p",
    "sp:p:a:b",
    "vn:t",
    "vn:t:nowhere",
    "vn:r::",
    "fq:q",
    "my:a",
    "my:l:1",
    "my:ics:x",
    "st",
    "st:show:1",
    "fb",
    "fb:plen-1",
    "fb:plen-1:4:4",
    "fb:plen-1:q:1",
    "fb:_:g:admins",
    "fb:_:f:2",
    "fb:_:l",
    "fb:_:zz",
    "fb:Plen:4",
    "rp:m:1",
    "rp:s",
    "bc",
    "bc:go:1",
    "bc:a",
    "bc:a:zz",
    "bc:a:s",
    "bc:a:s:plen-1:x",
    "bc:m",
    "bc:m:zz",
    "bc:c",
    "bc:c:1:2",
    "lg:s:xx",
    "lg:s",
    "lg:s:en:1",
    # wrong prefix, no prefix, odd separators
    "zz:1",
    "AG:days",
    " ag:days",
    "ag:days ",
    "ag;days",
    "ag::days",
    ":ag:days",
    "",
    ":",
    "my",
]


@pytest.mark.parametrize("data", FORGED)
def test_forged_data_parses_to_none_in_every_namespace(data: str) -> None:
    assert [ns.parse(data) for ns in NAMESPACES] == [None] * len(NAMESPACES)


def test_parse_refuses_what_is_not_a_short_string() -> None:
    for ns in NAMESPACES:
        assert ns.parse(None) is None
        assert ns.parse(b"ag:days") is None
        assert ns.parse(f"{ns.prefix}:" + "a" * MAX_CALLBACK_BYTES) is None


def test_parse_never_raises_on_random_data() -> None:
    rng = random.Random(20220725)
    alphabet = "ag:dsfbq_-0123456789²٣１ \x00é🙂lnxcyo"
    prefixes = [f"{ns.prefix}:" for ns in NAMESPACES]
    for _ in range(3000):
        tail = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 20)))
        data = rng.choice(prefixes) + tail
        for ns in NAMESPACES:
            ns.parse(data)  # must not raise


def test_pack_refuses_data_over_64_bytes() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        AgendaSession("é" * 40).pack()
    with pytest.raises(ValueError, match="64 bytes"):
        ChooseAudience(Audience(AudienceKind.SESSION, "s" * 60)).pack()


def test_pack_refuses_a_separator_or_an_empty_part() -> None:
    with pytest.raises(ValueError):
        AgendaSession("a:b").pack()
    with pytest.raises(ValueError):
        VenueRoom("").pack()


def test_menu_buttons_are_the_ones_sent_before(bundled: Content) -> None:
    _, markup = render_menu(bundled)
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert data == [
        "ag:days",
        "ag:nn",
        "sp:l:0",
        "vn:t:overview",
        "my:l",
        "fq:l:0",
        "st:show",
        "m:about",
        "lg:p",
    ]


def test_days_buttons_are_the_ones_sent_before(bundled: Content) -> None:
    _, markup = render_days(bundled)
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    days = [f"ag:d:{d.strftime('%Y%m%d')}:0" for d in bundled.days()]
    # The bundled panel and workshop have no day yet: one "Date to be announced" entry; two
    # sessions are hybrid, so the online filter is offered (no tracks, one language: no others).
    assert data == [*days, "ag:tba:0", "ag:on:0", "ag:nn", "m:home"]


@pytest.mark.parametrize(
    "wire", ["tm:i:owner", "tm:r:12345678901234567:1", "tm:r:-5:1", "tm:r:٣:0", "au:p:x", "au:f:1"]
)
def test_team_and_audit_buttons_refuse_what_they_never_send(wire: str) -> None:
    assert TeamButton.parse(wire) is None
    assert AuditButton.parse(wire) is None
