"""The TUI through App.run_test() and Pilot, on a real SQLite file."""

import sqlite3
from datetime import UTC
from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import Input, Label, Select, SelectionList, Static

from planner.core.status import Status
from planner.core.textwidth import cell_width
from planner.services.updates import record_update
from planner.store.db import session_scope
from planner.store.models import ProgressUpdate, Task
from planner.tui.dialogs.form import FormDialog
from planner.tui.dialogs.help import HelpDialog
from planner.tui.screens.main import MainScreen
from planner.tui.widgets.detail import DetailPane
from tests.tui_support import (
    CLOCK,
    TODAY,
    fill_and_save,
    go_to,
    make_app,
    row_text,
    seeded_engine,
    settle,
    table,
    table_lines,
    visible_codes,
    wait_until,
)


@pytest.fixture
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    return seeded_engine(tmp_path / "plan.db")


def detail_text(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(DetailPane).query_one("#detail-text", Static).content)


async def test_main_screen_shows_tree_with_rollups_and_header(engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        assert app.title.startswith("内蒙古自治区")
        assert TODAY.isoformat() in app.sub_title
        lines = table_lines(app)
        assert lines[0].split()[:2] == ["编码", "事项"]
        assert visible_codes(app)[:4] == ["1", "1.1", "1.1.1", "1.1.2"]
        assert "25%" in row_text(app, "4") and "1/5" in row_text(app, "4")
        assert "▲红" in row_text(app, "7")
        assert "已完成" in row_text(app, "4.1.1")


async def test_stored_control_characters_are_drawn_as_escapes(engine, tmp_path: Path) -> None:
    """A title or unit name stored before input was checked cannot drive the terminal."""
    engine.dispose()
    with sqlite3.connect(tmp_path / "plan.db") as connection:
        connection.execute("UPDATE task SET title = '标题\x1b]0;pwned\x07' WHERE code = '4.1'")
        connection.execute("UPDATE unit SET name = '单位\x1b[2J' WHERE id = 'amr'")
    app = make_app(engine)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(app, pilot)
        line = row_text(app, "4.1")
        assert "\x1b" not in "".join(table_lines(app))
        assert "标题\\x1b]0;pwned\\x07" in line and "单位\\x1b[" in line


async def test_markup_in_stored_text_is_shown_as_typed(engine, tmp_path: Path) -> None:
    """A title that looks like Textual markup neither crashes a dialog nor becomes an action."""
    engine.dispose()
    hostile = "[/]坏[@click=app.quit]标题"
    with sqlite3.connect(tmp_path / "plan.db") as connection:
        connection.execute("UPDATE task SET title = ? WHERE code = '4.1.2'", (hostile,))
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await go_to(app, pilot, "4.1.2")
        await pilot.press("u")
        await settle(app, pilot)
        assert hostile in str(app.screen.query_one("#dialog-title", Label).render())
        app.notify(hostile)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, MainScreen)


async def test_wide_characters_line_up_and_titles_are_cut(engine) -> None:
    from planner.core.textwidth import cell_width

    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        # every row ends at the same column: all columns are fixed width, titles cut with …
        lines = [table(app).render_line(y).text for y in range(1, 30)]
        assert {cell_width(line) for line in lines} == {table(app).virtual_size.width}
        assert table(app).max_scroll_x == 0  # the row fits: nothing hides right of the view
        assert any("…" in line for line in lines)


async def test_detail_pane_follows_the_cursor(engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await go_to(app, pilot, "3.1")
        text = detail_text(app)
        assert "3.1  建设中国（内蒙古）知识产权保护中心" in text
        assert "原文：" in text and "36个月" in text
        assert "I1 发明专利授权周期" in text and "基线 36 → 目标 3" in text
        assert "剩余 1645 天" in text
        assert "历史记录" in text


async def test_update_dialog_saves_and_refreshes_ancestors(engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await go_to(app, pilot, "5.1.4")
        before_area = app.screen.snapshot.rollup[app.screen.snapshot.tree.by_code["5"]].progress
        await pilot.press("u")
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        status = dialog.query_one("#field-status", Select)
        offered = [value for _, value in status._options]
        assert offered == ["not_started", "in_progress", "blocked", "done", "cancelled"]
        status.value = "in_progress"
        dialog.query_one("#field-progress", Input).value = "30"
        dialog.query_one("#field-note", Input).value = "已部署专项行动"
        await pilot.click("#save")
        await settle(app, pilot)
        assert "30%" in row_text(app, "5.1.4") and "推进中" in row_text(app, "5.1.4")
        snapshot = app.screen.snapshot
        area = snapshot.rollup[snapshot.tree.by_code["5"]].progress
        assert before_area == 0 and area == pytest.approx(30 / 5 / 4)
        assert " 2%" in row_text(app, "5") and " 6%" in row_text(app, "5.1")
        assert "未启动 → 推进中" in detail_text(app)
    with session_scope(engine) as session:
        [entry] = session.exec(select(ProgressUpdate)).all()
        assert (entry.new_status, entry.new_progress, entry.note, entry.by_unit, entry.by_user) \
            == ("in_progress", 30, "已部署专项行动", "amr", "tester")


async def test_update_dialog_validates_and_saves_nothing_on_bad_input(engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await go_to(app, pilot, "5.1.4")
        await pilot.press("u")
        dialog = await fill_and_save(pilot, {"progress": "150"})
        assert app.screen is dialog
        assert "0–100" in str(dialog.query_one("#dialog-error", Label).content)
        await fill_and_save(pilot, {"progress": "0"})
        assert "没有需要记录" in str(dialog.query_one("#dialog-error", Label).content)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormDialog)
    with session_scope(engine) as session:
        assert session.exec(select(ProgressUpdate)).all() == []


async def test_update_refused_on_a_parent(engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await go_to(app, pilot, "5.1")
        await pilot.press("u")
        await pilot.pause()
        assert not isinstance(app.screen, FormDialog)


async def test_saving_over_someone_elses_change_is_refused(engine) -> None:
    from datetime import datetime

    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await go_to(app, pilot, "3.1")
        await pilot.press("u")
        dialog = app.screen
        with session_scope(engine, write=True) as session:
            record_update(session=session, code="3.1", status=Status.IN_PROGRESS, progress=40,
                          at=datetime(2021, 6, 30, 9, tzinfo=UTC), by_unit="hhht")
        dialog.query_one("#field-status", Select).value = "in_progress"
        dialog.query_one("#field-progress", Input).value = "10"
        await pilot.click("#save")
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("已被他人修改" in m and "40%" in m for m in messages)
        assert "40%" in row_text(app, "3.1")
    with session_scope(engine) as session:
        task = session.exec(select(Task).where(Task.code == "3.1")).one()
        assert task.progress == 40
        assert len(session.exec(select(ProgressUpdate)).all()) == 1


async def test_other_coordinators_changes_appear_without_restart(engine) -> None:
    from datetime import datetime

    app = make_app(engine, poll_seconds=0.1)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        with session_scope(engine, write=True) as session:
            record_update(session=session, code="2.3", status=Status.IN_PROGRESS, progress=50,
                          at=datetime(2021, 6, 30, 9, tzinfo=UTC))
        await wait_until(pilot, lambda: "50%" in row_text(app, "2.3"),
                         "the poll to show the other coordinator's 50% on 2.3")
        assert "50%" in row_text(app, "2.3") and "推进中" in row_text(app, "2.3")


async def test_two_apps_on_one_database(engine) -> None:
    first, second = make_app(engine, poll_seconds=0.1), make_app(engine, poll_seconds=0.1)
    async with first.run_test(size=(160, 40)) as pilot_one, \
            second.run_test(size=(160, 40)) as pilot_two:
        await settle(first, pilot_one)
        await settle(second, pilot_two)
        await go_to(first, pilot_one, "6.2.1")
        await pilot_one.press("u")
        dialog = first.screen
        dialog.query_one("#field-status", Select).value = "in_progress"
        dialog.query_one("#field-progress", Input).value = "20"
        await pilot_one.click("#save")
        await settle(first, pilot_one)
        await wait_until(pilot_two, lambda: "20%" in row_text(second, "6.2.1"),
                         "the second app's poll to show the first app's 20% on 6.2.1")


async def test_search_keeps_ancestors_and_escape_clears(engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        search = app.screen.query_one("#search", Input)
        assert search.has_focus
        search.value = "恶意抢注"
        await settle(app, pilot)
        assert visible_codes(app) == ["5", "5.1", "5.1.4"]
        assert table(app).current == table(app).model.tree.by_code["5.1.4"]
        bar = app.screen.query_one("#filter-bar", Static)
        assert bar.display and "恶意抢注" in str(bar.content) and "匹配 1 项" in str(bar.content)
        await pilot.press("enter")
        await pilot.press("escape")
        await settle(app, pilot)
        assert not bar.display and len(visible_codes(app)) > 50
        assert table(app).current == table(app).model.tree.by_code["5.1.4"]


async def test_search_by_unit_name_and_code(engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        app.screen.query_one("#search", Input).value = "鄂尔多斯"
        await settle(app, pilot)
        assert {"3.2.3", "4.2.2", "5.2"} <= set(visible_codes(app))
        app.screen.query_one("#search", Input).value = "7.2.1@2023"
        await settle(app, pilot)
        assert visible_codes(app) == ["7", "7.2", "7.2.1", "7.2.1@2023-04-20"]


async def test_filter_dialog_by_colour_unit_status_due_and_coordination(engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        dialog = app.screen
        dialog.query_one("#field-colours", SelectionList).select("yellow")
        await pilot.click("#save")
        await settle(app, pilot)
        assert visible_codes(app) == ["1", "1.2", "1.2.1", "1.2.2"]
        await pilot.press("f")
        dialog = app.screen
        dialog.query_one("#field-colours", SelectionList).deselect_all()
        dialog.query_one("#field-unit", Select).value = "eeds"
        dialog.query_one("#field-statuses", SelectionList).select("not_started")
        await pilot.click("#save")
        await settle(app, pilot)
        assert {"3.2.3", "4.2.2", "5.2"} <= set(visible_codes(app))
        assert "鄂尔多斯市" in str(app.screen.query_one("#filter-bar", Static).content)
        await pilot.press("escape")
        await pilot.press("f")
        dialog = app.screen
        dialog.query_one("#field-due_within", Input).value = "200"
        await pilot.click("#save")
        await settle(app, pilot)
        assert set(visible_codes(app)) >= {"1.2.1", "1.2.2"}
        assert "2.3" not in visible_codes(app)
        await pilot.press("f")
        app.screen.query_one("#field-due_within", Input).value = "abc"
        await pilot.click("#save")
        await pilot.pause()
        assert "天数" in str(app.screen.query_one("#dialog-error", Label).content)
        await pilot.press("escape")


async def test_jump_to_next_warning_and_expand_collapse_all(engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        tree = table(app).model.tree
        assert tree.nodes[table(app).current].code == "1.2.1"
        await pilot.press("n", "n")
        await settle(app, pilot)
        assert tree.nodes[table(app).current].code == "7.2.1@2021-04-20"
        await pilot.press("C")
        await settle(app, pilot)
        assert visible_codes(app) == ["1", "2", "3", "4", "5", "6", "7"]
        await pilot.press("E")
        await settle(app, pilot)
        assert len(visible_codes(app)) == len(tree.nodes)


async def test_keyboard_navigation_vim_and_arrows(engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("C")
        await settle(app, pilot)
        tree = table(app).model.tree
        await pilot.press("j", "down")
        assert tree.nodes[table(app).current].code == "3"
        await pilot.press("l")
        await settle(app, pilot)
        assert "3.1" in visible_codes(app)
        await pilot.press("l")
        assert tree.nodes[table(app).current].code == "3.1"
        await pilot.press("h")
        assert tree.nodes[table(app).current].code == "3"
        await pilot.press("h")
        await settle(app, pilot)
        assert "3.1" not in visible_codes(app)
        await pilot.press("G")
        assert tree.nodes[table(app).current].code == "7"
        await pilot.press("g", "k")
        assert tree.nodes[table(app).current].code == "1"


async def test_mouse_click_selects_and_toggles(engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("C")
        await settle(app, pilot)
        await pilot.click("#table", offset=(2, 3))
        await settle(app, pilot)
        tree = table(app).model.tree
        assert tree.nodes[table(app).current].code == "3"
        await pilot.click("#table", offset=(2, 3))
        await settle(app, pilot)
        assert "3.1" in visible_codes(app)


async def test_help_lists_every_binding_and_palette_has_every_action(engine) -> None:
    from planner.tui.screens.main import KEYS

    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for _, _, description, _ in KEYS:
            from planner.i18n import label

            assert label(description, "zh") in titles
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpDialog)
        text = str(app.screen.query_one("#help-table", Static).content)
        assert "更新" in text and "下一个红/黄" in text and "标记需协调" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpDialog)


async def test_english_interface(engine) -> None:
    app = make_app(engine, lang="en")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        assert table_lines(app)[0].split()[:2] == ["Code", "Item"]
        assert "red" in row_text(app, "7") and "not started" in row_text(app, "2.3")
        await go_to(app, pilot, "2.3")
        assert "Lead" in detail_text(app)
        footer_keys = {b.description for b in app.screen.BINDINGS}
        assert "Update" in footer_keys and "Quit" in footer_keys


async def test_small_terminal_does_not_crash(engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.screen.has_class("narrow")
        await pilot.press("j", "j", "u")
        await pilot.pause()
        await pilot.press("escape", "slash")
        await pilot.press("escape", "question_mark", "escape", "f", "escape")
        await settle(app, pilot)
        assert table(app).max_scroll_x == 0  # every kept column fits in 80 cells
        assert cell_width(table(app).render_line(0).text.rstrip()) <= 80


async def test_indicator_reading_from_the_detail_pane(engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await go_to(app, pilot, "3.1")
        await pilot.press("r")
        dialog = app.screen
        dialog.query_one("#field-indicator", Select).value = "I1"
        dialog.query_one("#field-value", Input).value = "20"
        dialog.query_one("#field-source", Input).value = "保护中心统计"
        await pilot.click("#save")
        await settle(app, pilot)
        await go_to(app, pilot, "3.1")
        assert "最新读数 20" in detail_text(app) and "完成度 48%" in detail_text(app)


async def test_deadline_move_needs_a_reason(engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await go_to(app, pilot, "2.3")
        await pilot.press("D")
        dialog = await fill_and_save(pilot, {"due": "2026年底"})
        assert "原因" in str(dialog.query_one("#dialog-error", Label).content)
        await fill_and_save(pilot, {"reason": "立法计划调整"})
        assert "2026-12-31" in row_text(app, "2.3") and "延期1次" in detail_text(app)


async def test_add_child_and_sibling_edit_and_flag(engine) -> None:
    app = make_app(engine)
    # wide enough for the 完成 column beside the detail pane while the occurrences' long codes
    # (7.2.3@2025-04-26) are on screen
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(app, pilot)
        await go_to(app, pilot, "5.1")
        await pilot.press("a")
        await fill_and_save(pilot, {"title": "打击侵犯植物新品种权专项行动", "lead": "gat",
                                "support": "fy,jcy", "due": "2023年底"})
        await settle(app, pilot)
        assert table(app).model.tree.nodes[table(app).current].code == "5.1.6"
        assert "打击侵犯植物新品种" in row_text(app, "5.1.6")
        assert "0/6" in row_text(app, "5.1")
        await pilot.press("A")
        await fill_and_save(pilot, {"code": "5.1.7", "title": "同级新事项"})
        await settle(app, pilot)
        assert visible_codes(app).index("5.1.7") == visible_codes(app).index("5.1.6") + 1
        await pilot.press("e")
        await fill_and_save(pilot, {"title": "同级新事项（已改名）", "weight": "2"})
        await settle(app, pilot)
        assert "已改名" in row_text(app, "5.1.7")
        await pilot.press("c")
        await fill_and_save(pilot, {"reason": "需公安厅、法院会商管辖"})
        await settle(app, pilot)
        assert "需协调事项：需公安厅、法院会商管辖" in detail_text(app)
    with session_scope(engine) as session:
        task = session.exec(select(Task).where(Task.code == "5.1.6")).one()
        assert task.due.isoformat() == "2023-12-31"
        flagged = session.exec(select(Task).where(Task.code == "5.1.7")).one()
        assert flagged.needs_coordination and flagged.weight == 2


async def test_move_reparent_and_delete_or_archive(engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await go_to(app, pilot, "5.1.2")
        await pilot.press("K")
        await settle(app, pilot)
        codes = visible_codes(app)
        assert codes.index("5.1.2") < codes.index("5.1.1")
        await pilot.press("J")
        await settle(app, pilot)
        codes = visible_codes(app)
        assert codes.index("5.1.1") < codes.index("5.1.2")
        await pilot.press("m")
        await fill_and_save(pilot, {"parent": "5.1.2"})
        await settle(app, pilot)
        assert any("不能把 5.1.2 移到它自身或它的下级" in n.message
                   for n in app._notifications)
        await go_to(app, pilot, "5.4")
        await pilot.press("m")
        await fill_and_save(pilot, {"parent": "5.1"})
        await settle(app, pilot)
        tree = table(app).model.tree
        assert tree.nodes[tree.node("5.4").parent_id].code == "5.1"
        await pilot.press("x")
        await fill_and_save(pilot, {})  # confirm
        assert "5.4" not in visible_codes(app)
        await go_to(app, pilot, "4.1.1")
        await pilot.press("u")
        await fill_and_save(pilot, {"status": "closed"})
        await settle(app, pilot)
        await pilot.press("x")
        await fill_and_save(pilot, {})  # confirm
        assert "4.1.1" not in visible_codes(app)
        assert any("已归档" in n.message for n in app._notifications)
    with session_scope(engine) as session:
        assert session.exec(select(Task).where(Task.code == "5.4")).first() is None
        assert session.exec(select(Task).where(Task.code == "4.1.1")).one().archived


async def test_weekly_report_key_writes_a_file_and_says_where(engine, tmp_path: Path) -> None:
    from planner.tui.app import PlannerApp

    app = PlannerApp(engine=engine, clock=CLOCK, lang="zh", user="tester",
                     poll_seconds=60, report_dir=tmp_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("w")
        await settle(app, pilot)
        written = tmp_path / "周报-2021-W26.html"
        assert written.exists() and "工作进展周报" in written.read_text(encoding="utf-8")
        assert any(str(written) in n.message for n in app._notifications)


async def test_report_into_a_missing_folder_is_a_message_not_a_crash(engine,
                                                                     tmp_path: Path) -> None:
    from planner.tui.app import PlannerApp

    app = PlannerApp(engine=engine, clock=CLOCK, lang="zh", user="tester",
                     poll_seconds=60, report_dir=tmp_path / "no" / "such")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("w")
        await settle(app, pilot)
        assert any("无法写入" in n.message for n in app._notifications)
        assert app.is_running


async def test_an_item_deleted_elsewhere_does_not_crash_the_detail_pane(engine) -> None:
    from datetime import UTC, datetime

    from planner.services.edits import delete_task

    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await go_to(app, pilot, "5.1.3")
        with session_scope(engine, write=True) as session:
            delete_task(session=session, code="5.1.4", at=datetime(2021, 6, 30, tzinfo=UTC))
        await pilot.press("j")
        await settle(app, pilot)
        assert app.is_running
        assert "5.1.4" not in visible_codes(app)
        assert any("已由他人更新" in n.message for n in app._notifications)
