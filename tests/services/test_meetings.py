"""Joint meetings: agenda selection rules, the follow-up chain, minutes, bad input."""

import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.cli import main
from planner.core.agenda import allocate_minutes

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
PLAN = """
plan:
  title: 会议测试计划
  period: {start: 2021-01-01, end: 2021-12-31}
units:
  - {id: amr, name: 自治区市场监管局（知识产权局）}
  - {id: hhht, name: 呼和浩特市, kind: league}
  - {id: bt, name: 包头市, kind: league}
  - {id: gat, name: 自治区公安厅}
tasks:
  - code: "1"
    title: 第一领域
    lead: amr
    children:
      - {code: "1.1", title: 逾期事项, lead: hhht, due: 2021-05-31}
      - {code: "1.2", title: 滞后加大事项, lead: bt}
      - {code: "1.3", title: 滞后但在追赶, lead: bt}
      - {code: "1.4", title: 需协调事项, lead: amr, support: [gat]}
      - {code: "1.5", title: 下次会前到期, lead: amr, start: 2021-07-01, due: 2021-07-25}
      - {code: "1.6", title: 下次会后到期, lead: amr, start: 2021-07-01, due: 2021-09-01}
indicators:
  - {code: I1, name: 授权周期, unit: 月, baseline: 36, target: 3, task: "1.4", targets: {2021: 20}}
  - {code: I2, name: 转化金额, unit: 亿元, baseline: 0, target: 10, task: "1.4", targets: {2021: 5}}
"""


def run(capsys, *argv: str) -> str:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    status = main(list(argv))
    captured = capsys.readouterr()
    assert status == 0, captured.err
    return captured.out


@pytest.fixture
def db(tmp_path: Path, capsys, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    """Two meetings (one held with a decision), the history that shapes each section."""
    path = tmp_path / "plan.db"
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    monkeypatch.setenv("PLANNER_DB", str(path))
    steps = [
        ("2021-04-20", "init", "--file", str(plan)),
        ("2021-04-20", "meeting", "new", "--date", "2021-05-01", "--title", "第一次联席会议"),
        ("2021-05-01", "meeting", "decide", "1", "--text", "公安厅牵头研究行刑衔接",
         "--about", "1.4", "--action", "制定行刑衔接办法", "--lead", "gat", "--due",
         "2021-08-31", "--support", "amr"),
        ("2021-06-01", "update", "1.1", "--status", "推进中", "--progress", "20", "--note",
         "资料收集中", "--by", "hhht"),
        ("2021-06-15", "update", "1.3", "--status", "推进中", "--progress", "30", "--by", "bt"),
        ("2021-06-20", "flag", "1.4", "--reason", "需公安厅会商"),
        ("2021-06-01", "reading", "I1", "25"),
        ("2021-06-01", "reading", "I2", "6"),
        ("2021-06-30", "meeting", "new", "--date", "2021-07-20", "--title", "第二次联席会议"),
        ("2021-06-30", "meeting", "new", "--date", "2021-08-20", "--title", "第三次联席会议"),
    ]
    for today, *argv in steps:
        run(capsys, "--today", today, *argv)
    return path


def agenda(capsys, *extra: str) -> str:  # type: ignore[no-untyped-def]
    return run(capsys, "--today", "2021-06-30", "agenda", "2", "--format", "md", *extra)


def entry_rows(markdown: str) -> list[list[str]]:
    """The agenda table's rows as cells."""
    rows = [line.split(" | ") for line in markdown.splitlines()
            if line.startswith("| ") and line[2:3].isdigit()]
    return [[cell.strip(" |") for cell in row] for row in rows]


def test_each_section_selects_by_its_rule(db: Path, capsys) -> None:
    text = agenda(capsys)
    rows = entry_rows(text)
    sections = [row[1] for row in rows]
    assert sections == ["上次会议决定落实", "需协调事项", "逾期事项", "滞后加大事项",
                        "滞后加大事项", "滞后加大事项", "指标", "近期到期"]
    followup, coordination, red, yellow_amr, yellow, yellow_action, indicator, deadlines = rows
    assert yellow_amr[5] == "1.4"  # flagged and also falling further behind
    assert yellow_action[3] == "自治区公安厅" and yellow_action[5] == "M.1.1"
    assert "公安厅牵头研究行刑衔接" in followup[2] and followup[5] == "M.1.1"
    assert followup[3] == "自治区公安厅"
    assert coordination[5] == "1.4" and "自治区公安厅" in coordination[4]
    assert red[5] == "1.1" and red[3] == "呼和浩特市"
    assert "1.2" in yellow[5] and "1.3" not in yellow[5]  # 1.3 is behind but catching up
    assert "I1" in indicator[2] and "I2" not in text.split("## ")[1]
    assert deadlines[5] == "1.5"
    assert "逾期 30天" in text and "资料收集中（2021-06-01）" in text
    assert "需公安厅会商" in text
    assert sum(int(row[6]) for row in rows) == 120


def test_followup_shows_the_action_items_current_state(db: Path, capsys) -> None:
    run(capsys, "--today", "2021-06-25", "update", "M.1.1", "--status", "推进中", "--progress",
        "40", "--by", "gat")
    text = agenda(capsys)
    assert "M.1.1 制定行刑衔接办法｜牵头 自治区公安厅｜截止 2021-08-31｜推进中 40%" in text


def test_action_items_are_tracked_like_any_item(db: Path, capsys) -> None:
    tree = run(capsys, "--today", "2021-06-30", "tree", "M")
    assert "M.1.1" in tree and "制定行刑衔接办法" in tree and "自治区公安厅" in tree
    weekly = run(capsys, "--today", "2021-06-30", "report", "weekly")
    assert "M.1.1" in weekly  # yellow: behind its 序时进度
    shown = run(capsys, "--today", "2021-06-30", "show", "M.1.1")
    assert "公安厅牵头研究行刑衔接" in shown


def test_coordinator_edits_are_saved_with_the_meeting(db: Path, capsys) -> None:
    agenda(capsys)
    text = agenda(capsys, "--exclude", "4", "--exclude", "5", "--exclude", "6", "--move", "3",
                  "--to", "1",
                  "--add", "通报宣传周筹备情况", "--minutes", "15", "--presenter", "amr")
    rows = entry_rows(text)
    assert [row[1] for row in rows][:3] == ["逾期事项", "上次会议决定落实", "需协调事项"]
    assert "滞后加大事项" not in [row[1] for row in rows]
    assert rows[-1][2] == "通报宣传周筹备情况" and rows[-1][6] == "15"
    assert sum(int(row[6]) for row in rows) == 120
    again = agenda(capsys)
    assert entry_rows(again) == rows
    refreshed = agenda(capsys, "--refresh")
    assert entry_rows(refreshed)[-1][2] == "通报宣传周筹备情况"
    assert "滞后加大事项" not in [row[1] for row in entry_rows(refreshed)]
    back = agenda(capsys, "--include", "4")
    assert "滞后加大事项" in [row[1] for row in entry_rows(back)]


def test_next_planned_meeting_is_the_default(db: Path, capsys) -> None:
    assert "第二次联席会议 议程" in run(capsys, "--today", "2021-06-30", "agenda")


def test_minutes_printout(db: Path, capsys) -> None:
    text = run(capsys, "--today", "2021-06-30", "meeting", "minutes", "1", "--format", "md")
    assert "第一次联席会议纪要" in text  # a 纪要's title: the meeting's name + 纪要
    assert "出席：自治区市场监管局（知识产权局）、呼和浩特市、包头市、自治区公安厅" in text
    expected = ("| 1 | 公安厅牵头研究行刑衔接 | 1.4 | "
                "M.1.1 制定行刑衔接办法（自治区公安厅，截止 2021-08-31） |")
    assert expected in text
    listing = run(capsys, "--today", "2021-06-30", "meeting", "list")
    assert "已召开" in listing and "待召开" in listing


def test_golden_markdown_agenda(db: Path, capsys) -> None:
    text = agenda(capsys)
    path = GOLDEN / "agenda_zh.md"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("argv", "fragment"), [
    (["meeting", "new", "--date", "2021-06-01", "--title", "过去的会"], "已过"),
    (["meeting", "new", "--date", "2021-09-01", "--title", " "], "名称"),
    (["meeting", "decide", "2", "--text", "决定", "--action", "无截止", "--lead", "gat"],
     "截止日期"),
    (["meeting", "decide", "2", "--text", "决定", "--action", "甲", "--lead", "nobody",
      "--due", "2021-09-01"], "nobody"),
    (["meeting", "decide", "2", "--text", "决定", "--action", "甲", "--lead", "gat",
      "--due", "2021-09-01", "--support", "gat,ghost"], "ghost"),
    (["meeting", "decide", "2", "--text", "决定", "--about", "9.9"], "9.9"),
    (["meeting", "decide", "9", "--text", "决定"], "9"),
    (["agenda", "2", "--exclude", "99"], "1–"),
    (["agenda", "1"], "已召开"),
    (["flag", "1.4", "--reason", " "], "必须说明原因"),
])
def test_bad_input_saves_nothing(db: Path, capsys, argv: list[str], fragment: str) -> None:
    before = "\n".join(sqlite3.connect(db).iterdump())
    capsys.readouterr()
    assert main(["--today", "2021-06-30", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and fragment in err
    assert "\n".join(sqlite3.connect(db).iterdump()) == before


@given(st.lists(st.sampled_from([1.0, 1.5, 2.0, 3.0]), min_size=1, max_size=12),
       st.integers(min_value=15, max_value=600), st.data())
def test_minutes_always_sum_to_the_meeting_length(weights, total, data) -> None:
    fixed = [data.draw(st.one_of(st.none(), st.integers(1, 20))) for _ in weights]
    minutes = allocate_minutes(weights, total, fixed)
    assert all(m >= 0 for m in minutes)
    assert all(m == f for m, f in zip(minutes, fixed, strict=True) if f is not None)
    if sum(f for f in fixed if f is not None) <= total and None in fixed:
        assert sum(minutes) == total


def test_excluded_entries_keep_their_numbers_and_fixed_times_fit(db: Path, capsys) -> None:
    agenda(capsys)
    text = agenda(capsys, "--exclude", "2")
    assert "| ✗2 | 需协调事项 |" in text and "✗ 表示不列入（1 项）" in text
    assert sum(int(row[6]) for row in entry_rows(text)) == 120
    agenda(capsys, "--add", "甲", "--minutes", "100")
    before = agenda(capsys)
    capsys.readouterr()
    assert main(["--today", "2021-06-30", "agenda", "2", "--add", "乙", "--minutes", "30"]) == 2
    assert "超过会议时长" in capsys.readouterr().err
    assert agenda(capsys) == before


def test_a_meeting_after_the_plan_period_can_assign_actions(tmp_path: Path, capsys,
                                                            monkeypatch) -> None:
    plan = tmp_path / "short.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "short.db"))
    run(capsys, "--today", "2021-12-20", "init", "--file", str(plan))
    run(capsys, "--today", "2021-12-20", "meeting", "new", "--date", "2022-01-10", "--title",
        "年初会议")
    out = run(capsys, "--today", "2021-12-20", "meeting", "decide", "1", "--text", "决定",
              "--action", "甲", "--lead", "gat", "--due", "2022-03-01")
    assert "M.1.1" in out
