"""A programme with what the bundled one lacks, written into a copy of its YAML: tracks, a room
away from the main venue (rooms.yaml), a session with a place of its own, an online session,
a hybrid one with its stream, and sessions in Portuguese and French beside the English ones.

Shared by the unit tests (tests/features, tests/domain) and the end-to-end ones, so that both
read the same event. Everything here is test data, not facts about the bundled event.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content import Content, load_content_or_raise
from tests.conftest import CONTENT_DIR

TRACKS = """\
tracks:
  - id: security
    name: Security
    colour: "#aa3300"
    description: Keeping public systems safe.
  - id: policy
    name: Policy
"""

ROOMS = """\
rooms:
  - id: terrace
    name: Terrace
    place:
      name: Restaurant Dar Naji
      address: Avenue Mohammed V, Rabat
      coordinates: {latitude: 34.0181, longitude: -6.8353}
      directions: Ten minutes' walk from the faculty, down Avenue Mohammed V.
"""

# Added to sessions that exist, right after their id.
CHANGES = {
    "wg-m": (
        "    track: security\n"
        "    language: [pt, en]\n"
        "    online_url: https://stream.example.org/wg-m\n"
    ),
    "gov-1": "    track: policy\n    language: pt\n",
}

NEW_SESSIONS = """\
  - id: gala-dinner
    title: Gala dinner
    kind: social
    day: 2022-07-25
    start: "20:00"
    end: "23:00"
    room: terrace
    language: fr
  - id: kasbah-walk
    title: Walk to the Kasbah
    kind: social
    day: 2022-07-24
    start: "18:30"
    end: "20:00"
    room: registration-desk
    place:
      name: Kasbah des Oudayas
      address: Rue Jamaa, Rabat
      coordinates: {latitude: 34.0336, longitude: -6.836}
      directions: We walk together from the Registration Desk (25 minutes).
  - id: open-data
    title: Open data for cities
    kind: workshop
    day: 2022-07-26
    start: "16:00"
    end: "17:00"
    mode: online
    online_url: https://meet.example.org/open-data
    track: security
    language: en
"""

TERRACE = (34.0181, -6.8353)
KASBAH = (34.0336, -6.836)
WG_M_STREAM = "https://stream.example.org/wg-m"
OPEN_DATA_LINK = "https://meet.example.org/open-data"


def add_places_and_online(directory: Path) -> Path:
    """Edit the content in ``directory`` (a copy of the bundled one) as the module says."""
    (directory / "rooms.yaml").write_text(ROOMS, encoding="utf-8")
    sessions = directory / "sessions.yaml"
    text = sessions.read_text(encoding="utf-8")
    for session_id, lines in CHANGES.items():
        head = f"  - id: {session_id}\n"
        at = text.index(head) + len(head)
        text = text[:at] + lines + text[at:]
    text = text.replace("\nsessions:\n", f"\n{TRACKS}sessions:\n", 1)
    text = text.rstrip("\n") + "\n" + NEW_SESSIONS
    sessions.write_text(text, encoding="utf-8")
    return directory


def places_content(tmp: Path) -> Content:
    """The bundled content with the additions above, loaded as the bot loads it."""
    directory = tmp / "content"
    shutil.copytree(CONTENT_DIR, directory)
    content, _ = load_content_or_raise(add_places_and_online(directory))
    return content


@pytest.fixture(scope="session")
def places(tmp_path_factory: pytest.TempPathFactory) -> Content:
    """The content of :func:`places_content`, loaded once (conftests import this fixture)."""
    return places_content(tmp_path_factory.mktemp("places"))
