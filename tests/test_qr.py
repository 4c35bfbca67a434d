"""python -m bot qr: door codes that read back as the bot's deep links, on A4 pages."""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
import shutil
from pathlib import Path

import PIL.Image
import pytest
import zxingcpp

from bot.__main__ import main
from bot.content import Content, load_content_or_raise
from botapi_emulator import BotApiEmulator
from botapi_emulator.emulator import BOT_USERNAME

BUNDLED = Path(__file__).resolve().parent.parent / "content"
BOT = "confbot_test_bot"


@pytest.fixture(autouse=True)
def no_bot_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CONFBOT_BOT_USERNAME", "TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CONFBOT_CONTENT", str(BUNDLED))


@pytest.fixture(scope="module")
def bundled() -> Content:
    content, _ = load_content_or_raise(BUNDLED)
    return content


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The codes of the bundled content, printed once for the module: (folder, output)."""
    out = tmp_path_factory.mktemp("doors")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("CONFBOT_BOT_USERNAME", raising=False)
        patch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
        code, output = _run(["qr", "--out", str(out), "--bot", BOT, "--content", str(BUNDLED)])
    assert code == 0
    return out, output


def _run(argv: list[str]) -> tuple[int, str]:
    """main(argv): its exit code and what it printed."""
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main(argv)
    return code, stdout.getvalue()


def expected_links(content: Content, bot: str = BOT) -> dict[str, str]:
    """PNG name -> the link its code must hold, worked out here, not by the code under test."""
    links = {
        f"session-{s.id}.png": f"https://t.me/{bot}?start=s_{s.id}"
        for s in content.sessions
        if not s.cancelled
    }
    links |= {f"room-{r}.png": f"https://t.me/{bot}?start=r_{r}" for r in content.rooms}
    links["poster.png"] = f"https://t.me/{bot}"
    return links


def decoded(folder: Path) -> dict[str, str]:
    """PNG name -> the text of the one QR code zxing finds on it."""
    found = {}
    for png in sorted((folder / "png").glob("*.png")):
        with PIL.Image.open(png) as image:
            codes = zxingcpp.read_barcodes(image)
        assert [c.format for c in codes] == [zxingcpp.BarcodeFormat.QRCode], png.name
        assert codes[0].ec_level in ("M", "Q"), png.name
        found[png.name] = codes[0].text
    return found


def pdf_pages(pdf: Path) -> list[bytes]:
    return re.findall(rb"/Type /Page\b", pdf.read_bytes())


def test_qr_every_png_reads_back_as_its_deep_link(
    printed: tuple[Path, str], bundled: Content
) -> None:
    out, _ = printed
    assert decoded(out) == expected_links(bundled)


def test_qr_pdf_has_one_a4_portrait_page_per_png(printed: tuple[Path, str]) -> None:
    out, _ = printed
    pdf = out / "doors.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = pdf_pages(pdf)
    assert len(pages) == len(list((out / "png").glob("*.png")))
    boxes = re.findall(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert len(boxes) == len(pages)
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}


def test_qr_lists_what_it_wrote(printed: tuple[Path, str], bundled: Content) -> None:
    out, output = printed
    lines = output.splitlines()
    assert lines[0] == f"Door codes for @{BOT}, {len(expected_links(bundled))} pages:"
    assert lines[1] == f"  {out / 'doors.pdf'} (A4)"
    assert f"  {out / 'png' / 'poster.png'}  poster: https://t.me/{BOT}" in lines
    assert (
        f"  {out / 'png' / 'session-gov-1.png'}  session gov-1: https://t.me/{BOT}?start=s_gov-1"
        in lines
    )


def test_qr_cancelled_session_gets_no_page_and_its_old_png_goes(
    printed: tuple[Path, str], bundled: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content_dir = tmp_path / "content"
    shutil.copytree(BUNDLED, content_dir)
    sessions = content_dir / "sessions.yaml"
    text = sessions.read_text(encoding="utf-8")
    assert "  - id: gov-1\n" in text
    sessions.write_text(
        text.replace("  - id: gov-1\n", "  - id: gov-1\n    status: cancelled\n", 1),
        encoding="utf-8",
    )
    out = tmp_path / "doors"
    shutil.copytree(printed[0], out)  # an earlier run, when gov-1 was still on

    code, output = _run(["qr", "--out", str(out), "--bot", BOT, "--content", str(content_dir)])

    assert code == 0
    expected = expected_links(bundled)
    del expected["session-gov-1.png"]
    assert decoded(out) == expected
    assert len(pdf_pages(out / "doors.pdf")) == len(expected)
    assert "Skipped session gov-1 (IASIA Board of Management meeting): cancelled." in output
    assert f"Removed {out / 'png' / 'session-gov-1.png'}" in output


def test_qr_takes_the_username_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONFBOT_BOT_USERNAME", "@ConfEnvBot")
    code, output = _run(["qr", "--out", str(tmp_path)])
    assert code == 0
    assert output.startswith("Door codes for @ConfEnvBot, ")
    with PIL.Image.open(tmp_path / "png" / "poster.png") as image:
        assert zxingcpp.read_barcodes(image)[0].text == "https://t.me/ConfEnvBot"


async def test_qr_asks_telegram_for_the_username_with_the_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with BotApiEmulator() as emulator:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:secret-token")
        monkeypatch.setenv("TELEGRAM_API_URL", emulator.api_url)
        code, output = await asyncio.to_thread(_run, ["qr", "--out", str(tmp_path)])
    assert code == 0
    assert output.startswith(f"Door codes for @{BOT_USERNAME}, ")


def test_qr_without_any_way_to_know_the_bot_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["qr", "--out", str(tmp_path / "doors")]) == 2
    assert "--bot" in capsys.readouterr().err
    assert not (tmp_path / "doors").exists()


def test_qr_refuses_a_username_telegram_would_not_accept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["qr", "--out", str(tmp_path), "--bot", "no spaces"]) == 2
    assert "is not a Telegram bot username" in capsys.readouterr().err
