"""``python -m bot import``: files written, re-import, refusals leave DIR as it was."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.__main__ import main as bot_main
from bot.content.import_cli import main
from bot.content.importer import session_id_of
from bot.content.loader import load_content
from tests.content.test_importer import JSON_CAMP, XML_31C3, XML_38C3, json_counts, xml_counts

CARD10 = session_id_of("c9edea6f-1da1-4772-a0a9-6dd4e33f11bb")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module", params=[XML_31C3, XML_38C3, JSON_CAMP], ids=lambda p: p.name)
def imported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("import") / "content"
    assert main([str(request.param), "--out", str(out)]) == 0
    return out


@pytest.fixture
def camp(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "content"
    assert main([str(JSON_CAMP), "--out", str(out)]) == 0
    capsys.readouterr()
    return out


def test_import_loads_with_no_errors_and_the_export_counts(imported: Path) -> None:
    source = {"31c3": XML_31C3, "38c3": XML_38C3, "Camp2019": JSON_CAMP}[
        yaml.safe_load((imported / "event.yaml").read_text(encoding="utf-8"))["short_name"]
    ]
    expected = json_counts(source) if source.suffix == ".json" else xml_counts(source)

    result = load_content(imported)

    assert result.errors == ()
    assert result.content is not None
    content = result.content
    assert (len(content.sessions), len(content.rooms), len(content.speakers)) == expected
    assert sorted(p.name for p in imported.iterdir()) == [
        "event.yaml",
        "faq.yaml",
        "rooms.yaml",
        "sessions.yaml",
        "speakers.yaml",
        "venue.yaml",
    ]
    # TODO placeholders are warnings, never errors.
    assert {p.file.rsplit("/", 1)[-1] for p in result.warnings} <= {"event.yaml", "venue.yaml"}


def test_import_prints_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = bot_main(["import", str(XML_31C3), "--out", str(tmp_path / "c")])

    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    assert lines[:4] == [
        'Read 31c3-frab.schedule.xml: frab XML, version "1.5 To shine in a bright light"',
        "Event: 31. Chaos Communication Congress (31c3), 2014-12-27 to 2014-12-31",
        "Time zone: Etc/GMT-1, GUESSED from the UTC offsets of the events (+01:00): the export"
        " names no zone; pass --timezone ZONE (e.g. Europe/Berlin) to set the real one",
        "Imported: 138 sessions, 4 rooms, 8 tracks, 198 speakers, 4 days in the export"
        " (sessions on 4 calendar dates)",
    ]
    assert "  event/links: 138 (63 with content)" in lines
    assert "Left out: none" in lines


def test_written_yaml_is_readable(camp: Path) -> None:
    text = (camp / "sessions.yaml").read_text(encoding="utf-8")

    assert text.startswith(
        "# Written by `python -m bot import` from camp2019-frab.schedule.json\n"
        '# (schedule JSON, version "Gacrux").\n'
    )
    assert f"- id: {CARD10}\n  title: card10 Badge\n  kind: other\n  day: 2019-08-21\n" in text
    assert "  start: '12:00'\n  end: '12:45'\n  room: curie\n" in text
    assert "  description: |-\n" in text


def test_reimport_keeps_hand_written_keys_and_files(
    camp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = (camp / "sessions.yaml").read_text(encoding="utf-8")
    sessions = sessions.replace(
        f"- id: {CARD10}\n", f"- id: {CARD10}\n  feedback: false\n  tags: [badge]\n"
    )
    (camp / "sessions.yaml").write_text(sessions, encoding="utf-8")
    speakers = (camp / "speakers.yaml").read_text(encoding="utf-8")
    (camp / "speakers.yaml").write_text(
        speakers.replace("- id: p-5339\n", "- id: p-5339\n  honorific: Dr\n"), encoding="utf-8"
    )
    rooms = (camp / "rooms.yaml").read_text(encoding="utf-8")
    (camp / "rooms.yaml").write_text(
        rooms.replace("- id: curie\n", "- id: curie\n  floor: tent\n"), encoding="utf-8"
    )
    (camp / "venue.yaml").write_text(
        "# ours\nname: Ziegeleipark\naddress: Ziegelei 10, Mildenberg\nrooms: []\n",
        encoding="utf-8",
    )
    (camp / "faq.yaml").write_text("faq: []  # soon\n", encoding="utf-8")
    event = (camp / "event.yaml").read_text(encoding="utf-8")
    (camp / "event.yaml").write_text(
        event.replace("end_date: 2019-08-26", "end_date: 2019-08-25  # the last full day"),
        encoding="utf-8",
    )
    before = snapshot(camp)
    # A new revision of the export: the talk has a new title and time.
    document: dict[str, Any] = json.loads(JSON_CAMP.read_bytes())
    talk = document["schedule"]["conference"]["days"][0]["rooms"]["Curie"][1]
    talk.update(title="card10 Badge: the sequel", date="2019-08-21T16:00:00+02:00", start="16:00")
    revised = tmp_path / "revised.json"
    revised.write_text(json.dumps(document), encoding="utf-8")

    status = main([str(revised), "--out", str(camp)])

    out = capsys.readouterr().out
    assert status == 0
    after = snapshot(camp)
    assert after["venue.yaml"] == before["venue.yaml"]
    assert after["faq.yaml"] == before["faq.yaml"]
    assert after["event.yaml"].decode() == event.replace(
        "end_date: 2019-08-26", "end_date: 2019-08-26  # the last full day"
    )
    assert "event.yaml: end_date 2019-08-25 -> 2019-08-26 (from the export)" in out
    content = load_content(camp).content
    assert content is not None
    session = content.sessions_by_id[CARD10]
    assert (session.title, str(session.start)) == ("card10 Badge: the sequel", "16:00:00")
    assert (session.feedback, session.tags) == (False, ["badge"])
    assert content.speakers_by_id["p-5339"].honorific == "Dr"
    assert content.rooms["curie"].floor == "tent"
    assert len(content.sessions) == 79


def test_reimport_drops_sessions_gone_from_the_export(
    camp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document: dict[str, Any] = json.loads(JSON_CAMP.read_bytes())
    del document["schedule"]["conference"]["days"][0]["rooms"]["Curie"][1]
    revised = tmp_path / "revised.json"
    revised.write_text(json.dumps(document), encoding="utf-8")

    assert main([str(revised), "--out", str(camp)]) == 0

    out = capsys.readouterr().out
    assert f"Re-import: 1 session(s) no longer in the export were removed: {CARD10}" in out
    content = load_content(camp).content
    assert content is not None and CARD10 not in content.sessions_by_id


# -- refusals: exit 2, DIR untouched ----------------------------------------------------------


def refused(
    source: Path, out: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[str, dict[str, bytes]]:
    before = snapshot(out)
    status = main([str(source), "--out", str(out), *extra])
    assert status == 2
    assert snapshot(out) == before
    return capsys.readouterr().err, before


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_malformed_xml_leaves_dir_untouched(
    camp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path, "schedule.xml", XML_31C3.read_bytes()[:5000])

    err, _ = refused(source, camp, capsys)

    assert err.startswith(f"{source}: schedule: not well-formed XML (line ")
    assert err.endswith(f"Nothing was written to {camp}.\n")


def test_missing_title_leaves_dir_untouched(
    camp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = XML_31C3.read_text(encoding="utf-8").replace("<title>31C3 Keynote</title>\n", "")
    source = write(tmp_path, "schedule.xml", text.encode())

    err, _ = refused(source, camp, capsys)

    assert (
        "schedule/day[index=1]/room[name=Saal 1]/event[guid=8c4e647f-813e-41ef-b05b-65469dd841c3]"
        "/title: missing element"
    ) in err


def test_bad_duration_leaves_dir_untouched(
    camp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = XML_31C3.read_text(encoding="utf-8").replace(
        "<duration>01:00</duration>", "<duration>1h</duration>", 1
    )
    source = write(tmp_path, "schedule.xml", text.encode())

    err, _ = refused(source, camp, capsys)

    assert "/duration: '1h' is not hh:mm" in err


def test_broken_json_leaves_dir_untouched(
    camp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path, "schedule.json", JSON_CAMP.read_bytes().replace(b'"days"', b"days"))

    err, _ = refused(source, camp, capsys)

    assert f"{source}: $: not valid JSON: " in err


def test_wrong_json_type_leaves_dir_untouched(
    camp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document: dict[str, Any] = json.loads(JSON_CAMP.read_bytes())
    document["schedule"]["conference"]["days"][1]["rooms"]["Curie"][3]["persons"] = "smtw"
    source = write(tmp_path, "schedule.json", json.dumps(document).encode())

    err, _ = refused(source, camp, capsys)

    assert '$.schedule.conference.days[1].rooms["Curie"][3].persons: expected a list' in err


def test_result_that_does_not_load_leaves_dir_untouched(
    camp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A hand-written room in venue.yaml with the id the import gives a room of the export.
    (camp / "venue.yaml").write_text(
        "name: Park\naddress: Ziegelei 10\nrooms:\n- id: curie\n  name: Curie tent\n",
        encoding="utf-8",
    )

    err, _ = refused(JSON_CAMP, camp, capsys)

    assert "The imported content does not load:" in err
    assert f"{camp}/rooms.yaml:" in err and "duplicate id 'curie'" in err


def test_unknown_timezone_is_refused(camp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err, _ = refused(XML_31C3, camp, capsys, "--timezone", "Mars/Olympus")

    assert "--timezone: unknown IANA time zone 'Mars/Olympus'" in err


def test_new_folder_is_not_created_on_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path, "schedule.json", b"{")

    assert main([str(source), "--out", str(tmp_path / "new")]) == 2

    assert not (tmp_path / "new").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["schedule.json"]  # no staging left behind


def test_guessed_zone_yields_to_event_yaml_on_reimport(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "c"
    assert main([str(XML_31C3), "--out", str(out)]) == 0
    event = out / "event.yaml"
    event.write_text(
        event.read_text(encoding="utf-8").replace("timezone: Etc/GMT-1", "timezone: Europe/Berlin"),
        encoding="utf-8",
    )
    before = event.read_bytes()
    capsys.readouterr()

    assert main([str(XML_31C3), "--out", str(out)]) == 0

    assert "Time zone: Europe/Berlin, from the existing event.yaml" in capsys.readouterr().out
    assert event.read_bytes() == before
    shutil.rmtree(out)


def test_camp2019_example_is_the_import_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "camp2019"

    assert main([str(JSON_CAMP), "--out", str(tmp_path / "camp2019")]) == 0

    assert snapshot(tmp_path / "camp2019") == snapshot(example)
