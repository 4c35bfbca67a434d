"""The emulator's own parser of HTML, MarkdownV2 and legacy Markdown: one table per format of
inputs with the visible text and entities Telegram gives, and one of inputs with its exact error."""

from __future__ import annotations

from typing import Any

import pytest
from telegram.error import BadRequest

from botapi_emulator.entities import EntityParseError, parse_entities, utf16_len
from tests_emulator.conftest import raw_call

ARROWS = "➡️ ➡️"  # 5 UTF-16 units, 13 UTF-8 bytes
STADIUMS = "🏟 🏟"  # 5 UTF-16 units (two surrogate pairs), 9 UTF-8 bytes

Entity = tuple[Any, ...]  # (type, offset, length) or (type, offset, length, extra)


def simple(entities: list[dict[str, Any]]) -> list[Entity]:
    rows: list[Entity] = []
    for e in entities:
        extra = {k: v for k, v in e.items() if k not in ("type", "offset", "length")}
        row: Entity = (e["type"], e["offset"], e["length"])
        rows.append((*row, extra) if extra else row)
    return rows


HTML_OK: list[tuple[str, str, list[Entity]]] = [
    ("", "", []),
    ("plain", "plain", []),
    # The four named entities and numeric ones, ";" optional; any other "&" is text.
    ("&lt;&gt;&amp;&quot;", '<>&"', []),
    ("&lt&gt&amp&quot", '<>&"', []),
    ("&#38;&#x26;&#128512;", "&&😀", []),
    (
        "Q&A &copy; &ge; &Or; &#12345678; &#0; &#x;",
        "Q&A &copy; &ge; &Or; &#12345678; &#0; &#x;",
        [],
    ),
    # Every tag and alias.
    ("<b>a</b><strong>b</strong>", "ab", [("bold", 0, 1), ("bold", 1, 1)]),
    ("<i>a</i><em>b</em>", "ab", [("italic", 0, 1), ("italic", 1, 1)]),
    ("<u>a</u><ins>b</ins>", "ab", [("underline", 0, 1), ("underline", 1, 1)]),
    (
        "<s>a</s><strike>b</strike><del>c</del>",
        "abc",
        [("strikethrough", 0, 1), ("strikethrough", 1, 1), ("strikethrough", 2, 1)],
    ),
    (
        '<tg-spoiler>a</tg-spoiler><span class="tg-spoiler">b</span>',
        "ab",
        [("spoiler", 0, 1), ("spoiler", 1, 1)],
    ),
    ("<code>x</code>", "x", [("code", 0, 1)]),
    ("<pre>x</pre>", "x", [("pre", 0, 1)]),
    ('<pre><code class="language-py">x</code></pre>', "x", [("pre", 0, 1, {"language": "py"})]),
    ('<code class="language-py"><pre>x</pre></code>', "x", [("pre", 0, 1, {"language": "py"})]),
    ('<code class="language-py">x</code>', "x", [("code", 0, 1)]),
    ("<pre><code>x</code></pre>", "x", [("pre", 0, 1), ("code", 0, 1)]),
    ("<blockquote>q</blockquote>", "q", [("blockquote", 0, 1)]),
    ("<blockquote expandable>q</blockquote>", "q", [("expandable_blockquote", 0, 1)]),
    (
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
        "👍",
        [("custom_emoji", 0, 2, {"custom_emoji_id": "5368324170671202286"})],
    ),
    # Links: href in either quotes or as a name token, or the text itself; bare hosts get http://.
    (
        '<a href="https://example.org/x?y=1&amp;z=2">x</a>',
        "x",
        [("text_link", 0, 1, {"url": "https://example.org/x?y=1&z=2"})],
    ),
    ("<a href=telegram.org>t</a>", "t", [("text_link", 0, 1, {"url": "http://telegram.org/"})]),
    (
        "<a href  =  'telegram.org?&lt;' >t</a>",
        "t",
        [("text_link", 0, 1, {"url": "http://telegram.org/?<"})],
    ),
    (
        "<a>telegram.org</a>",
        "telegram.org",
        [("text_link", 0, 12, {"url": "http://telegram.org/"})],
    ),
    ("<a>not a link</a>", "not a link", []),
    ('<a href="nonsense">x</a>', "x", []),
    (
        '<a href="tg://user?id=42">Ann</a>',
        "Ann",
        [("text_mention", 0, 3, {"user": {"id": 42, "is_bot": False, "first_name": ""}})],
    ),
    # Case, attributes that mean nothing, spaces in end tags, </> and empty entities.
    ("<B>x</b>", "x", [("bold", 0, 1)]),
    ("<b aba = caba>x</b>", "x", [("bold", 0, 1)]),
    ("<i>x</i   >", "x", [("italic", 0, 1)]),
    ("<i>x</>", "x", [("italic", 0, 1)]),
    ("a<b></b>c", "ac", []),
    # Nesting, offsets in UTF-16 units, and Telegram's order (offset, longer first, then type).
    (
        f"{ARROWS}<i>{ARROWS}<b>x</b></i>",
        f"{ARROWS}{ARROWS}x",
        [("italic", 5, 6), ("bold", 10, 1)],
    ),
    (f"{STADIUMS}<u>{STADIUMS}</u>", STADIUMS * 2, [("underline", 5, 5)]),
    (
        "<i><b> </b> <code> </code></i>",
        "   ",
        [("italic", 0, 3), ("bold", 0, 1), ("code", 2, 1)],
    ),
    (
        "<code><i><b> </b></i></code>",
        " ",
        [("code", 0, 1), ("bold", 0, 1), ("italic", 0, 1)],
    ),
    ("<b>\n</b>", "\n", [("bold", 0, 1)]),
]

HTML_ERRORS: list[tuple[str, str]] = [
    ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
    ("<br>", 'Unsupported start tag "br" at byte offset 0'),
    ("<br/>", 'Unsupported start tag "br/" at byte offset 0'),
    ("x < y", 'Unsupported start tag "" at byte offset 2'),
    ("é < 3", 'Unsupported start tag "" at byte offset 3'),
    (f"{STADIUMS}&lt;<abacaba", "Unclosed start tag at byte offset 13"),
    (f"{STADIUMS}&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
    (f"{STADIUMS}&lt;<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
    (f"{STADIUMS}&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
    (f'{STADIUMS}&lt;<i    aba  =  "&lt;&gt;&quot;>', "Unclosed start tag at byte offset 13"),
    ("<a href=https://x.org>x</a>", "Unexpected end of name token at byte offset 8"),
    ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ('<span class="big">x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<b><i>x</i>", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<i    aba>x", 'Can\'t find end tag corresponding to start tag "i"'),
    ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
    ("x</b>", "Unexpected end tag at byte offset 1"),
    (f"{STADIUMS}&lt;<b></b></", "Unexpected end tag at byte offset 20"),
    (f"{STADIUMS}&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
    ('<tg-emoji emoji-id="x">y</tg-emoji>', "Invalid custom emoji identifier specified"),
    (
        "&#xD83D;",
        "Text contains invalid Unicode characters after decoding HTML entities, "
        "check for unmatched surrogate code units",
    ),
]

MARKDOWN_V2_OK: list[tuple[str, str, list[Entity]]] = [
    ("", "", []),
    (r"*bold* and _it_ \- done\.", "bold and it - done.", [("bold", 0, 4), ("italic", 9, 2)]),
    (
        "__u__ ~s~ ||sp||",
        "u s sp",
        [("underline", 0, 1), ("strikethrough", 2, 1), ("spoiler", 4, 2)],
    ),
    # Every reserved character can be escaped, and so can any other ASCII character.
    (r"\_\*\[\]\(\)\~\`\>\#\+\-\=\|\{\}\.\!", "_*[]()~`>#+-=|{}.!", []),
    (r"\a\\", "a\\", []),
    # Inside code and pre only ` (and \) are special.
    ("`a_b*c.`", "a_b*c.", [("code", 0, 6)]),
    ("```\nx.y\n```", "x.y\n", [("pre", 0, 4)]),
    ("```python\nprint(1)```", "print(1)", [("pre", 0, 8, {"language": "python"})]),
    (
        f"{ARROWS}_{ARROWS}_*{ARROWS}*",
        f"{ARROWS}{ARROWS}{ARROWS}",
        [("italic", 5, 5), ("bold", 10, 5)],
    ),
    (
        f"{STADIUMS}_{STADIUMS} __x___",
        f"{STADIUMS}{STADIUMS} x",
        [("italic", 5, 7), ("underline", 11, 1)],
    ),
    (
        "_* * ` `_",
        "   ",
        [("italic", 0, 3), ("bold", 0, 1), ("code", 2, 1)],
    ),
    ("**", "", []),
    # Links: URL given, or the text itself; an unusable URL leaves plain text.
    ("[site](https://example.org)", "site", [("text_link", 0, 4, {"url": "https://example.org/"})]),
    (r"[telegram\.org]", "telegram.org", [("text_link", 0, 12, {"url": "http://telegram.org/"})]),
    (r"[x](https://a.org/\(1\))", "x", [("text_link", 0, 1, {"url": "https://a.org/(1)"})]),
    ("[x](asdasd)", "x", []),
    (
        "![👍](tg://emoji?id=5368324170671202286)",
        "👍",
        [("custom_emoji", 0, 2, {"custom_emoji_id": "5368324170671202286"})],
    ),
    # Block quotations: ">" at the start of lines; "**>" ... "||" marks an expandable one.
    (">a\n>b\nc", "a\nb\nc", [("blockquote", 0, 4)]),
    (">a", "a", [("blockquote", 0, 1)]),
    ("**>a\n>b||", "a\nb", [("expandable_blockquote", 0, 3)]),
    ("**>a\n>b||\nc", "a\nb\nc", [("expandable_blockquote", 0, 4)]),
]

RESERVED = "Character '{}' is reserved and must be escaped with the preceding '\\'"
MARKDOWN_V2_ERRORS: list[tuple[str, str]] = [
    *[(f"a{c}", RESERVED.format(c)) for c in "]()#+-={}.!|"],
    ("Done.", RESERVED.format(".")),
    ("x > y", RESERVED.format(">")),
    (f"{STADIUMS}_abacaba", "Can't find end of Italic entity at byte offset 9"),
    (f"{STADIUMS}_abac * asd ", "Can't find end of Bold entity at byte offset 15"),
    (f"{STADIUMS}`", "Can't find end of Code entity at byte offset 9"),
    (f"{STADIUMS}```", "Can't find end of Pre entity at byte offset 9"),
    (f"{STADIUMS}```a ", "Can't find end of PreCode entity at byte offset 9"),
    (f"{STADIUMS}__", "Can't find end of Underline entity at byte offset 9"),
    (f"{STADIUMS}||test\\|", "Can't find end of Spoiler entity at byte offset 9"),
    ("~a", "Can't find end of Strikethrough entity at byte offset 0"),
    ("[a", "Can't find end of TextUrl entity at byte offset 0"),
    (r"[telegram\.org](asd", "Can't find end of a URL at byte offset 16"),
    (f"{STADIUMS}![👍]", "Custom emoji entity must contain a tg://emoji URL"),
    (
        f"{STADIUMS}![👍](tg://emoji?id=1234",
        "Can't find end of a custom emoji URL at byte offset 17",
    ),
    ("![a](t://emoji?id=1)", "Custom emoji URL must have scheme tg"),
    ("![a](tg:emojis?id=1)", 'Custom emoji URL must have host "emoji"'),
    ("![a](tg://emoji#test)", "Custom emoji URL must have an emoji identifier"),
    ("![a](tg://emoji?id=025)", "Invalid custom emoji identifier specified"),
    (">*b\n>ld \n>bo\nld*", "Can't find end of Bold entity at byte offset 1"),
    ("*a\nb", "Can't find end of Bold entity at byte offset 0"),
]

MARKDOWN_OK: list[tuple[str, str, list[Entity]]] = [
    ("*bold* _it_ `c`", "bold it c", [("bold", 0, 4), ("italic", 5, 2), ("code", 8, 1)]),
    # Only _ * ` [ are special; MarkdownV2's other reserved characters are text.
    ("a.b-c!(d)", "a.b-c!(d)", []),
    (r"\_\*\`\[ \.", "_*`[ \\.", []),
    ("```py\nx = 1```", "x = 1", [("pre", 0, 5, {"language": "py"})]),
    (
        "[site](https://example.org/a)",
        "site",
        [("text_link", 0, 4, {"url": "https://example.org/a"})],
    ),
    # No nesting: markup inside an entity is text.
    ("*a_b*", "a_b", [("bold", 0, 3)]),
    ("**", "", []),
]

MARKDOWN_ERRORS: list[tuple[str, str]] = [
    ("*bold", "Can't find end of the entity starting at byte offset 0"),
    (f"{STADIUMS}_x", "Can't find end of the entity starting at byte offset 9"),
    ("snake_case", "Can't find end of the entity starting at byte offset 5"),
]


@pytest.mark.parametrize(("source", "text", "entities"), HTML_OK)
def test_parse_html_gives_text_and_entities(source: str, text: str, entities: list) -> None:
    parsed = parse_entities(source, "HTML")

    assert (parsed.text, simple(parsed.entities)) == (text, entities)


@pytest.mark.parametrize(("source", "error"), HTML_ERRORS)
def test_parse_html_refuses_with_telegram_error(source: str, error: str) -> None:
    with pytest.raises(EntityParseError) as raised:
        parse_entities(source, "HTML")

    assert str(raised.value) == error


@pytest.mark.parametrize(("source", "text", "entities"), MARKDOWN_V2_OK)
def test_parse_markdown_v2_gives_text_and_entities(source: str, text: str, entities: list) -> None:
    parsed = parse_entities(source, "MarkdownV2")

    assert (parsed.text, simple(parsed.entities)) == (text, entities)


@pytest.mark.parametrize(("source", "error"), MARKDOWN_V2_ERRORS)
def test_parse_markdown_v2_refuses_with_telegram_error(source: str, error: str) -> None:
    with pytest.raises(EntityParseError) as raised:
        parse_entities(source, "MarkdownV2")

    assert str(raised.value) == error


@pytest.mark.parametrize(("source", "text", "entities"), MARKDOWN_OK)
def test_parse_markdown_gives_text_and_entities(source: str, text: str, entities: list) -> None:
    parsed = parse_entities(source, "Markdown")

    assert (parsed.text, simple(parsed.entities)) == (text, entities)


@pytest.mark.parametrize(("source", "error"), MARKDOWN_ERRORS)
def test_parse_markdown_refuses_with_telegram_error(source: str, error: str) -> None:
    with pytest.raises(EntityParseError) as raised:
        parse_entities(source, "Markdown")

    assert str(raised.value) == error


@pytest.mark.parametrize("mode", [None, "", "none"])
def test_parse_without_parse_mode_keeps_text(mode: str | None) -> None:
    parsed = parse_entities("<b>*x*</b>", mode)

    assert (parsed.text, parsed.entities) == ("<b>*x*</b>", [])


def test_parse_mode_is_case_insensitive() -> None:
    assert parse_entities("<B>x</B>", "html") == parse_entities("<b>x</b>", "HTML")


def test_parse_unknown_mode_is_lookup_error() -> None:
    with pytest.raises(LookupError):
        parse_entities("x", "BBCode")


@pytest.mark.parametrize(("text", "units"), [("", 0), ("abc", 3), ("é", 1), ("😀", 2), (ARROWS, 5)])
def test_utf16_len_counts_code_units(text: str, units: int) -> None:
    assert utf16_len(text) == units


# Through the Bot API: the limits count the visible text, in UTF-16 units.


@pytest.fixture
async def chat(emu) -> int:
    await emu.register_chat(42)
    return 42


@pytest.mark.parametrize(
    ("params", "description"),
    [
        (
            {"text": "<b>x", "parse_mode": "HTML"},
            "Bad Request: can't parse entities: "
            'Can\'t find end tag corresponding to start tag "b"',
        ),
        (
            {"text": "Done.", "parse_mode": "MarkdownV2"},
            "Bad Request: can't parse entities: Character '.' is reserved and must be escaped "
            "with the preceding '\\'",
        ),
        ({"text": "<b> </b>", "parse_mode": "HTML"}, "Bad Request: message text is empty"),
        ({"text": "**", "parse_mode": "MarkdownV2"}, "Bad Request: message text is empty"),
        (
            {"text": "*" + "x" * 4097 + "*", "parse_mode": "Markdown"},
            "Bad Request: message is too long",
        ),
    ],
)
async def test_send_message_parse_errors_are_bad_requests(emu, chat, params, description) -> None:
    status, body = await raw_call(emu, "sendMessage", chat_id=chat, **params)

    assert (status, body) == (400, {"ok": False, "error_code": 400, "description": description})


async def test_send_message_markdown_v2_length_counts_visible_text(emu, chat) -> None:
    text = "*" + "😀" * 2048 + "*"  # 4098 characters sent, 4096 UTF-16 units seen

    status, body = await raw_call(
        emu, "sendMessage", chat_id=chat, text=text, parse_mode="MarkdownV2"
    )

    assert status == 200
    assert body["result"]["entities"] == [{"offset": 0, "length": 4096, "type": "bold"}]


async def test_send_photo_caption_limit_counts_visible_text(bot, chat) -> None:
    caption = "<b>" + "c" * 1024 + "</b>"

    message = await bot.send_photo(chat, b"img", caption=caption, parse_mode="HTML")

    assert message.caption == "c" * 1024
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(chat, b"img", caption=caption)  # the tags count as text: 1031
