"""Parsing and validating the plan file (tasks.yaml) with file:line:column errors."""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planner.core.dates import parse_due, parse_start
from planner.core.errors import PlannerError
from planner.core.model import REPORT_CYCLES, ROLLUP_RULES
from planner.core.status import DONE_STATUSES, Status, parse_status, require_leaf
from planner.core.text import (
    CODE,
    DESCRIPTION,
    MAX_MEASURE,
    NOTE,
    TITLE,
    UNIT_ID,
    TextField,
    clean_text,
    clean_unit_id,
    clean_unit_name,
    identity_key,
    terminal_text,
)

UNIT_KINDS = ("department", "league", "external")
DIRECTIONS = ("up", "down")
TOP_KEYS = ("plan", "units", "tasks", "indicators")
PLAN_KEYS = ("title", "period", "report_cycle", "rollup", "warn", "source")
UNIT_KEYS = ("id", "name", "kind")
TASK_KEYS = ("code", "title", "description", "parent", "lead", "support", "start", "due",
             "original_due", "due_reason", "weight", "status", "progress", "rollup", "source",
             "repeat", "coordination", "children")
INDICATOR_KEYS = ("code", "name", "unit", "baseline", "target", "direction", "task", "targets",
                  "readings", "note")
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 100  # nesting of YAML nodes; a plan needs about two per level of its tree


@dataclass(slots=True)
class UnitSpec:
    """A unit as written in the file."""

    id: str
    name: str
    kind: str
    where: str


@dataclass(slots=True)
class TaskSpec:
    """A task as written in the file, dates resolved, parent given by code."""

    code: str
    title: str
    where: str
    parent: str | None = None
    lead: str | None = None
    support: list[str] = field(default_factory=list)
    start: date | None = None
    due: date | None = None
    original_due: date | None = None
    due_reason: str | None = None
    weight: float = 1.0
    status: Status | None = None
    progress: float | None = None
    rollup: str | None = None
    description: str | None = None
    source: str | None = None
    repeat_rule: str | None = None
    repeat_duration: int = 1
    coordination: str | None = None
    has_children: bool = False
    generated: bool = False
    explicit: frozenset[str] = frozenset()


@dataclass(slots=True)
class ReadingSpec:
    """An indicator reading as written in the file."""

    on: date
    value: float
    source: str | None
    where: str


@dataclass(slots=True)
class IndicatorSpec:
    """An indicator as written in the file."""

    code: str
    name: str
    unit: str
    baseline: float
    target: float | None
    direction: str
    task: str | None
    where: str
    targets: dict[int, float] = field(default_factory=dict)
    readings: list[ReadingSpec] = field(default_factory=list)
    note: str | None = None


@dataclass(slots=True)
class PlanSpec:
    """The whole file: settings, units, tasks in file order, indicators."""

    title: str
    start: date
    end: date
    report_cycle: str
    rollup: str
    tolerance: float
    due_soon_days: int
    source: str | None
    units: list[UnitSpec]
    tasks: list[TaskSpec]
    indicators: list[IndicatorSpec]


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases, so an alias bomb cannot expand, and nesting
    deeper than MAX_DEPTH, so a `[[[[…` bomb cannot exhaust the stack."""

    depth = 0

    def compose_node(self, parent: Node | None, index: object) -> Node | None:  # type: ignore[override]
        mark = self.peek_event().start_mark
        where = f"{self.name}:{mark.line + 1}:{mark.column + 1}"
        if self.check_event(yaml.AliasEvent):
            raise PlannerError("不支持 YAML 别名（*引用），请直接写出内容",
                               "YAML aliases (*refs) are not allowed; write the content out",
                               where=where)
        if self.depth >= MAX_DEPTH:
            raise PlannerError(f"嵌套层次过深（超过 {MAX_DEPTH} 层）",
                               f"nested too deeply (more than {MAX_DEPTH} levels)", where=where)
        self.depth += 1
        try:
            return super().compose_node(parent, index)  # type: ignore[arg-type]
        finally:
            self.depth -= 1


def read_text(path: Path) -> str:
    """The file decoded as UTF-8 (BOM allowed), with a located error otherwise."""
    try:
        with path.open("rb") as stream:  # read one byte past the limit, never the whole file
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise PlannerError(f"无法读取文件：{exc.strerror}", f"cannot read file: {exc.strerror}",
                           where=str(path)) from None
    if len(data) > MAX_FILE_BYTES:
        raise PlannerError("文件过大（超过 50 MB）", "file too large (over 50 MB)", where=str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise PlannerError("文件不是 UTF-8 编码", "file is not UTF-8 encoded",
                           where=f"{path}:{line}:{column}") from None


def compose(text: str, name: str) -> MappingNode:
    """The document's node tree; syntax errors and empty files are located errors."""
    if not text.strip():
        raise PlannerError("文件为空", "file is empty", where=f"{name}:1:1")
    try:
        loader = _NoAliasLoader(text)
    except yaml.reader.ReaderError as exc:
        # A raw control character in the file: PyYAML refuses the text before parsing.
        before = text[: exc.position]
        where = f"{name}:{before.count(chr(10)) + 1}:{exc.position - before.rfind(chr(10))}"
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise PlannerError(f"文件含有不允许的控制字符 U+{code:04X}",
                           f"the file contains a control character that is not allowed: "
                           f"U+{code:04X}", where=where) from None
    loader.name = name
    try:
        root = _fast_compose(text) or loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        problem = terminal_text(exc.problem or str(exc))
        raise PlannerError(f"YAML 语法错误：{problem}", f"YAML syntax error: {problem}",
                           where=where) from None
    except yaml.YAMLError as exc:
        raise PlannerError(f"YAML 错误：{exc}", f"YAML error: {exc}", where=name) from None
    finally:
        loader.dispose()
    if root is None or (isinstance(root, ScalarNode) and not root.value.strip()):
        raise PlannerError("文件为空", "file is empty", where=f"{name}:1:1")
    if not isinstance(root, MappingNode):
        raise PlannerError("顶层必须是映射（plan/units/tasks/indicators）",
                           "the top level must be a mapping (plan/units/tasks/indicators)",
                           where=_where(name, root))
    return root


def _fast_compose(text: str) -> Node | None:
    """The node tree composed by libyaml in C (about 10× faster than the Python composer, with
    the same line and column in every mark), or None when the Python composer must speak: a
    syntax error, an alias or nesting deeper than MAX_DEPTH, so those errors and their
    positions stay exactly those of `_NoAliasLoader`. libyaml stops at 1,000 levels of
    nesting itself, so a `[[[[…` bomb cannot exhaust the C stack here either."""
    if not yaml.__with_libyaml__:
        return None
    loader = yaml.CSafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    if root is None or not _plain_tree(root, may_alias="*" in text):
        return None
    return root


def _plain_tree(root: Node, *, may_alias: bool) -> bool:
    """No node nested deeper than MAX_DEPTH and, when the text has a `*` at all, no node
    reached twice (libyaml composes an alias as its anchor's node)."""
    seen: set[int] = set()
    pending: list[tuple[Node, int]] = [(root, 0)]
    while pending:
        node, depth = pending.pop()
        if may_alias:
            if id(node) in seen:
                return False
            seen.add(id(node))
        if isinstance(node, SequenceNode):
            children = node.value
        elif isinstance(node, MappingNode):
            children = [part for pair in node.value for part in pair]
        else:
            continue
        if children and depth + 1 >= MAX_DEPTH:
            return False
        pending.extend((child, depth + 1) for child in children
                       if may_alias or not isinstance(child, ScalarNode))
    return True


def _where(name: str, node: Node) -> str:
    return f"{name}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


class _Reader:
    """Typed access to YAML nodes with located errors."""

    def __init__(self, name: str, today: date | None) -> None:
        self.name = name
        self.today = today

    def where(self, node: Node) -> str:
        return _where(self.name, node)

    def fail(self, node: Node, zh: str, en: str) -> PlannerError:
        """A located error on one line (a quoted multi-line value is joined)."""
        return PlannerError(terminal_text(" ".join(zh.splitlines())),
                            terminal_text(" ".join(en.splitlines())), where=self.where(node))

    def mapping(self, node: Node, allowed: tuple[str, ...], what: str) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what}必须是映射", f"{what} must be a mapping")
        result: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key not in allowed:
                raise self.fail(key_node, f"未知字段\"{key}\"（可用：{'、'.join(allowed)}）",
                                f'unknown key "{key}" (allowed: {", ".join(allowed)})')
            if key in result:
                raise self.fail(key_node, f"字段\"{key}\"重复", f'duplicate key "{key}"')
            result[key] = value_node
        return result

    def sequence(self, node: Node, what: str) -> list[Node]:
        if self.is_null(node):
            return []
        if not isinstance(node, SequenceNode):
            raise self.fail(node, f"{what}必须是列表", f"{what} must be a list")
        return list(node.value)

    @staticmethod
    def is_null(node: Node) -> bool:
        return isinstance(node, ScalarNode) and node.tag.endswith(":null")

    def text(self, node: Node, what: str, *, required: bool = True,
             kind: TextField = TITLE) -> str | None:
        """A scalar as text checked by `clean_text` under the rule of `kind` (one line of
        at most 500 characters unless said otherwise)."""
        if self.is_null(node) or not isinstance(node, ScalarNode):
            if not isinstance(node, ScalarNode):
                raise self.fail(node, f"{what}必须是文本", f"{what} must be text")
            if required:
                raise self.fail(node, f"{what}不能为空", f"{what} must not be empty")
            return None
        value = clean_text(node.value, kind.named(what, what), where=self.where(node))
        if required and not value:
            raise self.fail(node, f"{what}不能为空", f"{what} must not be empty")
        return value or None

    def unit_id(self, node: Node) -> str:
        """A unit id as stored: NFKC, no zero-width characters (see core/text.py)."""
        if not isinstance(node, ScalarNode) or self.is_null(node):
            raise self.fail(node, "id 必须是文本", "id must be text")
        unit_id = clean_unit_id(node.value, where=self.where(node))
        if not unit_id:
            raise self.fail(node, "id 不能为空", "id must not be empty")
        return unit_id

    def unit_name(self, node: Node) -> str:
        """A unit name as stored: NFC, trimmed, no zero-width characters."""
        if not isinstance(node, ScalarNode) or self.is_null(node):
            raise self.fail(node, "name 必须是文本", "name must be text")
        name = clean_unit_name(node.value, where=self.where(node))
        if not name:
            raise self.fail(node, "name 不能为空", "name must not be empty")
        return name

    def number(self, node: Node, what: str, *, low: float = -MAX_MEASURE,
               high: float = MAX_MEASURE) -> float:
        if not isinstance(node, ScalarNode) or self.is_null(node):
            raise self.fail(node, f"{what}必须是数字", f"{what} must be a number")
        try:
            value = float(node.value.replace("_", ""))
        except ValueError:
            raise self.fail(node, f"{what}必须是数字：\"{node.value}\"",
                            f'{what} must be a number: "{node.value}"') from None
        if value != value or value in (float("inf"), float("-inf")):
            raise self.fail(node, f"{what}必须是有限数字", f"{what} must be a finite number")
        if value < low or value > high:
            raise self.fail(node, f"{what}必须在 {low:g}–{high:g} 之间（实际 {node.value}）",
                            f"{what} must be between {low:g} and {high:g} (got {node.value})")
        return value

    def choice(self, node: Node, what: str, choices: tuple[str, ...]) -> str:
        value = self.text(node, what) or ""
        if value not in choices:
            raise self.fail(node, f"{what}必须是 {'、'.join(choices)} 之一（实际\"{value}\"）",
                            f'{what} must be one of {", ".join(choices)} (got "{value}")')
        return value

    def day(self, node: Node, what: str, *, end: bool) -> date:
        value = self.text(node, what) or ""
        try:
            return parse_due(value, today=self.today) if end else parse_start(
                value, today=self.today)
        except PlannerError as exc:
            raise self.fail(node, f"{what}：{exc.zh}", f"{what}: {exc.en}") from None


def parse_plan(text: str, name: str, *, today: date | None = None) -> PlanSpec:
    """Validate a whole plan file and return its content; the first problem is raised."""
    reader = _Reader(name, today)
    top = reader.mapping(compose(text, name), TOP_KEYS, "顶层")
    if "plan" not in top:
        raise PlannerError("缺少 plan 段", 'missing "plan" section', where=f"{name}:1:1")
    spec = _parse_settings(reader, top["plan"])
    spec.units = _parse_units(reader, top.get("units"))
    spec.tasks = _parse_tasks(reader, top.get("tasks"), spec)
    spec.indicators = _parse_indicators(reader, top.get("indicators"), spec)
    return spec


def _parse_settings(reader: _Reader, node: Node) -> PlanSpec:
    fields = reader.mapping(node, PLAN_KEYS, "plan")
    if "title" not in fields or "period" not in fields:
        raise reader.fail(node, "plan 需要 title 和 period", "plan needs title and period")
    period = reader.mapping(fields["period"], ("start", "end"), "period")
    if "start" not in period or "end" not in period:
        raise reader.fail(fields["period"], "period 需要 start 和 end",
                          "period needs start and end")
    start = reader.day(period["start"], "period.start", end=False)
    end = reader.day(period["end"], "period.end", end=True)
    if end < start:
        raise reader.fail(period["end"], f"计划结束日期 {end} 早于开始日期 {start}",
                          f"plan end {end} is before its start {start}")
    tolerance, due_soon_days = 10.0, 14
    if "warn" in fields:
        warn = reader.mapping(fields["warn"], ("tolerance", "due_soon_days"), "warn")
        if "tolerance" in warn:
            tolerance = reader.number(warn["tolerance"], "warn.tolerance", low=0, high=100)
        if "due_soon_days" in warn:
            due_soon_days = int(reader.number(warn["due_soon_days"], "warn.due_soon_days",
                                              low=0, high=366))
    return PlanSpec(
        title=reader.text(fields["title"], "plan.title") or "",
        start=start, end=end,
        report_cycle=(reader.choice(fields["report_cycle"], "report_cycle", REPORT_CYCLES)
                      if "report_cycle" in fields else "weekly"),
        rollup=(reader.choice(fields["rollup"], "rollup", ROLLUP_RULES)
                if "rollup" in fields else "weighted"),
        tolerance=tolerance, due_soon_days=due_soon_days,
        source=reader.text(fields["source"], "source", required=False, kind=DESCRIPTION)
        if "source" in fields else None,
        units=[], tasks=[], indicators=[],
    )


def _parse_units(reader: _Reader, node: Node | None) -> list[UnitSpec]:
    units: list[UnitSpec] = []
    seen: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    for item in reader.sequence(node, "units") if node is not None else []:
        fields = reader.mapping(item, UNIT_KEYS, "单位")
        for key in ("id", "name"):
            if key not in fields:
                raise reader.fail(item, f"单位缺少 {key}", f"unit is missing {key}")
        unit_id = reader.unit_id(fields["id"])
        if unit_id in seen:
            first, written = seen[unit_id], fields["id"].value
            same = "" if written == unit_id else f"，即\"{unit_id}\""
            same_en = "" if written == unit_id else f', the same as "{unit_id}"'
            raise reader.fail(fields["id"],
                              f"单位 id \"{written}\" 重复{same}（首次出现在 {first}）",
                              f'duplicate unit id "{written}"{same_en} (first at {first})')
        seen[unit_id] = reader.where(fields["id"])
        name = reader.unit_name(fields["name"])
        if identity_key(name) in seen_names:
            first = seen_names[identity_key(name)]
            raise reader.fail(fields["name"], f"单位名称\"{name}\"与 {first} 的单位相同",
                              f'unit name "{name}" is the same as the unit at {first}')
        seen_names[identity_key(name)] = reader.where(fields["name"])
        kind = (reader.choice(fields["kind"], "kind", UNIT_KINDS) if "kind" in fields
                else "department")
        units.append(UnitSpec(unit_id, name, kind, reader.where(item)))
    return units


def _parse_tasks(reader: _Reader, node: Node | None, plan: PlanSpec) -> list[TaskSpec]:
    unit_ids = {unit.id for unit in plan.units}
    tasks: list[TaskSpec] = []
    first_seen: dict[str, str] = {}

    def unit_ref(value_node: Node, what: str) -> str:
        unit_id = identity_key(reader.text(value_node, what, kind=UNIT_ID) or "")
        if unit_id not in unit_ids:
            raise reader.fail(value_node, f"未知单位\"{unit_id}\"（请先在 units 中定义）",
                              f'unknown unit "{unit_id}" (define it under units first)')
        return unit_id

    def visit(item: Node, parent: TaskSpec | None) -> None:
        fields = reader.mapping(item, TASK_KEYS, "事项")
        if "code" not in fields:
            raise reader.fail(item, "事项缺少 code", "item is missing its code")
        code = reader.text(fields["code"], "code", kind=CODE) or ""
        if code in first_seen:
            raise reader.fail(fields["code"], f"编码 {code} 重复（首次出现在 {first_seen[code]}）",
                              f"duplicate code {code} (first at {first_seen[code]})")
        first_seen[code] = reader.where(fields["code"])
        if "title" not in fields:
            raise reader.fail(item, f"事项 {code} 缺少标题（title）", f"item {code} has no title")
        task = TaskSpec(code=code, title=reader.text(fields["title"], "title") or "",
                        where=reader.where(item), explicit=frozenset(fields))
        if "parent" in fields:
            if parent is not None:
                raise reader.fail(fields["parent"], "嵌套在 children 中的事项不能再写 parent",
                                  "an item nested under children cannot also name a parent")
            task.parent = reader.text(fields["parent"], "parent", kind=CODE)
        elif parent is not None:
            task.parent = parent.code
        task.lead = unit_ref(fields["lead"], "lead") if "lead" in fields else (
            parent.lead if parent else None)
        if task.lead is None:
            raise reader.fail(item, f"事项 {code} 缺少牵头单位（lead）",
                              f"item {code} has no lead unit")
        if "support" in fields:
            task.support = [unit_ref(n, "support") for n in reader.sequence(
                fields["support"], "support")]
            task.support = [u for u in dict.fromkeys(task.support) if u != task.lead]
        default_start = parent.start if parent and parent.start else plan.start
        default_due = parent.due if parent and parent.due else plan.end
        task.start = reader.day(fields["start"], "start", end=False) if "start" in fields \
            else default_start
        task.due = reader.day(fields["due"], "due", end=True) if "due" in fields else default_due
        if task.due < task.start:
            bad = fields.get("due") or fields.get("start") or item
            raise reader.fail(bad, f"事项 {code} 的截止日期 {task.due} 早于开始日期 {task.start}",
                              f"item {code}: due {task.due} is before start {task.start}")
        if "original_due" in fields:
            task.original_due = reader.day(fields["original_due"], "original_due", end=True)
        if "due_reason" in fields:
            task.due_reason = reader.text(fields["due_reason"], "due_reason", kind=NOTE)
        if "weight" in fields:
            task.weight = reader.number(fields["weight"], "weight", low=0.001, high=1e6)
        if "status" in fields:
            try:
                task.status = parse_status(reader.text(fields["status"], "status") or "")
            except PlannerError as exc:
                raise reader.fail(fields["status"], exc.zh, exc.en) from None
        if "progress" in fields:
            task.progress = reader.number(fields["progress"], "progress", low=0, high=100)
            if task.status in DONE_STATUSES and task.progress != 100:
                raise reader.fail(fields["progress"],
                                  f"{task.status.zh}的事项进度应为 100（实际 {task.progress:g}）",
                                  f"a {task.status.value} item is at 100 (got {task.progress:g})")
        if "rollup" in fields:
            task.rollup = reader.choice(fields["rollup"], "rollup", ROLLUP_RULES)
        for key, kind in (("description", DESCRIPTION), ("source", DESCRIPTION),
                          ("coordination", NOTE)):
            if key in fields:
                setattr(task, key, reader.text(fields[key], key, required=False, kind=kind))
        if "repeat" in fields:
            repeat = reader.mapping(fields["repeat"], ("rule", "duration"), "repeat")
            if "rule" not in repeat:
                raise reader.fail(fields["repeat"], "repeat 需要 rule（RRULE）",
                                  "repeat needs a rule (RRULE)")
            task.repeat_rule = reader.text(repeat["rule"], "repeat.rule")
            if "duration" in repeat:
                task.repeat_duration = int(reader.number(repeat["duration"], "repeat.duration",
                                                         low=1, high=366))
        children = reader.sequence(fields["children"], "children") if "children" in fields else []
        task.has_children = bool(children) and task.repeat_rule is None
        if (task.has_children or task.repeat_rule) and ("status" in fields or "progress" in fields):
            require_leaf(code, has_children=True,
                         where=reader.where(fields.get("status") or fields["progress"]))
        tasks.append(task)
        for child in children:
            visit(child, task)

    for item in reader.sequence(node, "tasks") if node is not None else []:
        visit(item, None)
    _check_parents(reader, tasks)
    return tasks


def _check_parents(reader: _Reader, tasks: list[TaskSpec]) -> None:
    """Flat `parent:` references must exist in the file and must not form a cycle."""
    by_code = {task.code: task for task in tasks}
    for task in tasks:
        if task.parent is not None and task.parent not in by_code:
            raise PlannerError(f"事项 {task.code} 的上级 {task.parent} 不存在",
                               f"item {task.code}: parent {task.parent} does not exist",
                               where=task.where)
    for task in tasks:
        chain, current = [task.code], task.parent
        while current is not None:
            if current == task.code:
                path = " → ".join([*chain, current])
                raise PlannerError(f"上级关系出现循环：{path}", f"parent cycle: {path}",
                                   where=task.where)
            if len(chain) > len(tasks):
                break
            chain.append(current)
            current = by_code[current].parent
    for task in tasks:
        if task.parent is not None and by_code[task.parent].repeat_rule is None:
            by_code[task.parent].has_children = True
    for task in tasks:
        if task.status is not None or task.progress is not None:
            require_leaf(task.code, has_children=task.has_children, where=task.where)


def _parse_indicators(reader: _Reader, node: Node | None, plan: PlanSpec) -> list[IndicatorSpec]:
    task_codes = {task.code for task in plan.tasks}
    indicators: list[IndicatorSpec] = []
    seen: set[str] = set()
    for item in reader.sequence(node, "indicators") if node is not None else []:
        fields = reader.mapping(item, INDICATOR_KEYS, "指标")
        for key in ("code", "name", "unit", "baseline"):
            if key not in fields:
                raise reader.fail(item, f"指标缺少 {key}", f"indicator is missing {key}")
        code = reader.text(fields["code"], "code", kind=CODE) or ""
        if code in seen:
            raise reader.fail(fields["code"], f"指标编码 {code} 重复",
                              f"duplicate indicator {code}")
        seen.add(code)
        baseline = reader.number(fields["baseline"], "baseline")
        target = None
        if "target" in fields and not reader.is_null(fields["target"]):
            target = reader.number(fields["target"], "target")
        direction = "down" if target is not None and target < baseline else "up"
        if "direction" in fields:
            direction = reader.choice(fields["direction"], "direction", DIRECTIONS)
            wrong_way = target is not None and (
                (direction == "down" and target > baseline)
                or (direction == "up" and target < baseline))
            if wrong_way:
                raise reader.fail(fields["direction"],
                                  f"指标 {code}：方向 {direction} 与基线 {baseline:g}→目标 "
                                  f"{target:g} 不一致",
                                  f"indicator {code}: direction {direction} contradicts "
                                  f"baseline {baseline:g} → target {target:g}")
        task_code = None
        if "task" in fields:
            task_code = reader.text(fields["task"], "task", kind=CODE)
            if task_code not in task_codes:
                raise reader.fail(fields["task"], f"指标 {code} 关联的事项 {task_code} 不存在",
                                  f"indicator {code}: task {task_code} does not exist")
        indicator = IndicatorSpec(code, reader.text(fields["name"], "name") or "",
                                  reader.text(fields["unit"], "unit") or "", baseline, target,
                                  direction, task_code, reader.where(item))
        if "targets" in fields:
            targets = fields["targets"]
            if not isinstance(targets, MappingNode):
                raise reader.fail(targets, "targets 必须是 年份: 目标值 映射",
                                  "targets must map year: value")
            for year_node, value_node in targets.value:
                year = int(reader.number(year_node, "targets 年份", low=plan.start.year,
                                         high=plan.end.year))
                indicator.targets[year] = reader.number(value_node, "targets 目标值")
        if "readings" in fields:
            for reading_node in reader.sequence(fields["readings"], "readings"):
                reading = reader.mapping(reading_node, ("date", "value", "source"), "reading")
                if "date" not in reading or "value" not in reading:
                    raise reader.fail(reading_node, "读数需要 date 和 value",
                                      "a reading needs date and value")
                indicator.readings.append(ReadingSpec(
                    reader.day(reading["date"], "date", end=False),
                    reader.number(reading["value"], "value"),
                    reader.text(reading["source"], "source", required=False)
                    if "source" in reading else None,
                    reader.where(reading_node)))
        if "note" in fields:
            indicator.note = reader.text(fields["note"], "note", required=False, kind=NOTE)
        indicators.append(indicator)
    return indicators
