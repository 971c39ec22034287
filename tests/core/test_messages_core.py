"""Messages of core/, store/ and the plan-file services come from the catalogue: each error,
triggered through the real function with bad input, reads as Chinese in Chinese and has no
CJK character or full-width punctuation in English (data values aside: the inputs here are
ASCII, so any CJK in English would come from the message itself)."""

import errno
import re
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from psycopg import errors as psycopg_errors
from sqlalchemy import text

from planner.core.dates import format_date, parse_due
from planner.core.errors import PlannerError
from planner.core.recurrence import expand
from planner.core.rollup import Colour
from planner.core.status import Status, check_transition, parse_status
from planner.core.text import NOTE, TITLE, check_measure, clean_text
from planner.i18n import msg
from planner.services.backup import restore_database
from planner.services.plan_file import expand_repeats
from planner.services.plan_yaml import parse_plan
from planner.services.restore_check import check_content, decode_rows
from planner.store.db import busy_timeout_ms, make_engine, session_scope
from planner.store.errors import explain_error
from planner.store.ledger_queries import plan_uid
from planner.store.migrate import ensure_current
from planner.store.queries import get_task, load_settings

#: CJK ideographs, CJK symbols and punctuation (、。「」…), full-width forms (：，（）；).
NOT_ENGLISH = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")

HEAD = """\
plan:
  title: T
  period: {start: 2021-01-01, end: 2021-12-31}
units:
  - {id: amr, name: AMR}
"""


def refusal(action: Callable[[], object]) -> PlannerError:
    """The PlannerError `action` raises."""
    with pytest.raises(PlannerError) as caught:
        action()
    return caught.value


def assert_bilingual(error: PlannerError, zh: str, en: str) -> None:
    """The error reads `zh` in Chinese and `en` in English, with no CJK in the English."""
    assert error.message("zh") == zh
    assert error.message("en") == en
    assert not NOT_ENGLISH.search(error.message("en")), error.message("en")


# --- core ---------------------------------------------------------------------------------

def test_unknown_status_lists_the_choices_in_each_language() -> None:
    assert_bilingual(
        refusal(lambda: parse_status("finished")),
        '未知状态"finished"，可选：not_started/未启动、in_progress/推进中、blocked/受阻、'
        "done/已完成、closed/已销号、cancelled/已取消、carried_over/已结转",
        'unknown status "finished"; one of: not_started, in_progress, blocked, done, closed, '
        "cancelled, carried_over")


def test_forbidden_transition_lists_the_allowed_statuses() -> None:
    assert_bilingual(
        refusal(lambda: check_transition(Status.DONE, Status.NOT_STARTED, code="1.2")),
        "1.2: 不允许的状态变更：已完成 → 未启动（可变更为：已销号、推进中）",
        "1.2: status change not allowed: done → not_started (allowed: closed, in_progress)")


def test_status_and_colour_names_come_from_the_catalogue() -> None:
    assert [s.label("zh") for s in Status] == ["未启动", "推进中", "受阻", "已完成", "已销号",
                                               "已取消", "已结转"]
    assert [s.en for s in Status] == ["not started", "in progress", "blocked", "done",
                                      "closed", "cancelled", "carried over"]
    assert [c.label("zh") for c in Colour] == ["绿", "蓝", "黄", "红"]
    assert [c.label("en") for c in Colour] == ["green", "blue", "yellow", "red"]
    assert format_date(date(2021, 7, 1), "zh") == "2021年7月1日"
    assert format_date(date(2021, 7, 1), "en") == "2021-07-01"


def test_unrecognised_date() -> None:
    assert_bilingual(refusal(lambda: parse_due("next year")),
                     '无法识别的日期"next year"', 'unrecognised date "next year"')


def test_sub_daily_repeat_rule() -> None:
    assert_bilingual(
        refusal(lambda: expand("FREQ=HOURLY", code="1", title="T", first=date(2021, 1, 1),
                               until=date(2021, 2, 1))),
        '重复规则"FREQ=HOURLY"的频率过细，最细为每天（DAILY）',
        'repeat rule "FREQ=HOURLY" is finer than daily (DAILY is the finest)')


def test_text_refusals_name_the_field_in_the_readers_language() -> None:
    assert_bilingual(refusal(lambda: clean_text("a\x07b", NOTE, where="5.1.4")),
                     "5.1.4: 进展说明含有不允许的控制字符 U+0007（第 2 个字符）",
                     "5.1.4: the note contains a control character that is not allowed: "
                     "U+0007 at character 2")
    # the kind of character is itself a message, rendered in the same language
    assert_bilingual(refusal(lambda: clean_text("a\tb", TITLE)),
                     "标题只能是一行：第 2 个字符是制表符",
                     "the title must be one line: character 2 is a tab")
    assert_bilingual(refusal(lambda: check_measure(float("nan"), msg("field_reading"))),
                     "读数必须是绝对值不超过 1e+15 的有限数字（实际 nan）",
                     "the reading must be a finite number within ±1e+15 (got nan)")


# --- store --------------------------------------------------------------------------------

def test_full_disk_names_the_file_and_what_was_not_saved(tmp_path: Path) -> None:
    problem = explain_error(OSError(errno.ENOSPC, "No space left on device", str(tmp_path)))
    assert problem is not None
    assert_bilingual(problem, f"{tmp_path}：磁盘已满，未完成的改动没有保存：请腾出空间后重试",
                     f"{tmp_path}: the disk is full; an unfinished change was not saved: free "
                     "some space and try again")


def test_a_folder_given_as_the_database(tmp_path: Path) -> None:
    with pytest.raises(sqlite3.Error) as caught:
        sqlite3.connect(tmp_path).execute("SELECT 1")
    problem = explain_error(caught.value, f"sqlite:///{tmp_path}")
    assert problem is not None
    assert_bilingual(problem, f"{tmp_path} 是文件夹，不是数据库文件（--db 应指向 .db 文件）",
                     f"{tmp_path} is a folder, not a database file (--db names a .db file)")


def test_a_postgresql_check_speaks_the_readers_language() -> None:
    """The checks on a shared server (store/pg_access.py) say `CODE: 中文 / English`: the
    Chinese reader sees it as the server said it, the English reader only the English."""
    said = "3.1: 不允许的状态变更 / status change not allowed (done → not_started)"
    problem = explain_error(psycopg_errors.InsufficientPrivilege(said))
    assert problem is not None
    assert_bilingual(problem, f"数据库拒绝操作（权限不足）：{said}；请联系协调员或管理员",
                     "the database refused (permission denied): 3.1: status change not "
                     "allowed (done → not_started); ask a coordinator or the administrator")
    said = "指标读数超出范围、来源过长或含控制字符 / the reading is out of range"
    problem = explain_error(psycopg_errors.CheckViolation(said))
    assert problem is not None
    assert_bilingual(problem, f"数据库拒绝了这个值：{said}",
                     "the database refused a value: the reading is out of range")


def test_bad_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_BUSY_TIMEOUT", "soon")
    assert_bilingual(refusal(busy_timeout_ms),
                     "PLANNER_BUSY_TIMEOUT 应为 0 到 3600 之间的秒数：soon",
                     "PLANNER_BUSY_TIMEOUT must be a number of seconds from 0 to 3600: soon")


def test_empty_database_and_unknown_code(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    ensure_current(engine)
    no_plan = ("数据库中还没有计划，请先运行 planner init 或 planner import FILE",
               "the database holds no plan yet: run `planner init` or `planner import FILE` "
               "first")
    with session_scope(engine) as session:
        assert_bilingual(refusal(lambda: load_settings(session=session)), *no_plan)
        assert_bilingual(refusal(lambda: plan_uid(session=session)), *no_plan)
        # an item is looked up in a plan: with none yet, that is what is missing
        assert_bilingual(refusal(lambda: get_task("9.9", session=session)), *no_plan)


def test_database_newer_than_the_program(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'newer.db'}")
    ensure_current(engine)
    with engine.begin() as connection:
        head = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    assert_bilingual(refusal(lambda: ensure_current(engine)),
                     f"数据库结构版本 9999_future 比本程序新（{head}），请升级 planner",
                     f"the database schema 9999_future is newer than this program's ({head}): "
                     "upgrade planner")


# --- plan files, backups, restores ----------------------------------------------------------

def test_plan_file_names_its_parts_in_the_readers_language() -> None:
    assert_bilingual(refusal(lambda: parse_plan(HEAD + "  - just text\n", "plan.yaml")),
                     "plan.yaml:6:5: 单位必须是映射", "plan.yaml:6:5: a unit must be a mapping")


def test_plan_file_lists_the_allowed_keys() -> None:
    error = refusal(lambda: parse_plan(HEAD.replace("units:", "unit:"), "plan.yaml"))
    assert_bilingual(error,
                     'plan.yaml:4:1: 未知字段"unit"（可用：plan、units、groups、tasks、'
                     'indicators）',
                     'plan.yaml:4:1: unknown key "unit" (allowed: plan, units, groups, tasks, '
                     "indicators)")


def test_plan_file_wraps_a_date_error_in_the_readers_language() -> None:
    task = 'tasks:\n  - {code: "1", title: T, lead: amr, due: next year}\n'
    assert_bilingual(refusal(lambda: parse_plan(HEAD + task, "plan.yaml")),
                     'plan.yaml:7:43: due：无法识别的日期"next year"',
                     'plan.yaml:7:43: due: unrecognised date "next year"')


def test_recurring_item_error_is_located_at_the_item() -> None:
    task = 'tasks:\n  - {code: "1", title: T, lead: amr, repeat: {rule: "FREQ=HOURLY"}}\n'
    spec = parse_plan(HEAD + task, "plan.yaml")
    assert_bilingual(refusal(lambda: expand_repeats(spec)),
                     'plan.yaml:7:5: 重复规则"FREQ=HOURLY"的频率过细，最细为每天（DAILY）',
                     'plan.yaml:7:5: repeat rule "FREQ=HOURLY" is finer than daily (DAILY is '
                     "the finest)")


def test_restore_names_table_row_and_column_in_the_readers_language() -> None:
    error = refusal(lambda: decode_rows(Path("b.json"), "unit", ["id", "name", "kind",
                                                                  "position"],
                                        [["amr", 5, "department", 0]]))
    assert_bilingual(error, "b.json: 表 unit 的行（id=amr）列 name：必须是文本",
                     "b.json: table unit, row (id=amr), column name: must be text")


def test_restore_lists_the_allowed_values() -> None:
    rows = decode_rows(Path("b.json"), "unit", ["id", "name", "kind", "position"],
                       [["amr", "AMR", "club", 0]])
    error = refusal(lambda: check_content(Path("b.json"), {"unit": rows, "plan": [{}]}))
    assert_bilingual(error, "b.json: 表 unit 的行（id=amr）列 kind：必须是 department、external、"
                     "league 之一（实际“club”）",
                     'b.json: table unit, row (id=amr), column kind: must be one of department, '
                     'external, league (got "club")')


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'target.db'}")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"PK\x03\x04 not a backup")
    assert_bilingual(refusal(lambda: restore_database(engine, junk)),
                     f"{junk} 不是可用的 planner 备份：既不是 SQLite 数据库也不是 JSON 导出文件",
                     f"{junk} is not a usable planner backup: neither a SQLite database nor a "
                     "JSON dump")
