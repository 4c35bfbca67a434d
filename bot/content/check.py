"""``python -m bot check [DIR]``: validate a content folder the way the bot will load it.

Prints every error and warning, one per line as ``file:line: field: severity: message`` (the form
editors and CI logs turn into links), then a one-line summary. Exits 1 when there is any error, so
it can guard a deploy or a pre-commit hook; warnings (placeholders still to fill in) do not fail.
"""

from __future__ import annotations

import argparse
import os

from bot.content.loader import LoadResult, load_content


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot check",
        description="Validate a content folder and list every error and warning.",
    )
    parser.add_argument(
        "directory",
        nargs="?",
        default=os.environ.get("CONFBOT_CONTENT", "content"),
        help="content folder (default: $CONFBOT_CONTENT or content)",
    )
    args = parser.parse_args(argv)
    result = load_content(args.directory)
    for problem in result.problems:
        print(problem)
    print(summary(args.directory, result))
    return 0 if result.ok else 1


def summary(directory: str, result: LoadResult) -> str:
    """``content/: 0 errors, 25 warnings (7 sessions, 5 rooms, 0 tracks, 8 speakers, 15 FAQ
    entries)``."""
    label = directory if directory.endswith(("/", os.sep)) else directory + "/"
    counts = f"{_count(len(result.errors), 'error')}, {_count(len(result.warnings), 'warning')}"
    content = result.content
    if content is None:
        return f"{label}: {counts} (not loaded)"
    sizes = ", ".join(
        (
            _count(len(content.sessions), "session"),
            _count(len(content.rooms), "room"),
            _count(len(content.tracks), "track"),
            _count(len(content.speakers), "speaker"),
            _count(len(content.faq), "FAQ entry", "FAQ entries"),
        )
    )
    return f"{label}: {counts} ({sizes})"


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
