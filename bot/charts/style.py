"""What every chart shares: phone-sized figures, fonts, colours, date ticks, PNG output.

Charts are built on matplotlib's object-oriented API (`Figure` with an Agg canvas), never
pyplot: no global figure state, nothing to close, nothing that needs a display, and two
threads may draw at once.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import TypedDict

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import get_font
from matplotlib.ft2font import FT2Font
from matplotlib.ft2font import LoadFlags
from matplotlib.ticker import FixedLocator
from matplotlib.ticker import FuncFormatter
from matplotlib.ticker import MaxNLocator
from matplotlib.ticker import NullLocator
from PIL import Image

from bot.charts import dates
from bot.governance.formatting import format_number
from bot.governance.formatting import format_quantity

# Slack shows an image block about 390 px wide on a phone. Drawn 3.9 in wide at 200 dpi the
# PNG is 780 px: sharp on a 2x screen, and an 11 pt letter is 15 px tall when shown.
WIDTH_IN = 3.9
DPI = 200

FONT = "DejaVu Sans"  # ships with matplotlib, so every machine draws the same letters
TEXT_PT = 11
TITLE_PT = 13
LINE_IN = TEXT_PT * 1.45 / 72  # the height of a line of text, with its leading
RIGHT_IN = 0.16  # space right of every plot and line of text
LEFT_TEXT_IN = 0.12  # titles start here, left of the plots' value labels
ROW_IN = WIDTH_IN - LEFT_TEXT_IN - RIGHT_IN  # the width a line of text may take

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAY = timedelta(days=1)

INK = "#222222"
MUTED = "#666666"
AXIS = "#b0b0b0"
GRID = "#e6e6e6"
LINE = "#1f5fa8"
BASELINE = "#7a7a7a"
THRESHOLD = "#2e7d32"
PASSING = "#2e7d32"
FAILING = "#c62828"
DECIDE_BY = "#6a3d9a"


class TextStyle(TypedDict):
    fontsize: int
    family: str
    color: str
    fontweight: str
    parse_math: bool


def text_style(size: int = TEXT_PT, color: str = INK, bold: bool = False) -> TextStyle:
    """Keyword arguments for any text a person typed: never read as `$math$`, always one font."""
    return {
        "fontsize": size,
        "family": FONT,
        "color": color,
        "fontweight": "bold" if bold else "normal",
        "parse_math": False,
    }


def new_figure(height_in: float) -> Figure:
    figure = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    return figure


def render_png(figure: Figure) -> bytes:
    """The figure as PNG bytes, identical for identical input (no timestamp, no version).

    Encoded here rather than by `savefig`: a chart is opaque, so RGB without the alpha channel
    says the same in a quarter less data, and zlib's level 3 packs it as tightly as the default
    6 in two thirds of the time. Encoding was a quarter of every render.
    """
    pixels = io.BytesIO()
    figure.savefig(pixels, format="raw", dpi=DPI)  # RGBA, row by row, as Agg drew them
    size = figure.canvas.get_width_height()
    rgba = Image.frombytes("RGBA", size, pixels.getvalue())
    png = io.BytesIO()
    rgba.convert("RGB").save(png, format="PNG", compress_level=3)
    return png.getvalue()


def add_axes(
    figure: Figure, left_in: float, bottom_in: float, height_in: float, right_in: float = RIGHT_IN
) -> Axes:
    """Axes placed in inches, spanning the width but for the left and right margins."""
    width_in, figure_height_in = figure.get_size_inches()
    axes = figure.add_axes(
        (
            left_in / width_in,
            bottom_in / figure_height_in,
            (width_in - left_in - right_in) / width_in,
            height_in / figure_height_in,
        )
    )
    axes.set_facecolor("white")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(AXIS)
    axes.tick_params(
        labelsize=TEXT_PT, labelfontfamily=FONT, colors=MUTED, labelcolor=INK, length=3
    )
    return axes


def full_date(day: date) -> str:
    return f"{dates.day_month(day)} {day.year}"


def as_x(moment: datetime | date) -> float:
    """A time on the charts' x axis: days since 1970-01-01 UTC; a bare date is its midnight.

    The charts name their own dates, so they need none of matplotlib's date machinery (whose
    epoch is a global setting) and one subtraction is all a reading costs.
    """
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    return (moment - _EPOCH) / _DAY


def as_xs(moments: Sequence[datetime]) -> list[float]:
    return [(moment - _EPOCH) / _DAY for moment in moments]


def as_day(x: float) -> date:
    """The UTC date of a point of the x axis."""
    return (_EPOCH + timedelta(days=x)).date()


def date_ticks(start: float, end: float) -> list[float]:
    """Round dates (midnight UTC) between two points of the x axis, the same for every panel."""
    return [as_x(day) for day in dates.round_dates(as_day(math.ceil(start)), as_day(end))]


def date_label(x: float) -> str:
    return dates.tick_label(as_day(x))


def date_axis(axes: Axes, ticks: list[float]) -> None:
    """Date ticks ('12 Jan') with a light grid line at each."""
    axes.xaxis.set_major_locator(FixedLocator(ticks))
    axes.xaxis.set_minor_locator(NullLocator())
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: date_label(x)))
    axes.grid(axis="x", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)


def number_ticks(low: float, high: float, most: int = 4) -> list[float]:
    """A few round numbers between low and high (inclusive) for a value axis."""
    locator = MaxNLocator(nbins=most, steps=[1, 2, 2.5, 5, 10])
    return [float(tick) for tick in locator.tick_values(low, high) if low <= tick <= high]


def number(value: float) -> str:
    # Adding 0.0 turns -0.0 into 0.0; round-off such as 0.30000000000000004 is trimmed by
    # format_number, so numbers read as people typed them.
    return format_number(value + 0.0)


def tick_label(value: float) -> str:
    """A value axis's number, with k, M, B or T from ten thousand up: '250k', '1.25M'.

    The labels set the plot's left margin, and "1,250,000" would take a third of a phone's
    width; the exact numbers are in the labels of the lines and the latest reading.
    """
    for power, suffix in ((12, "T"), (9, "B"), (6, "M"), (3, "k")):
        if abs(value) >= 10**power * (10 if suffix == "k" else 1):
            return f"{number(value / 10**power)}{suffix}"
    return number(value)


def quantity(value: float, unit: str | None) -> str:
    """'9 min', '4.05%': a number with its unit, as every other surface writes it."""
    return format_quantity(value + 0.0, unit)


def text_width_in(text: str, size: int = TEXT_PT, bold: bool = False) -> float:
    """How wide the text is drawn, in inches, at most: layout by hand needs it before drawing.

    The sum of the letters' advances, plus a pixel a letter for the hinting that rounds each
    advance when drawn (kerning only narrows). Measuring the whole string with FreeType would
    cost a hundred times more, and a chart measures about twenty.
    """
    return sum(_advance_em(char, bold) for char in text) * size / 72 + len(text) / DPI


def fit(text: str, width_in: float, size: int = TEXT_PT, bold: bool = False) -> str:
    """The text, shortened at a word boundary with '…' until it is at most `width_in` wide."""
    text = " ".join(text.split())
    if text_width_in(text, size, bold) <= width_in:
        return text
    # The longest limit whose shortened text fits, found in a handful of measurements.
    fits, too_long = 1, len(text)
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if text_width_in(shorten(text, middle), size, bold) <= width_in:
            fits = middle
        else:
            too_long = middle
    return shorten(text, fits)


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary and ended with '…'.

    A single word longer than the limit is cut inside, as nothing else would fit.
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut.strip() and not text[limit - 1].isspace():
        cut = cut[: cut.rstrip().rfind(" ")]
    return cut.rstrip(" ,;:-·") + "…"


@cache
def _advance_em(char: str, bold: bool) -> float:
    """How far one character moves the pen, as a share of the font size."""
    # get_font keeps one FreeType face per thread, so two threads never share one.
    font = get_font(_font_path(bold))
    font.set_size(100, 72)  # 100 pt at 72 dpi: advances come out in points per 100 pt
    glyph = font.load_char(ord(char), flags=LoadFlags.NO_HINTING)
    return float(glyph.linearHoriAdvance) / 65536 / 100


def drawable(text: str) -> str:
    """The text without characters the font has no glyph for (emoji, controls).

    Such a character would be drawn as an empty box and make matplotlib warn at every render.
    """
    glyphs = _glyphs()
    kept = "".join(char for char in text if ord(char) in glyphs and char.isprintable())
    return kept.strip()


@cache
def _glyphs() -> frozenset[int]:
    maps = [set(FT2Font(_font_path(bold)).get_charmap()) for bold in (False, True)]
    return frozenset(set.intersection(*maps))


def _font_path(bold: bool) -> str:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name)
