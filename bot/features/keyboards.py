"""Inline keyboards: rows of buttons, and paging through a long list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import _

PAGE_SIZE = 8

T = TypeVar("T")


class Packed(Protocol):
    """Callback data that packs itself (see :mod:`bot.features.callbacks`)."""

    def pack(self) -> str: ...


def keyboard(rows: Sequence[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([list(row) for row in rows if row])


def pager_row(page: int, pages: int, at: Callable[[int], Packed]) -> list[InlineKeyboardButton]:
    """« and » buttons for a paged list; ``at(page)`` is the data of a page's button."""
    row: list[InlineKeyboardButton] = []
    for label, target in (
        (_("« Prev"), page - 1 if page > 0 else None),
        (f"{page + 1}/{pages}", page if pages > 1 else None),
        (_("Next »"), page + 1 if page < pages - 1 else None),
    ):
        if target is not None:
            row.append(InlineKeyboardButton(label, callback_data=at(target).pack()))
    return row


def page_of(items: Sequence[T], page: int, size: int = PAGE_SIZE) -> tuple[list[T], int, int]:
    """The items of one page, the page actually shown (clamped) and the number of pages."""
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 0), pages - 1)
    return list(items[page * size : (page + 1) * size]), page, pages


def paged_rows(
    items: Sequence[T],
    page: int,
    item_button: Callable[[T], InlineKeyboardButton],
    at: Callable[[int], Packed],
    size: int = PAGE_SIZE,
) -> tuple[list[T], list[list[InlineKeyboardButton]]]:
    """One page of a list as keyboard rows: a button per item, then the pager (see
    :func:`pager_row`). Returns the items shown too, for the text beside the buttons."""
    shown, page, pages = page_of(items, page, size)
    rows = [[item_button(item)] for item in shown]
    rows.append(pager_row(page, pages, at))
    return shown, rows
