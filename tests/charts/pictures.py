"""What a person sees in a chart, read back from the figure and the PNG bytes."""

from __future__ import annotations

import struct
from itertools import combinations

from matplotlib.artist import Artist
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.text import Text

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which a valid PNG has right after the magic."""
    assert png[:8] == PNG_MAGIC
    length, kind = struct.unpack(">I4s", png[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def shown_texts(figure: Figure) -> list[Text]:
    """Every piece of text the picture shows (tick labels included), after a draw."""
    figure.canvas.draw()
    spare_tick_labels = set()  # matplotlib keeps labels of ticks it does not draw
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            ticks = axis.get_major_ticks() + axis.get_minor_ticks()
            spare_tick_labels |= {label for tick in ticks for label in (tick.label1, tick.label2)}
            if axes.axison:
                spare_tick_labels -= set(_drawn_tick_labels(axis))
    return [
        text
        for text in figure.findobj(Text)
        if text.get_visible() and text.get_text().strip() and text not in spare_tick_labels
    ]


def _drawn_tick_labels(axis: Axis) -> list[Text]:
    low, high = sorted(axis.get_view_interval())
    index = 0 if axis.axis_name == "x" else 1
    return [
        label
        for label in axis.get_ticklabels()
        if label.get_visible() and low <= label.get_position()[index] <= high
    ]


def overlapping_texts(figure: Figure) -> list[tuple[str, str]]:
    texts = shown_texts(figure)
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [(text.get_text(), text.get_window_extent(renderer)) for text in texts]
    return [(a, b) for (a, box_a), (b, box_b) in combinations(boxes, 2) if box_a.overlaps(box_b)]


def texts_outside(figure: Figure) -> list[str]:
    texts = shown_texts(figure)
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    width, height = figure.canvas.get_width_height()
    outside = []
    for text in texts:
        box = text.get_window_extent(renderer)
        if box.x0 < 0 or box.y0 < 0 or box.x1 > width or box.y1 > height:
            outside.append(text.get_text())
    return outside


def with_gid(container: Figure | Artist, gid: str) -> list[Artist]:
    return [artist for artist in container.findobj() if artist.get_gid() == gid]
