"""Places away from the main venue, online sessions, tracks, language codes and rooms.yaml."""

from __future__ import annotations

from pathlib import Path

from bot.content import load_content
from tests.content.conftest import Edit

ONLINE = """
  - id: web-talk
    title: A talk on the web
    kind: other
    day: 2022-07-25
    start: "20:00"
    end: "21:00"
    mode: online
    online_url: https://meet.example.org/web-talk
    language: pt, en
    track: policy
"""
TRACKS = "tracks:\n  - {id: policy, name: Policy, colour: '#336699'}\nsessions:\n"


def append(folder: Path, name: str, text: str) -> None:
    with (folder / name).open("a", encoding="utf-8") as stream:
        stream.write(text)


def errors_of(folder: Path) -> list[str]:
    return [f"{p.field}: {p.message}" for p in load_content(folder).errors]


def test_online_session_needs_no_room_and_keeps_link_track_languages(
    folder: Path, edit: Edit
) -> None:
    edit("sessions.yaml", "sessions:\n", TRACKS)
    append(folder, "sessions.yaml", ONLINE)

    content = load_content(folder).content

    assert content is not None
    session = content.sessions_by_id["web-talk"]
    assert session.room is None
    assert session.language == ("pt", "en")
    assert content.track_of(session) is not None
    assert content.track_of(session).name == "Policy"  # type: ignore[union-attr]
    assert content.room_of(session) is None
    assert content.room_name(session) == "Online"
    assert content.place_of(session) is None


def test_in_person_session_without_room_is_an_error(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", "sessions:\n", TRACKS)
    append(folder, "sessions.yaml", ONLINE.replace("mode: online", "mode: in-person"))

    assert any("needs a room unless its mode is online" in e for e in errors_of(folder))


def test_online_url_must_be_a_web_address(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", "sessions:\n", TRACKS)
    append(folder, "sessions.yaml", ONLINE.replace("https://meet", "javascript:alert(1)//meet"))

    assert any(
        e.startswith("sessions[7].online_url:") and "is not a web address" in e
        for e in errors_of(folder)
    )


def test_unknown_track_is_an_error_with_a_suggestion(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", "sessions:\n", TRACKS)
    append(folder, "sessions.yaml", ONLINE.replace("track: policy", "track: polcy"))

    assert errors_of(folder) == [
        "sessions[7].track: unknown track 'polcy' (did you mean 'policy'?)"
        " (tracks in sessions.yaml: policy)"
    ]


def test_language_must_be_a_code(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", "sessions:\n", TRACKS)
    append(folder, "sessions.yaml", ONLINE.replace("language: pt, en", "language: Portuguese"))

    assert [e.split(":")[0] for e in errors_of(folder)] == ["sessions[7].language[0]"]


def test_rooms_yaml_adds_rooms_and_shares_ids_with_venue(folder: Path, edit: Edit) -> None:
    (folder / "rooms.yaml").write_text(
        "rooms:\n"
        "  - id: dinner-hall\n"
        "    name: Dinner hall\n"
        "    place:\n"
        "      name: Dar Naji\n"
        "      address: 1 Rue X, Rabat\n"
        "      coordinates: {latitude: 34.02, longitude: -6.83}\n"
        "      directions: Ten minutes by taxi from the venue.\n",
        encoding="utf-8",
    )
    append(
        folder,
        "sessions.yaml",
        ONLINE.replace("mode: online", "room: dinner-hall")
        .replace("    online_url: https://meet.example.org/web-talk\n", "")
        .replace("    track: policy\n", ""),
    )

    content = load_content(folder).content

    assert content is not None
    session = content.sessions_by_id["web-talk"]
    place = content.place_of(session)
    assert place is not None and place.name == "Dar Naji"
    assert place.coordinates is not None and place.coordinates.latitude == 34.02
    assert content.off_site(session)
    main = content.sessions_by_id["plen-1"]
    assert not content.off_site(main)
    assert content.place_of(main) == content.main_place()


def test_room_in_both_venue_and_rooms_yaml_is_a_duplicate(folder: Path) -> None:
    (folder / "rooms.yaml").write_text(
        "rooms:\n  - id: main-auditorium\n    name: Again\n", encoding="utf-8"
    )

    problems = load_content(folder).errors

    assert len(problems) == 1
    assert Path(problems[0].file).name == "rooms.yaml"
    assert problems[0].line == 2
    assert (
        problems[0].message == "duplicate id 'main-auditorium' (first used on venue.yaml line 18)"
    )


def test_place_must_say_where(folder: Path) -> None:
    (folder / "rooms.yaml").write_text(
        "rooms:\n  - id: somewhere\n    name: Somewhere\n    place: {directions: left}\n",
        encoding="utf-8",
    )

    assert any("at least a name, an address or coordinates" in e for e in errors_of(folder))
