"""``python -m bot faq-export``: the FAQ entries staff added from the inbox, as faq.yaml."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
import yaml

from bot.__main__ import main as bot_main
from bot.content.models import FaqFile
from bot.domain.outbox import Delivery, OutboxKind
from bot.store import Store
from tests.store.conftest import NOW


async def seed(path: Path) -> None:
    store = await Store.open(path)
    try:
        question = await store.queue_question(1, "Amina", "fr", "Is there a prayer room?", (), NOW)
        await store.claim_question(question, 10, "Sam", NOW + dt.timedelta(minutes=15), NOW)
        delivery = Delivery(f"inbox-reply:{question}", OutboxKind.INBOX_REPLY, 1, {}, NOW)
        await store.answer_question(question, 10, "Sam", "Yes, on floor 1.", delivery, NOW)
        await store.add_faq_from(question, 10, "Sam", NOW)
    finally:
        await store.close()


def test_faq_export_prints_added_entries_as_valid_faq_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "confbot.sqlite3"
    asyncio.run(seed(db))

    assert bot_main(["faq-export", "--db", str(db)]) == 0

    printed = FaqFile.model_validate(yaml.safe_load(capsys.readouterr().out))
    assert [(e.questions, e.answer) for e in printed.faq] == [
        (["Is there a prayer room?"], "Yes, on floor 1.")
    ]


def test_faq_export_of_empty_database_is_empty_faq(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bot_main(["faq-export", "--db", str(tmp_path / "empty.sqlite3")]) == 0

    assert FaqFile.model_validate(yaml.safe_load(capsys.readouterr().out)).faq == []
