"""Large plan files are composed by libyaml in C, and every error still names the line and
column the Python composer would name."""

import pytest
import yaml

from planner.core.errors import PlannerError
from planner.services import plan_yaml
from planner.services.plan_yaml import parse_plan

HEAD = """\
plan:
  title: 大计划
  period: {start: 2021-01-01, end: 2025-12-31}
units:
  - {id: amr, name: 市场监管局}
  - {id: hhht, name: 呼和浩特市, kind: league}
tasks:
"""


def large_plan(groups: int, *, bad_group: int | None = None, bad_line: str = "") -> str:
    """`groups` parents of ten children each, Chinese titles (so columns count characters,
    not bytes); `bad_line` replaces the due date of the last child of group `bad_group`."""
    lines = [HEAD.rstrip("\n")]
    for group in range(1, groups + 1):
        lines += [f'  - code: "{group}"', f"    title: 第{group}组重点任务", "    lead: amr",
                  "    children:"]
        for child in range(1, 11):
            lines += [f'      - code: "{group}.{child}"',
                      f"        title: 第{group}组·分解事项{child}",
                      "        support: [hhht]", "        progress: 10"]
            lines.append(bad_line if group == bad_group and child == 10
                         else "        due: 2023-06-30")
    return "\n".join(lines) + "\n"


def located(text: str) -> str:
    with pytest.raises(PlannerError) as caught:
        parse_plan(text, "big.yaml")
    assert isinstance(caught.value.where, str)
    return caught.value.where


def test_a_large_file_is_composed_in_c_with_the_python_composers_marks() -> None:
    text = large_plan(50)  # 550 items: the Python composer is the slow side here
    fast = plan_yaml._fast_compose(text)
    assert fast is not None
    slow = yaml.SafeLoader(text).get_single_node()
    pending = [(fast, slow)]
    while pending:
        one, other = pending.pop()
        assert type(one) is type(other) and one.tag == other.tag
        assert (one.start_mark.line, one.start_mark.column) == (
            other.start_mark.line, other.start_mark.column)
        if isinstance(one, yaml.ScalarNode):
            assert one.value == other.value
        elif isinstance(one, yaml.SequenceNode):
            pending += zip(one.value, other.value, strict=True)
        else:
            pending += [pair for (k1, v1), (k2, v2) in zip(one.value, other.value, strict=True)
                        for pair in ((k1, k2), (v1, v2))]


def test_an_error_deep_in_a_large_file_names_its_line_and_column() -> None:
    text = large_plan(300, bad_group=290, bad_line="        due: 第十三个月的某天")
    line = text.splitlines().index("        due: 第十三个月的某天") + 1
    assert plan_yaml._fast_compose(text) is not None  # the error is found on the C tree
    assert located(text) == f"big.yaml:{line}:14"


def test_a_syntax_error_deep_in_a_large_file_is_located_by_the_python_composer() -> None:
    text = large_plan(50, bad_group=45, bad_line="        due: [2023-06-30")
    assert plan_yaml._fast_compose(text) is None  # libyaml refuses it
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yaml.SafeLoader(text).get_single_node()
    mark = caught.value.problem_mark
    assert mark is not None and mark.line > 2000
    assert located(text) == f"big.yaml:{mark.line + 1}:{mark.column + 1}"


def test_an_alias_deep_in_a_large_file_is_refused_where_it_stands() -> None:
    text = large_plan(50, bad_group=45, bad_line="        due: *when").replace(
        "        due: 2023-06-30", "        due: &when 2023-06-30", 1)
    line = text.splitlines().index("        due: *when") + 1
    assert plan_yaml._fast_compose(text) is None  # libyaml would share the anchor's node
    assert located(text) == f"big.yaml:{line}:14"


def test_a_large_file_is_read_without_a_garbage_collection() -> None:
    """Composing and validating allocate a node (and its marks) per scalar, none in a cycle:
    the collector stays paused throughout (with it running, this file costs dozens of
    collections, some of them full), then runs again as before: at most the one young
    collection the allocations owe as it resumes."""
    import gc

    text = large_plan(100)
    gc.collect()  # the counts the earlier tests left decide which generation is owed next
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(count)
    try:
        spec = parse_plan(text, "big.yaml")
    finally:
        gc.callbacks.remove(count)
    assert len(spec.tasks) == 1100
    assert collections in ([], [0])
    assert gc.isenabled()
