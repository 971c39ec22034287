"""Intake of a plan document: read it, resolve its unit names, write it as a plan file.

`intake_document` reads the file (services/intake_files.py) and parses it against the unit
registry (core/intake.py); `plan_file_text` writes the result in the plan-file format, to be
reviewed, diffed and then added with `planner plans add` or `planner import`;
`summary_lines` says what was read.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from planner.core.errors import PlannerError
from planner.core.intake import AREA, GROUP, IntakeItem, IntakePlan, read_plan
from planner.core.intake_units import Registry, RegistryGroup, RegistryUnit
from planner.core.text import identity_key
from planner.i18n import Msg, msg
from planner.services.intake_files import read_blocks
from planner.services.plan_yaml import PlanSpec, parse_plan, read_text

#: How the plan file marks an item due "at the plan's end, ongoing" (长期坚持 / 持续推进):
#: its due is the plan's end and its description ends with this line.
ONGOING_LINE = "完成时限：{text}（长期任务，至计划期末）"
_ONGOING = re.compile(re.escape(ONGOING_LINE).replace(re.escape("{text}"), "(?P<text>[^\n]+?)"))


def split_ongoing(description: str | None) -> tuple[str | None, str | None]:
    """The ongoing time limit (长期坚持) a description's last line records as ONGOING_LINE,
    if any, and the description without that line."""
    head, _, last = (description or "").rpartition("\n")
    found = _ONGOING.fullmatch(last.strip())
    if found is None:
        return None, description
    return found["text"], head.strip() or None


@dataclass(slots=True)
class IntakeRequest:
    """What `planner intake` was asked: the document and the options."""

    path: Path
    year: int | None = None
    plan_id: str | None = None
    parent: str | None = None
    map_path: Path | None = None
    new_units: bool = False


def registry_from_spec(spec: PlanSpec) -> Registry:
    """The units and groups of a plan file, with their aliases."""
    units = [RegistryUnit(unit.id, unit.name, unit.kind, tuple(unit.aliases))
             for unit in spec.units]
    groups = [RegistryGroup(group.id, group.name, tuple(group.members), tuple(group.aliases))
              for group in spec.groups]
    return Registry(units, groups)


def bundled_registry() -> Registry:
    """The registry shipped with planner (tasks.yaml's units, aliases and groups): the file
    `plan_file.bundled_plan_path` names, read without importing the database layer, so
    intake without a database starts fast."""
    path = Path(__file__).resolve().parent.parent / "data" / "tasks.yaml"
    return registry_from_spec(parse_plan(read_text(path), str(path)))


def merged_registry(first: Registry, then: Registry) -> Registry:
    """`first` (the database's) with what `then` (the bundled one) adds: units and groups of
    other ids; where a name is in both, `first`'s meaning wins."""
    unit_ids = {unit.id for unit in first.units}
    group_ids = {group.id for group in first.groups}
    return Registry([*first.units, *(u for u in then.units if u.id not in unit_ids)],
                    [*first.groups, *(g for g in then.groups if g.id not in group_ids)])


def read_name_map(path: Path) -> dict[str, str]:
    """A `--map` file: YAML `written name: unit id, group id or known name`, one a line."""
    text = read_text(path)
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise PlannerError("intake_map_not_mapping", where=where) from None
    if not isinstance(loaded, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in loaded.items()):
        raise PlannerError("intake_map_not_mapping", where=str(path))
    return loaded


def _check_map(mapping: Mapping[str, str], registry: Registry, path: Path) -> None:
    """Every target of the map is a unit, a group or a name the registry knows."""
    for written, target in mapping.items():
        if registry.resolve(target) is None and registry.unit(identity_key(target)) is None \
                and registry.group(identity_key(target)) is None:
            raise PlannerError("intake_map_unknown_target", written=written, target=target,
                               closest=registry.closest(target), where=str(path))


def intake_document(request: IntakeRequest, registry: Registry) -> IntakePlan:
    """The plan `request.path` states, its names resolved against `registry`."""
    mapping: dict[str, str] = {}
    if request.map_path is not None:
        mapping = read_name_map(request.map_path)
        _check_map(mapping, registry, request.map_path)
    blocks = read_blocks(request.path)
    try:
        return read_plan(blocks, registry, year=request.year, mapping=mapping,
                         new_units=request.new_units, fallback_title=request.path.stem)
    except PlannerError as exc:
        if exc.where is None:
            exc.where = str(request.path)
        raise


def default_plan_id(plan: IntakePlan) -> str:
    """A plan id when none is given: the kind and the first year (annual-2026)."""
    return f"{plan.kind}-{plan.year}"


def plan_file_text(plan: IntakePlan, registry: Registry, *, plan_id: str | None = None,
                   parent: str | None = None, source: str | None = None) -> str:
    """The plan as a plan file: `plan` (id, kind, parent, title, period), the units it
    names (with their aliases), the tree."""
    settings: dict[str, Any] = {"id": plan_id or default_plan_id(plan), "kind": plan.kind}
    if parent:
        settings["parent"] = parent
    settings |= {"title": plan.title,
                 "period": {"start": plan.start.isoformat(), "end": plan.end.isoformat()},
                 "report_cycle": "weekly"}
    if source:
        settings["source"] = source
    used = {unit for item in plan.items() for unit in [item.lead, *item.supports] if unit}
    units = []
    for unit in [*registry.units, *plan.new_units]:
        if unit.id in used:
            entry: dict[str, Any] = {"id": unit.id, "name": unit.name, "kind": unit.kind}
            if unit.aliases:
                entry["aliases"] = list(unit.aliases)
            units.append(entry)
            used.discard(unit.id)
    document = {"plan": settings, "units": units,
                "tasks": [_task(item) for item in plan.roots]}
    return "".join(_yaml_lines(document, ""))


_PLAIN_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _scalar(value: object) -> str:
    """A scalar as YAML: an id-like word plain, any other text double-quoted with JSON's
    escapes (which YAML's double-quoted style shares), numbers as they are."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _PLAIN_WORD.match(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _yaml_lines(value: object, indent: str) -> list[str]:
    """The block-style YAML of a document of dicts, lists and scalars (PyYAML's representer
    takes a second for a thousand items: too slow for intake's two-second budget)."""
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, list) and item and not any(
                    isinstance(part, dict | list) for part in item):  # ids: one line
                lines.append(f"{indent}{key}: [{', '.join(_scalar(part) for part in item)}]\n")
            elif isinstance(item, dict | list) and item:
                lines.append(f"{indent}{key}:\n")
                lines += _yaml_lines(item, indent + "  ")
            else:
                empty = "[]" if item == [] else "{}" if item == {} else None
                lines.append(f"{indent}{key}: {empty or _scalar(item)}\n")
    else:
        for item in value:  # type: ignore[attr-defined]  # a list: the only other collection
            if isinstance(item, dict | list) and item:
                inner = _yaml_lines(item, indent + "  ")
                lines.append(f"{indent}- {inner[0].lstrip()}")
                lines += inner[1:]
            else:
                empty = "[]" if item == [] else "{}" if item == {} else None
                lines.append(f"{indent}- {empty or _scalar(item)}\n")
    return lines


def _task(item: IntakeItem) -> dict[str, Any]:
    entry: dict[str, Any] = {"code": item.code, "title": item.title}
    description = item.description or ""
    if item.ongoing and item.limit is not None:
        description = "\n".join(filter(None, [description, ONGOING_LINE.format(
            text=item.limit.text)]))
    if description:
        entry["description"] = description
    if item.lead:
        entry["lead"] = item.lead
    if item.supports:
        entry["support"] = list(item.supports)
    if item.due is not None and not item.rule:
        entry["due"] = item.due.isoformat()
    if item.rule:
        entry["repeat"] = {"rule": item.rule, "duration": 1}
        if item.due is not None:
            entry["due"] = item.due.isoformat()
    if item.source:
        entry["source"] = item.source
    if item.children:
        entry["children"] = [_task(child) for child in item.children]
    return entry


def write_plan_file(path: Path, text: str) -> None:
    """Write the plan file (UTF-8); a refused write is one line, as for any report. Here,
    not through reports.document, whose import costs intake a second."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise PlannerError("report_write_failed", path=path, reason=exc.strerror or exc) from None


def summary_lines(plan: IntakePlan) -> list[Msg]:
    """What was read: counts, how each name resolved, every time limit, what was not
    understood, and each unknown name with its closest known names."""
    lines = [msg("intake_summary", title=plan.title, kind=msg(f"intake_kind_{plan.kind}"),
                 start=plan.start, end=plan.end, areas=plan.count(AREA),
                 groups=plan.count(GROUP), items=len(plan.items()) - plan.count(AREA)
                 - plan.count(GROUP))]
    for resolution in plan.resolutions:
        lines.append(msg("intake_resolved", written=resolution.written,
                         how=msg(f"intake_how_{resolution.how}"),
                         units=list(resolution.unit_ids)))
    for where, text, limit in plan.limits:
        if limit.rule:
            meaning = msg("intake_limit_recurring", rule=limit.rule)
        elif limit.ongoing:
            meaning = msg("intake_limit_ongoing", due=limit.due)
        else:
            meaning = msg("intake_limit_due", due=limit.due)
        lines.append(msg("intake_limit", at=where, text=text, meaning=meaning))
    for where, note in plan.notes:
        lines.append(msg("intake_note", at=where, note=note))
    for unknown in plan.unresolved:
        lines.append(msg("intake_unknown_name", written=unknown.written,
                         places=list(unknown.places), closest=unknown.closest))
    return lines
