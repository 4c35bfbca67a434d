"""The HTML and MarkdownV2 parsers: visible text, UTF-16 entity offsets, Telegram's errors."""

from __future__ import annotations

import pytest

from bot.telegram_text import ParseError, parse_text, utf16_len


def test_utf16_len_counts_emoji_as_two_units() -> None:
    assert (utf16_len("a😀é"), len("a😀é")) == (4, 3)


def test_html_entities_offsets_are_utf16_after_emoji() -> None:
    parsed = parse_text("😀 <b>bold</b>", "HTML")

    assert parsed.plain == "😀 bold"
    assert parsed.entities == [{"type": "bold", "offset": 3, "length": 4}]


def test_html_nested_tags_and_links() -> None:
    parsed = parse_text('<b>a <i>b</i></b> <a href="https://x.org/?a=1&amp;b=2">c</a>', "HTML")

    assert parsed.plain == "a b c"
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 3},
        {"type": "italic", "offset": 2, "length": 1},
        {"type": "text_link", "offset": 4, "length": 1, "url": "https://x.org/?a=1&b=2"},
    ]


def test_html_pre_code_language_and_expandable_blockquote() -> None:
    parsed = parse_text(
        '<pre><code class="language-python">x = 1</code></pre>'
        "<blockquote expandable>q</blockquote>",
        "HTML",
    )

    assert parsed.plain == "x = 1q"
    assert parsed.entities == [
        {"type": "pre", "offset": 0, "length": 5, "language": "python"},
        {"type": "expandable_blockquote", "offset": 5, "length": 1},
    ]


def test_html_spoiler_span_and_numeric_entities() -> None:
    parsed = parse_text('<span class="tg-spoiler">s</span> &#60;&#x3e;&quot;', "HTML")

    assert parsed.plain == 's <>"'
    assert parsed.entities == [{"type": "spoiler", "offset": 0, "length": 1}]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("a<br/>", 'Unsupported start tag "br/" at byte offset 1'),
        ("&nbsp;", 'Character "&" at byte offset 0'),
    ],
)
def test_html_errors_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_text(text, "HTML")

    assert message in str(caught.value)


def test_markdown_v2_escapes_links_and_code() -> None:
    parsed = parse_text(r"__u__ ~s~ ||p|| [l](https://a.b/\)) `c\`` 1\+1", "MarkdownV2")

    assert parsed.plain == "u s p l c` 1+1"
    assert [e["type"] for e in parsed.entities] == [
        "underline",
        "strikethrough",
        "spoiler",
        "text_link",
        "code",
    ]
    assert parsed.entities[3]["url"] == "https://a.b/)"


def test_markdown_v2_unclosed_entity_names_its_offset() -> None:
    with pytest.raises(ParseError, match="Can't find end of Bold entity at byte offset 2"):
        parse_text("é*bold", "MarkdownV2")


def test_legacy_markdown_bold_and_error() -> None:
    assert parse_text("*b* _i_", "Markdown").plain == "b i"
    with pytest.raises(ParseError, match="Can't find end of the entity starting at byte offset 0"):
        parse_text("*open", "Markdown")


def test_plain_text_is_left_alone() -> None:
    assert parse_text("<b>&", None).plain == "<b>&"


def test_unknown_parse_mode_is_lookup_error() -> None:
    with pytest.raises(LookupError):
        parse_text("x", "BBCode")
