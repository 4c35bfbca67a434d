"""The team's pure parts (bot/domain/team.py): roles, invite codes, names, audit details."""

from __future__ import annotations

import pytest

from bot.domain.team import (
    Member,
    Role,
    clamp_page,
    configured_role,
    details_json,
    display_name,
    hash_invite_code,
    highest,
    invite_code_of,
    invite_link,
    new_invite_code,
    page_count,
    team_order,
)


def test_roles_include_the_ones_below() -> None:
    assert Role.OWNER.includes(Role.ORGANISER) and Role.ORGANISER.includes(Role.STAFF)
    assert not Role.STAFF.includes(Role.ORGANISER)
    assert highest(None, Role.STAFF, Role.ORGANISER) == Role.ORGANISER
    assert highest(None, None) is None


def test_configured_role_owner_before_staff() -> None:
    assert configured_role(1, frozenset({1}), frozenset({1})) == Role.OWNER
    assert configured_role(2, frozenset({1}), frozenset({2})) == Role.STAFF
    assert configured_role(3, frozenset({1}), frozenset({2})) is None


def test_invite_codes_are_fresh_and_fit_a_deep_link() -> None:
    codes = {new_invite_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        link = invite_link("confbot", code)
        start = link.split("?start=", 1)[1]
        assert len(start) <= 64 and invite_code_of(start) == code
    assert hash_invite_code("a") != hash_invite_code("b")
    assert len(hash_invite_code("a")) == 64


@pytest.mark.parametrize(
    "start", ["s_plen-1", "inv_", "inv_short", "inv_" + "a" * 50, "inv_ab/cd" * 3]
)
def test_other_start_parameters_are_not_invites(start: str) -> None:
    assert invite_code_of(start) is None


def test_display_name_prefers_the_name_then_the_username() -> None:
    assert display_name("Nadia", "Benali", "nadia") == "Nadia Benali"
    assert display_name(" ", None, "nadia") == "@nadia"
    assert display_name(None, None, None) == ""


def test_team_order_is_by_role_then_name() -> None:
    members = [
        Member(3, Role.STAFF, "zoe", configured=False),
        Member(4, Role.STAFF, "", configured=False),
        Member(1, Role.OWNER, "Olivia", configured=True),
        Member(2, Role.STAFF, "Amir", configured=True),
        Member(5, Role.ORGANISER, "Omar", configured=False),
    ]
    assert [m.user_id for m in team_order(members)] == [1, 5, 2, 3, 4]
    assert not members[2].revocable and members[0].revocable


def test_details_are_short_sorted_json() -> None:
    assert details_json(None) == "{}"
    assert details_json({"role": "staff", "broadcast": 3}) == '{"broadcast":3,"role":"staff"}'
    with pytest.raises(ValueError):
        details_json({"who": [1]})


def test_pages_are_clamped() -> None:
    assert page_count(0, 8) == 1 and page_count(17, 8) == 3
    assert clamp_page(9, 17, 8) == 2 and clamp_page(-1, 17, 8) == 0
