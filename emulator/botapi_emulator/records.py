"""What the emulator records: messages the bot sent, callback answers, counters, the delivery log.

Every record converts to and from JSON so the HTTP control client returns the same types as
the in-process API.
"""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "CallbackAnswer",
    "DeliveryLogEntry",
    "EmulatorStats",
    "MediaFile",
    "MessageVersion",
    "SentMessage",
]


@dataclass
class MediaFile:
    """A file the bot uploaded (or re-sent by file_id)."""

    file_id: str
    file_unique_id: str
    kind: str  # "photo" or "document"
    filename: str | None
    mime_type: str | None
    size: int
    file_path: str
    data: bytes = field(default=b"", repr=False)

    def to_json(self) -> dict[str, Any]:
        body = asdict(self)
        body["data"] = base64.b64encode(self.data).decode("ascii")
        return body

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> MediaFile:
        return cls(**{**body, "data": base64.b64decode(body.get("data", ""))})


@dataclass
class MessageVersion:
    """An earlier state of an edited message."""

    text: str | None
    plain_text: str
    parse_mode: str | None
    entities: list[dict[str, Any]]
    reply_markup: dict[str, Any] | None
    time: float
    method: str


@dataclass
class SentMessage:
    """One message the bot sent, in its current state (edits applied, deletion marked)."""

    chat_id: int
    message_id: int
    method: str
    date: int
    time: float
    text: str | None = None  # as sent, markup included; None for media without text
    plain_text: str = ""  # visible text (or caption) after parsing the markup
    parse_mode: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    caption: str | None = None
    media: MediaFile | None = None
    location: dict[str, Any] | None = None
    venue: dict[str, Any] | None = None
    options: dict[str, Any] = field(default_factory=dict)  # disable_notification etc.
    edits: list[MessageVersion] = field(default_factory=list)  # earlier versions, oldest first
    deleted: bool = False
    deleted_at: float | None = None
    edited_at: float | None = None

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        """Inline keyboard rows (empty when there is none)."""
        if not self.reply_markup:
            return []
        rows: list[list[dict[str, Any]]] = self.reply_markup.get("inline_keyboard", [])
        return rows

    def button_data(self) -> list[str]:
        """Every callback_data on the inline keyboard, row by row."""
        return [b["callback_data"] for row in self.buttons for b in row if "callback_data" in b]

    def find_button(self, text: str) -> dict[str, Any]:
        """The inline button whose label equals (or failing that, contains) ``text``."""
        flat = [b for row in self.buttons for b in row]
        for button in flat:
            if button.get("text") == text:
                return button
        for button in flat:
            if text in button.get("text", ""):
                return button
        raise LookupError(f"no button {text!r} on message {self.message_id}")

    def to_json(self) -> dict[str, Any]:
        body = asdict(self)
        body["media"] = self.media.to_json() if self.media else None
        return body

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> SentMessage:
        fields = dict(body)
        media = fields.pop("media", None)
        edits = [MessageVersion(**e) for e in fields.pop("edits", [])]
        return cls(**fields, media=MediaFile.from_json(media) if media else None, edits=edits)


@dataclass
class CallbackAnswer:
    """How the bot answered a callback query."""

    query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None
    time: float


@dataclass
class DeliveryLogEntry:
    """One successfully sent message, in send order (for exactly-once checks)."""

    chat_id: int
    message_id: int
    time: float
    text: str | None
    method: str


@dataclass
class EmulatorStats:
    """Counters since the last reset. Times are ``time.time()`` seconds."""

    requests_by_method: Counter[str] = field(default_factory=Counter)
    messages_sent: int = 0
    send_times: list[float] = field(default_factory=list)
    too_many_requests: int = 0
    too_many_requests_by_chat: Counter[int] = field(default_factory=Counter)
    forbidden: int = 0
    forbidden_by_chat: Counter[int] = field(default_factory=Counter)
    bad_requests: int = 0
    faults_injected: int = 0
    delivery_times_by_chat: dict[int, list[float]] = field(default_factory=dict)
    webhook_deliveries: int = 0  # updates a webhook answered with a 2xx
    webhook_failures: int = 0  # webhook requests that failed (non-2xx, refused, timed out)

    def messages_per_second(self, start: float | None = None, end: float | None = None) -> float:
        """Average send rate between ``start`` and ``end`` (default: first to last send)."""
        times = [t for t in self.send_times if (start is None or t >= start)]
        times = [t for t in times if end is None or t <= end]
        if len(times) < 2:
            return float(len(times))
        lo = times[0] if start is None else start
        hi = times[-1] if end is None else end
        return len(times) / (hi - lo) if hi > lo else float(len(times))

    def peak_messages_in(self, window: float = 1.0) -> int:
        """Most messages sent within any ``window`` seconds (a sliding window over send times)."""
        best = 0
        lo = 0
        for hi, t in enumerate(self.send_times):
            while t - self.send_times[lo] > window:
                lo += 1
            best = max(best, hi - lo + 1)
        return best

    def to_json(self) -> dict[str, Any]:
        return {
            "requests_by_method": dict(self.requests_by_method),
            "messages_sent": self.messages_sent,
            "send_times": self.send_times,
            "too_many_requests": self.too_many_requests,
            "too_many_requests_by_chat": {
                str(k): v for k, v in self.too_many_requests_by_chat.items()
            },
            "forbidden": self.forbidden,
            "forbidden_by_chat": {str(k): v for k, v in self.forbidden_by_chat.items()},
            "bad_requests": self.bad_requests,
            "faults_injected": self.faults_injected,
            "delivery_times_by_chat": {str(k): v for k, v in self.delivery_times_by_chat.items()},
            "webhook_deliveries": self.webhook_deliveries,
            "webhook_failures": self.webhook_failures,
        }

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> EmulatorStats:
        return cls(
            requests_by_method=Counter(body["requests_by_method"]),
            messages_sent=body["messages_sent"],
            send_times=list(body["send_times"]),
            too_many_requests=body["too_many_requests"],
            too_many_requests_by_chat=Counter(
                {int(k): v for k, v in body["too_many_requests_by_chat"].items()}
            ),
            forbidden=body["forbidden"],
            forbidden_by_chat=Counter({int(k): v for k, v in body["forbidden_by_chat"].items()}),
            bad_requests=body["bad_requests"],
            faults_injected=body["faults_injected"],
            delivery_times_by_chat={
                int(k): list(v) for k, v in body["delivery_times_by_chat"].items()
            },
            webhook_deliveries=body.get("webhook_deliveries", 0),
            webhook_failures=body.get("webhook_failures", 0),
        )
