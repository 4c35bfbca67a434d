"""What every chart the bot draws needs: a matplotlib figure made without pyplot's global state
(safe in threads), its PNG bytes, and labels short enough for a phone."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib is imported only when a chart is drawn: it costs a second
    from matplotlib.figure import Figure


def new_figure(width: float, height: float) -> Figure:
    import matplotlib

    matplotlib.use("Agg")  # no display; and never pyplot, whose global state is not thread-safe
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def png_bytes(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", bbox_inches="tight")
    return out.getvalue()


def short_label(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
