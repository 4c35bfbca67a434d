"""Every Bot API method round-trips through python-telegram-bot's real ``Bot``."""

from __future__ import annotations

import asyncio

import pytest
from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    ChatFullInfo,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import BadRequest, Conflict, EndPointNotFound

from botapi_emulator import BotApiEmulator
from tests_emulator.conftest import BOT_ID, make_bot

USER = 42


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d.upper(), callback_data=d) for d in data]])


async def test_get_me_returns_the_configured_bot(bot) -> None:
    me = await bot.get_me()

    assert (me.id, me.is_bot, me.first_name, me.username) == (
        BOT_ID,
        True,
        "Confbot",
        "confbot_test_bot",
    )
    assert me.can_join_groups is True


async def test_get_updates_returns_user_message_with_command_entity(emu, bot) -> None:
    await emu.send_from_user(
        USER, "/start s_plen-1", first_name="Ann", last_name="Lee", username="ann"
    )

    (update,) = await bot.get_updates(timeout=0)

    message = update.message
    assert message.text == "/start s_plen-1"
    assert message.chat.id == USER
    assert message.chat.type == "private"
    assert (message.from_user.first_name, message.from_user.last_name) == ("Ann", "Lee")
    assert message.from_user.username == "ann"
    assert message.from_user.language_code == "en"
    assert [(e.type, e.offset, e.length) for e in message.entities] == [("bot_command", 0, 6)]


async def test_get_updates_offset_confirms_earlier_updates(emu, bot) -> None:
    for text in ("one", "two", "three"):
        await emu.send_from_user(USER, text)

    first = await bot.get_updates(limit=2)
    rest = await bot.get_updates(offset=first[-1].update_id + 1)

    assert [u.message.text for u in first] == ["one", "two"]
    assert [u.message.text for u in rest] == ["three"]
    assert first[0].update_id < first[1].update_id < rest[0].update_id
    assert await emu.pending_update_count() == 1


async def test_get_updates_long_poll_wakes_on_new_update(emu, bot) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.05)
    assert not poll.done()

    await emu.send_from_user(USER, "hello")
    updates = await asyncio.wait_for(poll, 2)

    assert [u.message.text for u in updates] == ["hello"]
    assert loop.time() - started < 2


async def test_get_updates_timeout_returns_empty_when_nothing_arrives(bot) -> None:
    assert await bot.get_updates(timeout=0) == ()


async def test_get_updates_allowed_updates_filters_types(emu, bot) -> None:
    await emu.register_chat(USER)
    message = await bot.send_message(USER, "pick", reply_markup=keyboard("a"))
    await emu.press_button(USER, USER, message.message_id, "a")
    await emu.send_from_user(USER, "text")

    updates = await bot.get_updates(allowed_updates=["message"])

    assert [u.message.text for u in updates] == ["text"]


async def test_block_and_unblock_queue_my_chat_member_updates(emu, bot) -> None:
    await emu.register_chat(USER)
    await emu.block_bot(USER)
    await emu.block_bot(USER)  # already blocked: nothing new to tell
    await emu.unblock_bot(USER)
    await emu.block_bot(USER, notify=False)

    updates = await bot.get_updates(timeout=0)

    changes = [
        (
            u.my_chat_member.chat.id,
            u.my_chat_member.chat.type,
            u.my_chat_member.from_user.id,
            u.my_chat_member.old_chat_member.status,
            u.my_chat_member.new_chat_member.status,
            u.my_chat_member.new_chat_member.user.id,
        )
        for u in updates
    ]
    assert changes == [
        (USER, "private", USER, "member", "kicked", BOT_ID),
        (USER, "private", USER, "kicked", "member", BOT_ID),
    ]


async def test_send_message_returns_telegram_message_and_records_it(emu, bot) -> None:
    await emu.register_chat(USER)

    message = await bot.send_message(
        USER,
        "<b>Hi</b> &amp; <i>welcome</i>",
        parse_mode="HTML",
        reply_markup=keyboard("a", "b"),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        disable_notification=True,
        protect_content=True,
        allow_paid_broadcast=True,
    )

    assert isinstance(message, Message)
    assert message.text == "Hi & welcome"
    assert message.from_user.id == BOT_ID
    assert [(e.type, e.offset, e.length) for e in message.entities] == [
        ("bold", 0, 2),
        ("italic", 5, 7),
    ]
    assert message.reply_markup == keyboard("a", "b")
    (record,) = await emu.messages(USER)
    assert record.message_id == message.message_id
    assert record.method == "sendMessage"
    assert record.text == "<b>Hi</b> &amp; <i>welcome</i>"
    assert record.plain_text == "Hi & welcome"
    assert record.parse_mode == "HTML"
    assert record.button_data() == ["a", "b"]
    assert record.options["disable_notification"] is True
    assert record.options["protect_content"] is True
    assert record.options["link_preview_options"] == {"is_disabled": True}


async def test_send_message_ids_increase_per_chat(emu, bot) -> None:
    await emu.register_chat(1)
    await emu.register_chat(2)

    a1 = await bot.send_message(1, "a")
    b1 = await bot.send_message(2, "b")
    a2 = await bot.send_message(1, "c")

    assert (a1.message_id, a2.message_id, b1.message_id) == (1, 2, 1)


async def test_send_message_reply_keyboard_and_remove_are_recorded(emu, bot) -> None:
    await emu.register_chat(USER)

    await bot.send_message(USER, "menu", reply_markup=ReplyKeyboardMarkup([[KeyboardButton("A")]]))
    await bot.send_message(USER, "gone", reply_markup=ReplyKeyboardRemove())

    first, second = await emu.messages(USER)
    assert first.reply_markup["keyboard"] == [[{"text": "A"}]]
    assert second.reply_markup == {"remove_keyboard": True}


async def test_send_message_markdown_v2_parses_entities(emu, bot) -> None:
    await emu.register_chat(USER)

    message = await bot.send_message(USER, r"*bold* and _it_ \- done\.", parse_mode="MarkdownV2")

    assert message.text == "bold and it - done."
    assert [(e.type, e.offset, e.length) for e in message.entities] == [
        ("bold", 0, 4),
        ("italic", 9, 2),
    ]


async def test_edit_message_text_updates_record_and_keeps_history(emu, bot) -> None:
    await emu.register_chat(USER)
    sent = await bot.send_message(USER, "first", reply_markup=keyboard("a"))

    edited = await bot.edit_message_text(
        "second", chat_id=USER, message_id=sent.message_id, reply_markup=keyboard("b")
    )

    assert edited.text == "second"
    assert edited.edit_date is not None
    (record,) = await emu.messages(USER)
    assert (record.text, record.button_data()) == ("second", ["b"])
    assert [(v.text, v.reply_markup) for v in record.edits] == [("first", keyboard("a").to_dict())]


async def test_edit_message_text_without_markup_removes_keyboard(emu, bot) -> None:
    await emu.register_chat(USER)
    sent = await bot.send_message(USER, "first", reply_markup=keyboard("a"))

    edited = await bot.edit_message_text("second", chat_id=USER, message_id=sent.message_id)

    assert edited.reply_markup is None
    assert (await emu.last_message(USER)).reply_markup is None


async def test_edit_message_reply_markup_changes_only_buttons(emu, bot) -> None:
    await emu.register_chat(USER)
    sent = await bot.send_message(USER, "<b>x</b>", parse_mode="HTML", reply_markup=keyboard("a"))

    edited = await bot.edit_message_reply_markup(
        chat_id=USER, message_id=sent.message_id, reply_markup=keyboard("c")
    )

    assert edited.text == "x"
    record = await emu.last_message(USER)
    assert (record.text, record.button_data(), len(record.edits)) == ("<b>x</b>", ["c"], 1)


async def test_delete_message_marks_record_deleted(emu, bot) -> None:
    await emu.register_chat(USER)
    sent = await bot.send_message(USER, "bye")

    assert await bot.delete_message(USER, sent.message_id) is True

    (record,) = await emu.messages(USER)
    assert record.deleted is True
    assert await emu.messages(USER, include_deleted=False) == []
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(USER, sent.message_id)


async def test_answer_callback_query_is_readable_by_control(emu, bot) -> None:
    await emu.register_chat(USER)
    sent = await bot.send_message(USER, "pick", reply_markup=keyboard("fb:1:5"))

    query_id = await emu.press_button(USER, USER, sent.message_id, button_text="FB:1:5")
    (update,) = await bot.get_updates()
    query = update.callback_query
    assert (query.id, query.data, query.message.message_id) == (
        query_id,
        "fb:1:5",
        sent.message_id,
    )
    assert query.chat_instance
    assert await emu.callback_answer(query_id) is None

    await query.answer("Thanks!", show_alert=True)

    answer = await emu.callback_answer(query_id)
    assert (answer.text, answer.show_alert) == ("Thanks!", True)


async def test_answer_callback_query_twice_is_too_old(emu, bot) -> None:
    await emu.register_chat(USER)
    sent = await bot.send_message(USER, "pick", reply_markup=keyboard("a"))
    query_id = await emu.press_button(USER, USER, sent.message_id, "a")
    await bot.answer_callback_query(query_id)

    with pytest.raises(BadRequest, match="Query is too old and response timeout expired"):
        await bot.answer_callback_query(query_id)


async def test_press_button_unknown_data_is_refused(emu, bot) -> None:
    await emu.register_chat(USER)
    sent = await bot.send_message(USER, "pick", reply_markup=keyboard("a"))

    with pytest.raises(LookupError):
        await emu.press_button(USER, USER, sent.message_id, "zzz")
    assert await emu.press_button(USER, USER, sent.message_id, "zzz", strict=False)


async def test_send_chat_action_accepts_known_actions(emu, bot) -> None:
    await emu.register_chat(USER)

    assert await bot.send_chat_action(USER, "typing") is True
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await bot.send_chat_action(USER, "dancing")


async def test_send_venue_and_location_are_recorded(emu, bot) -> None:
    await emu.register_chat(USER)

    venue = await bot.send_venue(
        USER, latitude=40.75, longitude=-73.97, title="UN HQ", address="405 E 42nd St"
    )
    location = await bot.send_location(USER, latitude=1.5, longitude=2.5)

    assert venue.venue.title == "UN HQ"
    assert venue.venue.location.latitude == pytest.approx(40.75)
    assert location.location.longitude == pytest.approx(2.5)
    first, second = await emu.messages(USER)
    assert (first.method, first.venue["address"]) == ("sendVenue", "405 E 42nd St")
    assert (second.method, second.location) == (
        "sendLocation",
        {"latitude": 1.5, "longitude": 2.5},
    )


async def test_send_photo_upload_stores_bytes_and_downloads(emu, bot) -> None:
    await emu.register_chat(USER)

    message = await bot.send_photo(USER, b"\x89PNG fake", caption="<b>Map</b>", parse_mode="HTML")

    assert message.caption == "Map"
    record = await emu.last_message(USER)
    assert (record.media.kind, record.media.data, record.caption) == (
        "photo",
        b"\x89PNG fake",
        "<b>Map</b>",
    )
    telegram_file = await bot.get_file(message.photo[-1].file_id)
    assert bytes(await telegram_file.download_as_bytearray()) == b"\x89PNG fake"


async def test_send_document_upload_and_resend_by_file_id(emu, bot) -> None:
    await emu.register_chat(USER)

    first = await bot.send_document(USER, b"a,b\n1,2\n", filename="agenda.csv", caption="CSV")
    again = await bot.send_document(USER, first.document.file_id)

    assert first.document.file_name == "agenda.csv"
    assert first.document.mime_type == "text/csv"
    assert again.document.file_id == first.document.file_id
    records = await emu.messages(USER)
    assert [r.media.filename for r in records] == ["agenda.csv", "agenda.csv"]
    assert records[0].media.data == b"a,b\n1,2\n"


async def test_send_document_unknown_file_id_is_bad_request(emu, bot) -> None:
    await emu.register_chat(USER)

    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_document(USER, "no-such-file")


async def test_my_commands_are_kept_per_scope_and_language(emu, bot) -> None:
    await emu.register_chat(USER)
    default = [BotCommand("start", "Start"), BotCommand("agenda", "Agenda")]
    french = [BotCommand("start", "Démarrer")]
    staff = [BotCommand("staff", "Staff tools")]

    await bot.set_my_commands(default)
    await bot.set_my_commands(french, scope=BotCommandScopeAllPrivateChats(), language_code="fr")
    await bot.set_my_commands(staff, scope=BotCommandScopeChat(USER))

    assert await bot.get_my_commands() == tuple(default)
    assert await bot.get_my_commands(
        scope=BotCommandScopeAllPrivateChats(), language_code="fr"
    ) == tuple(french)
    assert await emu.commands(scope={"type": "chat", "chat_id": USER}) == [
        {"command": "staff", "description": "Staff tools"}
    ]
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()


async def test_set_my_commands_invalid_command_is_bad_request(bot) -> None:
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])


async def test_webhook_blocks_get_updates_until_deleted(emu, bot) -> None:
    await bot.set_webhook("https://example.org/hook")

    info = await bot.get_webhook_info()
    assert info.url == "https://example.org/hook"
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await bot.get_updates()

    await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.get_updates() == ()


async def test_get_chat_returns_full_info(emu, bot) -> None:
    await emu.send_from_user(USER, "hi", first_name="Ann")
    await emu.send_from_user(
        USER, "hi all", chat_id=-100, chat_type="supergroup", chat_title="Hall"
    )

    private = await bot.get_chat(USER)
    group = await bot.get_chat(-100)

    assert isinstance(private, ChatFullInfo)
    assert (private.type, private.first_name) == ("private", "Ann")
    assert (group.type, group.title) == ("supergroup", "Hall")


async def test_set_chat_menu_button_is_accepted(bot) -> None:
    assert await bot.set_chat_menu_button() is True


async def test_unknown_method_is_not_found(bot) -> None:
    with pytest.raises(EndPointNotFound, match="noSuchMethod"):
        await bot.do_api_request("noSuchMethod")


async def test_stats_count_requests_and_messages(emu, bot) -> None:
    await emu.register_chat(USER)
    await bot.send_message(USER, "a")
    await bot.send_message(USER, "b")

    stats = await emu.stats()

    assert stats.requests_by_method["sendMessage"] == 2
    assert stats.requests_by_method["getMe"] == 1
    assert stats.messages_sent == 2
    assert len(stats.send_times) == 2
    assert len(stats.delivery_times_by_chat[USER]) == 2
    await emu.reset_stats()
    assert (await emu.stats()).messages_sent == 0


async def test_delivery_log_lists_every_sent_message_in_order(emu: BotApiEmulator, bot) -> None:
    await emu.register_chats([1, 2])
    await bot.send_message(1, "a")
    await bot.send_message(2, "b")

    log = await emu.delivery_log()

    assert [(e.chat_id, e.message_id, e.text) for e in log] == [(1, 1, "a"), (2, 1, "b")]
    assert [e.text for e in await emu.delivery_log(since=1)] == ["b"]


async def test_wait_for_messages_returns_next_messages(emu, bot) -> None:
    await emu.register_chat(USER)
    await bot.send_message(USER, "early")

    waiter = asyncio.create_task(emu.wait_for_messages(USER, count=2, timeout=2))
    await bot.send_message(USER, "later")
    records = await waiter

    assert [r.text for r in records] == ["early", "later"]
    with pytest.raises(TimeoutError):
        await emu.wait_for_messages(USER, timeout=0.05)


async def test_get_updates_newer_poll_ends_older_with_conflict(emu) -> None:
    async with make_bot(emu) as first, make_bot(emu) as second:
        older = asyncio.create_task(first.get_updates(timeout=5))
        await asyncio.sleep(0.05)
        newer = asyncio.create_task(second.get_updates(timeout=5))

        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await asyncio.wait_for(older, 2)
        await emu.send_from_user(USER, "to the newer poller")
        updates = await asyncio.wait_for(newer, 2)

    assert [u.message.text for u in updates] == ["to the newer poller"]


async def test_stop_ends_pending_long_poll_at_once(emu, bot) -> None:
    loop = asyncio.get_running_loop()
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await asyncio.sleep(0.05)
    started = loop.time()

    await emu.stop()

    assert await asyncio.wait_for(poll, 3) == ()
    assert loop.time() - started < 3


async def test_send_message_reply_to_missing_message_is_bad_request(emu, bot) -> None:
    incoming = await emu.send_from_user(USER, "question")

    reply = await bot.send_message(USER, "answer", reply_to_message_id=incoming["message_id"])
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(USER, "answer", reply_to_message_id=999)

    assert reply.text == "answer"


async def test_edit_message_caption_updates_media_record(emu, bot) -> None:
    await emu.register_chat(USER)
    sent = await bot.send_photo(USER, b"img", caption="old")

    edited = await bot.edit_message_caption(
        USER, sent.message_id, caption="<i>new</i>", parse_mode="HTML"
    )

    assert edited.caption == "new"
    record = await emu.last_message(USER)
    assert (record.caption, record.plain_text, record.edits[0].text) == ("<i>new</i>", "new", "old")


async def test_group_chat_message_and_reply(emu, bot) -> None:
    await emu.send_from_user(USER, "/agenda@confbot_test_bot", chat_id=-5, chat_type="group")

    (update,) = await bot.get_updates()
    await bot.send_message(-5, "agenda")

    assert (update.message.chat.id, update.message.chat.type) == (-5, "group")
    assert update.message.entities[0].length == len("/agenda@confbot_test_bot")
    assert [m.text for m in await emu.messages(-5)] == ["agenda"]


async def test_wait_for_edit_returns_edited_message(emu, bot) -> None:
    await emu.register_chat(USER)
    sent = await bot.send_message(USER, "v1")

    waiter = asyncio.create_task(emu.wait_for_edit(USER, sent.message_id, timeout=2))
    await bot.edit_message_text("v2", chat_id=USER, message_id=sent.message_id)

    assert (await waiter).text == "v2"
