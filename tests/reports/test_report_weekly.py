"""The weekly report: golden txt/md files, selection rules, a past week, one unit's view."""

import os
from pathlib import Path

import pytest

from planner.cli import main
from tests.scenarios import WEEK_OF_REPORTS

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parents[1] / "golden"
SMALL_PLAN = """
plan:
  title: 测试计划
  period: {start: 2021-01-01, end: 2021-12-31}
units:
  - {id: amr, name: 自治区市场监管局（知识产权局）}
  - {id: hhht, name: 呼和浩特市, kind: league}
  - {id: bt, name: 包头市, kind: league}
tasks:
  - code: "1"
    title: 第一领域
    lead: amr
    children:
      - {code: "1.1", title: 呼市牵头事项, lead: hhht, due: 2021-06-30}
      - {code: "1.2", title: 包头牵头事项, lead: bt, support: [hhht], start: 2021-06-01,
         due: 2021-07-10}
      - {code: "1.3", title: 区局事项, lead: amr, due: 2021-12-31}
  - code: "2"
    title: 第二领域
    lead: amr
    children:
      - {code: "2.1", title: 已逾期事项, lead: bt, due: 2021-03-31}
indicators:
  - {code: I1, name: 授权周期, unit: 月, baseline: 36, target: 3, task: "1.3", targets: {2021: 20}}
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME; UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


@pytest.fixture
def bundled(tmp_path: Path, capsys, monkeypatch) -> Path:
    """The bundled plan with a week of reports (2021-W26) and one the week before."""
    db = tmp_path / "plan.db"
    monkeypatch.setenv("PLANNER_DB", str(db))
    run(capsys, "init", "--file", str(ROOT / "tasks.yaml"))
    for today, *argv in WEEK_OF_REPORTS:
        run(capsys, "--today", today, *argv)
    return db


def test_golden_text_and_markdown(bundled: Path, capsys) -> None:
    golden("weekly_zh.txt", run(capsys, "--today", "2021-07-02", "report", "weekly"))
    golden("weekly_zh.md", run(capsys, "--today", "2021-07-02", "report", "weekly",
                               "--format", "md"))
    golden("weekly_en.md", run(capsys, "--today", "2021-07-02", "--lang", "en", "report",
                               "weekly", "--format", "md"))


def test_output_is_deterministic_and_written_to_a_file(bundled: Path, capsys,
                                                       tmp_path: Path) -> None:
    first = run(capsys, "--today", "2021-07-02", "report", "weekly", "--format", "md")
    assert run(capsys, "--today", "2021-07-02", "report", "weekly", "--format", "md") == first
    target = tmp_path / "w.md"
    out = run(capsys, "--today", "2021-07-02", "report", "weekly", "-o", str(target))
    assert str(target) in out and target.read_text(encoding="utf-8") == first


def test_sections_in_order_with_this_weeks_content(bundled: Path, capsys) -> None:
    text = run(capsys, "--today", "2021-07-02", "report", "weekly")
    titles = ["一、总体情况", "二、本周进展", "三、存在问题", "（一）逾期事项", "（二）滞后事项",
              "（三）截止日期调整", "四、下步安排", "（一）近期到期事项", "（二）催报",
              "附件 事项台账"]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    this_week = text[text.index("二、"):text.index("三、")]
    assert "方案报批" in this_week and "已部署专项行动" in this_week
    assert "启动选址" not in this_week  # recorded the week before
    assert "4.1.2 积极争取国家相关政策和1亿元配套资金支持（自治区市场监管局（知识产权局））：" \
        "由未启动转为已完成" in this_week
    moved = text[text.index("（三）截止日期调整"):text.index("四、")]
    assert "2025年12月31日" in moved and "2026年12月31日" in moved and "立法计划调整" in moved
    red = text[text.index("（一）逾期事项"):text.index("（二）滞后事项")]
    assert "7.2.1@2021-04-20" in red and "67" in red  # days overdue on 2021-07-02


def test_a_past_week_shows_that_week_as_it_was(bundled: Path, capsys) -> None:
    text = run(capsys, "--today", "2021-07-02", "report", "weekly", "--week", "2021-W25")
    assert "2021-06-21 至 2021-06-27" in text and "统计截至：2021-06-27" in text
    this_week = text[text.index("二、"):text.index("三、")]
    assert "启动选址" in this_week and "方案报批" not in this_week
    areas = text[text.index("一、"):text.index("二、")]
    assert "4     围绕企业创新发展" in areas and " 25% " in areas  # 4.1.1 done only


def test_change_since_last_week(bundled: Path, capsys) -> None:
    text = run(capsys, "--today", "2021-07-02", "report", "weekly")
    overview = text[text.index("一、"):text.index("二、")]
    assert "较上周提高4个百分点" in overview
    assert "已完成（含销号）2项" in overview and "黄色预警41项，比上周增加39项" in overview


def test_unit_view_and_silent_units(tmp_path: Path, capsys, monkeypatch) -> None:
    plan = tmp_path / "small.yaml"
    plan.write_text(SMALL_PLAN, encoding="utf-8")
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "small.db"))
    run(capsys, "init", "--file", str(plan))
    run(capsys, "--today", "2021-06-29", "update", "1.1", "--status", "推进中", "--progress",
        "40", "--by", "hhht")
    text = run(capsys, "--today", "2021-07-01", "report", "weekly")
    silent = text[text.index("（二）催报"):text.index("附件 事项台账")]
    assert "包头市（牵头未完成事项2项：1.2、2.1）" in silent
    assert "呼和浩特市" not in silent and "自治区市场监管局" in silent
    due = text[text.index("（一）近期到期事项"):text.index("（二）催报")]
    yellow = text[text.index("（二）滞后事项"):text.index("四、")]
    assert "1.2 " in yellow and "1.2 " in due  # due in 9 days and behind: in both lists
    red = text[text.index("（一）逾期事项"):text.index("（二）滞后事项")]
    assert "2.1 " in red and "1.1 " in red
    unit = run(capsys, "--today", "2021-07-01", "report", "weekly", "--unit", "hhht")
    assert "单位：呼和浩特市（hhht）" in unit
    assert "1.1" in unit and "1.2" in unit and "2.1" not in unit and "第二领域" not in unit
    assert "1.3" not in unit
    status = main(["--today", "2021-07-01", "report", "weekly", "--unit", "nobody"])
    assert status == 2


@pytest.mark.parametrize("argv", [
    ["report", "weekly", "--week", "2021-W60"],
    ["report", "weekly", "--week", "2021-W10", "--date", "2021-03-01"],
    ["report", "weekly", "--format", "xlsx"],
])
def test_bad_report_options(bundled: Path, capsys, argv: list[str]) -> None:
    capsys.readouterr()
    assert main(argv) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_unit_workbook_lists_only_that_units_items(tmp_path: Path, capsys,
                                                   monkeypatch) -> None:
    from openpyxl import load_workbook

    plan = tmp_path / "small.yaml"
    plan.write_text(SMALL_PLAN, encoding="utf-8")
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "small.db"))
    run(capsys, "init", "--file", str(plan))
    target = tmp_path / "hhht.xlsx"
    run(capsys, "--today", "2021-07-01", "report", "weekly", "--unit", "hhht", "-o", str(target))
    ledger = load_workbook(target).worksheets[0]
    codes = [str(row[0]) for row in ledger.iter_rows(min_row=2, values_only=True) if row[0]]
    assert codes == ["1", "1.1", "1.2"]


def test_a_past_week_keeps_its_deadlines_and_move_counts(bundled: Path, capsys) -> None:
    run(capsys, "--today", "2021-07-07", "update", "7.2.1@2021-04-20", "--due", "2021-12-31",
        "--reason", "顺延")
    run(capsys, "--today", "2021-07-07", "update", "2.3", "--due", "2027年底", "--reason", "再顺延")
    text = run(capsys, "--today", "2021-07-08", "report", "weekly", "--week", "2021-W26")
    red = text[text.index("（一）逾期事项"):text.index("（二）滞后事项")]
    assert "7.2.1@2021-04-20" in red and "2021-04-26" in red  # overdue as it was that week
    moved = text[text.index("（三）截止日期调整"):text.index("四、")]
    assert "2026年12月31日" in moved and "累计调整1次" in moved  # one move by then, not two


def test_a_past_weeks_workbook_shows_the_ledger_as_it_was(bundled: Path, capsys,
                                                          tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "past.xlsx"
    run(capsys, "--today", "2021-07-02", "report", "weekly", "--week", "2021-W25", "-o",
        str(target))
    ledger = load_workbook(target).worksheets[0]
    header = [cell.value for cell in ledger[1]]
    rows = {row[0]: dict(zip(header, row, strict=False))
            for row in ledger.iter_rows(min_row=2, values_only=True) if row[0]}
    assert rows["5.1.4"]["状态"] == "未启动"  # set 推进中 on 2021-06-29, the week after
    assert rows["3.1"]["状态"] == "推进中"    # set on 2021-06-22, within W25
    assert "方案报批" not in str(rows["3.1"])  # that note came on 2021-06-28


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_weekly_text_layouts_run_on_sqlite3_alone(bundled: Path, tmp_path: Path,
                                                  fmt: str) -> None:
    """Issue 12: the weekly report's text layouts read through sqlite3 (store/report_reads)
    and pay for neither SQLAlchemy, the ORM, Alembic nor python-docx."""
    from tests.test_architecture import HOT_PATH_FREE, loaded_modules

    modules = loaded_modules("--db", str(bundled), "--today", "2021-07-02", "report", "weekly",
                             "--format", fmt, "-o", str(tmp_path / f"w.{fmt}"))
    assert "planner.store.report_reads" in modules  # the run did read the week's history
    heavy = sorted(m for m in modules if m.split(".")[0] in (*HOT_PATH_FREE, "docx"))
    assert not heavy, heavy


def test_weekly_html_the_same_through_the_orm_session(bundled: Path, tmp_path: Path,
                                                      capsys) -> None:
    """The TUI hands write_weekly an ORM session, the CLI a sqlite3 transaction: one report."""
    from datetime import date

    from planner.reports.weekly_output import write_weekly
    from planner.store.db import make_engine, session_scope

    target = tmp_path / "cli.html"
    run(capsys, "--today", "2021-07-02", "report", "weekly", "--format", "html", "-o",
        str(target))
    engine = make_engine(f"sqlite:///{bundled}")
    with session_scope(engine) as session:
        through_orm = write_weekly(session=session, today=date(2021, 7, 2),
                                   week_start=date(2021, 6, 28), unit_id=None, fmt="html",
                                   lang="zh", output=None)
    engine.dispose()
    assert through_orm == target.read_text(encoding="utf-8")
