"""A fast writer of plan files: the text `yaml.safe_dump` gives with `DUMP_OPTIONS`.

PyYAML's pure-Python emitter looks at every character of every scalar several times (to
analyse it, choose a style, write it); a 100,000-item plan holds about a million scalars,
and dumping it took most of a minute. Plan files are regular: block mappings and
sequences of plain values, most of them short one-line strings, numbers and dates. `dump`
lays the blocks out as PyYAML's emitter does and writes such scalars from a regular
expression's verdict and PyYAML's own resolver:

- a one-line string of printable characters is written plain when PyYAML would (no
  indicator that matters in block context, no leading or trailing space, and not read back
  as another type, such as `2021-01-01` or `yes`), else single-quoted;
- a string that might be folded (it holds a space and reaches past the line width) or that
  is not one line of printable characters is written by PyYAML's emitter itself, set to the
  column and indentation the scalar starts at;
- anything else — other types, empty or non-simple keys, a container met twice (PyYAML
  would write an anchor) — makes `dump` hand the whole document to `yaml.safe_dump`.

A property test checks `dump` against `yaml.safe_dump` on generated documents.
"""

import io
import re
import sys
from typing import Any

import yaml
from yaml.emitter import Emitter
from yaml.events import ScalarEvent

#: The options of `yaml.safe_dump` that `dump` writes like.
WIDTH = 100
DUMP_OPTIONS: dict[str, Any] = {"allow_unicode": True, "sort_keys": False, "width": WIDTH,
                                "default_flow_style": False}

_STR_TAG = "tag:yaml.org,2002:str"
# One line of characters that PyYAML's emitter writes as they are with `allow_unicode`
# (its `analyze_scalar`): no line break (LF, NEL, LS, PS), no control character, no BOM.
_CHARACTERS = ("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
               "\U00010000-\U0010fffe]")
_ONE_LINE = re.compile(f"{_CHARACTERS}*")
# Of those, the ones with no block indicator and no leading or trailing space, which
# PyYAML writes plain in block context unless its resolver reads them as another type.
_BLOCK_PLAIN = re.compile(r"(?!---|\.\.\.|[-?:](?: |$)|.*(?:: | #|:$)|[ #,\[\]{}&*!|>'\"%@`])"
                          f"{_CHARACTERS}+(?<! )")
_RESOLVER = yaml.resolver.Resolver()


def _any_of(patterns: list[re.Pattern[str]]) -> re.Pattern[str]:
    """One pattern that matches where any of `patterns` (verbose or not) matches."""
    return re.compile("|".join(f"(?{'x' if p.flags & re.VERBOSE else ''}:{p.pattern})"
                               for p in patterns))


# PyYAML's implicit resolvers (`Resolver.resolve`) by a plain scalar's first character, as
# one pattern each: none of them reads a scalar as a string (a test checks it), so a plain
# scalar is read as a string exactly when its first character's pattern does not match.
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers
_WILDCARD = [pattern for _, pattern in _IMPLICIT.get(None, [])]
_PATTERNS = {tuple(resolvers): _any_of([pattern for _, pattern in resolvers] + _WILDCARD)
             for resolvers in _IMPLICIT.values()}  # the digits share one, and so on
_NOT_STRINGS = {first: _PATTERNS[tuple(resolvers)]
                for first, resolvers in _IMPLICIT.items() if first is not None}
_NOT_STRING_ANYWHERE = _any_of(_WILDCARD) if _WILDCARD else None
_REPRESENTER = yaml.representer.SafeRepresenter()


class _Unwritable(Exception):
    """The document holds something `dump` does not write: `yaml.safe_dump` writes it."""


class _ScalarEmitter(Emitter):
    """PyYAML's emitter, asked to write one scalar where `dump` has got to."""

    def __init__(self) -> None:
        self.out = io.StringIO()
        super().__init__(self.out, allow_unicode=DUMP_OPTIONS["allow_unicode"], width=WIDTH)

    def scalar(self, value: str, column: int, indent: int, *, indention: bool) -> str:
        """`value` as a block value that starts at `column` (after `:` or `-`), lines it
        folds onto indented by `indent`."""
        plain = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG
        self.event = ScalarEvent(None, _STR_TAG, (plain, True), value)
        self.root_context = self.simple_key_context = False
        self.column, self.indent, self.flow_level = column, indent, 0
        self.whitespace, self.indention = False, indention
        self.analysis = self.style = None
        self.out.seek(0)
        self.out.truncate()
        self.process_tag()
        self.process_scalar()
        return self.out.getvalue()


def _reads_as_string(text: str) -> bool:
    """Whether PyYAML's resolver reads the non-empty plain scalar `text` as a string."""
    pattern = _NOT_STRINGS.get(text[0], _NOT_STRING_ANYWHERE)
    return pattern is None or not pattern.match(text)


class _Writer:
    """Lays out one document as PyYAML's emitter does, into `parts`."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.seen: set[int] = set()
        # A string value -> its line (" value\n") and the last column it may start at
        # without PyYAML folding it (-1: PyYAML's emitter must write it).
        self.strings: dict[str, tuple[str, int]] = {}
        # Per indentation, a string key -> its indented `key:` (whose length is the column
        # after it).
        self.heads: dict[int, dict[str, str]] = {}
        self._emitter: _ScalarEmitter | None = None

    @staticmethod
    def string(value: str) -> tuple[str, int]:
        """`value`'s entry in `strings`."""
        if _BLOCK_PLAIN.fullmatch(value) and _reads_as_string(value):
            written = value
        elif _ONE_LINE.fullmatch(value):
            written = "'" + value.replace("'", "''") + "'"
        else:
            return "", -1
        # PyYAML folds only at a space, and only past the width.
        return f" {written}\n", (WIDTH - 1 - len(written) if " " in value else sys.maxsize)

    @staticmethod
    def key(key: object) -> str:
        """A mapping key as PyYAML writes a simple key, with its `:`."""
        if type(key) is str:
            written = _Writer.string(key)[0][1:-1]
            if not written or written[0] == "'" or len(key) >= 128:
                raise _Unwritable  # quoted or complex keys: PyYAML's own layout
            return written + ":"
        if type(key) in (int, bool) or key is None:
            written = _Writer.scalar_text(key)
            if len(written) < 128:
                return written + ":"
        raise _Unwritable

    @staticmethod
    def scalar_text(value: object) -> str:
        """A null, a boolean or an integer as PyYAML writes it (always plain)."""
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        return str(value)

    @staticmethod
    def float_text(value: float) -> str:
        """A float as PyYAML's SafeRepresenter writes it, if it reads back as a float."""
        text = str(_REPRESENTER.represent_float(value).value)
        if _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) != "tag:yaml.org,2002:float":
            raise _Unwritable
        return text

    def value(self, value: Any, column: int, indent: int, *, indention: bool) -> None:
        """A block value after `:` (`indention` false) or `-` at `column`, in a collection
        indented `indent`; a non-empty collection only after `:`."""
        kind = type(value)
        if kind is str:
            known = self.strings.get(value)
            if known is None:
                known = self.strings[value] = self.string(value)
            if column <= known[1]:
                self.parts.append(known[0])
            else:
                if self._emitter is None:
                    self._emitter = _ScalarEmitter()
                self.parts.append(self._emitter.scalar(value, column, indent + 2,
                                                       indention=indention) + "\n")
        elif kind is int or kind is bool or value is None:
            self.parts.append(" " + self.scalar_text(value) + "\n")
        elif kind is float:
            self.parts.append(" " + self.float_text(value) + "\n")
        elif kind is dict or kind is list:
            if id(value) in self.seen:
                raise _Unwritable  # PyYAML writes an anchor and an alias
            self.seen.add(id(value))
            if not value:
                self.parts.append(" {}\n" if kind is dict else " []\n")
            elif kind is dict:
                self.parts.append("\n")
                self.mapping(value, indent + 2)
            else:  # a sequence in a mapping is not indented
                self.parts.append("\n")
                self.sequence(value, indent)
        else:
            raise _Unwritable

    def mapping(self, mapping: dict[Any, Any], indent: int) -> None:
        """A non-empty block mapping whose keys are indented `indent`, each on its line."""
        heads = self.heads.get(indent)
        if heads is None:
            heads = self.heads[indent] = {}
        parts, strings = self.parts, self.strings
        for key, value in mapping.items():
            text = heads.get(key)  # only string keys are kept
            if text is None:
                text = " " * indent + self.key(key)
                if type(key) is str:
                    heads[key] = text
            kind = type(value)
            if kind is str:
                known = strings.get(value)
                if known is None:
                    known = strings[value] = self.string(value)
                if len(text) <= known[1]:
                    parts.append(text + known[0])
                    continue
            elif kind is int:
                parts.append(f"{text} {value}\n")
                continue
            parts.append(text)
            self.value(value, len(text), indent, indention=False)

    def sequence(self, sequence: list[Any], indent: int) -> None:
        """A non-empty block sequence whose `-` are indented `indent`, each on its line."""
        parts, strings, seen = self.parts, self.strings, self.seen
        lead, column, inner = " " * indent + "-", indent + 1, indent + 2
        for item in sequence:
            kind = type(item)
            if kind is str:
                known = strings.get(item)
                if known is None:
                    known = strings[item] = self.string(item)
                if column <= known[1]:
                    parts.append(lead + known[0])
                    continue
            elif (kind is dict or kind is list) and item:
                if id(item) in seen:
                    raise _Unwritable
                seen.add(id(item))
                # Written a level in, the first line then starts with the item's `- `.
                start = len(parts)
                if kind is dict:
                    self.mapping(item, inner)
                else:
                    self.sequence(item, inner)
                parts[start] = lead + " " + parts[start][inner:]
                continue
            parts.append(lead)
            self.value(item, column, indent, indention=True)


def dump(document: Any) -> str:
    """`yaml.safe_dump(document, **DUMP_OPTIONS)`, faster for a plan file's document."""
    text = written(document)
    return text if text is not None else str(yaml.safe_dump(document, **DUMP_OPTIONS))


def written(document: Any) -> str | None:
    """What `yaml.safe_dump(document, **DUMP_OPTIONS)` gives, if `dump` writes it itself:
    `document` is a non-empty mapping and holds nothing `_Writer` hands over."""
    if type(document) is not dict or not document:
        return None
    writer = _Writer()
    writer.seen.add(id(document))
    try:
        writer.mapping(document, 0)
    except _Unwritable:
        return None
    return "".join(writer.parts)
