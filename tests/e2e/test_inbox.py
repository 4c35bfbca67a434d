"""The organisers' inbox through the emulator: a question the bot cannot answer is passed on,
staff reply from /inbox, the reply reaches the attendee through the outbox, and can become a
FAQ entry; claims, the rate limit and the spam mute."""

from __future__ import annotations

from botapi_emulator import SentMessage
from tests.e2e.conftest import OTHER_ATTENDEE, Chat, assert_no_message

UNANSWERABLE = "is there a prayer room"
ANSWER = "Yes: room B2 on the first floor, open all day."


async def press_for_message(chat: Chat, message: SentMessage, label: str) -> SentMessage:
    """Press a button whose answer is a new message."""
    await chat.emu.press_button(chat.user_id, chat.user_id, message.message_id, button_text=label)
    (answer,) = await chat.emu.wait_for_messages(chat.user_id, timeout=10)
    return answer


async def pass_on(chat: Chat, question: str = UNANSWERABLE, name: str = "Amina") -> SentMessage:
    (answer,) = await chat.say(question, first_name=name)
    assert "Ask the organisers" in str(answer.buttons)
    return await press_for_message(chat, answer, "Ask the organisers")


async def test_unanswered_question_reaches_staff_and_the_reply_comes_back(
    chat: Chat, staff: Chat
) -> None:
    (answer,) = await chat.say(UNANSWERABLE, first_name="Amina")
    assert answer.plain_text.startswith("Sorry, I don't know the answer to that.")
    assert answer.buttons[0][0]["text"] == "🙋 Ask the organisers"
    assert UNANSWERABLE not in str(answer.button_data)  # the text stays server-side
    passed = await press_for_message(chat, answer, "Ask the organisers")
    assert passed.plain_text == (
        "🙋 Passed on to the organisers. A member of staff will answer you here."
    )

    (inbox,) = await staff.say("/inbox")
    print("\n--- /inbox\n" + inbox.plain_text + "\n" + str(inbox.buttons))
    assert "Inbox: 1 open question" in inbox.plain_text
    assert "From Amina, in English" in inbox.plain_text
    assert UNANSWERABLE in inbox.plain_text
    assert str(chat.user_id) not in inbox.plain_text
    assert [b["text"] for row in inbox.buttons for b in row] == [
        "✍️ Reply",
        "⏭ Skip",
        "✅ Answered",
        "🚫 Spam",
    ]
    claimed = await staff.press(inbox, "Reply")
    assert "Write your reply as your next message" in claimed.plain_text
    (sent,) = await staff.say(ANSWER)
    assert sent.plain_text == "✅ Sent to Amina."

    (delivered,) = await chat.emu.wait_for_messages(chat.user_id, timeout=10)
    print("--- the attendee gets\n" + delivered.plain_text)
    assert delivered.plain_text.splitlines() == [
        "💬 The organisers answered your question",
        UNANSWERABLE,
        ANSWER,
    ]
    assert "<blockquote>" in (delivered.text or "")
    (empty,) = await staff.say("/inbox")
    assert empty.plain_text == "📥 The inbox is empty: no open questions."


async def test_two_staff_pressing_reply_only_one_answers(
    chat: Chat, staff: Chat, organiser: Chat
) -> None:
    await pass_on(chat)
    await pass_on(Chat(chat.emu, chat.app, OTHER_ATTENDEE), "can I bring my dog", "Bruno")
    (first,) = await staff.say("/inbox", first_name="Sam")
    (second,) = await organiser.say("/inbox", first_name="Olu")
    assert UNANSWERABLE in first.plain_text and UNANSWERABLE in second.plain_text

    await staff.press(first, "Reply")
    told = await organiser.press(second, "Reply")

    assert told.plain_text.startswith("⚠️ Already being answered by Sam.")
    assert "can I bring my dog" in told.plain_text  # and the next question
    (sent,) = await staff.say(ANSWER)
    assert sent.plain_text == "✅ Sent to Amina."
    (delivered,) = await chat.emu.wait_for_messages(chat.user_id, timeout=10)
    assert ANSWER in delivered.plain_text
    # The organiser's text is a question to the bot, not a second reply.
    (answer,) = await organiser.say("Yes, there is one")
    assert "Sent to" not in answer.plain_text
    await assert_no_message(chat.emu, chat.user_id)


async def test_reply_added_to_faq_answers_a_second_attendee(chat: Chat, staff: Chat) -> None:
    await pass_on(chat)
    (inbox,) = await staff.say("/inbox")
    await staff.press(inbox, "Reply")
    (sent,) = await staff.say(ANSWER)
    added = await staff.press(sent, "Add to FAQ")
    assert added.plain_text.startswith("📌 Added to the FAQ")
    await chat.emu.wait_for_messages(chat.user_id, timeout=10)

    other = Chat(chat.emu, chat.app, OTHER_ATTENDEE)
    (answer,) = await other.say("where is the prayer room")

    assert ANSWER in answer.plain_text
    assert "Not what I asked" in str(answer.buttons)
    (faq,) = await other.say("/faq")
    last_page = await other.press(faq, "Next »")
    assert "Is there a prayer room?" in str(last_page.buttons)


async def test_fourth_question_in_an_hour_is_refused(chat: Chat, staff: Chat) -> None:
    for question in ("can I bring my dog", "is there a prayer room", "can I smoke inside"):
        passed = await pass_on(chat, question)
        assert passed.plain_text.startswith("🙋 Passed on")

    refused = await pass_on(chat, "is there a creche for children")

    assert refused.plain_text == (
        "You have passed on 3 questions in the last hour; please try again later."
    )
    (inbox,) = await staff.say("/inbox")
    assert "3 open questions" in inbox.plain_text


async def test_too_long_question_is_refused_politely(chat: Chat) -> None:
    refused = await pass_on(chat, "please " * 80 + "is there a prayer room")
    assert "Please shorten it to at most 500 characters" in refused.plain_text


async def test_spam_mutes_the_person(chat: Chat, staff: Chat) -> None:
    await pass_on(chat, "buy cheap watches at example dot com")
    (inbox,) = await staff.say("/inbox")
    after = await staff.press(inbox, "Spam")
    assert after.plain_text == "📥 The inbox is empty: no open questions."

    passed = await pass_on(chat)
    assert passed.plain_text.startswith("🙋 Passed on")  # told so, but nothing queued
    (still,) = await staff.say("/inbox")
    assert still.plain_text == "📥 The inbox is empty: no open questions."


async def test_not_what_i_asked_offers_to_pass_the_question_on(chat: Chat, staff: Chat) -> None:
    # Answered with the ceremony, which is not what was asked.
    (answer,) = await chat.say("can I pray during the opening ceremony")
    assert answer.buttons[-1][0]["text"] == "🙋 Not what I asked"
    offer = await press_for_message(chat, answer, "Not what I asked")
    assert "pass your question on" in offer.plain_text
    passed = await press_for_message(chat, offer, "Ask the organisers")
    assert passed.plain_text.startswith("🙋 Passed on")
    (inbox,) = await staff.say("/inbox")
    assert "can I pray during the opening ceremony" in inbox.plain_text
    assert "Opening Ceremony" in inbox.plain_text  # the bot's guess, by its title


async def test_insights_show_figures_a_chart_and_a_csv_without_ids(
    chat: Chat, staff: Chat, organiser: Chat
) -> None:
    await chat.say("wifi password")
    await chat.say("where is lunch")
    await pass_on(chat, "is there a prayer room")
    other = Chat(chat.emu, chat.app, OTHER_ATTENDEE)
    await pass_on(other, "is there a prayer room nearby?", "Bruno")
    (card,) = await chat.say("/start s_plen-1")
    await chat.press(card, "Add to my agenda")

    text, chart, table = await organiser.say("/insights", replies=3)

    print("\n--- /insights\n" + text.plain_text)
    assert "4 in the last 24 hours, 4 in all" in text.plain_text
    assert "Answered by the bot: 50% (2)" in text.plain_text
    assert "• 2 × is there a prayer room" in text.plain_text
    assert "Opening Ceremony: 1" in text.plain_text
    assert chart.method == "sendPhoto"
    assert table.media is not None and table.media.filename.endswith(".csv")
    csv_text = table.media.data.decode("utf-8-sig")
    print(csv_text)
    assert csv_text.startswith("section,item,count")
    assert "unanswered,is there a prayer room,2" in csv_text
    for user_id in (chat.user_id, other.user_id):
        assert str(user_id) not in text.plain_text + csv_text
    (refused,) = await chat.say("/insights")
    assert refused.plain_text == "Sorry, this command is for the event's staff."
