"""Telegram's three text formats, parsed into visible text and entities the way the Bot API does.

Written from Telegram's documentation (https://core.telegram.org/bots/api#formatting-options) and
the observable behaviour of the Bot API (tdlib's parser), independently of any bot's own text
checks, so that a mistake in a bot's checker is not hidden by the same mistake here.

* ``HTML``: the tags b/strong, i/em, u/ins, s/strike/del, tg-spoiler and
  ``span class="tg-spoiler"``, ``a href``, ``tg-emoji emoji-id``, code, pre (with
  ``<code class="language-x">`` inside or around it for a language), blockquote (``expandable``).
  Tag names are case-insensitive; ``</>`` closes the innermost tag. The entities ``&lt;``
  ``&gt;`` ``&amp;`` ``&quot;`` and numeric ones (``&#38;``, ``&#x26;``, the ``;`` is optional)
  are decoded; any other ``&`` is kept as it is. A ``<`` always starts a tag.
* ``MarkdownV2``: ``*bold*``, ``_italic_``, ``__underline__``, ``~strike~``, ``||spoiler||``,
  ``[text](url)``, ``![emoji](tg://emoji?id=...)``, `` `code` ``, ```` ```lang pre``` ````, ``>``
  block quotation lines (``**>`` ... ``||`` for an expandable one). Every character of
  ``_*[]()~`>#+-=|{}.!`` outside an entity's markup must be escaped with ``\\``; inside code and
  pre only `````` ` `````` and ``\\`` (and any ASCII character may be escaped anywhere).
* ``Markdown`` (legacy): ``*bold*``, ``_italic_``, `` `code` ``, ```` ```pre``` ````,
  ``[text](url)``; ``\\`` escapes ``_ * ` [`` outside entities only; entities do not nest.

Offsets and lengths are in UTF-16 code units of the visible text. Errors are
:class:`EntityParseError` whose message is Telegram's, to be sent as
``Bad Request: can't parse entities: <message>``; byte offsets in them count UTF-8 bytes of the
text as sent.

Not done here (the real Bot API does them after parsing): finding URLs, mentions, hashtags and
commands in the text by themselves, trimming whitespace around the text, and normalising URLs
beyond adding ``http://`` and a ``/`` path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["EntityParseError", "ParsedText", "parse_entities", "utf16_len"]

_INT64_MAX = 2**63 - 1
_SPACE = frozenset(" \t\r\n\v\f\x00")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_NAMED_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
        "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip
_HTML_KIND = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_MARKDOWN_V2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!\n")
# How Telegram orders entities that start and end at the same place (lower first).
_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}
# Entity names as tdlib spells them in "Can't find end of <name> entity" errors.
_ERROR_NAME = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
    "blockquote": "BlockQuote",
}
_LINK_SCHEMES = ("http", "https")
_OPAQUE_SCHEMES = ("tg", "ton", "tonsite")
_HOST = re.compile(
    r"(?:[\w-]+\.)+[^\W\d_]{2,}\.?(?::\d{1,5})?|\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?"
)
# Runs of text with nothing to parse, copied in one piece (the parsers are otherwise per character).
_HTML_PLAIN = re.compile(r"[^&<]+")
_MARKDOWN_V2_PLAIN = re.compile(r"[^_*\[\]()~`>#+\-=|{}.!\n\\]+")
_MARKDOWN_V2_CODE_PLAIN = re.compile(r"[^`\\]+")
_USER_LINK = re.compile(r"tg:(?://)?user\?id=(\d+)", re.IGNORECASE)


class EntityParseError(ValueError):
    """The text cannot be parsed; the message is Telegram's reason."""


@dataclass(frozen=True)
class ParsedText:
    text: str  # what the recipient sees
    entities: list[dict[str, Any]] = field(default_factory=list)  # Bot API MessageEntity JSON


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits and entity offsets."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def parse_entities(text: str, parse_mode: str | None) -> ParsedText:
    """Parse ``text`` as Telegram would for ``parse_mode`` (None or "" means plain text).

    Raises :class:`EntityParseError` for text Telegram refuses and :class:`LookupError` for an
    unknown parse mode.
    """
    mode = (parse_mode or "").lower()
    if mode in ("", "none"):
        return ParsedText(text, [])
    if mode == "html":
        return _HtmlParser(text).parse()
    if mode == "markdownv2":
        return _MarkdownV2Parser(text).parse()
    if mode == "markdown":
        return _parse_legacy_markdown(text)
    raise LookupError(parse_mode)


@dataclass
class _Entity:
    kind: str
    offset: int
    length: int
    argument: str = ""  # url, language, custom emoji id or user id, depending on kind

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"offset": self.offset, "length": self.length, "type": self.kind}
        if self.kind == "text_link":
            body["url"] = self.argument
        elif self.kind == "text_mention":
            body["user"] = {"id": int(self.argument), "is_bot": False, "first_name": ""}
        elif self.kind == "pre" and self.argument:
            body["language"] = self.argument
        elif self.kind == "custom_emoji":
            body["custom_emoji_id"] = self.argument
        return body


def _finish(chars: list[str], entities: list[_Entity]) -> ParsedText:
    entities.sort(key=lambda e: (e.offset, -e.length, _PRIORITY[e.kind]))
    return ParsedText("".join(chars), [entity.to_json() for entity in entities])


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", "surrogatepass"))


def _ascii_lower(text: str) -> str:
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)


def _link_entity(url: str, offset: int, length: int) -> _Entity | None:
    """A text_link (or text_mention for a tg://user link), or None when Telegram drops it."""
    user = _USER_LINK.fullmatch(url)
    if user:
        return _Entity("text_mention", offset, length, user.group(1))
    checked = _checked_link(url)
    return _Entity("text_link", offset, length, checked) if checked else None


def _checked_link(url: str) -> str | None:
    """The URL as Telegram keeps it in a text_link, or None for one it does not accept."""
    if not url or any(char.isspace() for char in url):
        return None
    scheme, colon, rest = url.partition(":")
    if colon and scheme.lower() in _OPAQUE_SCHEMES:
        return url
    if colon and rest.startswith("//"):
        scheme = scheme.lower()
        if scheme not in _LINK_SCHEMES:
            return None
        rest = rest[2:]
    else:
        scheme = "http"
        rest = url
    host_end = len(rest)
    for stop in "/?#":
        position = rest.find(stop)
        if position != -1:
            host_end = min(host_end, position)
    host, tail = rest[:host_end], rest[host_end:]
    if "@" in host:
        host = host.rpartition("@")[2]
    if not _HOST.fullmatch(host):
        return None
    if not tail.startswith("/"):
        tail = "/" + tail
    return f"{scheme}://{rest[:host_end]}{tail}"


def _custom_emoji_id(url: str) -> str:
    """The id in a ``tg://emoji?id=...`` link, or the error Telegram gives for the link."""
    link = url.lower()
    if not link.startswith("tg:"):
        raise EntityParseError("Custom emoji URL must have scheme tg")
    link = link[3:].removeprefix("//")
    if not link.startswith("emoji") or (len(link) > 5 and link[5] not in "/?#"):
        raise EntityParseError('Custom emoji URL must have host "emoji"')
    query = link.partition("?")[2].partition("#")[0] if "?" in link.partition("#")[0] else ""
    values = [
        value for name, _, value in (p.partition("=") for p in query.split("&")) if name == "id"
    ]
    if not values:
        raise EntityParseError("Custom emoji URL must have an emoji identifier")
    if not _is_custom_emoji_id(values[0]):
        raise EntityParseError("Invalid custom emoji identifier specified")
    return values[0]


def _is_custom_emoji_id(value: str) -> bool:
    return re.fullmatch(r"-?[1-9][0-9]{0,18}", value) is not None and abs(int(value)) <= _INT64_MAX


class _Cursor:
    """Reading position over the text; past the end reads as "" (like C's terminating NUL)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.size = len(text)

    def at(self, index: int) -> str:
        return self.text[index] if 0 <= index < self.size else ""

    def is_space(self, index: int) -> bool:
        return index >= self.size or self.text[index] in _SPACE

    def byte(self, index: int) -> int:
        return _byte_offset(self.text, index)


# ---------------------------------------------------------------------------------------- HTML


@dataclass
class _OpenTag:
    name: str
    argument: str
    offset: int  # UTF-16 offset in the visible text where its content starts
    start: int  # index in the parser's output pieces where its content starts


class _HtmlParser(_Cursor):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.out: list[str] = []
        self.utf16 = 0
        self.entities: list[_Entity] = []
        self.open: list[_OpenTag] = []
        self.surrogate = False

    def parse(self) -> ParsedText:
        i = 0
        while i < self.size:
            plain = _HTML_PLAIN.match(self.text, i)
            if plain is not None:
                self.out.append(plain.group())
                self.utf16 += _utf16_units(plain.group())
                i = plain.end()
                continue
            char = self.text[i]
            if char == "&":
                decoded = self._entity(i)
                if decoded is not None:
                    self._emit(decoded[0])
                    i = decoded[1]
                    continue
            if char != "<":
                self._emit(char)
                i += 1
            elif self.at(i + 1) == "/":
                i = self._end_tag(i)
            else:
                i = self._start_tag(i)
        if self.open:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self.open[-1].name}"'
            )
        if self.surrogate:
            raise EntityParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        for entity in self.entities:
            if entity.kind == "code":
                entity.argument = ""
        return _finish(self.out, self.entities)

    def _emit(self, char: str) -> None:
        self.out.append(char)
        self.utf16 += 2 if ord(char) > 0xFFFF else 1
        if 0xD800 <= ord(char) <= 0xDFFF:
            self.surrogate = True

    def _entity(self, i: int) -> tuple[str, int] | None:
        """The character an HTML entity at ``i`` stands for and the index after it, if any."""
        j = i + 1
        if self.at(j) == "#":
            j += 1
            digits = "0123456789"
            base = 10
            if self.at(j) == "x":
                j += 1
                digits += "abcdefABCDEF"
                base = 16
            first = j
            while self.at(j) and self.at(j) in digits:
                j += 1
            value = int(self.text[first:j], base) if j > first else 0
            # Telegram gives up on references of 10 or more characters before the ";".
            if value == 0 or value >= 0x10FFFF or j - i >= 10:
                return None
            char = chr(value)
        else:
            while self.at(j).isascii() and self.at(j).isalpha():
                j += 1
            named = _NAMED_HTML_ENTITIES.get(self.text[i + 1 : j])
            if named is None:
                return None
            char = named
        if self.at(j) == ";":
            j += 1
        return char, j

    def _skip_spaces(self, i: int) -> int:
        while i < self.size and self.text[i] in _SPACE:
            i += 1
        return i

    def _start_tag(self, begin: int) -> int:
        i = begin + 1
        while not self.is_space(i) and self.at(i) != ">":
            i += 1
        if i >= self.size:
            raise EntityParseError(f"Unclosed start tag at byte offset {self.byte(begin)}")
        name = _ascii_lower(self.text[begin + 1 : i])
        if name not in _HTML_TAGS:
            raise EntityParseError(
                f'Unsupported start tag "{name}" at byte offset {self.byte(begin)}'
            )
        argument = ""
        while self.at(i) != ">":
            i = self._skip_spaces(i)
            if self.at(i) == ">":
                break
            attribute_begin = i
            while not self.is_space(i) and self.at(i) not in ("=", ">", "/", '"', "'"):
                i += 1
            attribute = self.text[attribute_begin:i]
            if not attribute:
                raise EntityParseError(
                    f'Empty attribute name in the tag "{name}" at byte offset {self.byte(begin)}'
                )
            i = self._skip_spaces(i)
            if self.at(i) != "=":
                if i >= self.size:
                    raise EntityParseError(
                        f'Unclosed start tag "{name}" at byte offset {self.byte(begin)}'
                    )
                if name == "blockquote" and attribute == "expandable":
                    argument = "1"
                continue
            i = self._skip_spaces(i + 1)
            if i >= self.size:
                raise EntityParseError(
                    f'Unclosed start tag "{name}" at byte offset {self.byte(begin)}'
                )
            value, i = self._attribute_value(i)
            if i >= self.size:
                raise EntityParseError(f"Unclosed start tag at byte offset {self.byte(begin)}")
            if name == "a" and attribute == "href":
                argument = value
            elif name == "code" and attribute == "class" and value.startswith("language-"):
                argument = value.removeprefix("language-")
            elif name == "span" and attribute == "class" and value.startswith("tg-"):
                argument = value.removeprefix("tg-")
            elif name == "tg-emoji" and attribute == "emoji-id":
                argument = value
            elif name == "blockquote" and attribute == "expandable":
                argument = "1"
        if name == "span" and argument != "spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte(begin)}'
            )
        self.open.append(_OpenTag(name, argument, self.utf16, len(self.out)))
        return i + 1

    def _attribute_value(self, i: int) -> tuple[str, int]:
        quote = self.at(i)
        if quote not in ('"', "'"):
            # An unquoted value is a name token: letters, digits, "." and "-", case-insensitive.
            begin = i
            while self.at(i) and (self.at(i) in _ASCII_ALNUM or self.at(i) in ".-"):
                i += 1
            if not self.is_space(i) and self.at(i) != ">":
                raise EntityParseError(
                    f"Unexpected end of name token at byte offset {self.byte(begin)}"
                )
            return _ascii_lower(self.text[begin:i]), i
        value: list[str] = []
        i += 1
        while i < self.size and self.text[i] != quote:
            if self.text[i] == "&":
                decoded = self._entity(i)
                if decoded is not None:
                    value.append(decoded[0])
                    i = decoded[1]
                    continue
            value.append(self.text[i])
            i += 1
        if self.at(i) == quote:
            i += 1
        return "".join(value), i

    def _end_tag(self, begin: int) -> int:
        if not self.open:
            raise EntityParseError(f"Unexpected end tag at byte offset {self.byte(begin)}")
        i = begin + 2
        while not self.is_space(i) and self.at(i) != ">":
            i += 1
        end_name = _ascii_lower(self.text[begin + 2 : i])
        i = self._skip_spaces(i)
        if self.at(i) != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {self.byte(begin)}")
        tag = self.open[-1]
        if end_name and end_name != tag.name:
            raise EntityParseError(
                f"Unmatched end tag at byte offset {self.byte(begin)}, "
                f'expected "</{tag.name}>", found "</{end_name}>"'
            )
        if self.utf16 > tag.offset:
            self._close(tag)
        self.open.pop()
        return i + 1

    def _close(self, tag: _OpenTag) -> None:
        offset, length = tag.offset, self.utf16 - tag.offset
        last = self.entities[-1] if self.entities else None
        same_span = last is not None and (last.offset, last.length) == (offset, length)
        entity: _Entity | None
        if tag.name in _HTML_KIND:
            entity = _Entity(_HTML_KIND[tag.name], offset, length)
        elif tag.name == "tg-emoji":
            if not _is_custom_emoji_id(tag.argument):
                raise EntityParseError("Invalid custom emoji identifier specified")
            entity = _Entity("custom_emoji", offset, length, tag.argument)
        elif tag.name == "a":
            entity = _link_entity(tag.argument or "".join(self.out[tag.start :]), offset, length)
        elif tag.name == "pre":
            if last is not None and same_span and last.kind == "code" and last.argument:
                last.kind = "pre"  # <pre><code class="language-x">: one pre with a language
                return
            entity = _Entity("pre", offset, length)
        elif tag.name == "code":
            if last is not None and same_span and last.kind == "pre" and tag.argument:
                last.argument = tag.argument  # <code class="language-x"><pre>
                return
            entity = _Entity("code", offset, length, tag.argument)
        else:  # blockquote
            kind = "expandable_blockquote" if tag.argument else "blockquote"
            entity = _Entity(kind, offset, length)
        if entity is not None:
            self.entities.append(entity)


# ---------------------------------------------------------------------------------- MarkdownV2


@dataclass
class _OpenMark:
    kind: str
    argument: str
    offset: int  # UTF-16 offset in the visible text
    index: int  # index in the source text of the mark that opened it (for error offsets)
    start: int  # index in the parser's output pieces where its content starts


class _MarkdownV2Parser(_Cursor):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.out: list[str] = []
        self.utf16 = 0
        self.entities: list[_Entity] = []
        self.open: list[_OpenMark] = []
        self.in_quote = False
        self.line_start = True  # a ">" here starts (or continues) a block quotation

    def _emit(self, char: str) -> None:
        self.out.append(char)
        self.utf16 += 2 if ord(char) > 0xFFFF else 1

    def _reserved(self, char: str) -> EntityParseError:
        return EntityParseError(
            f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
        )

    def _unclosed(self, mark: _OpenMark) -> EntityParseError:
        return EntityParseError(
            f"Can't find end of {_error_name(mark)} entity at byte offset {self.byte(mark.index)}"
        )

    def parse(self) -> ParsedText:
        i = 0
        while i < self.size:
            char = self.text[i]
            following = self.at(i + 1)
            if char == "\\" and following and 0 < ord(following) <= 126:
                self._emit(following)
                if following != "\r":
                    self.line_start = following == "\n"
                i += 2
                continue
            in_code = bool(self.open) and self.open[-1].kind in ("code", "pre")
            plain = (_MARKDOWN_V2_CODE_PLAIN if in_code else _MARKDOWN_V2_PLAIN).match(self.text, i)
            if plain is not None:
                run = plain.group()
                self.out.append(run)
                self.utf16 += _utf16_units(run)
                if run.strip("\r"):
                    self.line_start = False
                i = plain.end()
                continue
            if char not in ("`" if in_code else _MARKDOWN_V2_RESERVED):
                self._emit(char)
                if char != "\r":
                    self.line_start = False
                i += 1
                continue
            if self._ends_innermost(i):
                i = self._close(i)
            else:
                i = self._open(i)
        if self.in_quote:
            kind = "blockquote"
            top = self.open[-1]
            if top.kind == "spoiler" and top.index == self.size - 2:
                self.open.pop()  # a final "||" marks the quotation expandable
                kind = "expandable_blockquote"
            top = self.open[-1]
            if top.kind == "blockquote":
                if self.utf16 > top.offset:
                    self.entities.append(_Entity(kind, top.offset, self.utf16 - top.offset))
                self.open.pop()
                self.in_quote = False
        if self.open:
            raise self._unclosed(self.open[-1])
        return _finish(self.out, self.entities)

    def _ends_innermost(self, i: int) -> bool:
        if not self.open:
            return False
        char, following = self.text[i], self.at(i + 1)
        if self.in_quote and char == "\n" and following != ">":
            return True
        kind = self.open[-1].kind
        if kind == "bold":
            return char == "*"
        if kind == "italic":
            return char == "_" and following != "_"
        if kind == "underline":
            return char == "_" and following == "_"
        if kind == "strikethrough":
            return char == "~"
        if kind == "spoiler":
            return char == "|" and following == "|"
        if kind == "code":
            return char == "`"
        if kind == "pre":
            return self.text[i : i + 3] == "```"
        if kind in ("text_link", "custom_emoji"):
            return char == "]"
        return False  # blockquote: only a line not starting with ">" ends it

    def _open(self, i: int) -> int:
        """Start the entity whose mark is at ``i``; the index after the mark."""
        char, following = self.text[i], self.at(i + 1)
        begin = i
        argument = ""
        if char == "_":
            kind = "underline" if following == "_" else "italic"
            i += 2 if following == "_" else 1
        elif char == "*":
            kind, i = "bold", i + 1
        elif char == "~":
            kind, i = "strikethrough", i + 1
        elif char == "|":
            if following != "|":
                raise self._reserved(char)
            kind, i = "spoiler", i + 2
        elif char == "[":
            kind, i = "text_link", i + 1
        elif char == "!":
            if following != "[":
                raise self._reserved(char)
            kind, i = "custom_emoji", i + 2
        elif char == "`":
            if self.text[i : i + 3] == "```":
                kind = "pre"
                argument, i = self._pre_language(i + 3)
            else:
                kind, i = "code", i + 1
        elif char == "\n":
            self._emit("\n")
            self.line_start = True
            return i + 1
        elif char == ">" and self.line_start:
            if self.in_quote:
                return i + 1  # the next line of the same quotation
            kind, i = "blockquote", i + 1
            self.in_quote = True
        else:
            raise self._reserved(char)
        self.open.append(_OpenMark(kind, argument, self.utf16, begin, len(self.out)))
        return i

    def _pre_language(self, i: int) -> tuple[str, int]:
        """After a ```: the language (up to a space or `) and where the block's text starts."""
        end = i
        while not self.is_space(end) and self.at(end) != "`":
            end += 1
        language = ""
        if end != i and end < self.size and self.text[end] != "`":
            language, i = self.text[i:end], end
        if self.at(i) in ("\n", "\r"):  # one line break after the opening ``` is not content
            pair = self.at(i + 1) in ("\n", "\r") and self.at(i + 1) != self.at(i)
            i += 2 if pair else 1
        return language, i

    def _close(self, i: int) -> int:
        """End the innermost entity at ``i``; the index after its closing mark."""
        mark = self.open[-1]
        kind = mark.kind
        char = self.text[i]
        if char == "\n" and kind != "blockquote":
            # Only "||" right at the end of a quotation's last line may be open here: it is
            # not a spoiler but the mark of an expandable quotation.
            before_break = mark.index == i - 2 or (
                mark.index == i - 3 and bool(self.out) and self.out[-1].endswith("\r")
            )
            if kind != "spoiler" or not before_break:
                raise self._unclosed(mark)
            self.open.pop()
            mark = self.open[-1]
            if mark.kind != "blockquote":
                raise self._unclosed(mark)
            kind = "expandable_blockquote"
        skip = self.utf16 == mark.offset
        argument = mark.argument
        after = i + 1
        if kind in ("underline", "spoiler"):
            after = i + 2
        elif kind == "pre":
            after = i + 3
        elif kind == "text_link":
            if self.at(i + 1) == "(":
                url, after = self._url(i + 2, "a URL")
            else:
                url = "".join(self.out[mark.start :])
            link = _link_entity(url, mark.offset, self.utf16 - mark.offset)
            self.open.pop()
            if link is not None and not skip:
                self.entities.append(link)
            return after
        elif kind == "custom_emoji":
            if self.at(i + 1) != "(":
                raise EntityParseError("Custom emoji entity must contain a tg://emoji URL")
            url, after = self._url(i + 2, "a custom emoji URL")
            argument = _custom_emoji_id(url)
        elif kind in ("blockquote", "expandable_blockquote"):
            self._emit("\n")
            self.line_start = True
            self.in_quote = False
            skip = False
        if not skip:
            self.entities.append(_Entity(kind, mark.offset, self.utf16 - mark.offset, argument))
        self.open.pop()
        return after

    def _url(self, i: int, what: str) -> tuple[str, int]:
        """The URL in "(...)" starting at ``i`` (escapes resolved) and the index after ")"."""
        begin = i
        url: list[str] = []
        while i < self.size and self.text[i] != ")":
            following = self.at(i + 1)
            if self.text[i] == "\\" and following and 0 < ord(following) <= 126:
                url.append(following)
                i += 2
                continue
            url.append(self.text[i])
            i += 1
        if i >= self.size:
            raise EntityParseError(f"Can't find end of {what} at byte offset {self.byte(begin)}")
        return "".join(url), i + 1


def _error_name(mark: _OpenMark) -> str:
    if mark.kind == "pre" and mark.argument:
        return "PreCode"
    return _ERROR_NAME[mark.kind]


# ----------------------------------------------------------------------------- legacy Markdown


def _parse_legacy_markdown(text: str) -> ParsedText:
    cursor = _Cursor(text)
    out: list[str] = []
    utf16 = 0
    entities: list[_Entity] = []
    i = 0
    while i < cursor.size:
        char = text[i]
        if char == "\\" and cursor.at(i + 1) in ("_", "*", "`", "["):
            out.append(text[i + 1])
            utf16 += 1
            i += 2
            continue
        if char not in ("_", "*", "`", "["):
            out.append(char)
            utf16 += 2 if ord(char) > 0xFFFF else 1
            i += 1
            continue
        begin = i
        end_char = "]" if char == "[" else char
        i += 1
        is_pre = False
        language = ""
        if char == "`" and text[i : i + 2] == "``":
            is_pre = True
            i += 2
            end = i
            while not cursor.is_space(end) and cursor.at(end) != "`":
                end += 1
            if end != i and end < cursor.size and text[end] != "`":
                language, i = text[i:end], end
            if cursor.at(i) in ("\n", "\r"):
                pair = cursor.at(i + 1) in ("\n", "\r") and cursor.at(i + 1) != cursor.at(i)
                i += 2 if pair else 1
        offset = utf16
        # No escapes and no nesting inside an entity: everything up to the closing mark is text.
        while i < cursor.size and (text[i] != end_char or (is_pre and text[i + 1 : i + 3] != "``")):
            out.append(text[i])
            utf16 += 2 if ord(text[i]) > 0xFFFF else 1
            i += 1
        if i >= cursor.size:
            raise EntityParseError(
                f"Can't find end of the entity starting at byte offset {cursor.byte(begin)}"
            )
        length = utf16 - offset
        if length:
            if char == "_":
                entities.append(_Entity("italic", offset, length))
            elif char == "*":
                entities.append(_Entity("bold", offset, length))
            elif char == "[":
                if cursor.at(i + 1) == "(":
                    close = text.find(")", i + 2)
                    close = cursor.size if close == -1 else close
                    url = text[i + 2 : close]
                    i = close
                else:
                    url = text[begin + 1 : i]
                link = _link_entity(url, offset, length)
                if link is not None:
                    entities.append(link)
            else:
                kind = "pre" if is_pre else "code"
                entities.append(_Entity(kind, offset, length, language))
        i += 3 if is_pre else 1
    return _finish(out, entities)
