"""Terminal cell widths for mixed Chinese and Latin text."""

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache, lru_cache
from itertools import accumulate
from operator import add, methodcaller, sub

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


#: How many texts in a layout repay compiling `_one_or_two` (~3 ms).
MANY = 1000
_LATIN_1 = methodcaller("encode", "latin-1", "ignore")


@cache
def _one_or_two() -> re.Pattern[str]:
    """Text whose every character is Latin-1 (one cell each) or in one of the common wide
    ranges (two cells each: CJK ideographs and punctuation, kana, Hangul, full-width forms;
    tests check each character): measured in C, without a look-up per character, by
    `_one_or_two_width`. Compiled on first use, by a long table's texts: it takes longer
    than a short command's measuring."""
    return re.compile("[\x00-\xff\u1100-\u115f\u2e80-\u3029\u3040-\u3098\u309b-\u3247"
                      "\u3250-\u4dbf\u4e00-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe6f"
                      "\uff00-\uff60\uffe0-\uffe6]*")


def _one_or_two_width(text: str) -> int:
    """The cells of a text `_one_or_two` matches: its length, plus one for each two-cell
    character, which are those its Latin-1 encoding leaves out."""
    return 2 * len(text) - len(_LATIN_1(text))


def _width(text: str) -> int:
    """`cell_width`, uncached."""
    if text.isascii():  # printable ASCII (controls are escaped first): one cell each
        return len(text)
    return sum(map(_CELLS.__getitem__, text))


@lru_cache(maxsize=65536)  # a long report repeats its dates, names and labels
def cell_width(text: str) -> int:
    """How many terminal cells `text` occupies."""
    return _width(text)


def cell_widths(texts: Sequence[str], *, many: bool = False) -> list[int]:
    """`cell_width` of each of `texts`, uncached (for a caller that keeps them); all ASCII,
    or all `_one_or_two` and `many` (part of a layout of `MANY` texts or more), with no
    Python step per text."""
    joined = "".join(texts)
    if joined.isascii():
        return list(map(len, texts))
    if many and _one_or_two().fullmatch(joined):
        lengths = list(map(len, texts))
        return list(map(sub, map(add, lengths, lengths), map(len, map(_LATIN_1, texts))))
    return list(map(_width, texts))


def cuts(texts: Sequence[str], width: int, *, many: bool = False) -> list[tuple[str, int]]:
    """`cut` of each of `texts` to `width` cells; with `many` (as `cell_widths`), those
    `_one_or_two` matches by halves, measured in C."""
    if not many:
        return [cut(text, width) for text in texts]
    plain = _one_or_two().fullmatch
    return [_cut_one_or_two(text, width) if plain(text) else cut(text, width)
            for text in texts]


def _cut_one_or_two(text: str, width: int) -> tuple[str, int]:
    """`cut` for a text `_one_or_two` matches: the longest start within `width` - 1 cells,
    found by dropping characters from the end, at least half the excess at a time (fewer
    cannot be enough, as none takes more than two cells)."""
    room = width - 1
    kept = min(len(text), room)
    used = _one_or_two_width(text[:kept])
    while used > room:
        kept -= (used - room + 1) // 2
        used = _one_or_two_width(text[:kept])
    return text[:kept] + "…", used + _CELLS["…"]


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
