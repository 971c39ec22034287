"""The one way a value goes into a cell of a workbook planner writes.

Text from the database (titles, unit names, notes) is hostile until proven otherwise: a note
`=HYPERLINK(…)` or `=cmd|' /C calc'!A0` must stay a note. So every string is stored as text
(an inline string, never a formula or an error code), and one beginning with a character a
spreadsheet reads as the start of a formula (= + - @, tab, carriage return) also gets the
quotePrefix style, so editing and re-entering the cell in Excel or WPS keeps it text.

Characters a workbook cannot hold (XML 1.0: C0 controls other than tab, newline and carriage
return; lone surrogates; U+FFFE, U+FFFF) are replaced by U+FFFD, so a control character already
in history shows where it was instead of crashing the export. Text longer than a cell holds
(32,767 characters) is cut with a visible mark, never silently.
"""

import re

from openpyxl.cell import Cell

from planner.i18n import label

CELL_LIMIT = 32_767
"""Excel's maximum number of characters in a cell."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read typed text as a formula."""
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 (and so a workbook) cannot hold."""
REPLACEMENT = "\ufffd"


def storable_text(value: str, lang: str, *, limit: int = CELL_LIMIT) -> str:
    """`value` as a cell can hold it: unstorable characters replaced, cut with a mark if long."""
    text = UNSTORABLE.sub(REPLACEMENT, value)
    if len(text) > limit:
        mark = label("xlsx_truncated", lang)  # appended to text cut to fit a cell
        text = text[: limit - len(mark)] + mark
    return text


def put_value(cell: Cell, value: object, lang: str) -> None:
    """Set `cell` to `value`: a string always as text (quote-prefixed when it starts like a
    formula), anything else (numbers, dates, None) as itself."""
    if not isinstance(value, str):
        cell.value = value  # type: ignore[assignment]  # not text: a number, a date or None
        return
    text = storable_text(value, lang)
    cell.value = text
    cell.data_type = "s"  # not "f" (leading =) nor "e" (#N/A): an inline string
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
