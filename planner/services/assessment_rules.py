"""The assessment rule file (考核评分规则, YAML): read and validated, every problem located
at file:line:column; the bundled default is `planner/data/assessment.yaml`."""

from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode

from planner.core.assessment import EVENT_KINDS, Rules
from planner.services.plan_yaml import _Reader, compose, read_text

TOP_KEYS = ("base", "support_factor", "item_weight", "points", "red_list", "yellow_list")
LATE_KEYS = ("per_working_day", "cap")
#: No rule value may be larger than this (a typo like 1000000 is refused, not scored).
MAX_POINTS = Decimal(10_000)
DEFAULT_RULES = "assessment.yaml"


def default_rules_text() -> str:
    """The bundled default rule file, as the office would copy and edit it."""
    return (resources.files("planner") / "data" / DEFAULT_RULES).read_text(encoding="utf-8")


def load_rules(path: Path | None) -> Rules:
    """The rules of the file at `path`, or the bundled default."""
    if path is None:
        return parse_rules(default_rules_text(), DEFAULT_RULES)
    return parse_rules(read_text(path), str(path))


def parse_rules(text: str, name: str) -> Rules:
    """Validate a whole rule file; the first problem is raised with its position."""
    reader = _Reader(name, None)
    root = compose(text, name)
    top = reader.mapping(root, TOP_KEYS, "the top level")
    if "base" not in top:
        raise reader.fail(root, "rules_missing_base")
    base = _number(reader, top["base"], "base")
    factor = (_number(reader, top["support_factor"], "support_factor", low=Decimal(0),
                      high=Decimal(1)) if "support_factor" in top else Decimal(0))
    weighted = _flag(reader, top["item_weight"], "item_weight") if "item_weight" in top \
        else False
    points: dict[str, Decimal] = {}
    per_day, cap = Decimal(0), None
    if "points" in top and not reader.is_null(top["points"]):
        node = top["points"]
        if not isinstance(node, MappingNode):
            raise reader.fail(node, "yaml_not_mapping", what="points")
        for key_node, value_node in node.value:
            kind = key_node.value if isinstance(key_node, ScalarNode) else None
            if kind not in EVENT_KINDS:
                raise reader.fail(key_node, "rules_unknown_kind", name=kind, allowed=EVENT_KINDS)
            if kind in points or (kind == "late" and per_day):
                raise reader.fail(key_node, "yaml_duplicate_key", name=kind)
            if kind == "late":
                per_day, cap = _late(reader, value_node)
            else:
                points[kind] = _number(reader, value_node, f"points.{kind}")
    lists = {key: _count(reader, top[key], key) for key in ("red_list", "yellow_list")
             if key in top}
    return Rules(base=base, points=points, late_per_day=per_day, late_cap=cap,
                 support_factor=factor, item_weight=weighted, **lists)


def _late(reader: _Reader, node: Node) -> tuple[Decimal, Decimal | None]:
    """`late: -0.5` (per working day, no cap) or `late: {per_working_day: -0.5, cap: 5}`."""
    if isinstance(node, ScalarNode):
        return _number(reader, node, "points.late"), None
    fields = reader.mapping(node, LATE_KEYS, "points.late")
    if "per_working_day" not in fields:
        raise reader.fail(node, "rules_late_needs_per_day")
    per_day = _number(reader, fields["per_working_day"], "points.late.per_working_day")
    cap = (_number(reader, fields["cap"], "points.late.cap", low=Decimal(0))
           if "cap" in fields else None)
    return per_day, cap


def _number(reader: _Reader, node: Node, what: str, *, low: Decimal = -MAX_POINTS,
            high: Decimal = MAX_POINTS) -> Decimal:
    """A decimal number, exactly as written (0.1 stays 0.1), within [low, high]."""
    if not isinstance(node, ScalarNode) or reader.is_null(node) or node.tag.endswith(":bool"):
        raise reader.fail(node, "yaml_not_number", what=what)
    try:
        value = Decimal(node.value.replace("_", "").strip())
    except InvalidOperation:
        raise reader.fail(node, "yaml_not_a_number", what=what, value=node.value) from None
    if not value.is_finite():
        raise reader.fail(node, "yaml_not_finite", what=what)
    if not low <= value <= high:
        raise reader.fail(node, "yaml_out_of_range", what=what, low=float(low),
                          high=float(high), value=node.value)
    return value


def _count(reader: _Reader, node: Node, what: str) -> int:
    """A whole number of units, 0–100 (the 红黄榜's lengths)."""
    value = _number(reader, node, what, low=Decimal(0), high=Decimal(100))
    if value != value.to_integral_value():
        raise reader.fail(node, "rules_not_count", what=what, value=node.value)
    return int(value)


def _flag(reader: _Reader, node: Node, what: str) -> bool:
    """true or false."""
    if not isinstance(node, ScalarNode) or not node.tag.endswith(":bool"):
        raise reader.fail(node, "rules_not_flag", what=what)
    return node.value.lower() in ("true", "yes", "on", "y")
