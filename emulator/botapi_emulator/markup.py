"""Validation of ``reply_markup`` the way Telegram checks it before sending a message."""

from __future__ import annotations

from typing import Any

from botapi_emulator.errors import bad_request

__all__ = ["MAX_CALLBACK_DATA_BYTES", "validate_reply_markup", "validate_web_app"]

MAX_CALLBACK_DATA_BYTES = 64

# Inline buttons must carry exactly one of these; a button with none is a plain "text button",
# which Telegram refuses in inline keyboards.
_INLINE_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_URL_SCHEMES = ("http://", "https://", "tg://")
_LOCAL_HTTP = tuple(
    f"http://{host}{end}" for host in ("127.0.0.1", "localhost", "[::1]") for end in (":", "/")
)


def validate_web_app(web_app: Any) -> None:
    """A ``WebAppInfo`` Telegram would open: an HTTPS URL. Plain HTTP to this machine is the
    emulator's one exception (a local Mini App has no certificate), as for webhooks."""
    url = web_app.get("url") if isinstance(web_app, dict) else None
    if not isinstance(url, str):
        raise bad_request('can\'t parse WebAppInfo: Field "url" must be of type String')
    if not url.startswith(("https://", *_LOCAL_HTTP)):
        raise bad_request(
            f"inline keyboard button Web App URL '{url}' is invalid: Only HTTPS links are allowed"
        )


def validate_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Return the markup if Telegram would accept it, else raise :class:`ApiError`."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _validate_inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        _validate_reply_keyboard(markup["keyboard"])
    elif markup.get("remove_keyboard") is not True and markup.get("force_reply") is not True:
        raise bad_request('can\'t find field "inline_keyboard"')
    return markup


def _validate_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list):
        raise bad_request('Field "inline_keyboard" of the InlineKeyboardMarkup should be an Array')
    for row in rows:
        if not isinstance(row, list):
            raise bad_request("can't parse inline keyboard button: Array expected")
        for button in row:
            _validate_inline_button(button)


def _validate_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    text = button.get("text")
    if not isinstance(text, str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    if not text.strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [name for name in _INLINE_ACTIONS if name in button]
    if not actions:
        raise bad_request("text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        # Telegram silently picks one; refusing it here catches an ambiguous button early.
        raise bad_request(
            "can't parse inline keyboard button: exactly one of the optional fields "
            f"must be used, got {', '.join(actions)}"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str):
            raise bad_request(
                'can\'t parse inline keyboard button: Field "callback_data" must be of type String'
            )
        if not data or len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "web_app" in button:
        validate_web_app(button["web_app"])
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(_URL_SCHEMES):
            raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def _validate_reply_keyboard(rows: Any) -> None:
    if not isinstance(rows, list):
        raise bad_request('Field "keyboard" of the ReplyKeyboardMarkup should be an Array')
    for row in rows:
        if not isinstance(row, list):
            raise bad_request("can't parse keyboard button: Array expected")
        for button in row:
            text = button if isinstance(button, str) else (button or {}).get("text")
            if not isinstance(text, str) or not text:
                raise bad_request(
                    'can\'t parse keyboard button: Field "text" must be of type String'
                )
