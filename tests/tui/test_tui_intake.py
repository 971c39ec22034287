"""Taking in a plan document from the TUI (issue 14, point 3) through App.run_test() and
Pilot, on a real SQLite file and a real .docx: the parsed tree with its unresolved name
highlighted, the name mapped by keyboard from the fuzzy list (or accepted as a new unit),
the plan saved as a new one through the services of `planner intake` + `planner plans add`;
Escape writes nothing."""

from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import Input, Label, OptionList, Static

from planner.core.intake import read_plan
from planner.services.intake import bundled_registry, merged_registry
from planner.services.intake_files import read_blocks
from planner.services.unit_registry import registry_from_database
from planner.store.db import session_scope
from planner.tui.app import PlannerApp
from planner.tui.dialogs.form import FormDialog
from planner.tui.dialogs.fuzzy import FuzzyChooseDialog
from planner.tui.screens.intake_preview import (
    UNRESOLVED_STYLE,
    IntakePreviewScreen,
    PathSuggester,
)
from planner.tui.screens.main import MainScreen
from tests.conftest import sqlite_dump
from tests.intake_support import XCB, XCB_ID, write_paragraph_docx
from tests.tui_support import make_app, save_button_shown, seeded_engine, settle, wait_until

XCB_ITEM = "1.2.1"  # 建设中国（内蒙古）知识产权保护中心……（自治区知识产权局牵头，XCB、公安厅配合）


@pytest.fixture
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    return seeded_engine(tmp_path / "plan.db")


@pytest.fixture
def document(tmp_path: Path) -> Path:
    """The fixture plan as numbered paragraphs: one unit name (XCB) the registry lacks."""
    return write_paragraph_docx(tmp_path / "2026年推进计划.docx")


def preview(app: PlannerApp) -> IntakePreviewScreen:
    screen = app.screen
    assert isinstance(screen, IntakePreviewScreen)
    return screen


def status(app: PlannerApp) -> str:
    return str(preview(app).query_one("#intake-status", Static).content)


def error_line(app: PlannerApp) -> str:
    return str(app.screen.query_one("#dialog-error", Label).content)


def styled(text: Text, part: str) -> str:
    """The style of the span of `text` that is exactly `part`."""
    for span in text.spans:
        if text.plain[span.start:span.end] == part:
            return str(span.style)
    raise AssertionError(f"{part!r} is not a span of {text.plain!r}")


async def open_document(app: PlannerApp, pilot, path: Path | str) -> None:  # type: ignore[no-untyped-def]
    """Enter `path` in the open dialog (opened with O if not on screen) and press Enter."""
    if not isinstance(app.screen, FormDialog):
        await pilot.press("O")
        await wait_until(pilot, lambda: save_button_shown(app), "the open dialog")
    app.screen.query_one("#field-path", Input).value = str(path)
    app.screen.query_one("#field-path", Input).focus()
    await pilot.press("enter")
    await settle(app, pilot)


def saved_plan(engine, code: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The plan `code` as stored: kind, period, parent id, and each item's lead and supports."""
    with engine.connect() as connection:
        plan_id, kind, start, end, parent = connection.exec_driver_sql(
            "SELECT id, kind, start, \"end\", parent_id FROM plan WHERE code = ?",
            (code,)).one()
        units: dict[str, dict[str, set[str]]] = {}
        for task_code, title, role, unit in connection.exec_driver_sql(
                "SELECT t.code, t.title, tu.role, tu.unit_id FROM task t LEFT JOIN taskunit tu "
                "ON tu.task_id = t.id WHERE t.plan_id = ?", (plan_id,)):
            entry = units.setdefault(task_code, {"title": {title}, "lead": set(),
                                                 "support": set()})
            if role is not None:
                entry[role].add(unit)
    return {"kind": kind, "period": (str(start), str(end)), "parent": parent, "items": units}


def expected_items(engine, document: Path, mapping: dict[str, str]) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """What `planner intake --map` reads from the document: each item's title, lead and
    supports."""
    with session_scope(engine) as session:
        registry = merged_registry(registry_from_database(session), bundled_registry())
    plan = read_plan(read_blocks(document), registry, mapping=mapping)
    return {item.code: {"title": {item.title}, "lead": {item.lead} if item.lead else set(),
                        "support": set(item.supports)} for item in plan.items()}


async def test_an_unresolved_name_is_mapped_by_keyboard_and_the_plan_saved(  # type: ignore[no-untyped-def]
        engine, document) -> None:
    app = make_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await open_document(app, pilot, document)
        await wait_until(pilot, lambda: isinstance(app.screen, IntakePreviewScreen),
                         "the preview")
        screen = preview(app)
        assert status(app).startswith("1 个单位名称未识别")
        await wait_until(pilot, lambda: screen.current is not None
                         and screen.current.code == XCB_ITEM, "the cursor on the unknown name")
        line = screen.nodes[XCB_ITEM].label
        assert isinstance(line, Text)
        assert styled(line, XCB) == UNRESOLVED_STYLE  # highlighted
        assert "牵头单位 自治区市场监管局（知识产权局）" in line.plain
        assert XCB in str(screen.query_one("#intake-detail", Static).content)

        await pilot.press("enter")  # map it: the fuzzy list, closest names first
        await wait_until(pilot, lambda: isinstance(app.screen, FuzzyChooseDialog),
                         "the unit list")
        chooser = app.screen
        assert isinstance(chooser, FuzzyChooseDialog)
        await pilot.press(*"bgt")  # by id: 自治区党委办公厅 (dwbgt), 自治区人民政府办公厅 (zfbgt)
        ids = [option.id for option in chooser.query_one(OptionList).options]
        assert set(ids[:2]) == {"dwbgt", "zfbgt"}  # the best matches first
        assert chooser.highlighted == ids[0]
        await pilot.press("down")
        assert chooser.highlighted == ids[1]
        await pilot.press("up")
        assert chooser.highlighted == ids[0]
        for _ in range(ids.index("dwbgt")):
            await pilot.press("down")
        assert chooser.highlighted == "dwbgt"
        await pilot.press("enter")
        await settle(app, pilot)

        assert app.screen is screen
        assert status(app).startswith("单位名称已全部识别")
        line = screen.nodes[XCB_ITEM].label
        assert isinstance(line, Text) and "自治区党委办公厅" in line.plain and XCB not in line.plain

        await pilot.press("s")  # save: the id intake gives by default, no parent
        await wait_until(pilot, lambda: save_button_shown(app), "the save dialog")
        assert app.screen.query_one("#field-id", Input).value == "annual-2026"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        await settle(app, pilot)
        assert app.gateway.plan == "annual-2026"  # the new plan is shown

    stored = saved_plan(engine, "annual-2026")
    assert stored["kind"] == "annual"
    assert stored["period"] == ("2026-01-01", "2026-12-31")
    assert stored["parent"] is None
    items = stored["items"]
    assert isinstance(items, dict)
    occurrences = [code for code in items if "@" in code]  # a recurring item's, as plans add
    assert sorted(occurrences) == ["2.1.3@2026-03-31", "2.1.3@2026-06-30", "2.1.3@2026-09-30",
                                   "2.1.3@2026-12-31", "2.2.2@2026-04-30"]  # 每季度, 每年4月
    assert {code: entry for code, entry in items.items() if "@" not in code} \
        == expected_items(engine, document, {XCB: "dwbgt"})
    assert items[XCB_ITEM]["lead"] == {"amr"}
    assert items[XCB_ITEM]["support"] == {"dwbgt", "gat"}


async def test_escape_leaves_with_nothing_written(engine, document, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    legacy = tmp_path / "旧计划.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    app = make_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        before = sqlite_dump(Path(str(engine.url.database)))

        await open_document(app, pilot, tmp_path / "无此文件.docx")  # one line, no crash
        assert isinstance(app.screen, FormDialog)
        assert "无此文件.docx" in error_line(app) and "无法读取" in error_line(app)
        await open_document(app, pilot, legacy)
        assert isinstance(app.screen, FormDialog)
        assert "另存为 .docx" in error_line(app) and "\n" not in error_line(app)
        undated = tmp_path / "推进计划.txt"
        undated.write_text("某某推进计划\n一、领域\n1. 开展调研（自治区财政厅负责）\n",
                           encoding="utf-8")
        await open_document(app, pilot, undated)  # the year is asked for in the dialog
        assert '请在"年份"中填写' in error_line(app) and "--year" not in error_line(app)

        await open_document(app, pilot, document)
        await wait_until(pilot, lambda: isinstance(app.screen, IntakePreviewScreen),
                         "the preview")
        screen = preview(app)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, FuzzyChooseDialog),
                         "the unit list")
        await pilot.press("enter")  # the closest known name
        await settle(app, pilot)
        assert not screen.draft.plan.unresolved
        await pilot.press("s")
        await wait_until(pilot, lambda: save_button_shown(app), "the save dialog")
        await pilot.press("escape")  # the save dialog, then the preview: nothing written
        await settle(app, pilot)
        assert app.screen is screen
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.gateway.plan is None
        assert sqlite_dump(Path(str(engine.url.database))) == before


async def test_a_name_accepted_as_a_new_unit_is_saved_with_its_derived_id(  # type: ignore[no-untyped-def]
        engine, document) -> None:
    app = make_app(engine, lang="en")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Take in a plan document" in titles
        await open_document(app, pilot, document)
        await wait_until(pilot, lambda: isinstance(app.screen, IntakePreviewScreen),
                         "the preview")
        screen = preview(app)
        assert status(app).startswith("1 unit names unresolved")
        await pilot.press("s")  # refused while a name is unresolved: nothing asked
        await settle(app, pilot)
        assert app.screen is screen

        await pilot.press("n")  # the only unresolved name: the cursor stays on it
        await settle(app, pilot)
        assert screen.current is not None and screen.current.code == XCB_ITEM
        await pilot.press("a")
        await settle(app, pilot)
        assert status(app).startswith("every unit name is resolved")
        await pilot.press("u")  # undone: unresolved again, then accepted again
        await settle(app, pilot)
        assert status(app).startswith("1 unit names unresolved")
        await pilot.press("a")
        await settle(app, pilot)
        line = screen.nodes[XCB_ITEM].label
        assert isinstance(line, Text) and f"{XCB} (new unit)" in line.plain
        assert status(app).startswith("every unit name is resolved")

        await pilot.press("s")
        await wait_until(pilot, lambda: save_button_shown(app), "the save dialog")
        dialog = app.screen
        dialog.query_one("#field-id", Input).value = "sw14"  # taken: one line, stays open
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog and "sw14" in error_line(app)
        dialog.query_one("#field-id", Input).value = "tq2026"
        dialog.query_one("#field-parent").value = "sw14"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        await settle(app, pilot)

    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT name FROM unit WHERE id = ?",
                                          (XCB_ID,)).scalar_one() == XCB
        parent = connection.exec_driver_sql(
            "SELECT p.code FROM plan c JOIN plan p ON p.id = c.parent_id WHERE c.code = ?",
            ("tq2026",)).scalar_one()
    assert parent == "sw14"
    items = saved_plan(engine, "tq2026")["items"]
    assert isinstance(items, dict)
    assert items[XCB_ITEM]["support"] == {XCB_ID, "gat"}


async def test_the_path_is_completed_from_the_file_system(tmp_path: Path, document) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "计划文档").mkdir()
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    suggester = PathSuggester()
    assert await suggester.get_suggestion(f"{tmp_path}/2026") == str(document)
    assert await suggester.get_suggestion(f"{tmp_path}/计划") == f"{tmp_path}/计划文档/"
    assert await suggester.get_suggestion(f"{tmp_path}/no") is None  # not a document intake reads
    assert await suggester.get_suggestion(f"{tmp_path}/无此目录/x") is None
