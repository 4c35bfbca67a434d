"""What attendees ask, in plain Python: questions per hour, the share the bot answered, the
topics asked most, the unanswered questions grouped, the sessions most chosen; as a chart and
a CSV file. Built from counts that hold no user id."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.domain.charts import new_figure, png_bytes, short_label
from bot.domain.inbox import Outcome, QuestionGroup, group_similar
from bot.i18n import _

TOP = 5
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Insights:
    last_day: tuple[tuple[dt.datetime, int, int], ...]  # (hour, answered, not answered), 24 h
    by_hour: tuple[tuple[dt.datetime, int], ...]  # every hour with questions, whole event
    total: int
    answered: int
    guesses: int
    languages: tuple[tuple[str, int], ...]
    topics: tuple[tuple[str, int], ...]  # (ref, questions)
    unanswered: tuple[QuestionGroup, ...]
    sessions: tuple[tuple[str, int], ...]  # (session id, agendas)

    @property
    def last_day_total(self) -> int:
        return sum(a + n for _h, a, n in self.last_day)

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.total if self.total else None


def build_insights(
    by_hour: Mapping[tuple[dt.datetime, str], int],
    languages: Mapping[str, int],
    refs: Mapping[str, int],
    queued_texts: Iterable[str],
    choices: Mapping[str, int],
    now: dt.datetime,
) -> Insights:
    end = now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    hours = [end - dt.timedelta(hours=h) for h in range(23, -1, -1)]
    answered_at: Counter[dt.datetime] = Counter()
    other_at: Counter[dt.datetime] = Counter()
    outcomes: Counter[str] = Counter()
    for (hour, outcome), n in by_hour.items():
        (answered_at if outcome == Outcome.ANSWERED else other_at)[hour] += n
        outcomes[outcome] += n
    every = answered_at + other_at
    return Insights(
        last_day=tuple((h, answered_at[h], other_at[h]) for h in hours),
        by_hour=tuple(sorted(every.items())),
        total=sum(outcomes.values()),
        answered=outcomes[Outcome.ANSWERED],
        guesses=outcomes[Outcome.GUESSES],
        languages=tuple(Counter(languages).most_common()),
        topics=tuple(Counter(refs).most_common(TOP)),
        unanswered=tuple(group_similar(queued_texts)),
        sessions=tuple(Counter(choices).most_common(TOP)),
    )


def insights_chart(insights: Insights, title_of: Mapping[str, str], tz: dt.tzinfo) -> bytes:
    """A PNG: questions per hour over the last 24 hours (answered or not), hours on the event's
    clock, and the topics asked most; its words in the current language."""
    figure = new_figure(8.0, 6.0)
    hours_axes, topics_axes = figure.subplots(2, 1)
    labels = [f"{h.astimezone(tz):%H}" for h, _a, _n in insights.last_day]
    answered = [a for _h, a, _n in insights.last_day]
    other = [n for _h, _a, n in insights.last_day]
    hours_axes.bar(labels, answered, color="#2f6db5", label=_("answered by the bot"))
    hours_axes.bar(labels, other, bottom=answered, color="#e08a2c", label=_("not answered"))
    hours_axes.set_title(
        _("Questions per hour, last 24 hours ({zone})").format(zone=tz), fontsize=10
    )
    hours_axes.legend(fontsize=8)
    hours_axes.tick_params(axis="x", labelsize=7)
    hours_axes.spines[["top", "right"]].set_visible(False)
    names = [short_label(title_of.get(ref, ref), 40) for ref, _n in insights.topics]
    counts = [n for _ref, n in insights.topics]
    positions = list(range(len(names)))
    bars = topics_axes.barh(positions, counts, color="#2f6db5")
    topics_axes.bar_label(bars, labels=[str(n) for n in counts], padding=3, fontsize=8)
    topics_axes.set_yticks(positions, labels=names, fontsize=8)
    topics_axes.invert_yaxis()
    topics_axes.set_title(_("Most asked topics") if names else _("No topics yet"), fontsize=10)
    topics_axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return png_bytes(figure)


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # a spreadsheet would run it as a formula
    return value


def insights_csv(insights: Insights, title_of: Mapping[str, str], tz: dt.tzinfo) -> bytes:
    """UTF-8 with a byte order mark (spreadsheets then read accents and Arabic), one row per
    figure: section, item, count; hours on the event's clock; words in the current language."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([_("section"), _("item"), _("count")])
    total = _("total")
    rows: list[tuple[str, object, int]] = [
        (total, _("questions"), insights.total),
        (total, _("answered by the bot"), insights.answered),
        (total, _("guesses offered"), insights.guesses),
        (total, _("no answer"), insights.total - insights.answered - insights.guesses),
    ]
    hour = _("hour ({zone})").format(zone=tz)
    rows += [(hour, f"{h.astimezone(tz):%Y-%m-%d %H:00}", n) for h, n in insights.by_hour]
    rows += [(_("language"), code, n) for code, n in insights.languages]
    rows += [(_("topic"), title_of.get(ref, ref), n) for ref, n in insights.topics]
    rows += [(_("unanswered"), g.example, g.count) for g in insights.unanswered]
    rows += [(_("agendas"), title_of.get(f"session:{s}", s), n) for s, n in insights.sessions]
    writer.writerows([_cell(section), _cell(item), n] for section, item, n in rows)
    return out.getvalue().encode("utf-8-sig")
