"""The plan evaluation (中期评估 / 总结评估) against a hand-computed fixture, on SQLite and
PostgreSQL, and its md, html and xlsx layouts."""

import io
from collections.abc import Callable, Iterator
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.cli import main
from planner.core.evaluation import Judgement
from planner.reports.evaluation import Counts, EvaluationReport, build_evaluation
from planner.store.db import make_engine, session_scope
from tests.conftest import CliResult

Cli = Callable[..., CliResult]

PLAN = """
plan:
  title: 评估测试计划
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
      - {code: "1.1", title: 按期完成事项, lead: hhht, due: 2021-03-31}
      - {code: "1.2", title: 逾期完成事项, lead: hhht, due: 2021-04-30}
      - {code: "1.3", title: "=HYPERLINK(\\"x\\")", lead: amr, due: 2021-06-30}
  - code: "2"
    title: 第二领域
    lead: amr
    children:
      - {code: "2.1", title: 逾期未完成事项, lead: bt, due: 2021-05-31}
      - {code: "2.2", title: 调整截止日期事项, lead: amr, due: 2021-09-30}
      - {code: "2.3", title: 当天完成事项, lead: bt, due: 2021-06-30}
indicators:
  - {code: I1, name: 上升已达, unit: 项, baseline: 0, target: 100, task: "1.1"}
  - {code: I2, name: 周期压缩, unit: 月, baseline: 36, target: 3, direction: down, task: "1.2"}
  - {code: I3, name: 缓慢上升, unit: 件, baseline: 10, target: 20, task: "2.1"}
  - {code: I4, name: 尚无读数, unit: 个, baseline: 0, target: 5, task: "2.2"}
  - {code: I5, name: 达到又回落, unit: 家, baseline: 0, target: 10, task: "2.3"}
  - {code: I6, name: 无目标, unit: 家, baseline: 0}
"""

#: (day, command…): the history of the fixture, in the order it happened.
HISTORY: list[tuple[str, ...]] = [
    ("2021-03-15", "update", "1.1", "--status", "done"),
    ("2021-03-31", "reading", "I5", "10", "--date", "2021-03-31"),
    ("2021-05-01", "update", "1.3", "--status", "cancelled", "--note", "并入其他事项"),
    ("2021-05-10", "update", "1.2", "--status", "done"),
    ("2021-05-20", "update", "2.1", "--status", "in_progress", "--progress", "40",
     "--note", "等待批复"),
    ("2021-06-01", "update", "2.2", "--due", "2021-12-31", "--reason", "机构调整"),
    ("2021-06-30", "update", "2.3", "--status", "done"),
    ("2021-06-30", "reading", "I1", "100", "--date", "2021-06-30"),
    ("2021-06-30", "reading", "I2", "20", "--date", "2021-06-30"),
    ("2021-06-30", "reading", "I3", "12", "--date", "2021-06-30"),
    ("2021-06-30", "reading", "I5", "8", "--date", "2021-06-30"),
    ("2021-07-01", "update", "2.3", "--status", "closed"),
    ("2021-12-31", "reading", "I2", "3", "--date", "2021-12-31"),
    ("2021-12-31", "reading", "I3", "19", "--date", "2021-12-31"),
    ("2022-01-05", "update", "2.2", "--status", "done", "--note", "已印发"),
]
MID_TERM, FINAL = date(2021, 7, 1), date(2022, 1, 10)


def build_fixture(url: str, folder: Path) -> None:
    """The fixture plan with its whole history (through January 2022) in the database."""
    plan = folder / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    for day, *command in [("2021-01-04", "init", "--file", str(plan)), *HISTORY]:
        with redirect_stdout(io.StringIO()):
            assert main(["--db", url, "--today", day, *command]) == 0, command


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def evaluated(request: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database holding the fixture, built once per backend for this module's readers."""
    folder = tmp_path_factory.mktemp("evaluation")
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'plan.db'}"
        build_fixture(url, folder)
        yield url
        return
    server = request.getfixturevalue("postgres_server")
    url = server.create_database()
    try:
        build_fixture(url, folder)
        yield url
    finally:
        server.drop_database(url)


@pytest.fixture
def evaluated_file(tmp_path: Path) -> str:
    """The fixture in a SQLite file of this test's own."""
    url = f"sqlite:///{tmp_path / 'plan.db'}"
    build_fixture(url, tmp_path)
    return url


def evaluate(url: str, day: date) -> EvaluationReport:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return build_evaluation(session=session, today=day)
    finally:
        engine.dispose()


def counts(total: int, on_time: int = 0, late: int = 0, cancelled: int = 0, open: int = 0,
           overdue: int = 0) -> Counts:
    return Counts(total=total, on_time=on_time, late=late, carried_over=0,
                  cancelled=cancelled, open=open, overdue=overdue)


def test_mid_term_counts_and_judgements(evaluated: str) -> None:
    """At 2021-07-01 (182 of 365 days gone: 序时进度 49.9%, on track down to 39.9% of the way):
    1.1 done 03-15 ≤ 03-31 on time; 1.2 done 05-10 > 04-30, late by 6, 7, 8 (make-up
    Saturday) and 10 May = 4 working days; 1.3 cancelled; 2.1 open and overdue (due 05-31);
    2.2 open (its deadline moved to 12-31); 2.3 done on its due date, on time."""
    report = evaluate(evaluated, MID_TERM)
    assert not report.final
    assert report.elapsed == pytest.approx(100 * 182 / 365)
    assert report.overall == counts(6, on_time=2, late=1, cancelled=1, open=2, overdue=1)
    assert [(a.code, a.counts) for a in report.areas] == [
        ("1", counts(3, on_time=1, late=1, cancelled=1)),
        ("2", counts(3, on_time=1, open=2, overdue=1))]
    assert [(u.unit_id, u.counts) for u in report.units] == [
        ("amr", counts(2, cancelled=1, open=1)),
        ("hhht", counts(2, on_time=1, late=1)),
        ("bt", counts(2, on_time=1, open=1, overdue=1))]
    assert [(i.code, i.due, i.completed, i.working_days) for i in report.late] == [
        ("1.2", date(2021, 4, 30), date(2021, 5, 10), 4)]
    assert [(m.code, m.old_due, m.new_due, m.reason) for m in report.due_moves] == [
        ("2.2", date(2021, 9, 30), date(2021, 12, 31), "机构调整")]
    # I1 at its target on 06-30, before the period's end; I2 (36-20)/33 = 48% ≥ 39.9%;
    # I3 (12-10)/10 = 20% < 39.9%; I4 no reading; I5 reached in March, back to 80%; I6 no target.
    assert [(i.code, i.judged.judgement) for i in report.indicators] == [
        ("I1", Judgement.AHEAD), ("I2", Judgement.ON_TRACK), ("I3", Judgement.BEHIND),
        ("I4", Judgement.NOT_STARTED), ("I5", Judgement.ON_TRACK), ("I6", None)]
    assert report.judgements == {Judgement.AHEAD: 1, Judgement.ACHIEVED: 0,
                                 Judgement.ON_TRACK: 2, Judgement.BEHIND: 1,
                                 Judgement.NOT_STARTED: 1}
    assert [(i.code, i.overdue, i.note, i.note_day) for i in report.unfinished] == [
        ("2.1", True, "等待批复", date(2021, 5, 20)), ("2.2", False, None, None)]


def test_final_counts_and_judgements(evaluated: str) -> None:
    """At 2022-01-10 (the period over): 2.2 done 2022-01-05 after its moved deadline of
    2021-12-31, late by 4 and 5 January (1–3 January are the New Year holiday) = 2 working
    days; I2 reached on 12-31, the last day: achieved; I3 at 90%, exactly the tolerance below
    100%: on track; I5 still at 80%: behind."""
    report = evaluate(evaluated, FINAL)
    assert report.final
    assert report.overall == counts(6, on_time=2, late=2, cancelled=1, open=1, overdue=1)
    assert [(i.code, i.working_days) for i in report.late] == [("1.2", 4), ("2.2", 2)]
    assert [(i.code, i.judged.judgement) for i in report.indicators] == [
        ("I1", Judgement.AHEAD), ("I2", Judgement.ACHIEVED), ("I3", Judgement.ON_TRACK),
        ("I4", Judgement.NOT_STARTED), ("I5", Judgement.BEHIND), ("I6", None)]
    assert [i.code for i in report.unfinished] == ["2.1"]


def test_an_earlier_day_is_evaluated_as_it_stood(evaluated: str) -> None:
    """On 2021-05-05, with the later history already recorded: 1.2 was still open and
    overdue, 2.2's deadline not yet moved, no reading but I5's."""
    report = evaluate(evaluated, date(2021, 5, 5))
    assert report.overall == counts(6, on_time=1, cancelled=1, open=4, overdue=1)
    assert report.due_moves == []
    assert [i.judged.judgement for i in report.indicators][:4] == [Judgement.NOT_STARTED] * 4


def test_the_layouts(evaluated_file: str, cli: Cli, tmp_path: Path) -> None:
    """Chinese by default, English on asking; HTML escaped; xlsx counts as numbers and a title
    that looks like a formula kept as text."""
    md = cli("--db", evaluated_file, "--today", "2021-07-01", "report", "evaluation",
             "--format", "md")
    assert md.code == 0, md.err
    assert md.out.startswith("# 评估测试计划 中期评估报告")
    assert "共 6 项具体事项：按期完成 2 项，逾期完成 1 项，已结转 0 项，已取消 1 项，未完成 2 项" \
        in md.out
    assert "| 1.2 | 逾期完成事项 | 呼和浩特市 | 2021-04-30 | 2021-05-10 | 4 |" in md.out
    assert "| I3 缓慢上升 | 件 | ↑越高越好 | 10 | 20 | 12 | 2021-06-30 | 20% | 滞后 |" in md.out
    english = cli("--db", evaluated_file, "--today", "2022-01-10", "--lang", "en", "report",
                  "evaluation", "--format", "md")
    assert english.out.startswith("# 评估测试计划 Final evaluation")
    assert "| I2 周期压缩 |" in english.out and "| achieved |" in english.out
    page = tmp_path / "eval.html"
    assert cli("--db", evaluated_file, "--today", "2021-07-01", "report", "evaluation", "-o",
               page).code == 0
    html = page.read_text(encoding="utf-8")
    assert "=HYPERLINK(&quot;x&quot;)" not in html  # cancelled, so not listed as unfinished
    assert '<td class="nw">2.1</td><td class="nw">逾期未完成事项</td>' in html
    assert "<title>评估测试计划 中期评估报告</title>" in html
    book = tmp_path / "eval.xlsx"
    result = cli("--db", evaluated_file, "--today", "2021-07-01", "report", "evaluation",
                 "-o", book)
    assert result.code == 0 and "评估报告已写入" in result.out
    workbook = load_workbook(book)
    assert workbook.sheetnames == ["工作领域", "牵头单位", "逾期完成", "截止调整", "指标",
                                   "未完成事项"]
    areas = [[cell.value for cell in row] for row in workbook["工作领域"].iter_rows()]
    assert areas[1][:9] == ["1", "第一领域", 3, 1, 1, 0, 1, 0, 0]
    assert areas[3][1:9] == ["合计", 6, 2, 1, 0, 1, 2, 1]
    judged = [row[9].value for row in workbook["指标"].iter_rows(min_row=2)]
    assert judged == ["提前实现", "基本符合预期", "滞后", "未开展", "基本符合预期", "—"]


@pytest.mark.parametrize("backend_url", ["sqlite"], indirect=True)
def test_a_formula_title_stays_text_in_the_workbook(backend_url: str, cli: Cli,
                                                    tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    assert cli("--db", backend_url, "--today", "2021-01-04", "init", "--file", plan).code == 0
    book = tmp_path / "eval.xlsx"
    assert cli("--db", backend_url, "--today", "2021-07-01", "report", "evaluation", "-o",
               book).code == 0
    rows = list(load_workbook(book)["未完成事项"].iter_rows(min_row=2))
    cell = next(row[1] for row in rows if row[0].value == "1.3")
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s" and cell.quotePrefix
    page = cli("--db", backend_url, "--today", "2021-07-01", "report", "evaluation",
               "--format", "html").out
    assert "=HYPERLINK(&quot;x&quot;)</td>" in page and 'HYPERLINK("x")' not in page


def test_xlsx_needs_a_file(bundled_db: Path, cli: Cli) -> None:
    result = cli("--db", bundled_db, "report", "evaluation", "--format", "xlsx")
    assert result.code == 2 and result.err.count("\n") == 1
