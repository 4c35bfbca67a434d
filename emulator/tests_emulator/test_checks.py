"""Telegram's request checks surface through python-telegram-bot as the right exceptions."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from tests_emulator.conftest import raw_call

USER = 42
EMOJI = "😀"  # two UTF-16 code units


@pytest.fixture
async def chat(emu) -> int:
    await emu.register_chat(USER)
    return USER


async def test_send_message_4096_utf16_units_is_accepted(bot, chat) -> None:
    text = EMOJI * 2048  # 2048 characters, 4096 UTF-16 units

    message = await bot.send_message(chat, text)

    assert message.text == text


async def test_send_message_4097_utf16_units_is_too_long(bot, chat) -> None:
    # 2048 characters by Python's count, but one unit over Telegram's limit.
    text = EMOJI * 2048 + "a"

    with pytest.raises(BadRequest, match=r"^Message is too long$"):
        await bot.send_message(chat, text)


async def test_send_message_length_is_counted_after_html_parsing(bot, chat) -> None:
    text = "<b>" + "&amp;" * 4096 + "</b>"  # 4096 visible characters

    message = await bot.send_message(chat, text, parse_mode="HTML")

    assert len(message.text) == 4096
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(chat, text + "x", parse_mode="HTML")


async def test_send_photo_caption_over_1024_is_too_long(bot, chat) -> None:
    await bot.send_photo(chat, b"img", caption="c" * 1024)

    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(chat, b"img", caption="c" * 1025)


@pytest.mark.parametrize("text", ["", "   \n", "<b></b>"])
async def test_send_message_empty_text_is_refused(bot, chat, text: str) -> None:
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(chat, text, parse_mode="HTML")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("é < 3", 'Unsupported start tag "" at byte offset 3'),
    ],
)
async def test_send_message_bad_html_cannot_parse_entities(emu, chat, text: str, reason) -> None:
    status, body = await raw_call(emu, "sendMessage", chat_id=chat, text=text, parse_mode="HTML")

    assert (status, body["ok"], body["error_code"]) == (400, False, 400)
    assert body["description"].startswith("Bad Request: can't parse entities: ")
    assert reason in body["description"]


async def test_send_message_html_bare_ampersand_is_kept_as_text(bot, chat) -> None:
    # Telegram decodes only &lt; &gt; &amp; &quot; and numeric references; any other "&" stays.
    message = await bot.send_message(chat, "Q&A &copy; &amp", parse_mode="HTML")

    assert message.text == "Q&A &copy; &"


async def test_send_message_bad_html_surfaces_as_bad_request(bot, chat) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities: unsupported start tag"):
        await bot.send_message(chat, "<br>", parse_mode="HTML")


async def test_send_message_bad_markdown_v2_cannot_parse_entities(bot, chat) -> None:
    with pytest.raises(BadRequest, match=r"(?i)character '.' is reserved"):
        await bot.send_message(chat, "Done.", parse_mode="MarkdownV2")


async def test_send_message_callback_data_64_bytes_is_accepted(bot, chat) -> None:
    data = "é" * 32  # 64 UTF-8 bytes
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data=data)]])

    message = await bot.send_message(chat, "x", reply_markup=markup)

    assert message.reply_markup.inline_keyboard[0][0].callback_data == data


@pytest.mark.parametrize("data", ["é" * 32 + "a", ""])
async def test_send_message_callback_data_invalid_is_button_data_invalid(bot, chat, data) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data=data)]])

    with pytest.raises(BadRequest, match=r"^Button_data_invalid$"):
        await bot.send_message(chat, "x", reply_markup=markup)


async def test_send_message_button_without_action_is_refused(bot, chat) -> None:
    markup = {"inline_keyboard": [[{"text": "plain"}]]}

    with pytest.raises(BadRequest, match="Text buttons are unallowed in the inline keyboard"):
        await bot.send_message(chat, "x", reply_markup=markup)


async def test_send_message_button_with_two_actions_is_refused(bot, chat) -> None:
    markup = {"inline_keyboard": [[{"text": "x", "callback_data": "a", "url": "https://a.b"}]]}

    with pytest.raises(BadRequest, match="exactly one of the optional fields"):
        await bot.send_message(chat, "x", reply_markup=markup)


async def test_send_message_unknown_chat_is_chat_not_found(bot) -> None:
    with pytest.raises(BadRequest, match=r"^Chat not found$"):
        await bot.send_message(999, "hello")


async def test_send_message_deleted_chat_is_chat_not_found(emu, bot, chat) -> None:
    await emu.delete_chat(chat)

    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(chat, "hello")


async def test_send_message_blocked_user_is_forbidden_and_counted(emu, bot, chat) -> None:
    await emu.block_bot(chat)

    with pytest.raises(Forbidden, match=r"^Forbidden: bot was blocked by the user$"):
        await bot.send_message(chat, "hello")
    status, body = await raw_call(emu, "sendMessage", chat_id=chat, text="x")
    assert (status, body) == (
        403,
        {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
    )

    stats = await emu.stats()
    assert (stats.forbidden, stats.forbidden_by_chat[chat]) == (2, 2)
    await emu.unblock_bot(chat)
    assert (await bot.send_message(chat, "again")).text == "again"


async def test_edit_message_text_same_content_is_not_modified(emu, bot, chat) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="a")]])
    sent = await bot.send_message(chat, "<b>x</b>", parse_mode="HTML", reply_markup=markup)

    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "<strong>x</strong>",
            chat_id=chat,
            message_id=sent.message_id,
            parse_mode="HTML",
            reply_markup=markup,
        )
    _, body = await raw_call(
        emu,
        "editMessageText",
        chat_id=chat,
        message_id=sent.message_id,
        text="x",
        entities=[{"type": "bold", "offset": 0, "length": 1}],
        reply_markup=markup.to_dict(),
    )

    assert body["description"] == (
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    )


async def test_edit_message_reply_markup_same_markup_is_not_modified(bot, chat) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="a")]])
    sent = await bot.send_message(chat, "x", reply_markup=markup)

    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(chat, sent.message_id, reply_markup=markup)


async def test_edit_message_text_unknown_message_is_not_found(bot, chat) -> None:
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=chat, message_id=77)


async def test_edit_message_text_of_user_message_cannot_be_edited(emu, bot) -> None:
    message = await emu.send_from_user(USER, "mine")

    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", chat_id=USER, message_id=message["message_id"])


async def test_answer_callback_query_unknown_id_is_too_old(bot) -> None:
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("123")


async def test_bad_requests_are_counted(emu, bot, chat) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(chat, "")

    assert (await emu.stats()).bad_requests == 1


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"chat_id": 999, "text": "x"}, "Bad Request: chat not found"),
        ({"chat_id": USER, "text": "x" * 4097}, "Bad Request: message is too long"),
        ({"chat_id": USER, "text": ""}, "Bad Request: message text is empty"),
        (
            {
                "chat_id": USER,
                "text": "x",
                "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "a" * 65}]]},
            },
            "Bad Request: BUTTON_DATA_INVALID",
        ),
    ],
)
async def test_send_message_error_descriptions_match_telegram(emu, chat, params, description):
    status, body = await raw_call(emu, "sendMessage", **params)

    assert (status, body) == (400, {"ok": False, "error_code": 400, "description": description})


def web_app_keyboard(url: str) -> InlineKeyboardMarkup:
    from telegram import WebAppInfo

    return InlineKeyboardMarkup([[InlineKeyboardButton("Open", web_app=WebAppInfo(url))]])


@pytest.mark.parametrize(
    "url", ["https://bot.example.org/app/", "http://127.0.0.1:8080/app/", "http://localhost:80/"]
)
async def test_send_message_web_app_button_https_or_local_http_is_accepted(bot, chat, url) -> None:
    message = await bot.send_message(chat, "grid", reply_markup=web_app_keyboard(url))

    assert message.reply_markup.inline_keyboard[0][0].web_app.url == url


@pytest.mark.parametrize("url", ["http://bot.example.org/app/", "ftp://127.0.0.1/app/"])
async def test_send_message_web_app_button_public_http_is_refused(bot, chat, url) -> None:
    with pytest.raises(BadRequest, match=r"(?i)only https links are allowed"):
        await bot.send_message(chat, "grid", reply_markup=web_app_keyboard(url))


async def test_set_chat_menu_button_web_app_is_kept_per_chat_and_by_default(emu, bot, chat) -> None:
    from telegram import MenuButtonCommands, MenuButtonWebApp, WebAppInfo

    default = MenuButtonWebApp("Programme", WebAppInfo("https://bot.example.org/app/"))
    own = MenuButtonWebApp("Grid", WebAppInfo("http://127.0.0.1:8080/app/"))

    assert await bot.set_chat_menu_button(menu_button=default)
    assert await bot.set_chat_menu_button(chat_id=chat, menu_button=own)

    assert await emu.menu_button() == default.to_dict()
    assert await emu.menu_button(chat) == own.to_dict()
    assert await bot.get_chat_menu_button(chat) == own
    assert await bot.get_chat_menu_button() == default
    await bot.set_chat_menu_button(menu_button=MenuButtonCommands())
    assert await emu.menu_button() == {"type": "commands"}


async def test_set_chat_menu_button_web_app_over_public_http_is_refused(bot, chat) -> None:
    from telegram import MenuButtonWebApp, WebAppInfo

    button = MenuButtonWebApp("Programme", WebAppInfo("http://bot.example.org/app/"))

    with pytest.raises(BadRequest, match=r"(?i)only https links are allowed"):
        await bot.set_chat_menu_button(menu_button=button)
