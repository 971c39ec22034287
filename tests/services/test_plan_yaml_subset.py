"""The fast reader of the plan files' YAML subset gives exactly what the located (PyYAML)
loader gives, or steps aside; errors found on its path are still named by line and column."""

import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core.errors import PlannerError
from planner.services.plan_file import bundled_plan_path
from planner.services.plan_yaml import parse_plan
from planner.services.yaml_subset import Mapping, read_subset
from tests.services.test_plan_yaml_fast import large_plan

NULL = "tag:yaml.org,2002:null"


def located_values(text: str) -> Any:
    """The document as the located loader composes it, in `read_subset`'s terms: mappings as
    ("map", line, column, [(key, value)…]), lists, scalars' text, None for a null."""
    def plain(node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            return ("map", node.start_mark.line, node.start_mark.column,
                    [(key.value, plain(value)) for key, value in node.value])
        if isinstance(node, yaml.SequenceNode):
            return [plain(item) for item in node.value]
        return None if node.tag == NULL else node.value
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    return None if root is None else plain(root)


def subset_values(value: Any) -> Any:
    """`read_subset`'s values in the terms of `located_values`."""
    if isinstance(value, Mapping):
        return ("map", value.line, value.column,
                [(key, subset_values(item)) for key, item in value.items()])
    if isinstance(value, list):
        return [subset_values(item) for item in value]
    return value


def assert_same_or_outside(text: str) -> bool:
    """`read_subset` reads `text` as the located loader does, or returns None; True when it
    read it. A text the located loader refuses must be left to it."""
    fast = read_subset(text)
    try:
        reference = located_values(text)
    except yaml.YAMLError:
        assert fast is None, text
        return False
    if fast is not None:
        assert subset_values(fast) == reference, text
    return fast is not None


def test_the_bundled_plan_is_read_by_the_subset_reader_as_by_the_located_loader() -> None:
    text = bundled_plan_path().read_text(encoding="utf-8")
    assert assert_same_or_outside(text)
    assert parse_plan(text, "tasks.yaml") == parse_plan(text, "tasks.yaml", subset=False)


EXPORT_STYLE = """\
plan:
  title: 合成计划
  period:
    start: '2021-01-01'
    end: '2025-12-31'
  warn:
    tolerance: 10
    due_soon_days: 14
units:
- id: d01
  name: 单位01
  kind: department
- id: l01
  name: 呼和浩特市
  kind: league
tasks:
- code: '1'
  title: 围绕打基础提能力
  lead: d01
  start: '2021-01-01'
  due: '2025-12-31'
  children:
  - code: '1.1'
    title: 'it''s: 分解事项 # not a comment'
    lead: l01
    support:
    - d01
    due: '2023-06-30'
    weight: 2
    status: in_progress
    progress: 24
    source: 一是……（合成数据）
indicators: []
"""

# Texts the subset reader must read, and read as the located loader does.
WITHIN = {
    "export style": EXPORT_STYLE,
    "comments and blank lines": "# head\n\na: 1  # one\n  # indented comment\n\nb:   x y  \n",
    "nulls": "a: ~\nb: null\nc:\nd: NULL\ne: ''\nf: \"\"\ng: Null\n",
    "yaml 1.1 words stay text": "a: yes\nb: off\nc: 0o17\nd: 1_000\ne: 2021-01-01\nf: .inf\n",
    "indented sequence": "a:\n  - x\n  - {k: v, n: ~}\n  - k: v\n    m: [1, '2', \"3\"]\nb: 2\n",
    "indentless sequence then key": "a:\n- 1\n- 2\nb:\n- k: v\n  l: w\nc: 3\n",
    "flow collections": "a: {x: 1, y: 'a, b', z: \"c]\"}  # c\nb: [ ]\nc: {}\nd: [a b, ~]\n",
    "plain with colons and hashes inside": "a: http://x.cn/a#b\nb: 第1:2项\nc: a#b\n",
    "wide characters": "a:\n  - {b: 中文}\n  - c: 中文\n    d: [中, 文]\n  - {e: 1}\n",
    "nested mappings": "a:\n  b:\n    c: 1\n  d: 2\ne: 3\n",
    "no final newline": "a: 1\nb: [x]",
    "an item's fields: quotes, nulls, blanks": ("a:\n- k: 'x: y # z'   \n  l: ~\n  m:\n  - ''\n"
                                                "  - null\n  -   \"q\"  \n  n: v  \nb: 1\n"),
}

# Texts outside the subset: the reader steps aside (the located loader reads or refuses them).
OUTSIDE = {
    "anchor and alias": "a: &x 1\nb: *x\n",
    "tag": "a: !!str 1\n",
    "literal block": "a: |\n  x\n",
    "folded block": "a: >\n  x\n",
    "multi-line plain": "a: x\n  y\n",
    "multi-line quoted": "a: 'x\n  y'\n",
    "escape": 'a: "x\\ty"\n',
    "tab": "a:\t1\n",
    "carriage return": "a: 1\r\nb: 2\r\n",
    "duplicate key": "a: 1\na: 2\n",
    "duplicate flow key": "a: {x: 1, x: 2}\n",
    "document marker": "---\na: 1\n",
    "value with a colon-space": "a: b: c\n",
    "trailing comma": "a: [x, ]\n",
    "flow on two lines": "a: [x,\n  y]\n",
    "quoted key": "'a': 1\n",
    "complex key": "? a\n: 1\n",
    "nested sequence": "a:\n- - x\n",
    "top-level list": "- a\n",
    "empty": "\n",
    "bad indentation": "a:\n    b: 1\n  c: 2\n",
    "control character": "a: \x07\n",
    "merge key": "a: 1\n<<: {b: 2}\n",
    "duplicate key in an item": "a:\n- k: 1\n  l: 2\n  k: 3\n",
    "duplicate key after a sequence": "a:\n  k:\n  - 1\n  k: 2\n",
}


@pytest.mark.parametrize("text", WITHIN.values(), ids=WITHIN.keys())
def test_texts_within_the_subset_are_read_as_by_the_located_loader(text: str) -> None:
    assert assert_same_or_outside(text)


@pytest.mark.parametrize("text", OUTSIDE.values(), ids=OUTSIDE.keys())
def test_texts_outside_the_subset_are_left_to_the_located_loader(text: str) -> None:
    assert read_subset(text) is None
    assert_same_or_outside(text)


TOKENS = ["a", "b", "x y", "~", "null", "''", "'it''s'", '"q"', '"a\\"b"', "1", "-1", "- x",
          "-", ":", "a: b", "a:b", "#c", " #c", "a #c", "[x, y]", "[x, ]", "{k: v}", "{k: v",
          "&a x", "*a", "!t x", "|", ">", "?", "@x", "`x", "%x", ",x", "中文", "a,b", "a]",
          "'x", '"x', "x'", "\\", "  ", "yes", "0o7", "2021-01-01", "k: [a, 'b, c']"]


@st.composite
def documents(draw: st.DrawFn, depth: int = 0) -> str:
    """A plan-like document of keys, tricky scalars written verbatim (often invalid YAML),
    nested blocks, indentless and indented sequences, comments and odd indentation."""
    lines: list[str] = []

    def block(indent: int, level: int) -> None:
        for _ in range(draw(st.integers(1, 3))):
            pad = " " * (indent + draw(st.sampled_from([0, 0, 0, 0, 1])))
            key = draw(st.sampled_from(["code", "title", "lead", "a.b", "2023", "k"]))
            kind = draw(st.sampled_from(["scalar", "scalar", "map", "list", "items",
                                         "comment"] if level < 3 else ["scalar", "comment"]))
            if kind == "scalar":
                lines.append(f"{pad}{key}: {draw(st.sampled_from(TOKENS))}")
            elif kind == "comment":
                lines.append(f"{pad}# {draw(st.sampled_from(TOKENS))}")
            elif kind == "map":
                lines.append(f"{pad}{key}:")
                block(indent + 2, level + 1)
            else:
                lines.append(f"{pad}{key}:")
                step = draw(st.sampled_from([0, 2]))
                for _ in range(draw(st.integers(1, 3))):
                    if kind == "list":
                        lines.append(f"{' ' * (indent + step)}- {draw(st.sampled_from(TOKENS))}")
                    else:
                        lines.append(f"{' ' * (indent + step)}- k: "
                                     f"{draw(st.sampled_from(TOKENS))}")
                        if draw(st.booleans()):
                            block(indent + step + 2, level + 1)

    block(0, depth)
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_document_is_read_as_by_the_located_loader_or_left_to_it(text: str) -> None:
    assert_same_or_outside(text)


def test_a_large_file_takes_the_subset_path_and_gives_what_the_located_path_gives() -> None:
    text = large_plan(120)
    assert read_subset(text) is not None
    assert parse_plan(text, "big.yaml") == parse_plan(text, "big.yaml", subset=False)


@pytest.mark.parametrize("bad_line, column", [
    ("        due: 第十三个月的某天", 14),       # a value the validator refuses
    ("        due: 2023-06-30\n        lead: nobody", 15),  # an unknown unit
    ("        due: 2023-06-30\n        colour: red", 9),  # an unknown key
])
def test_an_error_deep_in_a_file_read_by_the_subset_reader_names_line_and_column(
        bad_line: str, column: int) -> None:
    text = large_plan(300, bad_group=290, bad_line=bad_line)
    assert read_subset(text) is not None  # the error is found on the fast path first
    line = text.splitlines().index(bad_line.splitlines()[-1]) + 1
    with pytest.raises(PlannerError) as fast:
        parse_plan(text, "big.yaml")
    with pytest.raises(PlannerError) as slow:
        parse_plan(text, "big.yaml", subset=False)
    assert fast.value.where == slow.value.where == f"big.yaml:{line}:{column}"
    assert str(fast.value) == str(slow.value)


def test_a_bad_large_file_leaves_the_database_as_it_was(tmp_path: Path, cli: Any,
                                                        db_dump: Any) -> None:
    db = tmp_path / "plan.db"
    good = tmp_path / "good.yaml"
    good.write_text(large_plan(30), encoding="utf-8")
    assert cli("--db", db, "init", "--file", good).code == 0
    before = db_dump(db)
    bad_line = "        due: 2023-06-30\n        lead: nobody"
    bad = tmp_path / "bad.yaml"
    bad.write_text(large_plan(300, bad_group=290, bad_line=bad_line), encoding="utf-8")
    line = bad.read_text(encoding="utf-8").splitlines().index("        lead: nobody") + 1
    result = cli("--db", db, "import", bad)
    assert result.code == 2 and result.err.startswith(f"{bad}:{line}:15: ")
    assert db_dump(db) == before



def test_one_pass_finds_every_character_that_leaves_the_subset() -> None:
    """The one pass over the text finds exactly the characters the subset leaves out (tab,
    CR, NEL, LS, PS, a byte-order mark) and those PyYAML's reader refuses, every code point
    checked; one of them anywhere sends the whole text to the located loader."""
    from yaml.reader import Reader

    from planner.services.yaml_subset import _OUTSIDE

    every = "".join(map(chr, range(sys.maxunicode + 1)))
    left_out = re.compile("[\t\r\x85\u2028\u2029\ufeff]")
    expected = sorted({match.start() for match in left_out.finditer(every)}
                      | {match.start() for match in Reader.NON_PRINTABLE.finditer(every)})
    assert [match.start() for match in _OUTSIDE.finditer(every)] == expected
    assert read_subset("a: b\u2028\n") is None and read_subset("a: b\u2027\n") == {"a": "b\u2027"}
