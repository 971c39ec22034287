"""The meetings screen through App.run_test() and Pilot, on a real SQLite file."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import Label, Select

from planner.services.edits import set_coordination
from planner.store.db import session_scope
from planner.store.models import AgendaItem, Decision, Meeting, Task
from planner.tui.app import PlannerApp
from planner.tui.dialogs.form import FormDialog
from planner.tui.screens.main import MainScreen
from planner.tui.screens.meetings import MeetingsScreen
from planner.tui.widgets.meetings import AgendaTable, MeetingList
from tests.tui_support import CLOCK, fill_and_save, seeded_engine, settle, table, visible_codes

FLAGGED = {"2.3": "条例立法需司法厅、人大法工委会商", "5.1.4": "需公安厅、法院会商管辖"}
TITLE = "第二次知识产权联席会议"


@pytest.fixture
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = seeded_engine(tmp_path / "plan.db")
    with session_scope(engine, write=True) as session:
        for code, reason in FLAGGED.items():
            set_coordination(session=session, code=code, reason=reason,
                             at=datetime(2021, 6, 1, 9, tzinfo=UTC))
    return engine


def make_app(engine, report_dir: Path, *, lang: str = "zh") -> PlannerApp:  # type: ignore[no-untyped-def]
    return PlannerApp(engine=engine, clock=CLOCK, lang=lang, user="tester",
                      poll_seconds=60, report_dir=report_dir)


def dialog_error(dialog: FormDialog) -> str:  # type: ignore[type-arg]
    return str(dialog.query_one("#dialog-error", Label).content)


def screen(app: PlannerApp) -> MeetingsScreen:
    assert isinstance(app.screen, MeetingsScreen)
    return app.screen


def agenda(app: PlannerApp) -> AgendaTable:
    return screen(app).query_one(AgendaTable)


async def go_to_entry(app: PlannerApp, pilot, code: str) -> int:  # type: ignore[no-untyped-def]
    """Put the agenda cursor on the entry about item `code`; returns its number."""
    table = agenda(app)
    [number] = [e.number for e in table.entries if code in e.task_codes]
    table.move_cursor(row=number - 1)
    await pilot.pause()
    assert table.current is not None and table.current.number == number
    return number


def included_minutes(app: PlannerApp) -> int:
    return sum(e.minutes for e in agenda(app).entries if e.included)


async def create_meeting(app: PlannerApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("n")
    await fill_and_save(pilot, {"date": "2021-07-20", "title": TITLE})


async def test_meeting_agenda_decision_and_printouts(engine, tmp_path: Path) -> None:
    app = make_app(engine, tmp_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("M")
        await settle(app, pilot)
        assert "还没有会议" in str(screen(app).query_one("#agenda-summary").content)

        # a date in the past is refused in the dialog, and nothing is saved
        await pilot.press("n")
        dialog = await fill_and_save(pilot, {"date": "2021-06-01", "title": TITLE})
        assert app.screen is dialog and "已过" in dialog_error(dialog)
        dialog = await fill_and_save(pilot, {"date": "2021-07-20", "length": "5"})
        assert app.screen is dialog and "15–600" in dialog_error(dialog)
        await fill_and_save(pilot, {"length": "120"})
        assert isinstance(app.screen, MeetingsScreen)
        meetings = screen(app).query_one(MeetingList).meetings
        assert [(m.on.isoformat(), m.title, m.status) for m in meetings] == [
            ("2021-07-20", TITLE, "planned")]
        assert "尚无议程" in str(screen(app).query_one("#agenda-summary").content)

        # the proposal lists both coordination items; minutes add up to the length
        await pilot.press("p")
        await settle(app, pilot)
        entries = agenda(app).entries
        coordination = [e for e in entries if e.section == "coordination"]
        assert sorted(c for e in coordination for c in e.task_codes) == ["2.3", "5.1.4"]
        assert included_minutes(app) == 120
        assert "合计 120 / 120 分钟" in str(screen(app).query_one("#agenda-summary").content)

        # exclude one: drawn dim with ✗, the rest still fill the meeting
        number = await go_to_entry(app, pilot, "5.1.4")
        await pilot.press("space")
        await settle(app, pilot)
        excluded = agenda(app).entries[number - 1]
        assert not excluded.included and excluded.minutes == 0
        assert agenda(app).get_row_at(number - 1)[0].plain.strip() == f"✗{number}"
        assert included_minutes(app) == 120
        assert agenda(app).current is not None and agenda(app).current.number == number

        # move it up and back down
        await pilot.press("K")
        await settle(app, pilot)
        assert "5.1.4" in agenda(app).entries[number - 2].task_codes
        await pilot.press("J")
        await settle(app, pilot)
        assert "5.1.4" in agenda(app).entries[number - 1].task_codes

        # a free entry with a presenter; the minutes are shared out again
        await pilot.press("a")
        await fill_and_save(pilot, {"title": "听取知识产权保护中心建设进展汇报", "minutes": "15",
                             "presenter": "amr"})
        last = agenda(app).entries[-1]
        assert (last.section, last.title, last.minutes, last.presenter) == (
            "free", "听取知识产权保护中心建设进展汇报", 15, "amr")
        assert agenda(app).current == last
        assert included_minutes(app) == 120

        # the agenda printout of the planned meeting
        await pilot.press("P")
        await settle(app, pilot)
        agenda_file = tmp_path / "议程-2021-07-20-1.html"
        assert agenda_file.exists()
        text = agenda_file.read_text(encoding="utf-8")
        assert TITLE in text and "听取知识产权保护中心建设进展汇报" in text
        assert any(str(agenda_file) in n.message for n in app._notifications)

        # a decision on the 2.3 entry: bad action items stay in the dialog, nothing saved
        await go_to_entry(app, pilot, "2.3")
        await pilot.press("d")
        dialog = await fill_and_save(pilot, {"text": "由公安厅牵头会商条例中的行刑衔接条款",
                                      "action": "起草行刑衔接条款"})
        assert app.screen is dialog and "截止日期" in dialog_error(dialog)
        dialog = await fill_and_save(pilot, {"due": "2021年底", "support": "sft,nobody"})
        assert app.screen is dialog and "nobody" in dialog_error(dialog)
        with session_scope(engine) as session:
            assert session.exec(select(Decision)).all() == []
        dialog.query_one("#field-lead", Select).value = "gat"
        await fill_and_save(pilot, {"support": "sft"})
        assert isinstance(app.screen, MeetingsScreen)
        assert any("M.1.1" in n.message for n in app._notifications)
        assert "决定 1 项：M.1.1" in str(screen(app).query_one("#agenda-summary").content)
        assert screen(app).query_one(MeetingList).meetings[0].status == "held"

        # the held meeting prints its minutes
        await pilot.press("P")
        await settle(app, pilot)
        minutes_file = tmp_path / "会议纪要-2021-07-20-1.html"
        assert minutes_file.exists()
        text = minutes_file.read_text(encoding="utf-8")
        assert TITLE in text and "M.1.1" in text and "起草行刑衔接条款" in text

        # the agenda of a held meeting is final: the refusal is shown, nothing changes
        await pilot.press("space")
        await settle(app, pilot)
        assert any("已召开" in n.message for n in app._notifications if n.severity == "error")

        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert "M" in visible_codes(app) and "M.1.1" in table(app).model.tree.by_code

    with session_scope(engine) as session:
        meeting = session.exec(select(Meeting)).one()
        assert (meeting.title, meeting.status) == (TITLE, "held")
        items = session.exec(select(AgendaItem).where(AgendaItem.included)).all()
        assert sum(item.minutes for item in items) == meeting.length_minutes == 120
        [decision] = session.exec(select(Decision)).all()
        assert decision.text == "由公安厅牵头会商条例中的行刑衔接条款"
        assert decision.about_code == "2.3" and decision.agenda_item_id is not None
        branch = session.exec(select(Task).where(Task.code == f"M.{meeting.id}")).one()
        action = session.exec(select(Task).where(Task.code == f"M.{meeting.id}.1")).one()
        assert action.parent_id == branch.id and action.decision_id == decision.id
        assert action.title == "起草行刑衔接条款" and action.due.isoformat() == "2021-12-31"


async def test_meetings_screen_in_english(engine, tmp_path: Path) -> None:
    app = make_app(engine, tmp_path, lang="en")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("M")
        await settle(app, pilot)
        footer_keys = {b.description for b in screen(app).BINDINGS}
        assert {"New meeting", "Build agenda", "Record decision", "Back"} <= footer_keys
        await pilot.press("n")
        dialog = await fill_and_save(pilot, {"date": "2021-06-01", "title": "Joint meeting"})
        assert "in the past" in dialog_error(dialog)
        await fill_and_save(pilot, {"date": "2021-07-20", "kind": "office", "length": "90"})
        await pilot.press("p")
        await settle(app, pilot)
        table = agenda(app)
        assert str(table.ordered_columns[2].label) == "Topic"
        assert "(planned)" in str(table.border_title)
        assert "90 / 90 minutes" in str(screen(app).query_one("#agenda-summary").content)
        row = screen(app).query_one(MeetingList).get_row_at(0)
        assert [cell.plain for cell in row][1:3] == ["planned", "office"]
        await pilot.press("d")
        dialog = await fill_and_save(pilot, {"text": "Agreed", "due": "2021-12-31"})
        assert "action item title" in dialog_error(dialog)
        await pilot.press("escape")
        await pilot.press("P")
        await settle(app, pilot)
        assert (tmp_path / "agenda-2021-07-20-1.html").exists()


async def test_small_terminal_does_not_crash(engine, tmp_path: Path) -> None:
    app = make_app(engine, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("M")
        await settle(app, pilot)
        assert screen(app).has_class("narrow")
        await create_meeting(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        assert included_minutes(app) == 120
        await pilot.press("tab", "j", "space")
        await settle(app, pilot)
        assert included_minutes(app) == 120
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("escape", "d")
        await pilot.pause()
        dialog = await fill_and_save(pilot, {})
        assert "决定内容不能为空" in dialog_error(dialog)
        for selector in ("#dialog-error", "#save"):  # the field area scrolls, these stay put
            assert dialog.query_one(selector).region.bottom <= 24
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        await pilot.press("escape", "P")
        await settle(app, pilot)
        table = agenda(app)
        assert table.row_count > 0 and table.max_scroll_x == 0  # the columns fit in 80 cells
        await pilot.press("q")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)


async def test_a_meeting_planned_in_the_tui_keeps_its_start_time_and_place(
        engine, tmp_path: Path) -> None:
    """The new-meeting dialog takes the start time and the place the meeting notice prints;
    a time that is not one is refused in the dialog with nothing saved."""
    app = make_app(engine, tmp_path, lang="en")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("M")
        await settle(app, pilot)
        await pilot.press("n")
        dialog = await fill_and_save(pilot, {"date": "2021-07-20", "title": TITLE,
                                             "start": "25:00", "place": "Room 3"})
        assert app.screen is dialog and "25:00" in dialog_error(dialog)
        with session_scope(engine) as session:
            assert session.exec(select(Meeting)).all() == []
        await fill_and_save(pilot, {"start": "9：30"})
        assert isinstance(app.screen, MeetingsScreen)
    with session_scope(engine) as session:
        meeting = session.exec(select(Meeting)).one()
        assert (meeting.start_time, meeting.place) == ("09:30", "Room 3")
