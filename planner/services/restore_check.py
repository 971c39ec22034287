"""Checking a backup's rows before they are restored: types first, then content.

A backup is input like a plan file: it may be damaged, made by another program, or made
by hand to do harm. Every value is converted from its stored form (JSON, or SQLite's raw
storage) to the column's Python type, and the whole content is checked with the rules the
plan-file importer applies (statuses, progress, dates, the tree, units and leads,
references). The first problem is raised as one line naming the table, the row (its key
and code) and the column; nothing is written before every row has passed.
"""

import math
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Table, TypeDecorator, UniqueConstraint
from sqlmodel import SQLModel

from planner.core.dates import RECORDED_YEARS
from planner.core.errors import PlannerError
from planner.core.model import REPORT_CYCLES, ROLLUP_RULES
from planner.core.status import Status
from planner.core.text import MAX_LONG_CHARS, controls_but_lines, identity_key, terminal_text
from planner.i18n import Msg, msg
from planner.services.plan_yaml import DIRECTIONS, UNIT_KINDS
from planner.services.users import NAME, RESERVED

Rows = dict[str, list[dict[str, Any]]]  # table name → rows as {column: Python value}
STATUSES = frozenset(status.value for status in Status)
TASK_ROLES = ("lead", "support")
INT_RANGE = (-(2**31), 2**31 - 1)  # PostgreSQL's integer: what both backends can hold
LABEL_CHARS = 40


class _Invalid(Exception):
    """A value that cannot be stored in its column: why, as a catalogue message."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.msg = msg(key, **params)
        super().__init__(self.msg.render("en"))


class _Row:
    """Where a row is, for messages: its table and key (and code), made printable."""

    def __init__(self, path: Path, table: Table, row: dict[str, Any], number: int) -> None:
        self.path, self.table, self.row, self.number = path, table, row, number

    def fail(self, column: str, problem: Msg) -> PlannerError:
        """A located error: table, row, column, and what is wrong there."""
        keys = [c.name for c in self.table.primary_key.columns] + (
            ["code"] if "code" in self.table.columns else [])
        label = ", ".join(f"{key}={printable(self.row[key])}" for key in keys
                          if self.row.get(key) is not None) or f"#{self.number}"
        return PlannerError("restore_bad_value", table=self.table.name, row=label,
                            column=column, problem=problem, where=str(self.path))


def printable(value: Any) -> str:
    """A value shortened and with control characters escaped, safe to print in a message."""
    return terminal_text(str(value)[:LABEL_CHARS])


def _tables() -> dict[str, Table]:
    return {table.name: table for table in SQLModel.metadata.sorted_tables}


def _python_type(column: Column[Any]) -> type | None:
    column_type = column.type
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    try:
        return column_type.python_type
    except NotImplementedError:
        return None


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid("restore_not_text")
    if "\x00" in value:
        raise _Invalid("restore_nul")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _Invalid("restore_surrogate") from None
    control = controls_but_lines().search(value)  # as clean_text refuses them at input
    if control is not None:
        point, position = f"U+{ord(control.group()):04X}", control.start() + 1
        raise _Invalid("restore_control_char", point=point, position=position)
    if len(value) > MAX_LONG_CHARS:
        raise _Invalid("restore_too_long", length=len(value), limit=MAX_LONG_CHARS)
    return value


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):  # SQLite stores booleans as 0 and 1
        return bool(value)
    raise _Invalid("restore_not_boolean")


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid("restore_not_integer")
    if not INT_RANGE[0] <= value <= INT_RANGE[1]:
        raise _Invalid("restore_integer_range", value=value)
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid("restore_not_number")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise _Invalid("restore_not_finite", value=number)
    return number


def _day(value: Any) -> date:
    try:
        return date.fromisoformat(_text(value))
    except (_Invalid, ValueError):
        raise _Invalid("restore_not_date", value=printable(value)) from None


def _moment(value: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(_text(value))
    except (_Invalid, ValueError):
        raise _Invalid("restore_not_time", value=printable(value)) from None
    # Stored in UTC; SQLite keeps no offset (as the columns' type reads it back).
    moment = moment if moment.utcoffset() is not None else moment.replace(tzinfo=UTC)
    if not RECORDED_YEARS[0] <= moment.astimezone(UTC).year <= RECORDED_YEARS[1]:
        raise _Invalid("restore_time_range", first=RECORDED_YEARS[0], last=RECORDED_YEARS[1],
                       moment=moment)
    return moment


CONVERTERS: dict[type, Callable[[Any], Any]] = {
    str: _text, bool: _boolean, int: _integer, float: _number, date: _day, datetime: _moment}


#: Columns a backup made before plans had ids (schema before 0008) lacks, filled by
#: `fill_one_plan`: its one plan's id and the plan its items and indicators belong to.
FILLED_FROM_ONE_PLAN = {("plan", "code"), ("task", "plan_id"), ("indicator", "plan_id")}
#: The id a one-plan backup's plan gets, as migration 0008 gives an upgraded database's.
ONE_PLAN_CODE = "sw14"


def fill_one_plan(rows: Rows) -> None:
    """A backup made before plans had ids restores as an upgraded database reads: its plan
    (the first, should there be more) becomes `sw14`, current, and every item and indicator
    belongs to it."""
    plans = rows.get("plan") or []
    for number, plan in enumerate(plans):
        if plan.get("code") is None:
            plan["code"] = ONE_PLAN_CODE if number == 0 else f"{ONE_PLAN_CODE}-{number + 1}"
            plan.setdefault("current", number == 0)
    first = plans[0].get("id") if plans else None
    for table in ("task", "indicator"):
        for row in rows.get(table) or []:
            if row.get("plan_id") is None:
                row["plan_id"] = first


def decode_rows(path: Path, table_name: str, columns: list[str],
                raw_rows: Iterable[Iterable[Any]]) -> list[dict[str, Any]]:
    """A table's rows as stored in a backup (JSON values, or SQLite's raw values), converted
    to the columns' Python types; PlannerError naming the row and column otherwise. Columns
    the backup lacks (an older version's backup) must have a default or allow null."""
    table = _tables()[table_name]
    for name, column in table.columns.items():
        if (name not in columns and not column.nullable and column.default is None
                and (table_name, name) not in FILLED_FROM_ONE_PLAN):
            raise PlannerError("restore_missing_column", table=table_name, column=name,
                               where=str(path))
    converters = [CONVERTERS[_python_type(table.columns[name]) or str] for name in columns]
    rows = []
    for number, values in enumerate(raw_rows, start=1):
        raw = dict(zip(columns, values, strict=True))
        row: dict[str, Any] = {}
        for name, convert in zip(columns, converters, strict=True):
            value = raw[name]
            if value is None:
                if not table.columns[name].nullable:
                    raise _Row(path, table, raw, number).fail(name, msg("restore_null"))
                row[name] = None
                continue
            try:
                row[name] = convert(value)
            except _Invalid as exc:
                raise _Row(path, table, raw, number).fail(name, exc.msg) from None
        rows.append(row)
    return rows


def check_content(path: Path, rows: Rows) -> None:
    """The rules a plan file obeys, on a whole backup: keys unique (plan ids, codes within a
    plan), references resolved, at least one plan, statuses and progress valid, dates in
    order, the tree a tree, one lead per item."""
    tables = _tables()
    located = {name: [_Row(path, tables[name], row, number)
                      for number, row in enumerate(table_rows, start=1)]
               for name, table_rows in rows.items()}
    _check_keys(rows, located, tables)
    _check_references(rows, located, tables)
    if not rows.get("plan"):
        raise PlannerError("restore_one_plan", count=0, where=str(path))
    for name, check in RULES.items():
        for row, where in zip(rows.get(name, []), located.get(name, []), strict=True):
            check(row, where)
    _check_tree(rows.get("task", []), located.get("task", []))
    _check_leads(rows, located)
    _check_look_alikes(rows, located)


def _check_keys(rows: Rows, located: dict[str, list[_Row]], tables: dict[str, Table]) -> None:
    """Primary keys and unique columns hold no value twice."""
    for name, table_rows in rows.items():
        table = tables[name]
        keys = [[c.name for c in table.primary_key.columns]]
        keys += [[c.name for c in table.columns if c.unique]]
        keys += [[c.name for c in constraint.columns] for constraint in table.constraints
                 if isinstance(constraint, UniqueConstraint)]
        keys += [[c.name for c in index.columns] for index in table.indexes if index.unique]
        for key in (k for k in keys if k):
            seen: set[tuple[Any, ...]] = set()
            for row, where in zip(table_rows, located[name], strict=True):
                if any(column not in row for column in key):
                    break
                value = tuple(row[column] for column in key)
                if value in seen:
                    raise where.fail(", ".join(key), msg("restore_twice"))
                seen.add(value)


def _check_references(rows: Rows, located: dict[str, list[_Row]],
                      tables: dict[str, Table]) -> None:
    """Every foreign key names a row of the backup."""
    for name, table_rows in rows.items():
        for foreign_key in tables[name].foreign_keys:
            column, target = foreign_key.parent.name, foreign_key.column
            existing = {row.get(target.name) for row in rows.get(target.table.name, [])}
            for row, where in zip(table_rows, located[name], strict=True):
                value = row.get(column)
                if value is not None and value not in existing:
                    raise where.fail(column, msg("restore_dangling", table=target.table.name,
                                                 value=printable(value)))


def _one_of(row: dict[str, Any], where: _Row, column: str, choices: Iterable[str]) -> None:
    value = row.get(column)
    if value is not None and value not in choices:
        raise where.fail(column, msg("restore_not_choice", allowed=sorted(choices),
                                     value=printable(value)))


def _between(row: dict[str, Any], where: _Row, column: str, low: float, high: float) -> None:
    value = row.get(column)
    if value is not None and not low <= value <= high:
        raise where.fail(column, msg("restore_out_of_range", low=low, high=high, value=value))


def _ordered(row: dict[str, Any], where: _Row, first: str, last: str) -> None:
    if row.get(first) is not None and row.get(last) is not None and row[last] < row[first]:
        raise where.fail(last, msg("restore_before", last=row[last], first=first,
                                   first_value=row[first]))


def _plan(row: dict[str, Any], where: _Row) -> None:
    _ordered(row, where, "start", "end")
    _one_of(row, where, "report_cycle", REPORT_CYCLES)
    _one_of(row, where, "rollup", ROLLUP_RULES)
    _between(row, where, "tolerance", 0, 100)
    _between(row, where, "due_soon_days", 0, 366)


def _unit(row: dict[str, Any], where: _Row) -> None:
    if not row.get("id", "x").strip():
        raise where.fail("id", msg("restore_empty"))
    _one_of(row, where, "kind", UNIT_KINDS)


def _task(row: dict[str, Any], where: _Row) -> None:
    _one_of(row, where, "status", STATUSES)
    _between(row, where, "progress", 0, 100)
    _between(row, where, "weight", 0.001, 1e6)
    _ordered(row, where, "start", "due")
    _one_of(row, where, "rollup_rule", ROLLUP_RULES)
    _between(row, where, "repeat_duration", 1, 366)


def _task_unit(row: dict[str, Any], where: _Row) -> None:
    _one_of(row, where, "role", TASK_ROLES)


def _progress_update(row: dict[str, Any], where: _Row) -> None:
    for prefix in ("old", "new"):
        _one_of(row, where, f"{prefix}_status", STATUSES)
        _between(row, where, f"{prefix}_progress", 0, 100)


def _indicator(row: dict[str, Any], where: _Row) -> None:
    _one_of(row, where, "direction", DIRECTIONS)


def _user(row: dict[str, Any], where: _Row) -> None:
    name = row.get("name", "")
    if not NAME.fullmatch(name) or name.lower() in RESERVED or name.lower().startswith("pg_"):
        raise where.fail("name", msg("restore_bad_user_name"))
    if "coordinator" in row and bool(row["coordinator"]) == (row.get("unit_id") is not None):
        raise where.fail("unit_id", msg("restore_user_unit"))


RULES: dict[str, Callable[[dict[str, Any], _Row], None]] = {
    "plan": _plan, "unit": _unit, "task": _task, "taskunit": _task_unit,
    "progressupdate": _progress_update, "indicator": _indicator, "planneruser": _user}


def _check_tree(tasks: list[dict[str, Any]], located: list[_Row]) -> None:
    """Parents form a tree: following parent_id from any item ends at a root."""
    parent_of = {row["id"]: row.get("parent_id") for row in tasks}
    where_of = {row["id"]: where for row, where in zip(tasks, located, strict=True)}
    settled: set[Any] = set()  # items known to lead up to a root
    for start in parent_of:
        chain: list[Any] = []
        on_chain: set[Any] = set()
        current = start
        while current is not None and current not in settled:
            if current in on_chain:
                cycle = " → ".join(str(item) for item in chain[chain.index(current):])
                raise where_of[current].fail("parent_id", msg("restore_parent_cycle",
                                                              cycle=cycle, current=current))
            chain.append(current)
            on_chain.add(current)
            current = parent_of.get(current)
        settled.update(chain)


def _check_look_alikes(rows: Rows, located: dict[str, list[_Row]]) -> None:
    """No two units whose ids or names look the same (`identity_key`), as plan files refuse."""
    for column in ("id", "name"):
        seen: dict[str, Any] = {}
        for row, where in zip(rows.get("unit", []), located.get("unit", []), strict=True):
            key = identity_key(str(row.get(column, "")))
            if key in seen:
                raise where.fail(column, msg("restore_look_alike", unit=printable(seen[key])))
            seen[key] = row.get("id")


def _check_leads(rows: Rows, located: dict[str, list[_Row]]) -> None:
    """Every item has exactly one lead unit."""
    leads = Counter(row["task_id"] for row in rows.get("taskunit", [])
                    if row.get("role") == "lead")
    for row, where in zip(rows.get("task", []), located.get("task", []), strict=True):
        if leads[row["id"]] != 1:
            raise where.fail("taskunit", msg("restore_one_lead", count=leads[row["id"]]))
