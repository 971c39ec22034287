"""督办 and 催办 notices through the real command on both backends: numbers taken in series
and never reused (also by two writers at once on PostgreSQL), each notice in its items'
history, a 催办 notice recording the cycle's 催办 step, which items a notice names by
default, dry runs that take no number, and refusals that leave the database as it was —
also when the document cannot be written."""

import os
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from planner.core.notice import NoticeKind
from planner.services.notices import draft_notices, issue_notices
from planner.store.db import make_engine, session_scope
from planner.store.dbapi import Db
from tests.conftest import CliResult
from tests.notice_support import NOTICE_PLAN

Cli = Callable[..., CliResult]
TODAY = "2026-06-01"
#: 1 overdue (red) and 2 lagging (yellow), led by hhht with bt supporting 2; 3 due in nine
#: days and on schedule (blue), led by bt; 4 on schedule and not due soon (green); 5 done.
PLAN = NOTICE_PLAN + """\
  - {code: "4", title: 第四项, lead: amr, start: 2026-05-01, due: 2026-12-31,
     status: in_progress, progress: 50}
  - {code: "5", title: 第五项, lead: bt, start: 2026-01-01, due: 2026-04-30, status: done,
     progress: 100}
"""
TABLES = ("task", "progressupdate", "cycleevent", "plan", "notice", "noticeitem",
          "noticecounter")


def run(cli: Cli, url: str, *argv: str | Path) -> CliResult:
    return cli("--db", url, "--today", TODAY, *argv)


def ok(cli: Cli, url: str, *argv: str | Path) -> str:
    result = run(cli, url, *argv)
    assert result.code == 0, result.err
    return result.out


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.exec_driver_sql(sql)]
    finally:
        engine.dispose()


def table_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    return {table: sorted(query(url, f"SELECT * FROM {table}"), key=repr) for table in TABLES}


def refused(cli: Cli, url: str, *argv: str | Path) -> str:
    """A notice that must be refused: exit 2, one line, nothing written; that line."""
    before = table_rows(url)
    result = run(cli, url, *argv)
    assert result.code == 2, (result.out, result.err)
    assert result.out == "" and result.err.count("\n") == 1, result.err
    assert table_rows(url) == before
    return result.err


def numbers(url: str) -> list[tuple[str, str]]:
    """(number, unit) of every notice, in the order issued."""
    return [(str(number), str(unit)) for number, unit in
            query(url, "SELECT number, unit_id FROM notice ORDER BY id")]


@pytest.fixture(autouse=True)
def _folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Notices land in the test's folder; no office or contact from the environment."""
    monkeypatch.chdir(tmp_path)
    for name in ("PLANNER_OFFICE", "PLANNER_NOTICE_CONTACT"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def url(backend_url: str, tmp_path: Path, cli: Cli) -> str:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    ok(cli, backend_url, "init", "--file", plan)
    return backend_url


def test_numbers_run_on_per_kind_and_year_and_each_notice_is_in_its_items_history(
        url: str, cli: Cli, tmp_path: Path) -> None:
    out = ok(cli, url, "notice", "--unit", "all")
    assert "已发出 2 份通知单（督办〔2026〕1号、督办〔2026〕2号）" in out
    assert (tmp_path / "督办〔2026〕1-2号.docx").is_file()
    assert numbers(url) == [("督办〔2026〕1号", "hhht"), ("督办〔2026〕2号", "bt")]
    ok(cli, url, "notice", "--unit", "hhht", "-o", "again.docx")
    ok(cli, url, "notice", "--kind", "催办", "--unit", "hhht", "-o", "urge.docx")
    ok(cli, url, "notice", "--kind", "supervise", "--items", "4", "-o", "four.docx")
    assert numbers(url) == [("督办〔2026〕1号", "hhht"), ("督办〔2026〕2号", "bt"),
                            ("督办〔2026〕3号", "hhht"), ("催办〔2026〕1号", "hhht"),
                            ("督办〔2026〕4号", "amr")]
    history = ok(cli, url, "show", "1")
    assert "通知单 督办〔2026〕1号 致 hhht（主办），反馈时限 2026-06-08" in history
    assert "通知单 督办〔2026〕3号 致 hhht（主办）" in history
    assert "督办〔2026〕2号" not in history  # bt's notice names item 3 only
    assert "通知单 督办〔2026〕2号 致 bt（主办）" in ok(cli, url, "show", "3")
    assert query(url, "SELECT kind, year, last_serial FROM noticecounter ORDER BY kind") == \
        [("supervise", 2026, 4), ("urge", 2026, 1)]
    assert "notice 督办〔2026〕1号 to hhht (lead unit), feedback due 2026-06-08" in \
        ok(cli, url, "--lang", "en", "show", "1")


def test_a_reminder_records_the_cycle_step_on_the_items_its_unit_leads(
        url: str, cli: Cli) -> None:
    ok(cli, url, "notice", "--kind", "urge", "--unit", "hhht", "-o", "a.docx")
    ok(cli, url, "notice", "--kind", "催办", "--unit", "bt", "--items", "2", "-o", "b.docx")
    assert query(url, "SELECT t.code, e.kind, e.unit_id, e.reason FROM cycleevent e "
                      "JOIN task t ON t.id = e.task_id ORDER BY e.id") == [
        ("1", "urge", "hhht", "催办通知单 催办〔2026〕1号"),
        ("2", "urge", "hhht", "催办通知单 催办〔2026〕1号")]
    # bt only supports item 2: its reminder is in the history, not a step against the lead
    assert query(url, "SELECT n.number, t.code, i.role, i.event_id IS NULL FROM noticeitem i "
                      "JOIN notice n ON n.id = i.notice_id JOIN task t ON t.id = i.task_id "
                      "ORDER BY n.id, i.position") == [
        ("催办〔2026〕1号", "1", "lead", False), ("催办〔2026〕1号", "2", "lead", False),
        ("催办〔2026〕2号", "2", "support", True)]
    history = ok(cli, url, "show", "2")
    assert "催办 #2  原因：催办通知单 催办〔2026〕1号" in history
    assert "通知单 催办〔2026〕2号 致 bt（协办）" in history
    assert history.count("催办〔2026〕1号") == 1  # the step is the notice's one line


def test_by_default_a_notice_names_the_open_items_its_unit_leads_that_are_due(
        url: str, cli: Cli) -> None:
    out = ok(cli, url, "notice", "--unit", "all", "--dry-run")
    assert out.splitlines() == [
        "（试运行，未编号、未登记）将发出督办通知单 2 份，反馈时限 2026年6月8日：",
        "督办〔2026〕1号（预计）致 呼和浩特市（hhht），2 项：",
        "  1 第一项（主办，办结时限 2026年3月31日；未启动，进度0%；序时进度100%；已逾期62天）",
        "  2 第二项（主办，办结时限 2026年12月31日；未启动，进度0%；序时进度42%）",
        "督办〔2026〕2号（预计）致 包头市（bt），1 项：",
        "  3 第三项（主办，办结时限 2026年6月10日；推进中，进度95%；序时进度94%）"]
    # a reminder leaves out what is only due soon (3); no unit then has anything for bt
    assert "2 项" in ok(cli, url, "notice", "--kind", "催办", "--unit", "all", "--dry-run")
    assert "没有需要催办的未完成事项" in refused(cli, url, "notice", "--kind", "催办",
                                           "--unit", "bt")
    assert numbers(url) == []  # a dry run takes no number
    ok(cli, url, "notice", "--unit", "bt", "--feedback-days", "10", "-o", "x.docx")
    assert numbers(url) == [("督办〔2026〕1号", "bt")]
    assert query(url, "SELECT feedback_by FROM notice")[0][0] in (date(2026, 6, 15),
                                                                  "2026-06-15")


def test_bad_input_is_refused_with_one_line_and_nothing_written(url: str, cli: Cli,
                                                                tmp_path: Path) -> None:
    assert '未知单位"nosuch"' in refused(cli, url, "notice", "--unit", "nosuch")
    assert "没有编码为 9 的事项" in refused(cli, url, "notice", "--unit", "hhht", "--items", "1,9")
    assert "5: 事项已是已完成" in refused(cli, url, "notice", "--items", "5")
    assert "3: amr 既非该事项的主办单位也非协办单位" in refused(cli, url, "notice", "--unit", "amr",
                                                       "--items", "3,4")
    assert "单位 amr 没有需要督办" in refused(cli, url, "notice", "--unit", "amr")
    assert '未知的通知种类"通报"' in refused(cli, url, "notice", "--unit", "hhht", "--kind", "通报")
    assert "1 至 250 个工作日" in refused(cli, url, "notice", "--unit", "hhht",
                                       "--feedback-days", "0")
    assert "--unit" in refused(cli, url, "notice")
    assert "docx 或 pdf" in refused(cli, url, "notice", "--unit", "hhht", "-o", "a.html")
    assert "目录不存在" in refused(cli, url, "notice", "--unit", "hhht", "-o",
                                tmp_path / "missing" / "a.docx")
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith((".docx", ".part"))]


def test_a_document_that_cannot_be_written_records_nothing(
        url: str, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice failing to convert (a stand-in `soffice` on PATH that exits 1) comes after
    the numbers were taken: all of it is rolled back and no file is left."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text("#!/bin/sh\necho 'conversion failed' >&2\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    before = table_rows(url)
    with monkeypatch.context() as patch:
        patch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
        result = run(cli, url, "notice", "--unit", "hhht", "--format", "pdf")
    assert result.code == 2 and "conversion failed" in result.err, result.err
    assert table_rows(url) == before
    assert not [p.name for p in tmp_path.iterdir() if p.suffix in (".pdf", ".part")]
    ok(cli, url, "notice", "--unit", "hhht")
    assert (tmp_path / "督办〔2026〕1号.docx").is_file()
    assert numbers(url) == [("督办〔2026〕1号", "hhht")]  # the number was not used up


# -- two writers at once on PostgreSQL --------------------------------------------------

NOW = datetime(2026, 6, 1, 9, 30)


def _issue(url: str, unit: str, *, hold: Callable[[], None] | None = None) -> str:
    """Issue one notice to `unit` in a transaction of its own (no writers' advisory lock:
    the counter's row lock alone must keep the numbers apart); `hold` runs before commit."""
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            db = Db.of_session(session)
            batch = draft_notices(db, kind=NoticeKind.SUPERVISE, units=[unit], codes=["2"],
                                  today=date(2026, 6, 1), feedback_days=5)
            issued = issue_notices(db, batch, at=NOW, by_user=None)
            if hold is not None:
                hold()
        return issued[0].number
    finally:
        engine.dispose()


def _waiting_for_a_lock(url: str) -> int:
    """Backends of this database now waiting for a lock held by another transaction."""
    return int(query(url, "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                          "current_database() AND wait_event_type = 'Lock'")[0][0])


@pytest.fixture
def pg_url(make_database: Callable[[str], str], tmp_path: Path, cli: Cli) -> Iterator[str]:
    url = make_database("postgresql")
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    ok(cli, url, "init", "--file", plan)
    yield url


def test_a_second_writer_waits_for_the_first_and_takes_the_next_number(pg_url: str) -> None:
    """The first writer has taken its number and not committed; the second, taking one
    too, waits on the counter row (seen in pg_stat_activity), then reads the committed
    value: numbers 2 and 3, never 2 twice."""
    assert _issue(pg_url, "hhht") == "督办〔2026〕1号"  # the series' row exists
    results: dict[str, str] = {}
    errors: list[BaseException] = []
    first_has_its_number = threading.Event()

    def hold() -> None:
        first_has_its_number.set()
        deadline = time.monotonic() + 30
        while _waiting_for_a_lock(pg_url) == 0:
            assert time.monotonic() < deadline, "the second writer never waited"
            threading.Event().wait(0.02)

    def writer(name: str, unit: str, wait_first: bool) -> None:
        try:
            if wait_first:
                assert first_has_its_number.wait(30)
            results[name] = _issue(pg_url, unit, hold=None if wait_first else hold)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=("first", "hhht", False)),
               threading.Thread(target=writer, args=("second", "bt", True))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert results == {"first": "督办〔2026〕2号", "second": "督办〔2026〕3号"}
    assert numbers(pg_url) == [("督办〔2026〕1号", "hhht"), ("督办〔2026〕2号", "hhht"),
                               ("督办〔2026〕3号", "bt")]


def test_many_writers_at_once_get_distinct_numbers_in_one_run(pg_url: str) -> None:
    """Six threads, three notices each, started together: eighteen numbers, 1 to 18."""
    start = threading.Barrier(6)
    taken: list[str] = []
    errors: list[BaseException] = []

    def writer(index: int) -> None:
        try:
            start.wait(30)
            for _ in range(3):
                taken.append(_issue(pg_url, "hhht" if index % 2 else "bt"))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert sorted(taken) == sorted(f"督办〔2026〕{n}号" for n in range(1, 19))
    assert len({number for number, _unit in numbers(pg_url)}) == 18
