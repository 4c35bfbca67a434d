"""Telegram's text formatting: HTML, MarkdownV2 and Markdown parsed into plain text + entities.

Shared by the emulator (which refuses what Telegram refuses) and the content loader (which
checks organiser-written HTML, such as FAQ answers, before Telegram would refuse it).

Telegram measures lengths and entity offsets in UTF-16 code units of the *visible* text, so the
parsers here produce the visible text and entities with UTF-16 offsets, and raise
:class:`ParseError` with Telegram's wording (byte offsets are UTF-8, as in Telegram's errors).

The HTML parser follows Telegram's behaviour with one deliberate difference: a bare ``&`` that
does not start ``&lt;``, ``&gt;``, ``&amp;``, ``&quot;`` or a numeric reference is an error here,
while Telegram keeps it as text. The Bot API documentation says such ``&`` must be escaped, so
failing early catches unescaped user content before it meets a ``<`` in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ParseError", "ParsedText", "parse_text", "utf16_len"]

Entity = dict[str, Any]


class ParseError(ValueError):
    """Text that Telegram would refuse with "can't parse entities: <reason>"."""


@dataclass(frozen=True)
class ParsedText:
    """The visible text and its entities (offsets and lengths in UTF-16 code units)."""

    plain: str
    entities: list[Entity] = field(default_factory=list)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram counts in."""
    # Characters outside the BMP (most emoji) take two code units; encoding runs in C, which
    # matters because every reply is measured.
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def parse_text(text: str, parse_mode: str | None) -> ParsedText:
    """Parse ``text`` as Telegram would for ``parse_mode`` (None or "" means plain text)."""
    if not parse_mode:
        return ParsedText(text)
    mode = parse_mode.lower()
    if mode == "html":
        return _HtmlParser(text).parse()
    if mode == "markdownv2":
        return _MarkdownV2Parser(text).parse()
    if mode == "markdown":
        return _parse_legacy_markdown(text)
    raise LookupError(parse_mode)


class _Output:
    """Visible text under construction, tracking its UTF-16 length for entity offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos16 = 0

    def add(self, chunk: str) -> None:
        self.parts.append(chunk)
        self.pos16 += utf16_len(chunk)

    def text(self) -> str:
        return "".join(self.parts)


def _finish(out: _Output, entities: list[Entity]) -> ParsedText:
    kept = [e for e in entities if e["length"] > 0]
    # Outer entities first at the same offset, as Telegram orders them.
    kept.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText(out.text(), kept)


# --- HTML -------------------------------------------------------------------------------------

_HTML_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SIMPLE_TAGS = {
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
    "code": "code",
    "pre": "pre",
}
_SUPPORTED_TAGS = {*_SIMPLE_TAGS, "a", "span", "tg-emoji", "blockquote"}


@dataclass
class _OpenTag:
    name: str
    start16: int
    attributes: dict[str, str]


class _HtmlParser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.i = 0
        self.out = _Output()
        self.stack: list[_OpenTag] = []
        self.entities: list[Entity] = []

    def error(self, message: str) -> ParseError:
        return ParseError(message)

    def parse(self) -> ParsedText:
        text = self.text
        while self.i < self.n:
            ch = text[self.i]
            if ch == "&":
                self._entity()
            elif ch == "<":
                self._tag()
            elif ch == ">":
                # Telegram tolerates a bare ">" in text.
                self.out.add(ch)
                self.i += 1
            else:
                end = self.i
                while end < self.n and text[end] not in "&<>":
                    end += 1
                self.out.add(text[self.i : end])
                self.i = end
        if self.stack:
            raise self.error(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        return _finish(self.out, self.entities)

    def _entity(self) -> None:
        match = _HTML_ENTITY.match(self.text, self.i)
        if match is None:
            offset = _byte_offset(self.text, self.i)
            raise self.error(
                f'Character "&" at byte offset {offset} must be escaped as "&amp;" '
                "(it does not start an HTML entity)"
            )
        named, decimal, hexadecimal = match.groups()
        if named:
            self.out.add(_NAMED[named])
        else:
            code = int(decimal, 10) if decimal else int(hexadecimal, 16)
            self.out.add(chr(code) if 0 < code <= 0x10FFFF else "\ufffd")
        self.i = match.end()

    def _decode_attribute(self, value: str) -> str:
        def replace(match: re.Match[str]) -> str:
            named, decimal, hexadecimal = match.groups()
            if named:
                return _NAMED[named]
            return chr(int(decimal, 10) if decimal else int(hexadecimal, 16))

        return _HTML_ENTITY.sub(replace, value)

    def _tag(self) -> None:
        text = self.text
        begin = self.i
        offset = _byte_offset(text, begin)
        self.i += 1
        if self.i < self.n and text[self.i] == "/":
            self._end_tag(begin, offset)
            return
        name_start = self.i
        while self.i < self.n and not text[self.i].isspace() and text[self.i] != ">":
            self.i += 1
        if self.i >= self.n:
            raise self.error(f"Unclosed start tag at byte offset {offset}")
        name = text[name_start : self.i].lower()
        if name not in _SUPPORTED_TAGS:
            raise self.error(f'Unsupported start tag "{name}" at byte offset {offset}')
        attributes = self._attributes(name, offset)
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise self.error(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        if name == "tg-emoji" and not attributes.get("emoji-id", "").isdigit():
            raise self.error(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {offset}'
            )
        self.stack.append(_OpenTag(name, self.out.pos16, attributes))

    def _attributes(self, tag: str, offset: int) -> dict[str, str]:
        text = self.text
        attributes: dict[str, str] = {}
        while True:
            while self.i < self.n and text[self.i].isspace():
                self.i += 1
            if self.i >= self.n:
                raise self.error(f"Unclosed start tag at byte offset {offset}")
            if text[self.i] == ">":
                self.i += 1
                return attributes
            name_start = self.i
            while self.i < self.n and (text[self.i].isalnum() or text[self.i] in "-_"):
                self.i += 1
            name = text[name_start : self.i].lower()
            if not name:
                raise self.error(f'Empty attribute name in the tag "{tag}" at byte offset {offset}')
            while self.i < self.n and text[self.i].isspace():
                self.i += 1
            if self.i >= self.n:
                raise self.error(f"Unclosed start tag at byte offset {offset}")
            if text[self.i] != "=":
                # A bare attribute, such as <blockquote expandable>.
                attributes[name] = ""
                continue
            self.i += 1
            while self.i < self.n and text[self.i].isspace():
                self.i += 1
            if self.i >= self.n:
                raise self.error(f"Unclosed start tag at byte offset {offset}")
            quote = text[self.i]
            if quote in "\"'":
                end = text.find(quote, self.i + 1)
                if end < 0:
                    raise self.error(f"Unclosed start tag at byte offset {offset}")
                value = text[self.i + 1 : end]
                self.i = end + 1
            else:
                value_start = self.i
                while self.i < self.n and not text[self.i].isspace() and text[self.i] != ">":
                    self.i += 1
                value = text[value_start : self.i]
            attributes[name] = self._decode_attribute(value)

    def _end_tag(self, begin: int, offset: int) -> None:
        text = self.text
        self.i += 1
        if not self.stack:
            raise self.error(f"Unexpected end tag at byte offset {offset}")
        name_start = self.i
        while self.i < self.n and (text[self.i].isalpha() or text[self.i] == "-"):
            self.i += 1
        name = text[name_start : self.i].lower()
        while self.i < self.n and text[self.i].isspace():
            self.i += 1
        if self.i >= self.n or text[self.i] != ">":
            raise self.error(f"Unclosed end tag at byte offset {offset}")
        self.i += 1
        open_tag = self.stack[-1]
        if name and name != open_tag.name:
            raise self.error(
                f'Unmatched end tag at byte offset {offset}, expected "</{open_tag.name}>", '
                f'found "</{name}>"'
            )
        self.stack.pop()
        self._close(open_tag)

    def _close(self, tag: _OpenTag) -> None:
        length = self.out.pos16 - tag.start16
        entity: Entity = {"offset": tag.start16, "length": length}
        if tag.name == "a":
            url = tag.attributes.get("href", "")
            if not url:
                return
            entity.update(type="text_link", url=url)
        elif tag.name == "span":
            entity["type"] = "spoiler"
        elif tag.name == "tg-emoji":
            entity.update(type="custom_emoji", custom_emoji_id=tag.attributes["emoji-id"])
        elif tag.name == "blockquote":
            expandable = "expandable" in tag.attributes
            entity["type"] = "expandable_blockquote" if expandable else "blockquote"
        elif tag.name == "code":
            language = tag.attributes.get("class", "")
            parent = self.stack[-1] if self.stack else None
            if (
                parent is not None
                and parent.name == "pre"
                and parent.start16 == tag.start16
                and language.startswith("language-")
            ):
                # <pre><code class="language-x"> is one pre entity with a language.
                parent.attributes["language"] = language.removeprefix("language-")
                return
            entity["type"] = "code"
        elif tag.name == "pre":
            entity["type"] = "pre"
            if tag.attributes.get("language"):
                entity["language"] = tag.attributes["language"]
        else:
            entity["type"] = _SIMPLE_TAGS[tag.name]
        self.entities.append(entity)


# --- MarkdownV2 -------------------------------------------------------------------------------

_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_MDV2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
}


@dataclass
class _OpenMarkdown:
    kind: str
    start16: int
    byte_offset: int


class _MarkdownV2Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.out = _Output()
        self.stack: list[_OpenMarkdown] = []
        self.entities: list[Entity] = []

    def parse(self) -> ParsedText:
        text = self.text
        i = 0
        quote_start: int | None = None
        while i < self.n:
            ch = text[i]
            at_line_start = i == 0 or text[i - 1] == "\n"
            if ch == "\\" and i + 1 < self.n and 0 < ord(text[i + 1]) <= 126:
                self.out.add(text[i + 1])
                i += 2
                continue
            if ch == "\n" and quote_start is not None and not text.startswith(">", i + 1):
                self._add_entity("blockquote", quote_start)
                quote_start = None
            if ch == ">" and at_line_start and not self.stack:
                if quote_start is None:
                    quote_start = self.out.pos16
                i += 1
                continue
            if ch not in _MDV2_RESERVED:
                self.out.add(ch)
                i += 1
                continue
            i = self._special(i)
        if quote_start is not None:
            self._add_entity("blockquote", quote_start)
        if self.stack:
            top = self.stack[-1]
            raise ParseError(
                f"Can't find end of {_MDV2_NAMES[top.kind]} entity at byte offset {top.byte_offset}"
            )
        return _finish(self.out, self.entities)

    def _add_entity(self, kind: str, start16: int, **extra: str) -> None:
        entity: Entity = {"type": kind, "offset": start16, "length": self.out.pos16 - start16}
        entity.update(extra)
        self.entities.append(entity)

    def _special(self, i: int) -> int:
        text = self.text
        ch = text[i]
        top = self.stack[-1] if self.stack else None
        offset = _byte_offset(text, i)
        if ch == "`":
            if text.startswith("```", i):
                return self._pre(i, offset)
            end = self._find_code_end(i + 1, "`")
            if end < 0:
                raise ParseError(f"Can't find end of Code entity at byte offset {offset}")
            start16 = self.out.pos16
            self._add_code_text(text[i + 1 : end])
            self._add_entity("code", start16)
            return end + 1
        closing = {
            "bold": "*",
            "italic": "_",
            "underline": "__",
            "strikethrough": "~",
            "spoiler": "||",
        }
        if top is not None and top.kind in closing and text.startswith(closing[top.kind], i):
            # "__" closes underline, but "_" + "_" may also be italic end + italic start;
            # Telegram prefers underline, so do we.
            self.stack.pop()
            self._add_entity(top.kind, top.start16)
            return i + len(closing[top.kind])
        if top is not None and top.kind == "text_link" and ch == "]":
            return self._link_end(i, top)
        if ch == "*":
            self.stack.append(_OpenMarkdown("bold", self.out.pos16, offset))
            return i + 1
        if ch == "_":
            if text.startswith("__", i):
                self.stack.append(_OpenMarkdown("underline", self.out.pos16, offset))
                return i + 2
            self.stack.append(_OpenMarkdown("italic", self.out.pos16, offset))
            return i + 1
        if ch == "~":
            self.stack.append(_OpenMarkdown("strikethrough", self.out.pos16, offset))
            return i + 1
        if ch == "|" and text.startswith("||", i):
            self.stack.append(_OpenMarkdown("spoiler", self.out.pos16, offset))
            return i + 2
        if ch == "[":
            self.stack.append(_OpenMarkdown("text_link", self.out.pos16, offset))
            return i + 1
        raise ParseError(
            f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
        )

    def _find_code_end(self, start: int, closer: str) -> int:
        text = self.text
        j = start
        while j < self.n:
            if text[j] == "\\" and j + 1 < self.n:
                j += 2
                continue
            if text.startswith(closer, j):
                return j
            j += 1
        return -1

    def _add_code_text(self, raw: str) -> None:
        # Inside code only "\" and "`" are escapable.
        self.out.add(re.sub(r"\\([\\`])", r"\1", raw))

    def _pre(self, i: int, offset: int) -> int:
        text = self.text
        body_start = i + 3
        end = self._find_code_end(body_start, "```")
        if end < 0:
            raise ParseError(f"Can't find end of Pre entity at byte offset {offset}")
        body = text[body_start:end]
        language = ""
        first_newline = body.find("\n")
        if first_newline >= 0 and " " not in body[:first_newline]:
            language, body = body[:first_newline], body[first_newline + 1 :]
        start16 = self.out.pos16
        self._add_code_text(body)
        if language:
            self._add_entity("pre", start16, language=language)
        else:
            self._add_entity("pre", start16)
        return end + 3

    def _link_end(self, i: int, top: _OpenMarkdown) -> int:
        text = self.text
        if not text.startswith("(", i + 1):
            raise ParseError(f"Can't find end of TextUrl entity at byte offset {top.byte_offset}")
        end = self._find_code_end(i + 2, ")")
        if end < 0:
            raise ParseError(f"Can't find end of TextUrl entity at byte offset {top.byte_offset}")
        url = re.sub(r"\\([\\)])", r"\1", text[i + 2 : end])
        self.stack.pop()
        if url:
            self._add_entity("text_link", top.start16, url=url)
        return end + 1


# --- legacy Markdown --------------------------------------------------------------------------


def _parse_legacy_markdown(text: str) -> ParsedText:
    out = _Output()
    entities: list[Entity] = []
    kinds = {"*": "bold", "_": "italic", "`": "code"}
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            out.add(text[i + 1])
            i += 2
            continue
        if ch not in "_*`[":
            out.add(ch)
            i += 1
            continue
        offset = _byte_offset(text, i)
        failure = ParseError(f"Can't find end of the entity starting at byte offset {offset}")
        start16 = out.pos16
        if ch == "[":
            close = text.find("](", i + 1)
            end = text.find(")", close + 2) if close >= 0 else -1
            if close < 0 or end < 0:
                raise failure
            out.add(text[i + 1 : close])
            entities.append(
                {
                    "type": "text_link",
                    "offset": start16,
                    "length": out.pos16 - start16,
                    "url": text[close + 2 : end],
                }
            )
            i = end + 1
            continue
        if text.startswith("```", i):
            end = text.find("```", i + 3)
            if end < 0:
                raise failure
            out.add(text[i + 3 : end])
            entities.append({"type": "pre", "offset": start16, "length": out.pos16 - start16})
            i = end + 3
            continue
        end = text.find(ch, i + 1)
        if end < 0:
            raise failure
        out.add(text[i + 1 : end])
        entities.append({"type": kinds[ch], "offset": start16, "length": out.pos16 - start16})
        i = end + 1
    return _finish(out, entities)
