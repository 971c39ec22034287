"""Terminal cell widths for mixed Chinese and Latin text."""

import unicodedata
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

#: Characters a terminal draws in no cell (zero-width space, joiners, word joiner, BOM).
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """2 for wide and full-width characters, 0 for combining marks and zero-width
    characters, else 1 (text to measure has its control characters escaped first)."""
    if unicodedata.combining(char) or char in ZERO_WIDTH:
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


class _CellsOf(dict[str, int]):
    """`char_width` of every character met so far, filled as they come: a dict lookup is
    the cheapest way to measure many long texts."""

    def __missing__(self, char: str) -> int:
        cells = self[char] = char_width(char)
        return cells


_CELLS = _CellsOf()


@lru_cache(maxsize=65536)  # a long report repeats its dates, names and labels
def cell_width(text: str) -> int:
    """How many terminal cells `text` occupies."""
    if text.isascii():  # printable ASCII (controls are escaped first): one cell each
        return len(text)
    return sum(map(_CELLS.__getitem__, text))


def shorten(text: str, width: int) -> str:
    """`text` cut with an ellipsis to at most `width` cells (not padded)."""
    if width <= 0:
        return ""
    if 2 * len(text) <= width or cell_width(text) <= width:  # no character is over 2 cells
        return text
    return cut(text, width)[0]


def cut(text: str, width: int) -> tuple[str, int]:
    """The longest start of `text` that fits in `width` cells (≥ 1) with an ellipsis after
    it, the ellipsis, and the cells they take: `shorten` for a text known to be wider than
    `width`, measured once."""
    ends = list(accumulate(map(_CELLS.__getitem__, text)))
    kept = bisect_right(ends, width - 1)
    return text[:kept] + "…", (ends[kept - 1] if kept else 0) + _CELLS["…"]


def fit(text: str, width: int) -> str:
    """`text` cut with an ellipsis to at most `width` cells, then padded to exactly `width`."""
    text = shorten(text, width)
    return text + " " * (max(0, width) - cell_width(text))


def rjust(text: str, width: int) -> str:
    """`text` right-aligned in `width` cells."""
    return " " * max(0, width - cell_width(text)) + text
