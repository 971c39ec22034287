"""A horizontal bar chart as PNG bytes, drawn with the standard library only.

The weekly report needs one small chart (progress against 序时进度 by work area). A plotting
library (matplotlib: tens of MB and a second of import) or an imaging one (Pillow, which
would still need a CJK font file found on each machine) is out of proportion for bars and a
few numbers, so this draws palette pixels and writes the PNG with zlib. Labels are area
codes and percentages in a built-in 5×7 pixel font; the names are in the document's text
around the chart. The same figures always give the same bytes.
"""

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

# Palette: white, text, progress bar, expected bar, grid line.
PALETTE = bytes([255, 255, 255, 38, 38, 38, 47, 85, 151, 191, 191, 191, 222, 222, 222])
WHITE, INK, PROGRESS, EXPECTED, GRID = range(5)

GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("01110", "10001", "10011", "10101", "11001", "10001", "01110"),
    "1": ("00100", "01100", "00100", "00100", "00100", "00100", "01110"),
    "2": ("01110", "10001", "00001", "00010", "00100", "01000", "11111"),
    "3": ("11111", "00010", "00100", "00010", "00001", "10001", "01110"),
    "4": ("00010", "00110", "01010", "10010", "11111", "00010", "00010"),
    "5": ("11111", "10000", "11110", "00001", "00001", "10001", "01110"),
    "6": ("00110", "01000", "10000", "11110", "10001", "10001", "01110"),
    "7": ("11111", "00001", "00010", "00100", "01000", "01000", "01000"),
    "8": ("01110", "10001", "10001", "01110", "10001", "10001", "01110"),
    "9": ("01110", "10001", "10001", "01111", "00001", "00010", "01100"),
    "%": ("11000", "11001", "00010", "00100", "01000", "10011", "00011"),
    ".": ("00000", "00000", "00000", "00000", "00000", "01100", "01100"),
    "-": ("00000", "00000", "00000", "11111", "00000", "00000", "00000"),
    " ": ("00000",) * 7,
}
SCALE = 3
GLYPH_W, GLYPH_H = 6 * SCALE, 7 * SCALE


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of the chart: a short label (digits, '.', '-') and two 0–100 figures."""

    label: str
    progress: float
    expected: float


def can_label(text: str) -> bool:
    """Whether the built-in pixel font has every character of `text`."""
    return all(char in GLYPHS for char in text)


class _Canvas:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.rows = [bytearray(width) for _ in range(height)]

    def box(self, left: int, top: int, right: int, bottom: int, colour: int) -> None:
        left, right = max(0, left), min(self.width, right)
        for y in range(max(0, top), min(self.height, bottom)):
            self.rows[y][left:right] = bytes([colour]) * max(0, right - left)

    def text(self, left: int, top: int, text: str, colour: int = INK) -> None:
        for index, char in enumerate(text):
            for y, line in enumerate(GLYPHS.get(char, GLYPHS[" "])):
                for x, pixel in enumerate(line):
                    if pixel == "1":
                        x0 = left + index * GLYPH_W + x * SCALE
                        self.box(x0, top + y * SCALE, x0 + SCALE, top + (y + 1) * SCALE, colour)

    def png(self) -> bytes:
        def chunk(kind: bytes, data: bytes) -> bytes:
            return (struct.pack(">I", len(data)) + kind + data
                    + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 3, 0, 0, 0)
        raw = b"".join(b"\x00" + bytes(row) for row in self.rows)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"PLTE", PALETTE)
                + chunk(b"pHYs", struct.pack(">IIB", 7874, 7874, 1))  # 200 dpi
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def bar_chart(bars: Sequence[Bar], *, width: int = 1200) -> bytes:
    """Two bars per row (progress dark, 序时进度 light) on a 0–100% scale, as PNG bytes."""
    label_w = max([len(bar.label) for bar in bars] + [1]) * GLYPH_W + 24
    value_w = 4 * GLYPH_W + 16
    plot_left, plot_right = label_w, width - value_w
    row_h, bar_h, top = 20 * SCALE, 8 * SCALE, 12
    height = top + row_h * len(bars) + GLYPH_H + 24
    canvas = _Canvas(width, height)
    plot_w = plot_right - plot_left
    for tick in range(0, 101, 25):
        x = plot_left + plot_w * tick // 100
        canvas.box(x, top, x + 2, top + row_h * len(bars), GRID)
        text = f"{tick}%"
        canvas.text(max(0, x - len(text) * GLYPH_W // 2), top + row_h * len(bars) + 10, text)
    for index, bar in enumerate(bars):
        y = top + index * row_h + (row_h - 2 * bar_h - 4) // 2
        canvas.text(8, y + bar_h - GLYPH_H // 2 + 2, bar.label)
        for offset, value, colour in ((0, bar.progress, PROGRESS),
                                      (bar_h + 4, bar.expected, EXPECTED)):
            fraction = max(0.0, min(100.0, value)) / 100
            end = plot_left + round(plot_w * fraction)
            canvas.box(plot_left, y + offset, max(end, plot_left + 2), y + offset + bar_h,
                       colour)
            canvas.text(end + 8, y + offset + (bar_h - GLYPH_H) // 2, f"{value:.0f}%")
    canvas.box(plot_left, top, plot_left + 3, top + row_h * len(bars), INK)
    return canvas.png()
