"""The coordinators' inbox screen through App.run_test() and Pilot, on a real SQLite file:
entries oldest first, answered with keys (approve, reject with a reason, reassign a returned
item), each through the same services as the CLI."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from textual.widgets import Label

from planner.core.status import Status
from planner.services.cycle import assign, request_extension, return_item
from planner.services.updates import record_update
from planner.store.db import session_scope
from planner.store.dbapi import Db
from planner.tui.app import PlannerApp
from planner.tui.dialogs.form import FormDialog
from planner.tui.screens.inbox import InboxScreen, InboxTable
from planner.tui.screens.main import MainScreen
from tests.tui_support import (
    fill_and_save,
    make_app,
    save_button_shown,
    seeded_engine,
    settle,
    wait_until,
)


def at(day: int) -> datetime:
    return datetime(2021, 6, day, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = seeded_engine(tmp_path / "plan.db")
    with session_scope(engine, write=True) as session:
        db = Db.of_session(session)
        db.execute("UPDATE plan SET review = ?", (True,))  # 办结 reviewed: a unit's is a request
        request_extension(session=db, code="1.2.1", new_due=date(2022, 3, 31),
                          reason="需要跨部门协调", at=at(1), by_unit="amr")
        return_item(session=db, code="1.1.1", reason="不属本单位职责", at=at(2), by_unit="amr")
        record_update(session=db, code="1.2.2", at=at(3), status=Status.DONE, by_unit="amr",
                      note="已完成")
    with session_scope(engine, write=True) as session:
        assign(session=session, code="2.1.1", unit="amr", at=at(4))
    return engine


def rows(app: PlannerApp) -> list[tuple[str, str]]:
    """(item code, what) of every row, top to bottom."""
    table = app.screen.query_one(InboxTable)
    return [(str(table.get_row_at(i)[3]).split()[0], str(table.get_row_at(i)[2]))
            for i in range(table.row_count)]


def item(engine, code: str) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return tuple(connection.exec_driver_sql(
            "SELECT t.due, t.status, tu.unit_id FROM task t JOIN taskunit tu "
            "ON tu.task_id = t.id AND tu.role = 'lead' WHERE t.code = ?", (code,)).one())


async def test_the_inbox_answers_each_entry_with_a_key(engine) -> None:  # type: ignore[no-untyped-def]
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("I")
        await wait_until(pilot, lambda: isinstance(app.screen, InboxScreen)
                         and app.screen.query_one(InboxTable).row_count == 4, "the inbox")
        assert rows(app) == [("1.2.1", "延期申请"), ("1.1.1", "已退办，待重新交办"),
                             ("1.2.2", "办结申请"), ("2.1.1", "待签收（2021-06-09 前） 已超期")]

        await pilot.press("y")  # approve the extension: the date moves
        await settle(app, pilot)
        assert item(engine, "1.2.1")[0] == "2022-03-31"
        assert [code for code, _ in rows(app)] == ["1.1.1", "1.2.2", "2.1.1"]

        await pilot.press("y")  # not for a returned item: a warning, nothing written
        await settle(app, pilot)
        assert len(rows(app)) == 3 and item(engine, "1.1.1")[2] == "amr"

        await pilot.press("a")  # reassign the returned item
        await wait_until(pilot, lambda: save_button_shown(app), "the assign dialog")
        await fill_and_save(pilot, {"unit": "bt"})
        await settle(app, pilot)
        assert item(engine, "1.1.1")[2] == "bt"
        assert rows(app)[-1] == ("1.1.1", "待签收（2021-07-05 前）")

        await pilot.press("n")  # send the 办结 back: a reason is required
        await wait_until(pilot, lambda: save_button_shown(app), "the reason dialog")
        dialog = await fill_and_save(pilot, {"reason": ""})
        assert isinstance(app.screen, FormDialog)
        assert "理由" in str(dialog.query_one("#dialog-error", Label).content)
        await fill_and_save(pilot, {"reason": "佐证材料不全"})
        await settle(app, pilot)
        assert item(engine, "1.2.2")[1] == "in_progress"
        assert [code for code, _ in rows(app)] == ["2.1.1", "1.1.1"]

        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)


async def test_the_inbox_is_in_the_command_palette(engine) -> None:  # type: ignore[no-untyped-def]
    app = make_app(engine, lang="en")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Inbox" in titles
