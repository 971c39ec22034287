"""`planner assess` on a hand-computed quarter: three units, a dozen recorded events, every
explanation line and score worked out by hand below, on SQLite and on PostgreSQL.

The quarter is 2025-Q1, reported monthly. The rules (RULES) are written out here, so the
figures do not depend on the bundled defaults. Working days follow China's 2025 calendar:
the Spring Festival holiday ran 28 January – 4 February, with Sunday 26 January and Saturday
8 February worked.

    item  lead (support)  weight  due                 what is recorded
    1.1   a (b)           2       2025-01-31          done 01-20                   → on time
    1.2   b (c)           1       2025-02-14 (Fri)    done 02-19 (Wed)             → 3 wd late
    1.3   c               1       2025-01-24          done 02-10                   → 7 wd late (cap)
    1.4   a               1       2025-03-14          moved 01-10 → 04-30 (first), 03-05 → 06-30
                                                      (second: scored), 04-10 → 03-25 (after Q1)
    1.5   b (a)           1       2025-03-20          20% on 01-08, done 04-05     → overdue at end
    1.6   c               1       2025-02-28          done 02-27, reopened 03-03,
                                                      done 03-04                   → 2 wd late
    1.7   a               1       2024-12-31          nothing                      → overdue at end
    1.8   c               1       2025-01-10          cancelled 01-15              → nothing

Reports by month (an update counts for its item's lead): a — January (1.1), March (1.4);
b — January (1.5), February (1.2); c — every month. So a missed February and b March.
"""

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from planner.cli import main
from tests.conftest import CliResult

Cli = Callable[..., CliResult]

PLAN = """\
plan:
  title: 考核测试计划
  period: {start: 2024-01-01, end: 2025-12-31}
  report_cycle: monthly
units:
  - {id: a, name: 甲局, kind: department}
  - {id: b, name: 乙市, kind: league}
  - {id: c, name: 丙厅, kind: department}
tasks:
  - code: "1"
    title: 重点任务
    lead: a
    children:
      - {code: "1.1", title: 事项一, lead: a, support: [b], start: 2024-12-01, due: 2025-01-31,
         weight: 2}
      - {code: "1.2", title: 事项二, lead: b, support: [c], start: 2024-12-01, due: 2025-02-14}
      - {code: "1.3", title: 事项三, lead: c, start: 2024-12-01, due: 2025-01-24}
      - {code: "1.4", title: 事项四, lead: a, start: 2024-12-01, due: 2025-03-14}
      - {code: "1.5", title: 事项五, lead: b, support: [a], start: 2024-12-01, due: 2025-03-20}
      - {code: "1.6", title: 事项六, lead: c, start: 2024-12-01, due: 2025-02-28}
      - {code: "1.7", title: 事项七, lead: a, start: 2024-12-01, due: 2024-12-31}
      - {code: "1.8", title: 事项八, lead: c, start: 2024-12-01, due: 2025-01-10}
"""

RULES = """\
base: 100
support_factor: 0.5
item_weight: true
points:
  on_time: 2
  late: {per_working_day: -0.5, cap: 3}
  overdue: -4
  extension: -1
  missed_report: -1
"""

#: (day, command arguments) in the order they were recorded.
HISTORY: list[tuple[str, tuple[str, ...]]] = [
    ("2025-01-08", ("update", "1.5", "--progress", "20")),
    ("2025-01-10", ("update", "1.4", "--due", "2025-04-30", "--reason", "首次延期")),
    ("2025-01-15", ("update", "1.8", "--status", "cancelled")),
    ("2025-01-20", ("update", "1.1", "--status", "done")),
    ("2025-02-10", ("update", "1.3", "--status", "done")),
    ("2025-02-19", ("update", "1.2", "--status", "done")),
    ("2025-02-27", ("update", "1.6", "--status", "done")),
    ("2025-03-03", ("update", "1.6", "--status", "in_progress")),
    ("2025-03-04", ("update", "1.6", "--status", "done")),
    ("2025-03-05", ("update", "1.4", "--due", "2025-06-30", "--reason", "再次延期")),
    ("2025-03-05", ("update", "1.4", "--progress", "50")),
    ("2025-04-05", ("update", "1.5", "--status", "done")),
    ("2025-04-10", ("update", "1.4", "--due", "2025-03-25", "--reason", "提前")),
]

#: Each unit's lines: (date, item, event, role, rule text, points); then score and rank.
EXPECTED = {
    "a": (Decimal("96"), 1, [
        (None, None, "base", None, "base 100", "100"),
        ("2025-01-20", "1.1", "on_time", "lead", "points.on_time +2 × weight 2", "4"),
        ("2025-02-28", None, "missed_report", "unit", "points.missed_report −1", "-1"),
        ("2025-03-05", "1.4", "extension", "unit", "points.extension −1", "-1"),
        ("2025-03-31", "1.5", "overdue", "support", "points.overdue −4 × support factor 0.5",
         "-2"),
        ("2025-03-31", "1.7", "overdue", "lead", "points.overdue −4", "-4"),
    ]),
    "b": (Decimal("95.5"), 2, [
        (None, None, "base", None, "base 100", "100"),
        ("2025-01-20", "1.1", "on_time", "support",
         "points.on_time +2 × weight 2 × support factor 0.5", "2"),
        ("2025-02-19", "1.2", "late", "lead", "points.late −0.5 × 3 working days", "-1.5"),
        ("2025-03-31", "1.5", "overdue", "lead", "points.overdue −4", "-4"),
        ("2025-03-31", None, "missed_report", "unit", "points.missed_report −1", "-1"),
    ]),
    "c": (Decimal("95.25"), 3, [
        (None, None, "base", None, "base 100", "100"),
        ("2025-02-10", "1.3", "late", "lead",
         "points.late −0.5 × 7 working days, capped at 3", "-3"),
        ("2025-02-19", "1.2", "late", "support",
         "points.late −0.5 × 3 working days × support factor 0.5", "-0.75"),
        ("2025-03-04", "1.6", "late", "lead", "points.late −0.5 × 2 working days", "-1"),
    ]),
}


def quarter_database(url: str, folder: Path) -> Path:
    """The plan and its recorded history in the database at `url`, each step by the real
    command; the rule file's path."""
    plan = folder / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    assert main(["--db", url, "--today", "2024-12-20", "init", "--file", str(plan)]) == 0
    for day, argv in HISTORY:
        assert main(["--db", url, "--today", day, *argv]) == 0, (day, argv)
    rules = folder / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    return rules


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The quarter in a SQLite file, built once for the tests that only read it: its URL
    and the rule file."""
    folder = tmp_path_factory.mktemp("quarter")
    url = f"sqlite:///{folder / 'q.db'}"
    return url, quarter_database(url, folder)


def assess_json(cli: Cli, url: str, *argv: str | Path, today: str = "2025-04-20") -> dict:
    result = cli("--db", url, "--today", today, "--lang", "en", "assess", "--format", "json",
                 *argv)
    assert result.code == 0, result.err
    return json.loads(result.out, parse_float=Decimal)  # type: ignore[no-any-return]


def test_the_hand_computed_quarter_line_by_line_on_both_backends(
        cli: Cli, backend_url: str, tmp_path: Path) -> None:
    rules = quarter_database(backend_url, tmp_path)
    report = assess_json(cli, backend_url, "--from", "2025-Q1", "--to", "2025-Q1",
                         "--rules", rules)
    assert (report["from"], report["to"]) == ("2025-01-01", "2025-03-31")
    assert [unit["unit"] for unit in report["units"]] == ["a", "b", "c"]
    for unit in report["units"]:
        score, rank, lines = EXPECTED[unit["unit"]]
        got = [(line["date"], line["item"], line["event"], line["role"], line["rule"],
                str(line["points"])) for line in unit["lines"]]
        assert got == lines, unit["unit"]
        assert (Decimal(str(unit["score"])), unit["rank"]) == (score, rank)
        assert sum(Decimal(str(line["points"])) for line in unit["lines"]) == score


def test_the_quarter_scores_the_same_whenever_it_is_computed(
        cli: Cli, quarter: tuple[str, Path]) -> None:
    """Recorded later (1.5 done in April, 1.4's deadline moved back) changes nothing: the
    states at the period's end come from history, so the quarter reads alike on 1 April and
    in December."""
    url, rules = quarter
    scores = {today: [(u["unit"], u["score"], len(u["lines"])) for u in assess_json(
        cli, url, "--from", "2025-01-01", "--to", "2025-03-31", "--rules", rules,
        today=today)["units"]] for today in ("2025-04-01", "2025-04-20", "2025-12-31")}
    assert scores["2025-04-01"] == scores["2025-04-20"] == scores["2025-12-31"]
    assert scores["2025-04-01"] == [("a", 96, 6), ("b", Decimal("95.5"), 5),
                                    ("c", Decimal("95.25"), 4)]


def test_one_unit_is_shown_with_its_rank_among_all(cli: Cli, quarter: tuple[str, Path]) -> None:
    url, rules = quarter
    report = assess_json(cli, url, "--from", "2025-Q1", "--to", "2025-Q1", "--rules", rules,
                         "--unit", "c")
    assert [(u["unit"], u["rank"], u["score"]) for u in report["units"]] == [
        ("c", 3, Decimal("95.25"))]


def test_text_and_markdown_show_the_ranking_and_each_units_lines(
        cli: Cli, quarter: tuple[str, Path], tmp_path: Path) -> None:
    url, rules = quarter
    text = cli("--db", url, "--today", "2025-04-20", "assess", "--from", "2025-Q1", "--to",
               "2025-Q1", "--rules", rules)
    assert text.code == 0, text.err
    assert "第1名　甲局（a）　96 分" in text.out
    assert "第3名　丙厅（c）　95.25 分" in text.out
    assert "1.3 事项三" in text.out and "逾期办结（牵头）" in text.out
    assert "points.late −0.5 × 7 个工作日，以 3 为限" in text.out
    markdown = tmp_path / "assess.md"
    result = cli("--db", url, "--today", "2025-04-20", "--lang", "en", "assess", "--from",
                 "2025-Q1", "--to", "2025-Q1", "--rules", rules, "-o", markdown)
    assert result.code == 0 and "assessment written to" in result.out, result.err
    written = markdown.read_text(encoding="utf-8")
    assert "## No. 2: 乙市 (b), 95.5 points" in written
    assert "| 2025-02-19 | 1.2 事项二 | Finished late (lead) |" in written


def test_the_workbook_holds_the_ranking_and_every_line(
        cli: Cli, quarter: tuple[str, Path], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    url, rules = quarter
    book = tmp_path / "assess.xlsx"
    result = cli("--db", url, "--today", "2025-04-20", "--lang", "en", "assess", "--from",
                 "2025-Q1", "--to", "2025-Q1", "--rules", rules, "-o", book)
    assert result.code == 0, result.err
    workbook = load_workbook(book)
    ranking, lines = workbook.worksheets
    assert [row[:4] for row in ranking.iter_rows(min_row=2, values_only=True)] == [
        (1, "a", "甲局", 96), (2, "b", "乙市", 95.5), (3, "c", "丙厅", 95.25)]
    points: dict[str, Decimal] = {}
    for unit, *_, line_points in lines.iter_rows(min_row=2, values_only=True):
        points[unit] = points.get(unit, Decimal(0)) + Decimal(str(line_points))
    assert points == {unit: expected[0] for unit, expected in EXPECTED.items()}


@pytest.mark.parametrize(("argv", "words"), [
    (("--from", "2025-04-01", "--to", "2025-03-01"), "empty period"),
    (("--unit", "nobody"), "nobody"),
    (("--format", "xlsx"), "xlsx"),
])
def test_a_bad_request_is_one_line_and_exit_2(cli: Cli, quarter: tuple[str, Path],
                                              argv: tuple[str, ...], words: str) -> None:
    url, _ = quarter
    result = cli("--db", url, "--today", "2025-04-20", "--lang", "en", "assess", *argv)
    assert result.code == 2 and words in result.err and result.err.count("\n") == 1, result.err


def test_the_cycles_returns_and_send_backs_are_scored_from_its_events(
        cli: Cli, quarter: tuple[str, Path], tmp_path: Path) -> None:
    """Steps recorded in `cycleevent` by the cycle's store: 1.8 returned by c and given back to
    c (c's fault), 1.2's 办结 sent back in March (b, the unit concerned)."""
    from datetime import datetime

    from planner.core.cycle import EventKind
    from planner.store.cycle import insert_event
    from planner.store.dbapi import sqlite_transaction

    source, _ = quarter
    database = tmp_path / "cycle.db"
    database.write_bytes(Path(source.removeprefix("sqlite:///")).read_bytes())
    url = f"sqlite:///{database}"
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES + "  returned: -2\n  sent_back: -1.5\n", encoding="utf-8")
    with sqlite_transaction(str(database), write=True) as db:
        ids = dict(db.rows("SELECT code, id FROM task"))
        for code, kind, day, by_unit, unit in [
                ("1.8", EventKind.ASSIGN, "2025-01-02", None, "c"),
                ("1.8", EventKind.RETURN, "2025-01-03", "c", "c"),
                ("1.8", EventKind.ASSIGN, "2025-01-07", None, "c"),
                ("1.2", EventKind.DONE_SEND_BACK, "2025-03-12", None, "b")]:
            insert_event(db, task_id=ids[code], kind=kind,
                         at=datetime.fromisoformat(f"{day} 10:00").astimezone(),
                         by_user="coordinator", by_unit=by_unit, unit_id=unit)
    report = assess_json(cli, url, "--from", "2025-Q1", "--to", "2025-Q1", "--rules", rules)
    lines = {unit["unit"]: [(line["date"], line["item"], line["event"], str(line["points"]))
                            for line in unit["lines"] if line["event"] in ("returned",
                                                                         "sent_back")]
             for unit in report["units"]}
    assert lines == {"a": [], "b": [("2025-03-12", "1.2", "sent_back", "-1.5")],
                     "c": [("2025-01-07", "1.8", "returned", "-2")]}
    scores = {unit["unit"]: unit["score"] for unit in report["units"]}
    assert scores == {"a": 96, "b": Decimal("94"), "c": Decimal("93.25")}
