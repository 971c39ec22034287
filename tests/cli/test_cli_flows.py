"""The CLI on the bundled plan: tree, show, update, deadline moves, readings, languages."""

import sqlite3
from pathlib import Path

import pytest

from planner.cli import main
from planner.core.textwidth import cell_width

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "tasks.yaml"
TODAY = "2021-06-30"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database initialised from the bundled plan, with `today` fixed."""
    path = tmp_path / "plan.db"
    monkeypatch.setenv("PLANNER_DB", str(path))
    monkeypatch.setenv("PLANNER_TODAY", TODAY)
    assert main(["init", "--file", str(BUNDLED)]) == 0
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI and return (exit status, stdout, stderr)."""
    capsys.readouterr()
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def row(output: str, code: str) -> str:
    """The tree line of `code`."""
    return next(line for line in output.splitlines() if line.split()[:1] == [code])


def test_tree_shows_all_seven_areas_with_rollups(db: Path, capsys) -> None:
    status, out, _ = run(capsys, "tree", "--depth", "1")
    assert status == 0
    codes = [line.split()[0] for line in out.splitlines()[2:]]
    assert codes == ["1", "2", "3", "4", "5", "6", "7"]
    assert "4/" not in row(out, "1")
    assert "1/5" in row(out, "4")  # 4.1.1 is already done in the report


def test_update_changes_item_and_area_rollup(db: Path, capsys) -> None:
    _, before, _ = run(capsys, "tree", "5")
    status, out, _ = run(capsys, "update", "5.1.4", "--status", "推进中", "--progress", "30",
                         "--note", "已部署专项行动", "--by", "amr")
    assert status == 0 and "推进中 30%" in out
    _, after, _ = run(capsys, "tree", "5")
    assert "30%" in row(after, "5.1.4") and "推进中" in row(after, "5.1.4")
    assert " 6%" in row(after, "5.1") and " 0%" in row(before, "5.1")
    assert " 2%" in row(after, "5")
    _, shown, _ = run(capsys, "show", "5.1.4")
    assert "未启动 → 推进中" in shown and "0% → 30%" in shown and "已部署专项行动" in shown
    assert "amr" in shown


def test_forbidden_status_change_is_refused_and_nothing_written(db: Path, capsys) -> None:
    before = "\n".join(sqlite3.connect(db).iterdump())
    status, out, err = run(capsys, "update", "4.1.1", "--status", "not_started")
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "4.1.1" in err and "已完成 → 未启动" in err
    assert "\n".join(sqlite3.connect(db).iterdump()) == before


@pytest.mark.parametrize(("argv", "fragment"), [
    (["update", "5.1.4", "--progress", "150"], "0–100"),
    (["update", "5.1", "--progress", "10"], "下级"),
    (["update", "9.9", "--progress", "10"], "9.9"),
    (["update", "5.1.4", "--status", "finished"], "未知状态"),
    (["update", "5.1.4", "--progress", "10", "--by", "nobody"], "nobody"),
    (["update", "5.1.4", "--due", "2022年底"], "原因"),
    (["update", "5.1.4", "--due", "2020-01-01", "--reason", "x"], "早于开始"),
    (["update", "5.1.4", "--due", "2022-02-30", "--reason", "x"], "2022-02-30"),
    (["update", "5.1.4"], "--status"),
    (["tree", "--warn", "purple"], "purple"),
    (["tree", "--unit", "nobody"], "nobody"),
    (["show", "0.0"], "0.0"),
    (["reading", "I99", "3"], "I99"),
    (["--today", "someday", "tree"], "someday"),
])
def test_bad_command_line_input_exits_2_with_one_line(db: Path, capsys, argv, fragment) -> None:
    before = "\n".join(sqlite3.connect(db).iterdump())
    status, _, err = run(capsys, *argv)
    assert status == 2
    assert err.count("\n") == 1 and fragment in err
    assert "\n".join(sqlite3.connect(db).iterdump()) == before


def test_due_moves_are_kept_and_counted(db: Path, capsys) -> None:
    moved = run(capsys, "update", "2.3", "--due", "2026年6月30日", "--reason", "立法计划调整")
    assert moved[0] == 0
    assert run(capsys, "update", "2.3", "--due", "2026年底", "--reason", "再次顺延")[0] == 0
    _, shown, _ = run(capsys, "show", "2.3")
    assert "原定截止：2025-12-31" in shown and "延期2次" in shown
    assert "2025-12-31 → 2026-06-30" in shown and "立法计划调整" in shown
    assert "2026-06-30 → 2026-12-31" in shown and "再次顺延" in shown
    _, tree, _ = run(capsys, "tree", "2")
    assert "延期2次" in row(tree, "2.3")


def test_unreported_after_report_cycle(db: Path, capsys, monkeypatch) -> None:
    run(capsys, "update", "3.1", "--status", "in_progress", "--progress", "10")
    assert "未报" not in row(run(capsys, "tree", "3")[1], "3.1")
    monkeypatch.setenv("PLANNER_TODAY", "2021-07-08")
    assert "未报" in row(run(capsys, "tree", "3")[1], "3.1")
    run(capsys, "update", "3.1", "--note", "建设方案已报送")
    assert "未报" not in row(run(capsys, "tree", "3")[1], "3.1")


def test_done_sets_progress_to_100_and_closed_after(db: Path, capsys) -> None:
    assert run(capsys, "update", "2.3", "--status", "done")[1].strip().endswith("100%（已记录）")
    assert run(capsys, "update", "2.3", "--status", "已销号")[0] == 0
    assert "已销号" in row(run(capsys, "tree", "2")[1], "2.3")


def test_tree_filters_keep_ancestors(db: Path, capsys) -> None:
    _, out, _ = run(capsys, "tree", "--unit", "eeds")
    codes = [line.split()[0] for line in out.splitlines()[2:]]
    assert {"3.2.3", "4.2.2", "5.2"} <= set(codes)
    assert {"3", "3.2", "4", "4.2", "5"} <= set(codes)
    assert "6" not in codes
    _, out, _ = run(capsys, "--today", "2021-05-01", "tree", "--warn", "red")
    codes = [line.split()[0] for line in out.splitlines()[2:]]
    assert codes == ["7", "7.2", "7.2.1", "7.2.1@2021-04-20", "7.2.3", "7.2.3@2021-04-26"]
    _, out, _ = run(capsys, "tree", "3.2", "--depth", "1")
    assert [line.split()[0] for line in out.splitlines()[2:]] == ["3.2"]


def test_recurring_occurrences_are_tracked_on_their_own(db: Path, capsys) -> None:
    _, out, _ = run(capsys, "tree", "7.2.1")
    codes = [line.split()[0] for line in out.splitlines()[2:]]
    assert codes == ["7.2.1"] + [f"7.2.1@{year}-04-20" for year in range(2021, 2026)]
    run(capsys, "update", "7.2.1@2021-04-20", "--status", "done", "--note", "宣传周已举办")
    _, out, _ = run(capsys, "tree", "7.2.1")
    assert "1/5" in row(out, "7.2.1") and " 20%" in row(out, "7.2.1")


def test_english_labels_and_messages(db: Path, capsys) -> None:
    _, out, _ = run(capsys, "--lang", "en", "tree", "--depth", "1")
    assert "Code" in out and "Progress" in out and "Expected" in out
    _, shown, _ = run(capsys, "show", "5.1.4", "--lang", "en")
    assert "Lead: 自治区市场监管局（知识产权局）" in shown and "：" not in shown.split("Source")[0]
    _, tree, _ = run(capsys, "--lang", "en", "tree", "1.2")
    widths = {cell_width(line) for line in tree.splitlines()[2:]}
    assert "not started" in tree and "◆yellow" in tree and len(widths) <= 2
    status, _, err = run(capsys, "--lang", "en", "update", "4.1.1", "--status", "not_started")
    assert status == 2 and "status change not allowed" in err


def test_indicator_reading_and_share_of_way(db: Path, capsys) -> None:
    recorded = run(capsys, "reading", "I1", "20", "--date", "2021-06-30", "--source", "保护中心")
    assert recorded[0] == 0
    _, out, _ = run(capsys, "indicators")
    line = next(line for line in out.splitlines() if line.startswith("I1 "))
    assert "最新读数 20" in line and "完成度 48%" in line  # (36 − 20) / (36 − 3)
    _, shown, _ = run(capsys, "show", "3.1")
    assert "I1 发明专利授权周期" in shown


def test_today_option_and_environment_agree(db: Path, capsys, monkeypatch) -> None:
    via_option = run(capsys, "--today", "2023-01-01", "tree")[1]
    monkeypatch.setenv("PLANNER_TODAY", "2023-01-01")
    assert run(capsys, "tree")[1] == via_option


def test_init_is_idempotent(db: Path, capsys) -> None:
    status, out, _ = run(capsys, "init", "--file", str(BUNDLED))
    assert status == 0 and "未做改动" in out


def test_show_explains_parent_rollup(db: Path, capsys) -> None:
    _, shown, _ = run(capsys, "show", "4.1")
    assert "按权重加权平均" in shown
    assert "4.1.1" in shown and "50.0%" in shown


def test_python_dash_m_entry_point(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "planner", "validate", str(BUNDLED)],
                            capture_output=True, text=True, check=False, cwd=tmp_path)
    assert result.returncode == 0 and "有效" in result.stdout


def test_a_done_item_is_at_100_percent(db: Path, capsys) -> None:
    status, _, err = run(capsys, "update", "4.1.1", "--progress", "40")
    assert status == 2 and "100" in err
    status, _, err = run(capsys, "update", "2.3", "--status", "done", "--progress", "60")
    assert status == 2 and "100" in err


def test_a_mistyped_database_path_is_not_created(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "typo" / "plan.db"
    status, _, err = run(capsys, "--db", str(missing), "tree")
    assert status == 2 and "planner init" in err
    assert not missing.parent.exists()


def test_global_options_after_a_command_group(db: Path, capsys) -> None:
    status, out, _ = run(capsys, "report", "--lang", "en", "weekly")
    assert status == 0 and "Weekly progress report" in out
