"""User text at the boundary: one normalisation for what comes in, one escape for what goes out.

Everything a person types or a file carries (titles, notes, reasons, names, codes) passes
`clean_text` before it is stored: line breaks made `\\n`, surrounding blanks trimmed, NFC,
control characters refused with the field and the character's position, and a maximum
length per kind of field. Whatever is printed to a terminal passes `terminal_text`, which
shows the same characters as visible escapes (`\\x1b`), so text stored before these checks
cannot drive the terminal. Unit ids and names are compared by `identity_key` (NFKC, no
zero-width characters, blanks collapsed), so look-alikes can be refused.
"""

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from planner.core.errors import PlannerError
from planner.core.textwidth import ZERO_WIDTH  # invisible: removed from unit ids and names
from planner.i18n import Msg, msg

#: Embedding, override and isolate controls: they reorder how text is shown ("Trojan source").
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
#: Not characters at all; XML (hence xlsx) cannot hold them.
NONCHARACTERS = frozenset("\ufffe\uffff")
#: The largest magnitude accepted for a measured value (indicator baselines, targets, readings).
MAX_MEASURE = 1e15


@dataclass(frozen=True, slots=True)
class TextField:
    """A kind of user text: its name for messages (a catalogue message, or a plan file's key
    as written), its maximum length, one line or several."""

    name: Msg | str
    max_chars: int
    multiline: bool = False

    def named(self, name: Msg | str) -> "TextField":
        """The same rule under another name (e.g. the plan file's key)."""
        return TextField(name, self.max_chars, multiline=self.multiline)


MAX_CODE_CHARS = 64
MAX_TITLE_CHARS = 500
MAX_NOTE_CHARS = 2_000
MAX_LONG_CHARS = 20_000

CODE = TextField(msg("field_code"), MAX_CODE_CHARS)
UNIT_ID = TextField(msg("field_unit_id"), MAX_CODE_CHARS)
USER_NAME = TextField(msg("field_user_name"), MAX_CODE_CHARS)
TITLE = TextField(msg("field_title"), MAX_TITLE_CHARS)
UNIT_NAME = TextField(msg("field_unit_name"), MAX_TITLE_CHARS)
MEETING_TITLE = TextField(msg("field_meeting_title"), MAX_TITLE_CHARS)
MEETING_PLACE = TextField(msg("field_meeting_place"), MAX_TITLE_CHARS)
ENTRY_TITLE = TextField(msg("field_entry_title"), MAX_TITLE_CHARS)
READING_SOURCE = TextField(msg("field_reading_source"), MAX_TITLE_CHARS)
NOTE = TextField(msg("field_note"), MAX_NOTE_CHARS, multiline=True)
DUE_REASON = TextField(msg("field_due_reason"), MAX_NOTE_CHARS, multiline=True)
COORDINATION_REASON = TextField(msg("field_coordination_reason"), MAX_NOTE_CHARS,
                                multiline=True)
DECISION = TextField(msg("field_decision"), MAX_NOTE_CHARS, multiline=True)
ENTRY_DETAIL = TextField(msg("field_entry_detail"), MAX_NOTE_CHARS, multiline=True)
DESCRIPTION = TextField(msg("field_description"), MAX_LONG_CHARS, multiline=True)


#: The characters `is_control` accepts, as a pattern (so a 10 MB note is checked quickly).
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069"
                      "\ufffe\uffff]")


# The two patterns below are compiled on first use: each takes about 4 million instructions
# to compile (the surrogate range), which a start that only prints text need not pay.
@cache
def controls_but_lines() -> re.Pattern[str]:
    """`CONTROLS`, but newline, carriage return and tab allowed (multi-line fields)."""
    return re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
                      "\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


@cache
def _controls_but_newline_tab() -> re.Pattern[str]:
    """What `terminal_text` escapes once newlines and tabs are kept or made spaces."""
    return re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff"
                      "\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


#: Trimmed from both ends: tab, line breaks and the space separators (Zs, incl. U+3000).
BLANKS = "\t\n\r \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"


def is_control(char: str) -> bool:
    """C0 and C1 controls, DEL, lone surrogates, bidi controls and noncharacters."""
    code = ord(char)
    return (code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF
            or char in BIDI_CONTROLS or char in NONCHARACTERS)


def _refusal(char: str, position: int, field: TextField, where: str | None) -> PlannerError:
    code = ord(char)
    point = f"U+{code:04X}"
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as Python carries it from argv/files
        return PlannerError("text_undecodable_byte", field=field.name, position=position,
                            byte=code - 0xDC00, where=where)
    if 0xD800 <= code <= 0xDFFF:
        return PlannerError("text_lone_surrogate", field=field.name, position=position,
                            point=point, where=where)
    if char in "\n\r\t":
        kind = msg("text_tab" if char == "\t" else "text_line_break")
        return PlannerError("text_one_line", field=field.name, position=position, kind=kind,
                            where=where)
    return PlannerError("text_control_char", field=field.name, point=point, position=position,
                        where=where)


def check_decodable(value: str, field: TextField, *, where: str | None = None) -> None:
    """Refuse text carrying lone surrogates (bytes that were not UTF-8), naming the field."""
    for index, char in enumerate(value):
        if 0xD800 <= ord(char) <= 0xDFFF:
            raise _refusal(char, index + 1, field, where)


def clean_text(value: str, field: TextField, *, where: str | None = None) -> str:
    """`value` ready to store: trimmed, NFC, `\\r\\n` and `\\r` made `\\n`.

    Refused with a PlannerError naming `field`, the position (1-based, in `value` as given)
    and the code point: control characters (C0 except newline and tab in multi-line
    fields, C1, DEL), lone surrogates, bidi embedding/override/isolate controls and the
    noncharacters U+FFFE/U+FFFF; line breaks and tabs in one-line fields; more than
    `field.max_chars` characters. Blank text comes back as "".
    """
    if value.isascii() and value.isprintable():  # no control, line break, tab or NFC change
        text = value.strip(" ")
        if len(text) > field.max_chars:
            raise PlannerError("text_too_long", field=field.name, length=len(text),
                               limit=field.max_chars, where=where)
        return text
    start = len(value) - len(value.lstrip(BLANKS))
    end = max(start, len(value.rstrip(BLANKS)))
    found = (controls_but_lines() if field.multiline else CONTROLS).search(value, start, end)
    if found is not None:
        raise _refusal(found.group(), found.start() + 1, field, where)
    text = unicodedata.normalize("NFC", value[start:end].replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > field.max_chars:
        raise PlannerError("text_too_long", field=field.name, length=len(text),
                           limit=field.max_chars, where=where)
    return text


def clean_optional(value: str | None, field: TextField, *, where: str | None = None) -> str | None:
    """`clean_text`, with None for missing or blank text."""
    if value is None:
        return None
    return clean_text(value, field, where=where) or None


def identity_key(text: str) -> str:
    """What two unit ids or names are compared by: NFKC, zero-width characters removed,
    blanks trimmed and collapsed, so `bt`/`ｂｔ` and `包头市`/`包头市 `/`包头市`+ZWSP match."""
    folded = unicodedata.normalize("NFKC", text)
    return " ".join("".join(c for c in folded if c not in ZERO_WIDTH).split())


def clean_unit_id(value: str, *, where: str | None = None) -> str:
    """A unit id to store: `clean_text`, then NFKC without zero-width characters."""
    return identity_key(clean_text(value, UNIT_ID, where=where))


def clean_unit_name(value: str, *, where: str | None = None) -> str:
    """A unit name to store: `clean_text` (NFC, trimmed) without zero-width characters."""
    text = clean_text(value, UNIT_NAME, where=where)
    return "".join(c for c in text if c not in ZERO_WIDTH).strip()


def check_measure(value: float, what: Msg | str, *, where: str | None = None) -> float:
    """A finite measured value within ±MAX_MEASURE (NaN, inf and 1e308 are refused); `what`
    names it (e.g. `msg("field_reading")`)."""
    if not math.isfinite(value) or abs(value) > MAX_MEASURE:
        raise PlannerError("measure_out_of_range", what=what, limit=MAX_MEASURE,
                           value=number_text(value), where=where)
    return value


def number_text(value: float) -> str:
    """A number as given: the shortest form that reads back the same, 150 rather than 150.0
    (so 100.0000001 is not shown as 100)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _escape_control(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: str, *, multiline: bool = False) -> str:
    """`text` safe to print: control characters, lone surrogates, bidi controls and
    noncharacters shown as `\\x1b`/`\\u202e` escapes. Newlines and tabs are kept with
    `multiline`, else shown as one space each (one table cell, one tree row)."""
    if CONTROLS.search(text) is None:
        return text
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    # One regex pass, not a loop over characters: a 2 MB report page takes milliseconds.
    return _controls_but_newline_tab().sub(_escape_control, text)


def terminal_texts(texts: list[str]) -> list[str]:
    """`terminal_text` of each of `texts` (one line each): one search over them all when none
    has a character to escape (a control character is one character: it is found in their
    concatenation exactly when one text has it)."""
    if CONTROLS.search("".join(texts)) is None:
        return texts
    return [terminal_text(text) for text in texts]


def text_language(text: str) -> str:
    """"zh" when `text` has Chinese characters, else "en": the language of a plan's own data,
    which text the program adds to it (a recurring item's year, a meeting's branch) follows."""
    return "zh" if any("\u3400" <= char <= "\u9fff" for char in text) else "en"
