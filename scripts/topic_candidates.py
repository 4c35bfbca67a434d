"""Candidate English topic words and two-word phrases for ``vocabulary/topics.yaml``.

The candidates are counted by document frequency (in how many sessions a word or phrase occurs)
over the English titles, subtitles and abstracts of real conference programmes:

- the schedule exports in ``/work/shared/schedules/`` (frab/hub XML and frab JSON; only the
  events whose ``language`` is English, since the ids of topics.yaml are English words), and
- the sessions of ``content/sessions.yaml`` and ``examples/*/sessions.yaml``.

Stop words of every language file and the words and phrases ``bot/domain/vocabulary/en.yaml``
already knows are dropped, so what is left is what the general vocabulary lacks. Phrases are two
adjacent non-stop words. The output is a list to read, not vocabulary: a person (or an agent)
picks the real topics from it and writes them in six languages.

Usage (from the repository root)::

    python scripts/topic_candidates.py [--min-df 3] [--top 600] [--schedules DIR]
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import yaml

from bot.domain.lexicon import all_stop_words, vocabulary, words_of

ROOT = Path(__file__).resolve().parent.parent
SCHEDULES = Path("/work/shared/schedules")
_TAG = re.compile(r"<[^>]+>")
# Words that are frequent in programmes but are not topics: the shape of a talk, not its subject.
_NOT_TOPICS = frozenset(
    """
    talk talks will how we what this our about also can new use used using make made way ways
    like one two three first many more most some other different give gives given show shows
    want see look let get got need needs lot lots year years time day days work works working
    people world thing things part parts well even just still much very really only own into
    over out based based around through where while why which who would could should these
    those them they their there then than been being has have had does did done its it's
    all not but such both each every several often since without ever however across dont
    lets come take join back high real better possible known large including within
    """.split()
)


def _plain(text: str | None) -> str:
    return _TAG.sub(" ", text or "")


def _xml_texts(path: Path) -> Iterator[str]:
    root = ET.parse(path).getroot()
    for event in root.iter("event"):
        language = (event.findtext("language") or "").lower()
        if "en" not in language:
            continue
        yield " ".join(_plain(event.findtext(tag)) for tag in ("title", "subtitle", "abstract"))


def _json_texts(path: Path) -> Iterator[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    for day in data["schedule"]["conference"]["days"]:
        for events in day["rooms"].values():
            for event in events:
                if "en" not in str(event.get("language") or "").lower():
                    continue
                yield " ".join(_plain(event.get(key)) for key in ("title", "subtitle", "abstract"))


def _yaml_texts(path: Path) -> Iterator[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for session in data.get("sessions") or []:
        parts = [session.get("title"), session.get("subtitle"), session.get("description")]
        # Translated fields are mappings {en: ..., fr: ...}: keep the English.
        yield " ".join(str(p.get("en", "")) if isinstance(p, dict) else str(p or "") for p in parts)


def documents(schedules: Path) -> Iterator[str]:
    for path in sorted(schedules.glob("*.xml")):
        yield from _xml_texts(path)
    for path in sorted(schedules.glob("*.json")):
        yield from _json_texts(path)
    programmes = [
        ROOT / "content" / "sessions.yaml",
        *sorted(ROOT.glob("examples/*/sessions.yaml")),
    ]
    for path in programmes:
        if path.exists():
            yield from _yaml_texts(path)


def candidates(texts: Iterator[str]) -> tuple[Counter[str], Counter[str], int]:
    """Document frequency of single words and of two-word phrases, known words left out."""
    stops = all_stop_words() | _NOT_TOPICS
    known = {" ".join(p) for p in vocabulary("en").exact}
    words: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    count = 0
    for text in texts:
        count += 1
        tokens = [w for w in words_of(text) if not w.isdigit()]
        seen_words = {w for w in tokens if len(w) > 2 and w not in stops and w not in known}
        seen_pairs = {
            f"{a} {b}"
            for a, b in itertools.pairwise(tokens)
            if len(a) > 2
            and len(b) > 2
            and a not in stops
            and b not in stops
            and f"{a} {b}" not in known
        }
        words.update(seen_words)
        pairs.update(seen_pairs)
    return words, pairs, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-df", type=int, default=3, help="least number of sessions")
    parser.add_argument("--top", type=int, default=600, help="how many words and phrases each")
    parser.add_argument("--schedules", type=Path, default=SCHEDULES)
    args = parser.parse_args()
    words, pairs, count = candidates(documents(args.schedules))
    print(f"# {count} English sessions")
    print("# words (document frequency)")
    for word, df in words.most_common(args.top):
        if df >= args.min_df:
            print(f"{df}\t{word}")
    print("# two-word phrases (document frequency)")
    for pair, df in pairs.most_common(args.top):
        if df >= args.min_df:
            print(f"{df}\t{pair}")


if __name__ == "__main__":
    main()
