"""The plan file through the real CLI over real SQLite files: every bad input is one located
line on stderr with exit 2 and an untouched database; imports are atomic and merge by code."""

import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., Any]  # the `cli` fixture of conftest.py: run(*args) -> CliResult
Dump = Callable[[Path], str]

TODAY = "2021-07-01"

# Seven lines: a file made as HEAD + tasks has its first task on line 8.
HEAD = """\
plan:
  title: 测试计划
  period: {start: 2021-01-01, end: 2025-12-31}
units:
  - {id: amr, name: 市场监管局}
  - {id: hhht, name: 呼和浩特市, kind: league}
tasks:
"""

# The plan every bad input is imported over: 1.2 is done, 1.3 closed (line numbers matter).
GOOD = HEAD + """\
  - code: "1"
    title: 体系建设
    lead: amr
    children:
      - code: "1.1"
        title: 保护中心
        support: [hhht]
        due: 2022年底
      - code: "1.2"
        title: 快维中心
        lead: hhht
        status: done
      - code: "1.3"
        title: 展示中心
        status: closed
  - code: "2"
    title: 宣传周
    lead: amr
    repeat: {rule: "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=20", duration: 7}
indicators:
  - {code: I1, name: 授权周期, unit: 月, baseline: 36, target: 3, direction: down, task: "1.1"}
"""

ONE_TASK = HEAD + """\
  - code: "1"
    title: 一
    lead: amr
"""

BILLION_LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
plan: *i
"""

NESTING_BOMB = "plan: " + "[" * 50_000 + "]" * 50_000 + "\n"


@dataclass(frozen=True, slots=True)
class Bad:
    """A bad plan file, where its error is and what the message says in each language."""

    id: str
    text: str | bytes
    line: int
    column: int
    zh: str
    en: str
    needs_db: bool = False  # only an import over GOOD's database can see the problem


BAD_FILES = [
    # --- not a readable YAML mapping ---------------------------------------------------
    Bad("yaml_syntax", ONE_TASK.replace("title: 一", "title: 体系: 建设"), 9, 14,
        "YAML 语法错误", "YAML syntax error"),
    Bad("tab_indent", HEAD + '  - code: "1"\n\ttitle: 一\n', 9, 1,
        "YAML 语法错误", "YAML syntax error"),
    Bad("gbk_file", GOOD.encode("gbk"), 2, 10, "文件不是 UTF-8 编码", "file is not UTF-8 encoded"),
    Bad("gbk_line", (HEAD + '  - code: "1"\n    title: ').encode() + "体系".encode("gbk"), 9, 12,
        "文件不是 UTF-8 编码", "file is not UTF-8 encoded"),
    Bad("empty", "", 1, 1, "文件为空", "file is empty"),
    Bad("whitespace_only", "  \n\n\t\n   ", 1, 1, "文件为空", "file is empty"),
    Bad("comments_only", "# 只有注释\n---\n", 1, 1, "文件为空", "file is empty"),
    Bad("top_level_list", "- plan\n- tasks\n", 1, 1,
        "顶层必须是映射", "top level must be a mapping"),
    Bad("top_level_text", "十四五重点任务\n", 1, 1,
        "顶层必须是映射", "top level must be a mapping"),
    Bad("missing_plan", "units:\n  - {id: amr, name: 局}\ntasks: []\n", 1, 1,
        "缺少 plan 段", 'missing "plan" section'),
    Bad("alias_bomb", BILLION_LAUGHS, 2, 8, "不支持 YAML 别名", "YAML aliases (*refs) are not"),
    Bad("nesting_bomb", NESTING_BOMB, 1, 106, "嵌套层次过深", "nested too deeply"),
    # --- keys -----------------------------------------------------------------------------
    Bad("unknown_top_key", HEAD.replace("tasks:", "task:"), 7, 1,
        '未知字段"task"', 'unknown key "task"'),
    Bad("unknown_plan_key", ONE_TASK.replace("  period:", "  perod:"), 3, 3,
        '未知字段"perod"', 'unknown key "perod"'),
    Bad("unknown_unit_key", ONE_TASK.replace("市场监管局}", "市场监管局, type: department}"), 5, 28,
        '未知字段"type"', 'unknown key "type"'),
    Bad("unknown_task_key", ONE_TASK + "    owner: hhht\n", 11, 5,
        '未知字段"owner"', 'unknown key "owner"'),
    Bad("duplicate_key", ONE_TASK + "    title: 二\n", 11, 5,
        '字段"title"重复', 'duplicate key "title"'),
    Bad("no_code", HEAD + "  - title: 一\n    lead: amr\n", 8, 5,
        "事项缺少 code", "item is missing its code"),
    Bad("no_title", HEAD + '  - code: "1"\n    lead: amr\n', 8, 5,
        "事项 1 缺少标题", "item 1 has no title"),
    Bad("empty_title", ONE_TASK.replace("title: 一", 'title: ""'), 9, 12,
        "title不能为空", "title must not be empty"),
    Bad("no_lead", HEAD + '  - code: "1"\n    title: 一\n', 8, 5,
        "事项 1 缺少牵头单位", "item 1 has no lead unit"),
    # --- codes and units ------------------------------------------------------------------
    Bad("duplicate_task_code", ONE_TASK + """\
    children:
      - code: "1.1"
        title: 二
  - code: "1.1"
    title: 三
    lead: amr
""", 14, 11, "编码 1.1 重复（首次出现在 ", "duplicate code 1.1 (first at "),
    Bad("duplicate_unit_id", ONE_TASK.replace("{id: hhht", "{id: amr"), 6, 10,
        '单位 id "amr" 重复', 'duplicate unit id "amr"'),
    Bad("unknown_lead", ONE_TASK.replace("lead: amr", "lead: xyz"), 10, 11,
        '未知单位"xyz"', 'unknown unit "xyz"'),
    Bad("unknown_support", ONE_TASK + "    support: [hhht, xyz]\n", 11, 21,
        '未知单位"xyz"', 'unknown unit "xyz"'),
    # --- dates, numbers, statuses ---------------------------------------------------------
    Bad("unparseable_date", ONE_TASK + "    due: 明年\n", 11, 10,
        '无法识别的日期"明年"', 'unrecognised date "明年"'),
    Bad("impossible_date", ONE_TASK + "    due: 2021-02-30\n", 11, 10,
        '日期不存在"2021-02-30"', 'no such date "2021-02-30"'),
    Bad("impossible_chinese_date", ONE_TASK + "    start: 2021年2月30日\n", 11, 12,
        '日期不存在"2021年2月30日"', 'no such date "2021年2月30日"'),
    Bad("due_before_start", ONE_TASK + "    start: 2022-01-01\n    due: 2021年底\n", 12, 10,
        "截止日期 2021-12-31 早于开始日期 2022-01-01", "due 2021-12-31 is before start 2022-01-01"),
    Bad("due_before_inherited_start", ONE_TASK + """\
    start: 2023年
    children:
      - code: "1.1"
        title: 二
        due: 2022年底
""", 15, 14, "截止日期 2022-12-31 早于开始日期 2023-01-01",
        "due 2022-12-31 is before start 2023-01-01"),
    Bad("plan_end_before_start", ONE_TASK.replace("{start: 2021-01-01, end: 2025-12-31}",
                                                  "{start: 2025-01-01, end: 2021年底}"), 3, 36,
        "计划结束日期 2021-12-31 早于开始日期 2025-01-01",
        "plan end 2021-12-31 is before its start 2025-01-01"),
    Bad("progress_150", ONE_TASK + "    progress: 150\n", 11, 15,
        "progress必须在 0–100 之间（实际 150）", "progress must be between 0 and 100 (got 150)"),
    Bad("progress_negative", ONE_TASK + "    progress: -1\n", 11, 15,
        "progress必须在 0–100 之间（实际 -1）", "progress must be between 0 and 100 (got -1)"),
    Bad("progress_not_number", ONE_TASK + "    progress: 一半\n", 11, 15,
        'progress必须是数字："一半"', 'progress must be a number: "一半"'),
    Bad("weight_zero", ONE_TASK + "    weight: 0\n", 11, 13,
        "weight必须在 0.001–", "weight must be between 0.001 and"),
    Bad("unknown_status", ONE_TASK + "    status: 完成了\n", 11, 13,
        '未知状态"完成了"', 'unknown status "完成了"'),
    Bad("done_to_not_started", GOOD.replace("status: done", "status: not_started"), 16, 9,
        " (1.2): 不允许的状态变更：已完成 → 未启动",
        " (1.2): status change not allowed: done → not_started", needs_db=True),
    Bad("closed_to_done", GOOD.replace("status: closed", "status: 已完成"), 20, 9,
        " (1.3): 不允许的状态变更：已销号 → 已完成",
        " (1.3): status change not allowed: closed → done", needs_db=True),
    # --- the tree -------------------------------------------------------------------------
    Bad("parent_cycle", HEAD + """\
  - code: A
    title: 甲
    lead: amr
    parent: B
  - code: B
    title: 乙
    lead: amr
    parent: A
""", 8, 5, "上级关系出现循环：A → B → A", "parent cycle: A → B → A"),
    Bad("parent_self", ONE_TASK + '    parent: "1"\n', 8, 5,
        "上级关系出现循环：1 → 1", "parent cycle: 1 → 1"),
    Bad("unknown_parent", ONE_TASK + "    parent: Z\n", 8, 5,
        "事项 1 的上级 Z 不存在", "item 1: parent Z does not exist"),
    Bad("nested_item_names_parent", ONE_TASK + """\
    children:
      - code: "1.1"
        title: 二
        parent: "2"
""", 14, 17, "嵌套在 children 中的事项不能再写 parent", "cannot also name a parent"),
    Bad("status_on_parent", ONE_TASK + """\
    status: done
    children:
      - code: "1.1"
        title: 二
""", 11, 13, "事项 1 有下级事项", "item 1 has children"),
    Bad("progress_on_flat_parent", ONE_TASK + """\
    progress: 50
  - code: "1.1"
    title: 二
    lead: amr
    parent: "1"
""", 8, 5, "事项 1 有下级事项", "item 1 has children"),
    Bad("status_on_recurring", ONE_TASK + """\
    repeat: {rule: "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=20"}
    status: in_progress
""", 12, 13, "事项 1 有下级事项", "item 1 has children"),
    # --- recurrence -----------------------------------------------------------------------
    Bad("repeat_rule_invalid", ONE_TASK + "    repeat: {rule: FREQ=SOMETIMES}\n", 8, 5,
        '无法解析的重复规则"FREQ=SOMETIMES"', 'invalid repeat rule "FREQ=SOMETIMES"'),
    Bad("repeat_rule_never_occurs",
        ONE_TASK + "    repeat: {rule: FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30}\n", 8, 5,
        "不产生任何一次", "yields no occurrence between 2021-01-01 and 2025-12-31"),
    Bad("repeat_rule_too_often", ONE_TASK + "    repeat: {rule: FREQ=DAILY}\n", 8, 5,
        "产生超过1000次", "more than 1000 occurrences"),
    Bad("repeat_without_rule", ONE_TASK + "    repeat: {duration: 7}\n", 11, 13,
        "repeat 需要 rule", "repeat needs a rule"),
    Bad("not_an_occurrence", ONE_TASK + """\
    repeat: {rule: "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=20"}
    children:
      - code: 1@2021-05-01
        status: done
        title: 不是其中一次
""", 13, 9, "1@2021-05-01 不是重复事项 1 在计划期内生成的某一次",
        "1@2021-05-01 is not an occurrence of recurring item 1"),
    # --- indicators -----------------------------------------------------------------------
    Bad("indicator_unknown_task", ONE_TASK + """\
indicators:
  - code: I1
    name: 周期
    unit: 月
    baseline: 36
    target: 3
    task: "9"
""", 17, 11, "指标 I1 关联的事项 9 不存在", "indicator I1: task 9 does not exist"),
    Bad("indicator_wrong_direction", ONE_TASK + """\
indicators:
  - code: I1
    name: 周期
    unit: 月
    baseline: 36
    target: 3
    direction: up
""", 17, 16, "指标 I1：方向 up 与基线 36→目标 3 不一致",
        "indicator I1: direction up contradicts baseline 36 → target 3"),
]


def write(directory: Path, name: str, content: str | bytes) -> Path:
    """Write `content` (text as UTF-8, bytes as they are) to `directory/name`."""
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    """The rows of a query on the SQLite file `db`."""
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def assert_one_located_line(result: Any, path: Path, line: int, column: int) -> None:
    """Exit 2, nothing on stdout, one stderr line starting with path:line:column."""
    assert result.code == 2, result
    assert result.out == ""
    assert result.err.endswith("\n") and result.err.count("\n") == 1, result.err
    assert re.match(rf"{re.escape(str(path))}:{line}:{column}(?!\d)", result.err), result.err


@pytest.fixture
def good_db(tmp_path: Path, cli: Cli) -> Path:
    """A database initialised from GOOD."""
    db = tmp_path / "plan.db"
    result = cli("--db", db, "--today", TODAY, "init", "--file", write(tmp_path, "good.yaml", GOOD))
    assert result.code == 0, result.err
    return db


# --- 1. every bad input: one located line, exit 2, database untouched -------------------------

@pytest.mark.parametrize("case", BAD_FILES, ids=[case.id for case in BAD_FILES])
def test_bad_file_is_refused_with_one_located_line(case: Bad, tmp_path: Path, cli: Cli,
                                                   db_dump: Dump, good_db: Path) -> None:
    bad = write(tmp_path, "bad.yaml", case.text)
    before = db_dump(good_db)

    result = cli("--db", good_db, "--today", TODAY, "import", bad)
    assert_one_located_line(result, bad, case.line, case.column)
    assert case.zh in result.err
    assert db_dump(good_db) == before

    english = cli("--db", good_db, "--today", TODAY, "--lang", "en", "import", bad)
    assert_one_located_line(english, bad, case.line, case.column)
    assert case.en in english.err
    assert english.err != result.err
    assert db_dump(good_db) == before

    checked = cli("--db", good_db, "--today", TODAY, "validate", bad)
    if case.needs_db:  # validate reads no database, and the file is fine on its own
        assert checked.code == 0, checked.err
    else:
        assert (checked.code, checked.out, checked.err) == (2, "", result.err)
    assert db_dump(good_db) == before


def test_bad_file_into_missing_database_creates_nothing(tmp_path: Path, cli: Cli) -> None:
    bad = write(tmp_path, "bad.yaml", ONE_TASK + "    progress: 150\n")
    db = tmp_path / "new" / "plan.db"
    assert cli("--db", db, "import", bad).code == 2
    assert cli("--db", db, "init", "--file", bad).code == 2
    assert not db.exists()


def test_missing_file_is_a_clear_error(tmp_path: Path, cli: Cli, db_dump: Dump,
                                       good_db: Path) -> None:
    before = db_dump(good_db)
    result = cli("--db", good_db, "import", tmp_path / "nowhere.yaml")
    assert result.code == 2 and result.err.count("\n") == 1
    assert result.err.startswith(f"{tmp_path / 'nowhere.yaml'}: 无法读取文件")
    assert db_dump(good_db) == before


@pytest.mark.parametrize("text", [BILLION_LAUGHS, NESTING_BOMB], ids=["aliases", "nesting"])
def test_bombs_fail_fast(text: str, tmp_path: Path, cli: Cli) -> None:
    bomb = write(tmp_path, "bomb.yaml", text)
    started = time.perf_counter()
    result = cli("validate", bomb)
    assert result.code == 2 and result.err.count("\n") == 1
    assert time.perf_counter() - started < 2


def test_aliases_are_refused_even_when_harmless(tmp_path: Path, cli: Cli) -> None:
    """The file must spell everything out: no anchors reused through aliases."""
    shared = (ONE_TASK.replace("lead: amr", "lead: &who amr")
              + '  - {code: "2", title: 二, lead: *who}\n')
    result = cli("validate", write(tmp_path, "alias.yaml", shared))
    assert result.code == 2 and ":11:33: 不支持 YAML 别名" in result.err


# --- 2. imports are atomic --------------------------------------------------------------------

def _many_new_tasks(count: int) -> str:
    lines = ['  - code: "3"', "    title: 新任务组", "    lead: hhht", "    children:"]
    for number in range(1, count + 1):
        lines += [f'      - code: "3.{number}"', f"        title: 新任务{number}",
                  f"        due: 2023年第{number % 4 + 1}季度", "        progress: 10"]
    return "\n".join(lines) + "\n"


CLOSED_13 = '      - code: "1.3"\n        title: 展示中心\n        status: closed\n'


def _changes_then(last_task: str = "", last_indicator: str = "") -> str:
    """GOOD with a renamed plan, a new unit, changed title, due and status, 300 new tasks
    and a new indicator, followed by `last_task` and `last_indicator`."""
    text = GOOD.replace("title: 测试计划", "title: 改名的计划")
    text = text.replace("  - {id: hhht", "  - {id: bt, name: 包头市}\n  - {id: hhht")
    text = text.replace("title: 保护中心", "title: 保护中心（改）")
    text = text.replace("due: 2022年底", "due: 2023年底").replace("status: done", "status: 推进中")
    tasks, indicators = text.replace(CLOSED_13, "").split("indicators:\n")
    new_indicator = '  - {code: I2, name: 新指标, unit: 件, baseline: 1, target: 5, task: "3.1"}\n'
    return (tasks + _many_new_tasks(300) + last_task + "indicators:\n" + indicators
            + new_indicator + last_indicator)


LAST_BAD_INDICATOR = '  - {code: I3, name: 坏指标, unit: 件, baseline: 1, target: 5, task: "9.9"}\n'
# 1.3 (closed in the database) moved to the end of the file and marked done.
LAST_BAD_TASK = """\
  - code: "1.3"
    parent: "1"
    title: 展示中心
    lead: amr
    status: done
"""


@pytest.mark.parametrize(("text", "message"), [
    (_changes_then(last_indicator=LAST_BAD_INDICATOR), "指标 I3 关联的事项 9.9 不存在"),
    (_changes_then(last_task=LAST_BAD_TASK), "不允许的状态变更：已销号 → 已完成"),
], ids=["bad_indicator_last", "forbidden_status_on_last_item"])
def test_import_failing_late_changes_nothing(text: str, message: str, tmp_path: Path, cli: Cli,
                                             db_dump: Dump, good_db: Path) -> None:
    bad = write(tmp_path, "late.yaml", text)
    before = db_dump(good_db)
    result = cli("--db", good_db, "--today", TODAY, "import", bad)
    assert result.code == 2 and result.err.count("\n") == 1, result.err
    assert message in result.err
    assert db_dump(good_db) == before
    # Without its last problem the same file imports all of it.
    fixed = write(tmp_path, "fixed.yaml", _changes_then())
    assert cli("--db", good_db, "--today", TODAY, "import", fixed).code == 0
    assert rows(good_db, "select count(*) from task where code like '3.%'") == [(300,)]
    assert rows(good_db, "select title from plan") == [("改名的计划",)]
    assert rows(good_db, "select status from task where code = '1.2'") == [("in_progress",)]


def test_dry_run_saves_nothing(tmp_path: Path, cli: Cli, db_dump: Dump, good_db: Path) -> None:
    before = db_dump(good_db)
    changed = write(tmp_path, "changed.yaml", GOOD.replace("体系建设", "体系建设（新）"))
    result = cli("--db", good_db, "import", "--dry-run", changed)
    assert result.code == 0 and "试运行" in result.out and "更新 1" in result.out
    assert db_dump(good_db) == before


# --- 3. merge by code ---------------------------------------------------------------------------

def test_reimporting_the_same_file_changes_nothing(tmp_path: Path, cli: Cli, db_dump: Dump,
                                                   good_db: Path) -> None:
    before = db_dump(good_db)
    result = cli("--db", good_db, "--today", TODAY, "import", tmp_path / "good.yaml")
    assert result.code == 0 and "新增 0，更新 0，未变 10" in result.out
    assert db_dump(good_db) == before


def test_merge_updates_what_the_file_states_and_keeps_history(tmp_path: Path, cli: Cli,
                                                              good_db: Path) -> None:
    db = good_db
    assert cli("--db", db, "--today", TODAY, "update", "1.1", "--status", "推进中",
               "--progress", "30", "--note", "场地已落实", "--by", "amr").code == 0
    assert cli("--db", db, "--today", TODAY, "update", "1.2", "--due", "2023年6月30日",
               "--reason", "设备延迟").code == 0
    before_13 = rows(db, "select * from task where code = '1.3'")
    occurrences_before = rows(db, "select * from task where code like '2@%' order by code")

    # 1.1: new title, lead and support swapped, later due with a reason, no status given;
    # 1.2: done → in_progress at 60, no due given (keeps the moved one); 1.3 and 2: left out.
    changed = HEAD + """\
  - code: "1"
    title: 体系建设
    lead: amr
    children:
      - code: "1.1"
        title: 知识产权保护中心
        lead: hhht
        support: [amr]
        due: 2023年底
        due_reason: 场地调整
      - code: "1.2"
        title: 快维中心
        lead: hhht
        status: in_progress
        progress: 60
"""
    result = cli("--db", db, "--today", TODAY, "--as", "张三", "import",
                 write(tmp_path, "changed.yaml", changed))
    assert result.code == 0, result.err
    assert "新增 0，更新 2" in result.out

    task = {code: (title, status, progress, due, original_due) for code, title, status, progress,
            due, original_due in rows(db, "select code, title, status, progress, due, original_due"
                                          " from task")}
    assert task["1.1"] == ("知识产权保护中心", "in_progress", 30.0, "2023-12-31", "2022-12-31")
    assert task["1.2"] == ("快维中心", "in_progress", 60.0, "2023-06-30", "2025-12-31")
    units = rows(db, "select unit_id, role from taskunit join task on task.id = task_id "
                     "where code = '1.1' order by taskunit.position")
    assert units == [("hhht", "lead"), ("amr", "support")]

    history = rows(db, "select code, old_status, new_status, old_progress, new_progress, note, "
                       "by_unit, by_user from progressupdate join task on task.id = task_id "
                       "order by progressupdate.id")
    assert history[0][:7] == ("1.1", "not_started", "in_progress", 0.0, 30.0, "场地已落实", "amr")
    assert history[1] == ("1.2", "done", "in_progress", 100.0, 60.0, "导入 changed.yaml", None,
                          "张三")
    assert len(history) == 2
    due_changes = rows(db, "select code, old_due, new_due, reason from duechange "
                           "join task on task.id = task_id order by duechange.id")
    assert due_changes == [("1.2", "2025-12-31", "2023-06-30", "设备延迟"),
                           ("1.1", "2022-12-31", "2023-12-31", "场地调整")]

    assert rows(db, "select * from task where code = '1.3'") == before_13
    assert rows(db, "select * from task where code like '2@%' order by code") == occurrences_before
    assert rows(db, "select count(*) from indicator") == [(1,)]


def test_due_change_without_reason_names_the_file(tmp_path: Path, cli: Cli,
                                                  good_db: Path) -> None:
    moved = write(tmp_path, "moved.yaml", GOOD.replace("due: 2022年底", "due: 2022年上半年"))
    assert cli("--db", good_db, "import", moved).code == 0
    assert rows(good_db, "select old_due, new_due, reason from duechange") == [
        ("2022-12-31", "2022-06-30", "按导入 moved.yaml调整")]


def test_due_before_stored_start_is_refused(tmp_path: Path, cli: Cli, db_dump: Dump) -> None:
    """The file leaves out the start it set before; the new due is before that stored start."""
    db = tmp_path / "plan.db"
    first = write(tmp_path, "first.yaml", ONE_TASK + "    start: 2023-01-01\n")
    assert cli("--db", db, "import", first).code == 0
    before = db_dump(db)
    second = write(tmp_path, "second.yaml", ONE_TASK + "    due: 2022年底\n")
    result = cli("--db", db, "import", second)
    assert_one_located_line(result, second, 8, 5)
    assert " (1): 截止日期 2022-12-31 早于开始日期 2023-01-01" in result.err
    assert db_dump(db) == before


def test_import_into_missing_database_creates_it(tmp_path: Path, cli: Cli) -> None:
    db = tmp_path / "deep" / "er" / "plan.db"
    result = cli("--db", db, "--today", TODAY, "import", write(tmp_path, "good.yaml", GOOD))
    assert result.code == 0 and "新增 10" in result.out
    assert db.exists()
    codes = [code for (code,) in rows(db, "select code from task order by code")]
    assert codes == ["1", "1.1", "1.2", "1.3", "2", "2@2021-04-20", "2@2022-04-20",
                     "2@2023-04-20", "2@2024-04-20", "2@2025-04-20"]


def test_reimport_keeps_a_moved_occurrence_due(tmp_path: Path, cli: Cli, good_db: Path) -> None:
    """The file never names an occurrence's due: moving it by hand must survive a re-import."""
    assert cli("--db", good_db, "update", "2@2022-04-20", "--due", "2022-05-10",
               "--reason", "推迟").code == 0
    assert cli("--db", good_db, "import", tmp_path / "good.yaml").code == 0
    assert rows(good_db, "select due, original_due from task where code = '2@2022-04-20'") == [
        ("2022-05-10", "2022-04-26")]
    assert rows(good_db, "select count(*) from duechange") == [(1,)]


def test_changed_rule_reschedules_and_archives_stale_occurrences(tmp_path: Path, cli: Cli,
                                                                 good_db: Path) -> None:
    """Occurrences the new rule no longer makes are archived with their history, so the
    export stays importable; the ones it still makes follow the new duration."""
    assert cli("--db", good_db, "update", "2@2021-04-20", "--status", "done").code == 0
    rule = 'repeat: {rule: "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=20", duration: 7}'
    changed = GOOD.replace(rule, 'start: 2023-01-01\n    repeat: {rule: "FREQ=YEARLY;BYMONTH=4;'
                                 'BYMONTHDAY=20", duration: 3}')
    assert cli("--db", good_db, "import", write(tmp_path, "changed.yaml", changed)).code == 0
    assert rows(good_db, "select code, archived, status, due, original_due from task "
                         "where code like '2@%' order by code") == [
        ("2@2021-04-20", 1, "done", "2021-04-26", "2021-04-26"),
        ("2@2022-04-20", 1, "not_started", "2022-04-26", "2022-04-26"),
        ("2@2023-04-20", 0, "not_started", "2023-04-22", "2023-04-22"),
        ("2@2024-04-20", 0, "not_started", "2024-04-22", "2024-04-22"),
        ("2@2025-04-20", 0, "not_started", "2025-04-22", "2025-04-22"),
    ]
    exported = cli("--db", good_db, "export", "-")
    again = tmp_path / "again.db"
    assert cli("--db", again, "import", write(tmp_path, "exported.yaml", exported.out)).code == 0
    assert cli("--db", again, "export", "-").out == exported.out


# --- 5. Chinese date forms --------------------------------------------------------------------

def test_chinese_date_forms_land_as_start_and_due(tmp_path: Path, cli: Cli) -> None:
    text = """\
plan:
  title: 日期
  period: {start: 2021年, end: 2025年底}
units:
  - {id: amr, name: 局}
tasks:
  - {code: a, title: 年底, lead: amr, due: 2021年底}
  - {code: b, title: 半年, lead: amr, start: 2022年上半年, due: 2022年上半年}
  - {code: c, title: 季度, lead: amr, start: 2023年第三季度, due: 2023年第三季度}
  - {code: d, title: 日, lead: amr, start: 2021年3月1日, due: 2021年12月31日}
  - {code: e, title: 下半年, lead: amr, start: 2024年下半年, due: 2024年第四季度}
  - {code: f, title: 全角, lead: amr, due: ２０２２年底}
  - {code: g, title: 默认, lead: amr}
"""
    db = tmp_path / "dates.db"
    assert cli("--db", db, "init", "--file", write(tmp_path, "dates.yaml", text)).code == 0
    assert rows(db, 'select start, "end" from plan') == [("2021-01-01", "2025-12-31")]
    assert rows(db, "select code, start, due, original_due from task order by code") == [
        ("a", "2021-01-01", "2021-12-31", "2021-12-31"),
        ("b", "2022-01-01", "2022-06-30", "2022-06-30"),
        ("c", "2023-07-01", "2023-09-30", "2023-09-30"),
        ("d", "2021-03-01", "2021-12-31", "2021-12-31"),
        ("e", "2024-07-01", "2024-12-31", "2024-12-31"),
        ("f", "2021-01-01", "2022-12-31", "2022-12-31"),
        ("g", "2021-01-01", "2025-12-31", "2025-12-31"),
    ]
