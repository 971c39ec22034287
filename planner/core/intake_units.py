"""Responsibility clauses (`（A牵头，B、C配合）`) and unit names resolved against a registry.

A registry holds units (with their 简称, aliases) and unit groups (各盟市 = its members). A
written name resolves exactly, by alias, as a group, as `X人民政府` for league/city X or group
X (`包头人民政府` too, for 包头市), or through the user's map; anything else is never guessed:
it is reported with the three closest known names.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from planner.core.intake_limits import is_time_limit
from planner.core.text import identity_key

GOVERNMENT = "人民政府"
#: Words that end a clause naming who is responsible, longest first.
_LEAD_ENDINGS = ("按职责分工负责", "按职责分别负责", "按职能分工负责", "按职责负责", "等部门负责",
                 "等单位负责", "等负责", "分别负责", "负责")
_SUPPORT_ENDINGS = ("按职责分工配合", "等部门配合", "等单位配合", "配合", "参与", "协助", "参加")
_LEAD_MARK = re.compile(r"(牵头|主责)$")
_LIST_SEPARATORS = "、，,；;/"  # never 和: 发展和改革委员会 is one name


@dataclass(frozen=True, slots=True)
class RegistryUnit:
    """A unit the registry knows: its id, full name, kind and short names."""

    id: str
    name: str
    kind: str = "department"
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RegistryGroup:
    """A named set of units (各盟市): its id, name, members in order and other names."""

    id: str
    name: str
    members: tuple[str, ...]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Resolution:
    """How a written name was resolved: how (exact, alias, group, government, map, new) and
    to which units (a group's members, in order)."""

    written: str
    how: str
    unit_ids: tuple[str, ...]
    group: str | None = None


@dataclass(slots=True)
class Registry:
    """Units and groups, looked up by any of their names (compared by `identity_key`)."""

    units: list[RegistryUnit]
    groups: list[RegistryGroup] = field(default_factory=list)
    _names: dict[str, tuple[str, str]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for unit in self.units:
            self._names.setdefault(identity_key(unit.name), ("exact", unit.id))
        for group in self.groups:
            self._names.setdefault(identity_key(group.name), ("group", group.id))
        for unit in self.units:
            for alias in unit.aliases:
                self._names.setdefault(identity_key(alias), ("alias", unit.id))
        for group in self.groups:
            for alias in group.aliases:
                self._names.setdefault(identity_key(alias), ("group", group.id))

    def unit(self, unit_id: str) -> RegistryUnit | None:
        """The unit with id `unit_id`, if any."""
        return next((unit for unit in self.units if unit.id == unit_id), None)

    def group(self, group_id: str) -> RegistryGroup | None:
        """The group with id `group_id`, if any."""
        return next((group for group in self.groups if group.id == group_id), None)

    def known_names(self) -> list[str]:
        """Every name and alias, for suggestions."""
        names = [unit.name for unit in self.units] + [group.name for group in self.groups]
        names += [alias for unit in self.units for alias in unit.aliases]
        names += [alias for group in self.groups for alias in group.aliases]
        return list(dict.fromkeys(names))

    def _by_id(self, target: str, written: str, how: str) -> Resolution | None:
        if self.unit(target) is not None:
            return Resolution(written, how, (target,))
        group = self.group(target)
        if group is not None:
            return Resolution(written, how, group.members, group.id)
        return None

    def resolve(self, written: str, mapping: Mapping[str, str] | None = None) -> Resolution | None:
        """What `written` names, or None when it is unknown (never a guess). `mapping` maps a
        written name to a unit or group id, or to another name the registry knows."""
        key = identity_key(written)
        found = self._names.get(key)
        if found is not None:
            how, target = found
            return self._by_id(target, written, how)
        if key.endswith(GOVERNMENT) and key != GOVERNMENT:
            place = key.removesuffix(GOVERNMENT)  # 包头人民政府 names 包头市 without its 市
            found = next(filter(None, (self._names.get(name) for name in (
                place, f"{place}市", f"{place}盟"))), None)
            if found is not None:
                target = found[1]
                unit = self.unit(target)
                if found[0] == "group" or (unit is not None and unit.kind == "league"):
                    return self._by_id(target, written, "government")
        for name, target in (mapping or {}).items():
            if identity_key(name) == key:
                resolved = self._by_id(identity_key(target), written, "map")
                if resolved is None and identity_key(target) in self._names:
                    resolved = self._by_id(self._names[identity_key(target)][1], written, "map")
                return resolved
        return None

    def closest(self, written: str, count: int = 3) -> list[str]:
        """The `count` known names closest to `written` (rapidfuzz's Indel ratio: the share
        of characters the two have in common, in order, which suits Chinese names)."""
        from rapidfuzz import fuzz, process  # here: only an unknown name needs it

        names = self.known_names()
        found = process.extract(written, names, scorer=fuzz.ratio, limit=count)
        return [name for name, _score, _index in found]


@dataclass(frozen=True, slots=True)
class Clause:
    """A responsibility clause: the names as written, lead first, then the supports."""

    text: str
    leads: tuple[str, ...]
    supports: tuple[str, ...]
    limit: str | None = None  # a time limit the clause names too: （A负责，2026年底前完成）


def split_names(text: str) -> list[str]:
    """Names listed in `text` (、 ， ; between them), split only outside brackets, so
    `自治区市场监管局（知识产权局）、自治区公安厅` gives two names."""
    names: list[str] = []
    depth, current = 0, ""
    for char in text:
        if char in "（(":
            depth += 1
        elif char in "）)":
            depth = max(0, depth - 1)
        if depth == 0 and char in _LIST_SEPARATORS:
            names.append(current)
            current = ""
        else:
            current += char
    names.append(current)
    return [name.strip(" \u3000。.") for name in names if name.strip(" \u3000。.")]


def _strip_ending(text: str, endings: Iterable[str]) -> str | None:
    text = text.strip(" \u3000。.")
    for ending in endings:
        if text.endswith(ending):
            return text.removesuffix(ending).strip(" \u3000，,")
    return None


def read_clause(text: str) -> Clause | None:
    """The responsibility clause `text` (the inside of the brackets) states, or None when it
    is not one: `A负责`, `A、B负责`, `A牵头，B、C配合`, `A、B按职责分别负责`, `A、B等部门负责`,
    `各盟市负责`, `A、各盟市人民政府负责`; a part that is a time limit (`A负责，2026年底前完成`)
    is the clause's limit."""
    parts = [part.strip() for part in re.split(r"[，,；;](?![^（(]*[）)])", text) if part.strip()]
    leads: list[str] = []
    supports: list[str] = []
    limit: str | None = None
    for part in parts:
        if is_time_limit(part):
            limit = part
            continue
        if _LEAD_MARK.search(part):
            leads += split_names(_LEAD_MARK.sub("", part))
            continue
        support = _strip_ending(part, _SUPPORT_ENDINGS)
        if support is not None:
            supports += split_names(support)
            continue
        lead = _strip_ending(part, _LEAD_ENDINGS)
        if lead is None:
            return None
        named = split_names(lead)
        if leads:
            supports += named
        else:
            leads, supports = named[:1], named[1:] + supports
    if not leads or any(len(name) < 2 for name in leads + supports):
        return None
    return Clause(text, tuple(leads[:1]), tuple(leads[1:] + supports), limit)


def read_unit_cell(text: str) -> list[str]:
    """The names in a 牵头单位 / 配合单位 cell (a clause's words, if any, dropped)."""
    clause = read_clause(text)
    if clause is not None:
        return list(clause.leads + clause.supports)
    return split_names(text.strip())


def last_clause(text: str) -> tuple[str, Clause | None]:
    """`text` without its last bracketed clause, and the clause, when the text ends in one
    that names units (a final 。 allowed); brackets inside the clause (unit names) and
    bracketed words elsewhere in the text are kept as they are."""
    body = text.rstrip(" \u3000。.；;")
    if not body.endswith(("）", ")")):
        return text, None
    depth = 0
    for index in range(len(body) - 1, -1, -1):
        char = body[index]
        if char in "）)":
            depth += 1
        elif char in "（(":
            depth -= 1
            if depth == 0:
                clause = read_clause(body[index + 1:-1])
                if clause is None:
                    return text, None
                return body[:index].rstrip(" \u3000"), clause
    return text, None
