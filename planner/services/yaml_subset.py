"""A fast reader for the block-style subset of YAML that plan files are written in.

A 100,000-item plan file holds about two million scalars; even libyaml's C composer spends
most of its time building a PyYAML node and two marks for each. Plan files are regular:
block mappings and sequences, one `key: value` a line, plain or one-line quoted scalars,
one-line flow collections of plain scalars, comments. `read_subset` reads exactly that
subset, line by line, into plain values:

- a mapping is a `Mapping` (a dict that knows the line and column of its node),
- a sequence a list,
- a scalar its text as the YAML composer gives it (`ScalarNode.value`), or None when
  PyYAML's resolver tags it null (`~`, `null`, `Null`, `NULL` or nothing, unquoted).

Tags other than null do not matter to the plan-file validator, which reads numbers, dates
and booleans from the scalar's text; so the YAML 1.1 / 1.2 question of what `yes` or `0o7`
means never arises here. Anything outside the subset — anchors, aliases, tags, block
scalars, multi-line scalars, escapes, tabs, control characters, document markers, duplicate
keys, deep nesting, anything the YAML composer would call an error — makes `read_subset`
return None, and the caller composes the file with the located (PyYAML) loader, which is
the reference: for every file `read_subset` accepts, it gives what that loader gives.
"""

import functools
import re
from dataclasses import dataclass

#: The null scalars of PyYAML's (YAML 1.1) resolver, written plain.
NULLS = frozenset(("", "~", "null", "Null", "NULL"))
#: Nesting beyond this many collections is left to the located loader (and its limit).
MAX_NESTING = 60

# A block mapping key: a plain scalar of ASCII letters, digits and `_.-`, then `:` and a
# space or the end of the line; group 2 is the rest of the line (a value or a comment).
_KEY_TEXT = r"[A-Za-z0-9_][A-Za-z0-9_.\-]*"
_KEY = re.compile(f"({_KEY_TEXT}):(?: +|$)(.*)")
_KEY_START = re.compile(f"{_KEY_TEXT}:[ \n]")
# A simple value, ending its line: quoted on one line without escapes, or plain without
# `#` or `:` anywhere, not starting with an indicator, and nothing PyYAML resolves other
# than by its text (see `_simple`).
_SIMPLE = (r"""'[^'\n]*'|"[^"\\\n]*"|"""
           r"""[^ \n#'"\[\]{}&*!|>%@`,?:\-](?:[^\n#:]*[^ \n#:])?""")
_FIELD = re.compile(f"({_KEY_TEXT}): +({_SIMPLE}) *\n")
_NEXT_LINE = re.compile(r"(?: *(?:#[^\n]*)?\n)*( *)")  # blank and comment lines, indentation
_SPACES = re.compile(" *")
# Characters that make the text leave the subset wherever they are: tab, CR, the YAML 1.1
# line breaks NEL, LS and PS, a byte-order mark after the start, and what PyYAML's reader
# refuses as not printable (`yaml.reader.Reader.NON_PRINTABLE`): the complement of what is
# left, so that one pass over the text finds any of them.
_OUTSIDE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
                      "\U00010000-\U0010ffff]")
# Characters a plain scalar may not start with (PyYAML's `check_plain`), bar `-?:`, which
# may start one when a non-space follows.
_NOT_PLAIN_START = frozenset(",[]{}#&*!|>'\"%@`")
# In a one-line flow collection: a key and its `: `, and a double-quoted scalar without
# escapes, a single-quoted one or a plain one (which `_plain` checks further).
_FLOW_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_.\-]*): +")
_FLOW_SCALAR = re.compile(r""""([^"\\]*)"|'((?:[^']|'')*)'|([^,'"\[\]{}#&*!|>%@`]+)""")


class Mapping(dict[str, object]):
    """A YAML mapping as a dict, with its node's 0-based line and column."""

    __slots__ = ("column", "line")
    line: int
    column: int


class _Outside(Exception):
    """The text leaves the subset: the located loader must read it."""


def read_subset(text: str) -> Mapping | None:
    """The document as plain values when it is a block mapping within the subset, else
    None (see the module's docstring)."""
    if not text.strip() or _OUTSIDE.search(text):
        return None
    reader = _Reader(text if text.endswith("\n") else text + "\n")
    try:
        return reader.document()
    except _Outside:
        return None


@dataclass(frozen=True, slots=True)
class _Runs:
    """Patterns for the lines indented by one amount. A simple field is `key: value` with a
    simple value, or `key:` over an indentless sequence of simple values."""

    fields: re.Pattern[str]  # a run of simple fields
    item: re.Pattern[str]  # `- ` and a mapping's run of simple fields (two columns in)
    values: re.Pattern[str]  # a run of `- value` lines
    value: re.Pattern[str]  # one (value), anchored


@functools.cache
def _runs(indent: int) -> _Runs:
    """The `_Runs` of lines indented by `indent`."""
    lead, inner = " " * indent, " " * (indent + 2)

    def field(lead: str) -> str:
        return f"{_KEY_TEXT}:(?: +(?:{_SIMPLE}) *\\n|\\n(?:{lead}- +(?:{_SIMPLE}) *\\n)+)"

    return _Runs(
        fields=re.compile(f"(?:{lead}{field(lead)})*"),
        item=re.compile(f"{lead}- (?! ){field(inner)}(?:{inner}{field(inner)})*"),
        values=re.compile(f"(?:{lead}- +(?:{_SIMPLE}) *\\n)*"),
        value=re.compile(f"{lead}- +({_SIMPLE}) *\\n"),
    )


def _simple(value: str) -> str | None:
    """The scalar a `_SIMPLE` value stands for."""
    if value[0] in "'\"":
        return value[1:-1]
    return None if value in NULLS else value


class _Reader:
    """A recursive-descent reader over the text. Runs of simple lines (nearly all of a plan
    file) are matched and split by regular expressions in C; the rest line by line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.size = len(text)
        self.pos = 0
        self._counted = 0  # the line of `_counted_to`, counted incrementally
        self._counted_to = 0
        self._line_start = -1  # where `next_line` last left `pos`, and what it returned
        self._line_indent: int | None = None

    def line_of(self, pos: int) -> int:
        """The 0-based line of `pos` (positions asked for never decrease)."""
        self._counted += self.text.count("\n", self._counted_to, pos)
        self._counted_to = pos
        return self._counted

    def next_line(self) -> int | None:
        """Skip blank and comment lines: the indentation of the next line, `pos` at its
        start; None at the end of the text. Asked again at the same place (a mapping item
        ends where its sequence goes on), it answers without looking again."""
        if self.pos == self._line_start:
            return self._line_indent
        match = _NEXT_LINE.match(self.text, self.pos)
        self.pos, end = match.span(1)  # type: ignore[union-attr]  # `*` always matches
        self._line_start = self.pos
        self._line_indent = None if self.pos >= self.size else end - self.pos
        return self._line_indent

    def document(self) -> Mapping:
        """The top-level block mapping, which must be the whole text."""
        if self.next_line() != 0 or not _KEY_START.match(self.text, self.pos):
            raise _Outside
        root = self.mapping(0, 0)
        if self.next_line() is not None:
            raise _Outside
        return root

    def mapping(self, column: int, depth: int) -> Mapping:
        """The block mapping whose first key is at `pos`, at `column`."""
        if depth > MAX_NESTING:
            raise _Outside
        result = Mapping()
        result.line, result.column = self.line_of(self.pos), column
        self.entry(result, column, depth)
        return self.rest_of_mapping(result, column, depth)

    def rest_of_mapping(self, result: Mapping, column: int, depth: int) -> Mapping:
        """`result` with the keys of the lines from `pos` on at `column`."""
        text = self.text
        runs = _runs(column)
        while True:
            indent = self.next_line()
            if indent is None or indent < column:
                return result
            if indent > column:
                raise _Outside  # a multi-line scalar, or an error
            end = runs.fields.match(text, self.pos).end()  # type: ignore[union-attr]  # `*` always matches
            if end == self.pos:
                self.pos += indent
                self.entry(result, column, depth)
                continue
            _simple_fields(result, text, self.pos, end, column)
            self.pos = end

    def entry(self, result: Mapping, column: int, depth: int) -> None:
        """The `key: …` line at `pos` (at `column`) into `result`, with what is nested under
        it; `pos` moves to the next line."""
        text = self.text
        simple = _FIELD.match(text, self.pos)
        if simple is not None:
            key, value = simple.groups()
            if key in result:
                raise _Outside
            result[key] = _simple(value)
            self.pos = simple.end()
            return
        end = text.index("\n", self.pos)
        content = text[self.pos:end].rstrip(" ")
        match = _KEY.match(content)
        if match is None or match.group(1) in result:
            raise _Outside
        key, rest = match.group(1, 2)
        if rest and rest[0] != "#":
            result[key] = self.scalar(rest, self.line_of(self.pos), column + match.start(2),
                                      depth)
            self.pos = end + 1
            return
        self.pos = end + 1
        indent = self.next_line()
        if indent is None or indent < column:
            result[key] = None
        elif indent > column:
            result[key] = self.block(indent, depth + 1)
        elif text[self.pos + indent:self.pos + indent + 2] == "- ":
            result[key] = self.sequence(indent, depth + 1)  # an indentless sequence
        else:
            result[key] = None

    def block(self, indent: int, depth: int) -> object:
        """The block collection on the line at `pos`, indented by `indent`."""
        start = self.pos + indent
        if self.text[start:start + 2] == "- ":
            return self.sequence(indent, depth)
        if not _KEY_START.match(self.text, start):
            raise _Outside
        self.pos = start
        return self.mapping(indent, depth)

    def sequence(self, column: int, depth: int) -> list[object]:
        """The block sequence whose first `- ` is on the line at `pos`, at `column`."""
        if depth > MAX_NESTING:
            raise _Outside
        text = self.text
        runs = _runs(column)
        result: list[object] = []
        while True:
            indent = self.next_line()
            if indent is None or indent < column:
                return result
            if indent > column:
                raise _Outside
            # A line starts either a mapping item or a run of simple values, never both
            # (a simple value has no `: `), so the commoner item is tried first.
            head = runs.item.match(text, self.pos)
            if head is not None:  # a mapping item starting with simple fields
                if depth + 1 > MAX_NESTING:
                    raise _Outside
                item = Mapping()
                item.line, item.column = self.line_of(self.pos), column + 2
                _simple_fields(item, text, self.pos, head.end(), column + 2)
                self.pos = head.end()
                indent = self.next_line()
                if indent is not None and indent >= column + 2:  # not a leaf item (or wrong)
                    item = self.rest_of_mapping(item, column + 2, depth + 1)
                result.append(item)
                continue
            end = runs.values.match(text, self.pos).end()  # type: ignore[union-attr]  # `*` always matches
            if end > self.pos:
                result += [_simple(value) for value in runs.value.findall(text, self.pos, end)]
                self.pos = end
                continue
            start = self.pos + indent
            if text[start:start + 2] != "- ":
                if _KEY_START.match(text, start):
                    return result  # the next key of the mapping holding an indentless sequence
                raise _Outside
            line_end = text.index("\n", start)
            rest_start = _SPACES.match(text, start + 2).end()  # type: ignore[union-attr]  # `*` always matches
            rest = text[rest_start:line_end].rstrip(" ")
            if not rest or rest[0] == "#" or rest[:2] == "- " or rest == "-":
                raise _Outside
            item_column = column + rest_start - start
            if _KEY.match(rest):
                self.pos = rest_start
                result.append(self.mapping(item_column, depth + 1))
                continue
            result.append(self.scalar(rest, self.line_of(rest_start), item_column, depth))
            self.pos = line_end + 1

    def scalar(self, text: str, line: int, column: int, depth: int) -> object:
        """The one-line value `text` (ending the line, comment included) at `column`."""
        first = text[0]
        if first == "'":
            end = 1
            while True:
                end = text.find("'", end)
                if end < 0:
                    raise _Outside  # a multi-line scalar, or an error
                if text[end + 1:end + 2] != "'":
                    break
                end += 2
            _comment_only(text, end + 1)
            return text[1:end].replace("''", "'")
        if first == '"':
            end = text.find('"', 1)
            if end < 0 or "\\" in text[1:end]:
                raise _Outside
            _comment_only(text, end + 1)
            return text[1:end]
        if first == "[":
            return [value for _, value in _flow(text, "]", mapping=False)]
        if first == "{":
            if depth + 1 > MAX_NESTING:
                raise _Outside
            result = Mapping()
            result.line, result.column = line, column
            for key, value in _flow(text, "}", mapping=True):
                if key in result:
                    raise _Outside
                result[key] = value
            return result
        cut = text.find(" #")
        if cut >= 0:
            text = text[:cut].rstrip(" ")
        return _plain(text)


def _simple_fields(result: Mapping, text: str, start: int, end: int, column: int) -> None:
    """Into `result`, the run of simple fields (`_Runs.fields`, or `_Runs.item` from its
    `- `) that the lines from `start` to `end` are, their keys at `column`. The pattern has
    checked every line's shape, so the lines are split apart in C and each is cut at its
    first `: ` (a key has no `:`) rather than matched again: each line is, once the key's
    indentation is cut off, `key: value`, `key:` (its sequence follows) or `- value`."""
    sequence: list[str | None] = []
    keys = len(result)
    # Every line starts with the key's indentation: split off with the line break.
    for line in text[start + column:end - 1].split("\n" + " " * column):
        if line[0] == "-":  # `- value`: the next item of the last key's sequence
            value = line[1:].strip(" ")
            sequence.append(value[1:-1] if value[0] in "'\"" else
                            None if value in NULLS else value)
            continue
        keys += 1
        # Cut at `: `, the value has no leading blank to strip, mostly none trailing either
        # (then `strip` makes no copy); `key:` alone has none.
        key, separator, value = line.partition(": ")
        if not separator:
            result[key[:-1]] = sequence = []
            continue
        value = value.strip(" ")
        if value[0] in "'\"":
            result[key] = value[1:-1]
        else:
            result[key] = None if value in NULLS else value
    if len(result) != keys:
        raise _Outside  # a duplicate key


def _comment_only(text: str, start: int) -> None:
    """What follows a quoted scalar must be nothing or a comment after a space."""
    rest = text[start:]
    if rest and not (rest[0] == " " and rest.lstrip(" ")[:1] == "#"):
        raise _Outside


def _plain(text: str) -> str | None:
    """A plain scalar's text (None for a null), if PyYAML reads it as one plain scalar."""
    first = text[0]
    if first in _NOT_PLAIN_START or (first in "-?:" and text[1:2] in ("", " ")):
        raise _Outside
    if ": " in text or text[-1] == ":":
        raise _Outside
    return None if text in NULLS else text


def _flow(text: str, close: str, *, mapping: bool) -> list[tuple[str, object]]:
    """The (key, value) items of the one-line flow collection that is `text` (comment
    included) and ends with `close`; keys are "" in a sequence. A mapping's value may be a
    flat sequence of scalars (`{id: amr, aliases: [a, b]}`)."""
    items: list[tuple[str, object]] = []
    position = _skip_spaces(text, 1)
    if text[position:position + 1] == close:
        _comment_only(text, position + 1)
        return items
    while True:
        key = ""
        if mapping:
            match = _FLOW_KEY.match(text, position)
            if match is None:
                raise _Outside
            key, position = match.group(1), match.end()
            if text[position:position + 1] == "[":
                end = text.find("]", position)
                if end < 0:
                    raise _Outside
                inner = [value for _, value in _flow(text[position:end + 1], "]",
                                                     mapping=False)]
                position = _skip_spaces(text, end + 1)
                items.append((key, inner))
                separator = text[position:position + 1]
                if separator == close:
                    _comment_only(text, position + 1)
                    return items
                position = _skip_spaces(text, position + 1)
                if separator != "," or text[position:position + 1] in (close, ""):
                    raise _Outside
                continue
        match = _FLOW_SCALAR.match(text, position)
        if match is None:
            raise _Outside
        double, single, plain = match.groups()
        value: object
        if double is not None:
            value = double
        elif single is not None:
            value = single.replace("''", "'")
        else:
            value = _flow_plain(plain.rstrip(" "))
        items.append((key, value))
        position = _skip_spaces(text, match.end())
        separator = text[position:position + 1]
        if separator == close:
            _comment_only(text, position + 1)
            return items
        position = _skip_spaces(text, position + 1)
        if separator != "," or text[position:position + 1] in (close, ""):
            raise _Outside  # not a flow collection on one line, or a trailing comma


def _skip_spaces(text: str, position: int) -> int:
    while text[position:position + 1] == " ":
        position += 1
    return position


def _flow_plain(text: str) -> str | None:
    """A plain scalar inside a flow collection: no `:` at all (keys are split off first)."""
    if ":" in text:
        raise _Outside
    return _plain(text)
