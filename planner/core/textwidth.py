"""Terminal cell widths for mixed Chinese and Latin text."""

import unicodedata
from functools import lru_cache

#: Characters a terminal draws in no cell (zero-width space, joiners, word joiner, BOM).
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """2 for wide and full-width characters, 0 for combining marks and zero-width
    characters, else 1 (text to measure has its control characters escaped first)."""
    if unicodedata.combining(char) or char in ZERO_WIDTH:
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


@lru_cache(maxsize=65536)  # a long report repeats its dates, names and labels
def cell_width(text: str) -> int:
    """How many terminal cells `text` occupies."""
    return sum(char_width(c) for c in text)


def shorten(text: str, width: int) -> str:
    """`text` cut with an ellipsis to at most `width` cells (not padded)."""
    if width <= 0:
        return ""
    if 2 * len(text) <= width or cell_width(text) <= width:  # no character is over 2 cells
        return text
    kept, used = [], 0
    for char in text:
        if used + char_width(char) > width - 1:
            break
        kept.append(char)
        used += char_width(char)
    return "".join(kept) + "…"


def fit(text: str, width: int) -> str:
    """`text` cut with an ellipsis to at most `width` cells, then padded to exactly `width`."""
    text = shorten(text, width)
    return text + " " * (max(0, width) - cell_width(text))


def rjust(text: str, width: int) -> str:
    """`text` right-aligned in `width` cells."""
    return " " * max(0, width - cell_width(text)) + text
