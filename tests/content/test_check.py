"""``python -m bot check``: one line per problem, a summary, and an exit status for CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.check import main
from tests.content.conftest import BUNDLED, Edit


def test_check_bundled_content_exits_zero_and_lists_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main([str(BUNDLED)])

    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    assert len(lines) == 33
    assert lines[0] == (
        f"{BUNDLED}/venue.yaml:6: address: warning: placeholder: TODO: street address of the "
        "building (not published on the conference pages)"
    )
    assert (
        lines[-1] == f"{BUNDLED}/: 0 errors, 32 warnings "
        "(7 sessions, 5 rooms, 0 tracks, 8 speakers, 15 FAQ entries)"
    )


def test_check_with_errors_exits_one_and_prints_them(
    folder: Path, edit: Edit, capsys: pytest.CaptureFixture[str]
) -> None:
    edit("sessions.yaml", 'start: "10:00"\n    end: "11:30"', 'start: "10:00"\n    end: "09:00"')

    status = main([str(folder)])

    lines = capsys.readouterr().out.splitlines()
    assert status == 1
    assert (
        f"{folder}/sessions.yaml:82: sessions[4].end: error: end 09:00 is before start 10:00"
        in (lines)
    )
    assert lines[-1] == f"{folder}/: 1 error, 32 warnings (not loaded)"


def test_check_default_folder_comes_from_environment(
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (folder / "faq.yaml").unlink()
    monkeypatch.setenv("CONFBOT_CONTENT", str(folder))

    status = main([])

    lines = capsys.readouterr().out.splitlines()
    assert status == 1
    assert f"{folder}/faq.yaml: error: missing file: every content folder needs faq.yaml" in lines


def test_check_default_folder_is_content(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CONFBOT_CONTENT", raising=False)
    monkeypatch.chdir(BUNDLED.parent)

    status = main([])

    assert status == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("content/: 0 errors, 32 warnings")
