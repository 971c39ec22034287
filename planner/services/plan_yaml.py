"""Parsing and validating the plan file (tasks.yaml) with file:line:column errors."""

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planner.core.dates import parse_due, parse_start
from planner.core.errors import PlannerError
from planner.core.model import PLAN_KINDS, REPORT_CYCLES, ROLLUP_RULES, collector_paused
from planner.core.recurrence import expand
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
from planner.i18n import Msg, msg
from planner.services.yaml_subset import Mapping, read_subset

UNIT_KINDS = ("department", "league", "external")
DIRECTIONS = ("up", "down")
TOP_KEYS = ("plan", "units", "groups", "tasks", "indicators")
PLAN_KEYS = ("id", "kind", "parent", "title", "period", "report_cycle", "rollup", "warn",
             "source", "supervision", "follow_annual")
#: `plan.supervision.review`: whether a unit's 办结 is reviewed (复核) by a coordinator;
#: `plan.follow_annual`: whether leaves carried out by other plans' items follow them.
REVIEW_CHOICES = {"on": True, "off": False, "true": True, "false": False, "yes": True,
                  "no": False}
UNIT_KEYS = ("id", "name", "kind", "renames", "aliases")
GROUP_KEYS = ("id", "name", "members", "aliases")
TASK_KEYS = ("code", "title", "description", "parent", "lead", "support", "start", "due",
             "original_due", "due_reason", "weight", "status", "progress", "rollup", "source",
             "repeat", "coordination", "children", "implements")
INDICATOR_KEYS = ("code", "name", "unit", "baseline", "target", "direction", "task", "targets",
                  "readings", "note")
#: A plan's short id: letters and digits (Chinese included) and `-`, no spaces, at most 32.
PLAN_ID = re.compile(r"(?:[^\W_]|-){1,32}")
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 100  # nesting of YAML nodes; a plan needs about two per level of its tree


@dataclass(slots=True)
class UnitSpec:
    """A unit as written in the file."""

    id: str
    name: str
    kind: str
    where: str
    renames: bool = False
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class GroupSpec:
    """A unit group (各盟市) as written in the file: its members are unit ids, in order."""

    id: str
    name: str
    members: list[str]
    where: str
    aliases: list[str] = field(default_factory=list)


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
    implements: list[tuple[str, str]] = field(default_factory=list)
    """`PLAN:CODE` of each item of another plan this one carries out (落实), with where the
    reference is written (the import checks the item exists)."""


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
    plan_id: str | None = None
    """The plan's short id (`plan.id`); None in a file written before plans had one."""
    kind: str | None = None
    """The plan's kind (PLAN_KINDS); None when the file does not say (a new plan is then a
    five-year plan, a stored one keeps its kind)."""
    parent: str | None = None
    """The id of the plan this one belongs to (an annual plan's five-year plan)."""
    where: str = ""
    acknowledge_days: int = 3
    review: bool = False
    follow_annual: bool = False
    """`plan.follow_annual`: whether leaves carried out by other plans' items follow them."""
    groups: list[GroupSpec] = field(default_factory=list)


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases, so an alias bomb cannot expand, and nesting
    deeper than MAX_DEPTH, so a `[[[[…` bomb cannot exhaust the stack."""

    depth = 0

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        mark = self.peek_event().start_mark
        where = f"{self.name}:{mark.line + 1}:{mark.column + 1}"
        if self.check_event(yaml.AliasEvent):
            raise PlannerError("yaml_alias", where=where)
        if self.depth >= MAX_DEPTH:
            raise PlannerError("yaml_too_deep", limit=MAX_DEPTH, where=where)
        self.depth += 1
        try:
            return super().compose_node(parent, index)  # type: ignore[arg-type]  # PyYAML passes a key node, an int or None; its stub says int
        finally:
            self.depth -= 1


def read_text(path: Path) -> str:
    """The file decoded as UTF-8 (BOM allowed), with a located error otherwise."""
    try:
        with path.open("rb") as stream:  # read one byte past the limit, never the whole file
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise PlannerError("yaml_unreadable", reason=exc.strerror, where=str(path)) from None
    if len(data) > MAX_FILE_BYTES:
        raise PlannerError("yaml_too_large", where=str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise PlannerError("yaml_not_utf8", where=f"{path}:{line}:{column}") from None


def compose(text: str, name: str) -> MappingNode:
    """The document's node tree; syntax errors and empty files are located errors."""
    if not text.strip():
        raise PlannerError("yaml_empty", where=f"{name}:1:1")
    try:
        loader = _NoAliasLoader(text)
    except yaml.reader.ReaderError as exc:
        # A raw control character in the file: PyYAML refuses the text before parsing.
        before = text[: exc.position]
        where = f"{name}:{before.count(chr(10)) + 1}:{exc.position - before.rfind(chr(10))}"
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise PlannerError("yaml_control_char", code=code, where=where) from None
    loader.name = name
    try:
        root = _fast_compose(text) or loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        problem = terminal_text(exc.problem or str(exc))
        raise PlannerError("yaml_syntax", problem=problem, where=where) from None
    except yaml.YAMLError as exc:
        raise PlannerError("yaml_error", problem=str(exc), where=name) from None
    finally:
        loader.dispose()
    if root is None or (isinstance(root, ScalarNode) and not root.value.strip()):
        raise PlannerError("yaml_empty", where=f"{name}:1:1")
    if not isinstance(root, MappingNode):
        raise PlannerError("yaml_top_not_mapping", where=_where(name, root))
    return root


def _one_line(value: object) -> object:
    """A message parameter made one printable line: text joined and escaped (see
    `terminal_text`), inside messages and lists too; other values as they are."""
    if type(value) is str:
        return terminal_text(" ".join(value.splitlines()))
    if isinstance(value, Msg):
        return replace(value, params={name: _one_line(part)
                                      for name, part in value.params.items()})
    if isinstance(value, list | tuple):
        return [_one_line(part) for part in value]
    return value


if yaml.__with_libyaml__:
    class _PlainLoader(yaml.CSafeLoader):
        """libyaml's composer with PyYAML's resolver memoised: a plain scalar's implicit tag
        depends on its text alone, and a plan repeats its keys, dates, numbers and unit ids,
        so each distinct text is matched against the resolver's patterns once, not once per
        scalar (an eighth of the compose time). Tags come out exactly as PyYAML's."""

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.plain_tags: dict[str, str] = {}

        def resolve(self, kind: type[Node], value: str | None,
                    implicit: tuple[bool, bool]) -> str:
            if kind is ScalarNode and implicit[0]:
                tag = self.plain_tags.get(value)  # type: ignore[arg-type]  # a scalar's value is text
                if tag is None:
                    tag = self.plain_tags[value] = super().resolve(kind, value, implicit)  # type: ignore[index]  # as above
                return tag
            return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]  # PyYAML's resolver is unannotated


def _fast_compose(text: str) -> Node | None:
    """The node tree composed by libyaml in C (about 10× faster than the Python composer, with
    the same line and column in every mark), or None when the Python composer must speak: a
    syntax error, an alias or nesting deeper than MAX_DEPTH, so those errors and their
    positions stay exactly those of `_NoAliasLoader`. libyaml stops at 1,000 levels of
    nesting itself, so a `[[[[…` bomb cannot exhaust the C stack here either."""
    if not yaml.__with_libyaml__:
        return None
    loader = _PlainLoader(text)
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
    if not may_alias:
        return _shallow(root)
    seen: set[int] = set()
    pending: list[tuple[Node, int]] = [(root, 0)]
    while pending:
        node, depth = pending.pop()
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
        pending.extend((child, depth + 1) for child in children)
    return True


def _shallow(root: Node) -> bool:
    """No node nested MAX_DEPTH levels deep: a walk over the collections only, one level at
    a time (a plan's scalars, nine in ten of its nodes, are never visited)."""
    level = [root]
    for depth in range(MAX_DEPTH):
        below: list[Node] = []
        for node in level:
            if type(node) is MappingNode:
                for key, value in node.value:
                    if type(value) is not ScalarNode:
                        below.append(value)
                    if type(key) is not ScalarNode:
                        below.append(key)
            elif type(node) is SequenceNode:
                below += [item for item in node.value if type(item) is not ScalarNode]
            else:
                continue
            if node.value and depth + 1 >= MAX_DEPTH:
                return False
        if not below:
            return True
        level = below
    return True


def _where(name: str, node: Node) -> str:
    return f"{name}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


class _Reader:
    """Typed access to YAML nodes with located errors."""

    def __init__(self, name: str, today: date | None) -> None:
        self.name = name
        self.today = today
        self._rules: dict[tuple[int, str], TextField] = {}  # by the kind's id: it holds a dict
        # The text as written is None for a null or a collection: looked up, never kept.
        self._days: dict[tuple[str | None, bool], date] = {}  # (text as written, end) → day
        self._clean: dict[tuple[str | None, int], str] = {}  # (written, kind's id) → clean
        self._numbers: dict[tuple[str | None, float, float], float] = {}  # (written, low, high)

    def where(self, node: Any) -> str:
        """`node`'s place as file:line:column (`node` is a YAML node here; a plain value in
        `_PlainReader`)."""
        return _where(self.name, node)

    def where_in(self, node: Any, holder: Any) -> str:
        """Where `node`, a value inside the mapping `holder`, is written (`holder`'s place
        where the reader does not know the value's own)."""
        return self.where(node)

    def _rule(self, kind: TextField, what: str) -> TextField:
        """`kind` named after the key `what` (one object per pair, not per value)."""
        rule = self._rules.get((id(kind), what))
        if rule is None:
            rule = self._rules[id(kind), what] = kind.named(what)
        return rule

    def _located(self, exc: PlannerError, node: Any) -> PlannerError:
        """`exc`, raised without a position, placed at `node`."""
        exc.where = self.where(node)
        exc.args = (exc.message("zh"),)
        return exc

    def fail(self, node: Any, key: str, /, **params: object) -> PlannerError:
        """A located error on one line (a quoted multi-line value is joined, control
        characters shown as escapes)."""
        return PlannerError(key, where=self.where(node),
                            **{name: _one_line(value) for name, value in params.items()})

    def mapping(self, node: Node, allowed: tuple[str, ...], what: Msg | str) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, "yaml_not_mapping", what=what)
        result: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key not in allowed:
                raise self.fail(key_node, "yaml_unknown_key", name=key, allowed=allowed)
            if key in result:
                raise self.fail(key_node, "yaml_duplicate_key", name=key)
            result[key] = value_node
        return result

    def sequence(self, node: Node, what: str) -> list[Node]:
        if self.is_null(node):
            return []
        if not isinstance(node, SequenceNode):
            raise self.fail(node, "yaml_not_list", what=what)
        return list(node.value)

    def pairs(self, node: Node) -> list[tuple[Node, Node]] | None:
        """A mapping's (key, value) pairs in file order; None when `node` is no mapping."""
        return node.value if isinstance(node, MappingNode) else None

    @staticmethod
    def is_null(node: Node) -> bool:
        return isinstance(node, ScalarNode) and node.tag.endswith(":null")

    @staticmethod
    def is_scalar(node: Node) -> bool:
        return isinstance(node, ScalarNode)

    @staticmethod
    def scalar(node: Node) -> str | None:
        """A scalar's text as written; None for a null or a collection."""
        if type(node) is ScalarNode and not node.tag.endswith(":null"):
            return node.value  # type: ignore[no-any-return]  # a scalar node's value is text
        return None

    def text(self, node: Node, what: str, *, required: bool = True,
             kind: TextField = TITLE) -> str | None:
        """A scalar as text checked by `clean_text` under the rule of `kind` (one line of
        at most 500 characters unless said otherwise)."""
        written = self.scalar(node)
        if written is None:
            if not self.is_scalar(node):
                raise self.fail(node, "yaml_not_text", what=what)
            if required:
                raise self.fail(node, "yaml_empty_value", what=what)
            return None
        # Dates, units, titles repeat; codes never do, and are neither looked up nor kept.
        value = None if kind is CODE else self._clean.get((written, id(kind)))
        if value is None:
            try:
                value = clean_text(written, kind)  # the rule named after the key: as strict
            except PlannerError:  # named and located only when raised: most values pass
                try:
                    clean_text(written, self._rule(kind, what))
                except PlannerError as exc:
                    raise self._located(exc, node) from None
                raise
            if kind is not CODE:
                self._clean[written, id(kind)] = value
        if required and not value:
            raise self.fail(node, "yaml_empty_value", what=what)
        return value or None

    def unit_id(self, node: Node) -> str:
        """A unit id as stored: NFKC, no zero-width characters (see core/text.py)."""
        written = self.scalar(node)
        if written is None:
            raise self.fail(node, "yaml_key_not_text", name="id")
        unit_id = clean_unit_id(written, where=self.where(node))
        if not unit_id:
            raise self.fail(node, "yaml_key_empty", name="id")
        return unit_id

    def unit_name(self, node: Node) -> str:
        """A unit name as stored: NFC, trimmed, no zero-width characters."""
        written = self.scalar(node)
        if written is None:
            raise self.fail(node, "yaml_key_not_text", name="name")
        name = clean_unit_name(written, where=self.where(node))
        if not name:
            raise self.fail(node, "yaml_key_empty", name="name")
        return name

    def plan_id(self, node: Node, what: str) -> str:
        """A plan's short id: letters, digits, `-` or Chinese, no spaces (PLAN_ID)."""
        value = self.text(node, what) or ""
        if not PLAN_ID.fullmatch(value) or value == "all":
            raise self.fail(node, "yaml_bad_plan_id", what=what, value=value)
        return value

    def flag(self, node: Node, what: str) -> bool:
        """A yes/no value: true or false."""
        written = self.scalar(node)
        if written is None or written.lower() not in ("true", "false"):
            raise self.fail(node, "yaml_not_choice", what=what, choices=("true", "false"),
                            value=written or "")
        return written.lower() == "true"

    def number(self, node: Any, what: Msg | str, *, low: float = -MAX_MEASURE,
               high: float = MAX_MEASURE) -> float:
        written = self.scalar(node)
        if written is None:
            raise self.fail(node, "yaml_not_number", what=what)
        known = self._numbers.get((written, low, high))
        if known is not None:  # weights and progress repeat: read each once
            return known
        try:
            value = float(written.replace("_", ""))
        except ValueError:
            raise self.fail(node, "yaml_not_a_number", what=what, value=written) from None
        if value != value or value in (float("inf"), float("-inf")):
            raise self.fail(node, "yaml_not_finite", what=what)
        if value < low or value > high:
            raise self.fail(node, "yaml_out_of_range", what=what, low=low, high=high,
                            value=written)
        self._numbers[written, low, high] = value
        return value

    def choice(self, node: Node, what: str, choices: tuple[str, ...]) -> str:
        value = self.text(node, what) or ""
        if value not in choices:
            raise self.fail(node, "yaml_not_choice", what=what, choices=choices, value=value)
        return value

    def day(self, node: Node, what: str, *, end: bool) -> date:
        written = self.scalar(node)
        known = self._days.get((written, end)) if written is not None else None
        if known is not None:  # a plan repeats its dates: read each once
            return known
        value = self.text(node, what) or ""
        try:
            day = parse_due(value, today=self.today) if end else parse_start(
                value, today=self.today)
        except PlannerError as exc:
            raise self.fail(node, "yaml_bad_value", what=what, problem=exc.msg) from None
        if written is not None:
            self._days[written, end] = day
        return day


class _PlainReader(_Reader):
    """`_Reader`'s checks over the plain values of `read_subset`, which only place mappings
    (what a spec keeps as its `where`). An error found here is found again by `_Reader` over
    the located nodes, which names its line and column (see `parse_plan`)."""

    def __init__(self, name: str, today: date | None) -> None:
        super().__init__(name, today)
        self._allowed: dict[tuple[str, ...], frozenset[str]] = {}

    def where(self, node: Any) -> str:
        if type(node) is Mapping:
            return f"{self.name}:{node.line + 1}:{node.column + 1}"
        return self.name

    def where_in(self, node: Any, holder: Any) -> str:
        return self.where(node if type(node) is Mapping else holder)

    def mapping(self, node: Any, allowed: tuple[str, ...], what: Msg | str) -> dict[str, Any]:
        if type(node) is not Mapping:
            raise self.fail(node, "yaml_not_mapping", what=what)
        known = self._allowed.get(allowed)
        if known is None:
            known = self._allowed[allowed] = frozenset(allowed)
        if not known.issuperset(node):
            unknown = next(key for key in node if key not in known)
            raise self.fail(node, "yaml_unknown_key", name=unknown, allowed=allowed)
        # A plain copy (`read_subset` refuses duplicate keys): on a dict subclass, `in` and
        # `[]` go through a Python-level method look-up (dict's own `__contains__` and
        # `__getitem__` are methods beside its slots), and an item's fields are asked a
        # score of times.
        return dict(node)

    def sequence(self, node: Any, what: str) -> list[Any]:
        if node is None:
            return []
        if type(node) is not list:
            raise self.fail(node, "yaml_not_list", what=what)
        return node

    def pairs(self, node: Any) -> list[tuple[Any, Any]] | None:
        return list(node.items()) if type(node) is Mapping else None

    @staticmethod
    def is_null(node: Any) -> bool:
        return node is None

    @staticmethod
    def is_scalar(node: Any) -> bool:
        return node is None or type(node) is str

    @staticmethod
    def scalar(node: Any) -> str | None:
        return node if type(node) is str else None


def parse_plan(text: str, name: str, *, today: date | None = None,
               subset: bool = True) -> PlanSpec:
    """Validate a whole plan file and return its content; the first problem is raised.

    A file within the common subset of YAML that `read_subset` reads (about 10× faster than
    composing nodes) is checked over its plain values first; any other file, and any file
    with a problem, is composed into located nodes and checked again there, so the result
    and every error, with its line and column, are those of the located path (`subset=False`
    takes only that path)."""
    with collector_paused():
        plain = read_subset(text) if subset else None
        if plain is not None:
            try:
                return _parse_plan(_PlainReader(name, today), plain)
            except PlannerError:
                pass  # found again below, located
        return _parse_plan(_Reader(name, today), compose(text, name))


def _parse_plan(reader: _Reader, root: Any) -> PlanSpec:
    name = reader.name
    top = reader.mapping(root, TOP_KEYS, msg("yaml_top_level"))
    if "plan" not in top:
        raise PlannerError("yaml_missing_plan", where=f"{name}:1:1")
    spec = _parse_settings(reader, top["plan"])
    spec.units = _parse_units(reader, top.get("units"))
    spec.groups = _parse_groups(reader, top.get("groups"), spec.units)
    spec.tasks = _parse_tasks(reader, top.get("tasks"), spec)
    spec.indicators = _parse_indicators(reader, top.get("indicators"), spec)
    return spec


def _parse_settings(reader: _Reader, node: Node) -> PlanSpec:
    fields = reader.mapping(node, PLAN_KEYS, "plan")
    if "title" not in fields or "period" not in fields:
        raise reader.fail(node, "yaml_plan_needs")
    period = reader.mapping(fields["period"], ("start", "end"), "period")
    if "start" not in period or "end" not in period:
        raise reader.fail(fields["period"], "yaml_period_needs")
    start = reader.day(period["start"], "period.start", end=False)
    end = reader.day(period["end"], "period.end", end=True)
    if end < start:
        raise reader.fail(period["end"], "yaml_plan_end_early", end=end, start=start)
    tolerance, due_soon_days = 10.0, 14
    if "warn" in fields:
        warn = reader.mapping(fields["warn"], ("tolerance", "due_soon_days"), "warn")
        if "tolerance" in warn:
            tolerance = reader.number(warn["tolerance"], "warn.tolerance", low=0, high=100)
        if "due_soon_days" in warn:
            due_soon_days = int(reader.number(warn["due_soon_days"], "warn.due_soon_days",
                                              low=0, high=366))
    plan_id = parent = None
    if "id" in fields:
        plan_id = reader.plan_id(fields["id"], "plan.id")
    if "parent" in fields:
        parent = reader.plan_id(fields["parent"], "plan.parent")
    acknowledge_days, review = 3, False
    if "supervision" in fields:
        cycle = reader.mapping(fields["supervision"], ("acknowledge_days", "review"),
                               "supervision")
        if "acknowledge_days" in cycle:
            acknowledge_days = int(reader.number(cycle["acknowledge_days"],
                                                 "supervision.acknowledge_days", low=0,
                                                 high=60))
        if "review" in cycle:
            review = REVIEW_CHOICES[reader.choice(cycle["review"], "supervision.review",
                                                  tuple(REVIEW_CHOICES))]
    follow_annual = (REVIEW_CHOICES[reader.choice(fields["follow_annual"], "plan.follow_annual",
                                                  tuple(REVIEW_CHOICES))]
                     if "follow_annual" in fields else False)
    return PlanSpec(
        plan_id=plan_id, parent=parent, where=reader.where(node), follow_annual=follow_annual,
        kind=(reader.choice(fields["kind"], "plan.kind", PLAN_KINDS)
              if "kind" in fields else None),
        title=reader.text(fields["title"], "plan.title") or "",
        start=start, end=end,
        report_cycle=(reader.choice(fields["report_cycle"], "report_cycle", REPORT_CYCLES)
                      if "report_cycle" in fields else "weekly"),
        rollup=(reader.choice(fields["rollup"], "rollup", ROLLUP_RULES)
                if "rollup" in fields else "weighted"),
        tolerance=tolerance, due_soon_days=due_soon_days,
        source=reader.text(fields["source"], "source", required=False, kind=DESCRIPTION)
        if "source" in fields else None,
        units=[], tasks=[], indicators=[], acknowledge_days=acknowledge_days, review=review,
    )


def _parse_units(reader: _Reader, node: Node | None) -> list[UnitSpec]:
    units: list[UnitSpec] = []
    seen: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    for item in reader.sequence(node, "units") if node is not None else []:
        fields = reader.mapping(item, UNIT_KEYS, msg("yaml_unit"))
        for key in ("id", "name"):
            if key not in fields:
                raise reader.fail(item, "yaml_unit_missing", name=key)
        unit_id = reader.unit_id(fields["id"])
        if unit_id in seen:
            first, written = seen[unit_id], reader.scalar(fields["id"])
            same = "" if written == unit_id else msg("yaml_unit_same_as", unit=unit_id)
            raise reader.fail(fields["id"], "yaml_duplicate_unit", written=written, same=same,
                              first=first)
        seen[unit_id] = reader.where(fields["id"])
        name = reader.unit_name(fields["name"])
        if identity_key(name) in seen_names:
            first = seen_names[identity_key(name)]
            raise reader.fail(fields["name"], "yaml_duplicate_unit_name", name=name, first=first)
        seen_names[identity_key(name)] = reader.where(fields["name"])
        kind = (reader.choice(fields["kind"], "kind", UNIT_KINDS) if "kind" in fields
                else "department")
        renames = reader.flag(fields["renames"], "renames") if "renames" in fields else False
        aliases = _aliases(reader, fields, seen_names)
        units.append(UnitSpec(unit_id, name, kind, reader.where(item), renames=renames,
                              aliases=aliases))
    return units


def _aliases(reader: _Reader, fields: dict[str, Node], seen_names: dict[str, str]) -> list[str]:
    """A unit's or group's short names (简称): each unique among all names and aliases."""
    aliases: list[str] = []
    for node in reader.sequence(fields["aliases"], "aliases") if "aliases" in fields else []:
        alias = reader.unit_name(node)
        if identity_key(alias) in seen_names:
            raise reader.fail(node, "yaml_duplicate_unit_name", name=alias,
                              first=seen_names[identity_key(alias)])
        seen_names[identity_key(alias)] = reader.where(node)
        aliases.append(alias)
    return aliases


def _parse_groups(reader: _Reader, node: Node | None, units: list[UnitSpec]) -> list[GroupSpec]:
    """Unit groups: ids apart from the units', names apart from every name and alias,
    members that are units of the file."""
    unit_ids = {unit.id for unit in units}
    seen_names = {identity_key(name): unit.where for unit in units
                  for name in [unit.name, *unit.aliases]}
    seen: set[str] = set()
    groups: list[GroupSpec] = []
    for item in reader.sequence(node, "groups") if node is not None else []:
        fields = reader.mapping(item, GROUP_KEYS, msg("yaml_group"))
        for key in ("id", "name", "members"):
            if key not in fields:
                raise reader.fail(item, "yaml_group_missing", name=key)
        group_id = reader.unit_id(fields["id"])
        if group_id in unit_ids or group_id in seen:
            raise reader.fail(fields["id"], "yaml_group_id_taken", group=group_id)
        seen.add(group_id)
        name = reader.unit_name(fields["name"])
        if identity_key(name) in seen_names:
            raise reader.fail(fields["name"], "yaml_duplicate_unit_name", name=name,
                              first=seen_names[identity_key(name)])
        seen_names[identity_key(name)] = reader.where(fields["name"])
        members: list[str] = []
        for member_node in reader.sequence(fields["members"], "members"):
            member = reader.unit_id(member_node)
            if member not in unit_ids:
                raise reader.fail(member_node, "yaml_unknown_unit", unit=member)
            members.append(member)
        if not members:
            raise reader.fail(fields["members"], "yaml_empty_value", what="members")
        aliases = _aliases(reader, fields, seen_names)
        groups.append(GroupSpec(group_id, name, list(dict.fromkeys(members)),
                                reader.where(item), aliases))
    return groups


def _parse_tasks(reader: _Reader, node: Node | None, plan: PlanSpec) -> list[TaskSpec]:
    """The items in file order, each after its parent, checked one by one (an explicit stack,
    not recursion: no closure cycle keeps the checker's caches alive after it, and no Python
    recursion limit on deep trees)."""
    unit_ids = {unit.id for unit in plan.units}
    tasks: list[TaskSpec] = []
    first_seen: dict[str, Node] = {}  # located only for the message of a duplicate
    known_refs: dict[str | None, str] = {}  # a reference as written → its unit, once checked
    item_what = msg("yaml_item")
    statuses: dict[str, Status] = {}  # a status as written → the status, once read
    # Bound once: this loop runs once per item, 100,000s of times.
    mapping, text, day, number, scalar = (reader.mapping, reader.text, reader.day,
                                          reader.number, reader.scalar)
    # The reader's caches, read here first: a plan repeats its titles, sources, dates, units
    # and weights, and a hit saves the call (whose keyword arguments make it dear); a miss
    # calls the reader, which checks the value and keeps it.
    days, clean, numbers = reader._days, reader._clean, reader._numbers
    title_kind, source_kind = id(TITLE), id(DESCRIPTION)

    def unit_ref(value_node: Node, what: str) -> str:
        written = scalar(value_node)
        unit_id = known_refs.get(written) if written is not None else None
        if unit_id is None:
            unit_id = identity_key(text(value_node, what, kind=UNIT_ID) or "")
            if unit_id not in unit_ids:
                raise reader.fail(value_node, "yaml_unknown_unit", unit=unit_id)
            if written is not None:
                known_refs[written] = unit_id
        return unit_id

    pending: list[tuple[Node, TaskSpec | None]] = [
        (item, None) for item in reversed(reader.sequence(node, "tasks")
                                          if node is not None else [])]
    while pending:
        item, parent = pending.pop()
        fields = mapping(item, TASK_KEYS, item_what)
        if "code" not in fields:
            raise reader.fail(item, "yaml_item_no_code")
        code = text(fields["code"], "code", kind=CODE) or ""
        if code in first_seen:
            raise reader.fail(fields["code"], "yaml_duplicate_code", code=code,
                              first=reader.where(first_seen[code]))
        first_seen[code] = fields["code"]
        if "title" not in fields:
            raise reader.fail(item, "yaml_item_no_title", code=code)
        title = clean.get((scalar(fields["title"]), title_kind)) or text(fields["title"],
                                                                          "title") or ""
        # Positional arguments only: keywords make CPython build a dict for `__init__`.
        task = TaskSpec(code, title, reader.where(item))
        task.explicit = frozenset(fields)
        if "parent" in fields:
            if parent is not None:
                raise reader.fail(fields["parent"], "yaml_nested_parent")
            task.parent = text(fields["parent"], "parent", kind=CODE)
        elif parent is not None:
            task.parent = parent.code
        task.lead = (known_refs.get(scalar(fields["lead"])) or unit_ref(fields["lead"], "lead")
                     if "lead" in fields else parent.lead if parent else None)
        if task.lead is None:
            raise reader.fail(item, "yaml_item_no_lead", code=code)
        if "support" in fields:
            support = [known_refs.get(scalar(n)) or unit_ref(n, "support")
                       for n in reader.sequence(fields["support"], "support")]
            task.support = [u for u in dict.fromkeys(support) if u != task.lead]
        task.start = (days.get((scalar(fields["start"]), False))
                      or day(fields["start"], "start", end=False)) if "start" in fields \
            else parent.start if parent and parent.start else plan.start
        task.due = (days.get((scalar(fields["due"]), True))
                    or day(fields["due"], "due", end=True)) if "due" in fields \
            else parent.due if parent and parent.due else plan.end
        if task.due < task.start:
            bad = fields.get("due") or fields.get("start") or item
            raise reader.fail(bad, "yaml_due_before_start", code=code, due=task.due,
                              start=task.start)
        if "original_due" in fields:
            task.original_due = day(fields["original_due"], "original_due", end=True)
        if "due_reason" in fields:
            task.due_reason = text(fields["due_reason"], "due_reason", kind=NOTE)
        if "weight" in fields:
            weight = numbers.get((scalar(fields["weight"]), 0.001, 1e6))
            task.weight = weight if weight is not None else number(
                fields["weight"], "weight", low=0.001, high=1e6)
        if "status" in fields:
            written = text(fields["status"], "status") or ""
            status = statuses.get(written)
            if status is None:
                try:
                    status = statuses[written] = parse_status(written)
                except PlannerError as exc:
                    raise reader.fail(fields["status"], "message", message=exc.msg) from None
            task.status = status
        if "progress" in fields:
            task.progress = number(fields["progress"], "progress", low=0, high=100)
            if task.status in DONE_STATUSES and task.progress != 100:
                raise reader.fail(fields["progress"], "yaml_done_at_100", status=task.status,
                                  progress=task.progress)
        if "rollup" in fields:
            task.rollup = reader.choice(fields["rollup"], "rollup", ROLLUP_RULES)
        if "description" in fields:
            task.description = text(fields["description"], "description", required=False,
                                    kind=DESCRIPTION)
        if "source" in fields:
            task.source = clean.get((scalar(fields["source"]), source_kind)) or text(
                fields["source"], "source", required=False, kind=DESCRIPTION)
        if "coordination" in fields:
            task.coordination = text(fields["coordination"], "coordination", required=False,
                                     kind=NOTE)
        if "repeat" in fields:
            repeat = mapping(fields["repeat"], ("rule", "duration"), "repeat")
            if "rule" not in repeat:
                raise reader.fail(fields["repeat"], "yaml_repeat_needs_rule")
            task.repeat_rule = text(repeat["rule"], "repeat.rule")
            if "duration" in repeat:
                task.repeat_duration = int(number(repeat["duration"], "repeat.duration",
                                                  low=1, high=366))
        if "implements" in fields:
            for ref_node in reader.sequence(fields["implements"], "implements"):
                ref = text(ref_node, "implements") or ""
                plan_code, separator, item_code = ref.partition(":")
                if not separator or not plan_code.strip() or not item_code.strip():
                    raise reader.fail(ref_node, "yaml_bad_implements", ref=ref)
                task.implements.append((f"{plan_code.strip()}:{item_code.strip()}",
                                        reader.where_in(ref_node, item)))
        if "children" in fields:
            children = reader.sequence(fields["children"], "children")
            task.has_children = bool(children) and task.repeat_rule is None
            pending += [(child, task) for child in reversed(children)]
        if (task.has_children or task.repeat_rule) and ("status" in fields or "progress" in fields):
            require_leaf(code, has_children=True,
                         where=reader.where(fields.get("status") or fields["progress"]))
        tasks.append(task)
    _check_parents(reader, tasks)
    return tasks


def _check_parents(reader: _Reader, tasks: list[TaskSpec]) -> None:
    """Flat `parent:` references must exist in the file and must not form a cycle."""
    by_code = {task.code: task for task in tasks}
    for task in tasks:
        if task.parent is not None and task.parent not in by_code:
            raise PlannerError("yaml_unknown_parent", code=task.code, parent=task.parent,
                               where=task.where)
    reaches_top: set[str] = set()  # codes whose chain of parents is known to end
    for task in tasks:
        current = task.parent
        if current is None or current in reaches_top:  # most often: its parent came first
            reaches_top.add(task.code)
            continue
        chain = [task.code]
        while current is not None and current not in reaches_top:
            if current == task.code:
                path = " → ".join([*chain, current])
                raise PlannerError("yaml_parent_cycle", path=path, where=task.where)
            if len(chain) > len(tasks):
                break
            chain.append(current)
            current = by_code[current].parent
        else:
            reaches_top.update(chain)
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
        fields = reader.mapping(item, INDICATOR_KEYS, msg("yaml_indicator"))
        for key in ("code", "name", "unit", "baseline"):
            if key not in fields:
                raise reader.fail(item, "yaml_indicator_missing", name=key)
        code = reader.text(fields["code"], "code", kind=CODE) or ""
        if code in seen:
            raise reader.fail(fields["code"], "yaml_duplicate_indicator", code=code)
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
                raise reader.fail(fields["direction"], "yaml_wrong_direction", code=code,
                                  direction=direction, baseline=baseline, target=target)
        task_code = None
        if "task" in fields:
            task_code = reader.text(fields["task"], "task", kind=CODE)
            if task_code not in task_codes:
                raise reader.fail(fields["task"], "yaml_indicator_no_task", code=code,
                                  task=task_code)
        indicator = IndicatorSpec(code, reader.text(fields["name"], "name") or "",
                                  reader.text(fields["unit"], "unit") or "", baseline, target,
                                  direction, task_code, reader.where(item))
        if "targets" in fields:
            targets = reader.pairs(fields["targets"])
            if targets is None:
                raise reader.fail(fields["targets"], "yaml_targets_not_mapping")
            for year_node, value_node in targets:
                year = int(reader.number(year_node, msg("yaml_target_year"),
                                         low=plan.start.year, high=plan.end.year))
                indicator.targets[year] = reader.number(value_node, msg("yaml_target_value"))
        if "readings" in fields:
            for reading_node in reader.sequence(fields["readings"], "readings"):
                reading = reader.mapping(reading_node, ("date", "value", "source"), "reading")
                if "date" not in reading or "value" not in reading:
                    raise reader.fail(reading_node, "yaml_reading_needs")
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


def load_plan_file(path: Path, *, today: Any = None) -> PlanSpec:
    """Read and validate a plan file; every problem is a PlannerError with file:line:column."""
    return parse_plan(read_text(path), str(path), today=today)


def expand_repeats(spec: PlanSpec) -> list[TaskSpec]:
    """The file's tasks with each recurring item followed by its generated occurrences.

    An explicit child of a recurring item must carry the code of one of its occurrences;
    its status, progress and due date override the generated ones (that is how an exported
    file keeps the state of occurrences).
    """
    explicit_children: dict[str, dict[str, TaskSpec]] = defaultdict(dict)
    repeat_codes = {task.code for task in spec.tasks if task.repeat_rule}
    for task in spec.tasks:
        if task.parent in repeat_codes:
            explicit_children[task.parent][task.code] = task
    rows: list[TaskSpec] = []
    for task in spec.tasks:
        if task.parent in repeat_codes:
            continue
        rows.append(task)
        if not task.repeat_rule:
            continue
        try:
            occurrences = expand(task.repeat_rule, code=task.code, title=task.title,
                                 first=task.start, until=task.due,  # type: ignore[arg-type]  # the parser gives every item a start and a due
                                 duration_days=task.repeat_duration)
        except PlannerError as exc:
            raise PlannerError("message", message=exc.msg, where=task.where) from None
        if not occurrences:
            raise PlannerError("plan_no_occurrence", code=task.code, rule=task.repeat_rule,
                               start=task.start, due=task.due, where=task.where)
        given = explicit_children.get(task.code, {})
        generated_codes = {occ.code for occ in occurrences}
        for code, child in given.items():
            if code not in generated_codes:
                raise PlannerError("plan_not_an_occurrence", code=code, parent=task.code,
                                   where=child.where)
        for occurrence in occurrences:
            row = TaskSpec(code=occurrence.code, title=occurrence.title, where=task.where,
                           parent=task.code, lead=task.lead, support=list(task.support),
                           start=occurrence.start, due=occurrence.due, source=task.source)
            override = given.get(occurrence.code)
            if override is not None:
                row = replace(row, status=override.status, progress=override.progress,
                              due=override.due if "due" in override.explicit else row.due,
                              original_due=override.original_due, due_reason=override.due_reason,
                              explicit=override.explicit)
            row.generated = True
            rows.append(row)
    return rows
