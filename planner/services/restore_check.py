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
from planner.core.text import CONTROLS_BUT_LINES, MAX_LONG_CHARS, identity_key, terminal_text
from planner.services.plan_yaml import DIRECTIONS, UNIT_KINDS
from planner.services.users import NAME, RESERVED

Rows = dict[str, list[dict[str, Any]]]  # table name → rows as {column: Python value}
STATUSES = frozenset(status.value for status in Status)
TASK_ROLES = ("lead", "support")
INT_RANGE = (-(2**31), 2**31 - 1)  # PostgreSQL's integer: what both backends can hold
LABEL_CHARS = 40


class _Invalid(Exception):
    """A value that cannot be stored in its column: why, in both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


class _Row:
    """Where a row is, for messages: its table and key (and code), made printable."""

    def __init__(self, path: Path, table: Table, row: dict[str, Any], number: int) -> None:
        self.path, self.table, self.row, self.number = path, table, row, number

    def fail(self, column: str, zh: str, en: str) -> PlannerError:
        """A located error: table, row, column."""
        keys = [c.name for c in self.table.primary_key.columns] + (
            ["code"] if "code" in self.table.columns else [])
        label = ", ".join(f"{key}={printable(self.row[key])}" for key in keys
                          if self.row.get(key) is not None) or f"#{self.number}"
        return PlannerError(f"表 {self.table.name} 的行（{label}）列 {column}：{zh}",
                            f"table {self.table.name}, row ({label}), column {column}: {en}",
                            where=str(self.path))


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
        raise _Invalid("必须是文本", "must be text")
    if "\x00" in value:
        raise _Invalid("含有 NUL 字符", "holds a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _Invalid("含有无效的 Unicode 字符（代理项）",
                         "holds invalid Unicode (a lone surrogate)") from None
    control = CONTROLS_BUT_LINES.search(value)  # as clean_text refuses them at input
    if control is not None:
        point, position = f"U+{ord(control.group()):04X}", control.start() + 1
        raise _Invalid(f"含有不允许的控制字符 {point}（第 {position} 个字符）",
                       f"holds a control character that is not allowed: {point} at character "
                       f"{position}")
    if len(value) > MAX_LONG_CHARS:
        raise _Invalid(f"过长：{len(value):,} 个字符（最多 {MAX_LONG_CHARS:,}）",
                       f"is too long: {len(value):,} characters (at most {MAX_LONG_CHARS:,})")
    return value


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):  # SQLite stores booleans as 0 and 1
        return bool(value)
    raise _Invalid("必须是布尔值", "must be a boolean")


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid("必须是整数", "must be an integer")
    if not INT_RANGE[0] <= value <= INT_RANGE[1]:
        raise _Invalid(f"整数超出范围（{value}）", f"integer out of range ({value})")
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid("必须是数字", "must be a number")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise _Invalid(f"必须是有限数字（实际 {number}）",
                       f"must be a finite number (got {number})")
    return number


def _day(value: Any) -> date:
    try:
        return date.fromisoformat(_text(value))
    except (_Invalid, ValueError):
        raise _Invalid(f"不是日期：{printable(value)}", f"not a date: {printable(value)}"
                       ) from None


def _moment(value: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(_text(value))
    except (_Invalid, ValueError):
        raise _Invalid(f"不是时间：{printable(value)}", f"not a time: {printable(value)}"
                       ) from None
    # Stored in UTC; SQLite keeps no offset (as the columns' type reads it back).
    moment = moment if moment.utcoffset() is not None else moment.replace(tzinfo=UTC)
    if not RECORDED_YEARS[0] <= moment.astimezone(UTC).year <= RECORDED_YEARS[1]:
        raise _Invalid(f"记录时间应在 {RECORDED_YEARS[0]}–{RECORDED_YEARS[1]} 年之间：{moment}",
                       f"a recorded time must fall in {RECORDED_YEARS[0]}–{RECORDED_YEARS[1]} "
                       f"(got {moment})")
    return moment


CONVERTERS: dict[type, Callable[[Any], Any]] = {
    str: _text, bool: _boolean, int: _integer, float: _number, date: _day, datetime: _moment}


def decode_rows(path: Path, table_name: str, columns: list[str],
                raw_rows: Iterable[Iterable[Any]]) -> list[dict[str, Any]]:
    """A table's rows as stored in a backup (JSON values, or SQLite's raw values), converted
    to the columns' Python types; PlannerError naming the row and column otherwise. Columns
    the backup lacks (an older version's backup) must have a default or allow null."""
    table = _tables()[table_name]
    for name, column in table.columns.items():
        if name not in columns and not column.nullable and column.default is None:
            raise PlannerError(f"表 {table_name} 缺少必需的列 {name}",
                               f"table {table_name} lacks the required column {name}",
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
                    raise _Row(path, table, raw, number).fail(name, "不能为空", "must not be null")
                row[name] = None
                continue
            try:
                row[name] = convert(value)
            except _Invalid as exc:
                raise _Row(path, table, raw, number).fail(name, exc.zh, exc.en) from None
        rows.append(row)
    return rows


def check_content(path: Path, rows: Rows) -> None:
    """The rules a plan file obeys, on a whole backup: keys unique, references resolved, one
    plan, statuses and progress valid, dates in order, the tree a tree, one lead per item."""
    tables = _tables()
    located = {name: [_Row(path, tables[name], row, number)
                      for number, row in enumerate(table_rows, start=1)]
               for name, table_rows in rows.items()}
    _check_keys(rows, located, tables)
    _check_references(rows, located, tables)
    plans = rows.get("plan", [])
    if len(plans) != 1:
        raise PlannerError(f"备份应恰好有一个计划（plan 表有 {len(plans)} 行）",
                           f"a backup holds exactly one plan (the plan table has {len(plans)} "
                           "rows)", where=str(path))
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
                    raise where.fail(", ".join(key), "重复", "appears twice")
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
                    raise where.fail(column, f"引用的 {target.table.name} {printable(value)} "
                                     "不在备份中",
                                     f"refers to {target.table.name} {printable(value)}, "
                                     "which is not in the backup")


def _one_of(row: dict[str, Any], where: _Row, column: str, choices: Iterable[str]) -> None:
    value = row.get(column)
    if value is not None and value not in choices:
        allowed = ", ".join(sorted(choices))
        raise where.fail(column, f"必须是 {allowed} 之一（实际“{printable(value)}”）",
                         f'must be one of {allowed} (got "{printable(value)}")')


def _between(row: dict[str, Any], where: _Row, column: str, low: float, high: float) -> None:
    value = row.get(column)
    if value is not None and not low <= value <= high:
        raise where.fail(column, f"必须在 {low:g}–{high:g} 之间（实际 {value:g}）",
                         f"must be between {low:g} and {high:g} (got {value:g})")


def _ordered(row: dict[str, Any], where: _Row, first: str, last: str) -> None:
    if row.get(first) is not None and row.get(last) is not None and row[last] < row[first]:
        raise where.fail(last, f"{row[last]} 早于 {first} {row[first]}",
                         f"{row[last]} is before {first} {row[first]}")


def _plan(row: dict[str, Any], where: _Row) -> None:
    _ordered(row, where, "start", "end")
    _one_of(row, where, "report_cycle", REPORT_CYCLES)
    _one_of(row, where, "rollup", ROLLUP_RULES)
    _between(row, where, "tolerance", 0, 100)
    _between(row, where, "due_soon_days", 0, 366)


def _unit(row: dict[str, Any], where: _Row) -> None:
    if not row.get("id", "x").strip():
        raise where.fail("id", "不能为空", "must not be empty")
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
        raise where.fail("name", "不是可用的用户名", "is not a usable user name")
    if "coordinator" in row and bool(row["coordinator"]) == (row.get("unit_id") is not None):
        raise where.fail("unit_id", "用户须属于一个单位或是协调员，二者选一",
                         "a user belongs to one unit or is a coordinator, one of the two")


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
                raise where_of[current].fail("parent_id", f"上级关系出现循环：{cycle} → {current}",
                                             f"parent cycle: {cycle} → {current}")
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
                raise where.fail(column, f"与单位 {printable(seen[key])} 看起来相同",
                                 f"looks the same as unit {printable(seen[key])}")
            seen[key] = row.get("id")


def _check_leads(rows: Rows, located: dict[str, list[_Row]]) -> None:
    """Every item has exactly one lead unit."""
    leads = Counter(row["task_id"] for row in rows.get("taskunit", [])
                    if row.get("role") == "lead")
    for row, where in zip(rows.get("task", []), located.get("task", []), strict=True):
        if leads[row["id"]] != 1:
            raise where.fail("taskunit", f"应恰好有一个牵头单位（实际 {leads[row['id']]} 个）",
                             f"needs exactly one lead unit (has {leads[row['id']]})")
