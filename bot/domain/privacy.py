"""Attendees' rights over their data, in plain Python: when the retention period ends, and the
file a person's data is handed over in."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from bot.content.models import EventInfo

EXPORT_FORMAT = 1


def retention_ends(event: EventInfo) -> dt.datetime:
    """When personal data is deleted: the start of the day ``retention_days`` after the event's
    last day, in the event's time zone."""
    day = event.end_date + dt.timedelta(days=event.retention_days)
    return dt.datetime.combine(day, dt.time(0), tzinfo=event.tz)


def retention_over(event: EventInfo, now: dt.datetime) -> bool:
    return now >= retention_ends(event)


def export_json(
    user_id: int,
    respondent: str,
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    now: dt.datetime,
) -> bytes:
    """Everything stored about a person, as a JSON file: every row of every table, by table,
    with its columns as stored."""
    document = {
        "format": EXPORT_FORMAT,
        "generated_at": now.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "user_id": user_id,
        "feedback_pseudonym": respondent,
        "tables": {name: [dict(row) for row in rows] for name, rows in tables.items()},
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode()
