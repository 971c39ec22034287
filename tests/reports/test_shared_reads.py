"""One read per user action, shared by both front ends: `planner meeting list` and the TUI's
meetings screen list the same meetings in one order and default to the same meeting;
`planner show` and the TUI's detail pane show the same text."""

from collections.abc import Callable, Iterator
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from planner.core.clock import Clock
from planner.reports.meetings import meeting_rows, meeting_to_show
from planner.services.meetings import mark_held
from planner.store.db import make_engine, session_scope
from planner.tui.gateway import PlanGateway
from tests.conftest import CliResult

TODAY = "2021-07-01"
CLOCK = Clock(date(2021, 7, 1), time_of_day=lambda: time(9, 30))
Cli = Callable[..., CliResult]


def ok(cli: Cli, db: Path, *argv: str) -> str:
    result = cli("--db", db, "--today", TODAY, *argv)
    assert result.code == 0, result.err
    return result.out


@pytest.fixture
def engine(bundled_db: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{bundled_db}")
    yield engine
    engine.dispose()


@pytest.fixture
def three_meetings(bundled_db: Path, cli: Cli) -> Path:
    """Meetings 1 and 3 on 2021-07-20 (3 created later), meeting 2 on 2021-09-01."""
    for on, title in (("2021-07-20", "七月会议甲"), ("2021-09-01", "九月会议"),
                      ("2021-07-20", "七月会议乙")):
        ok(cli, bundled_db, "meeting", "new", "--date", on, "--title", title)
    return bundled_db


def test_cli_and_tui_list_meetings_newest_first_in_one_order(
        three_meetings: Path, engine: Engine, cli: Cli) -> None:
    listed = [int(line.split()[0])
              for line in ok(cli, three_meetings, "meeting", "list").splitlines()]
    gateway = PlanGateway(engine, clock=CLOCK, lang="zh", user=None)
    on_screen = [row.id for row in gateway.read_meetings().meetings]
    assert listed == on_screen == [2, 3, 1]  # by date, the later-created first on one day


def test_cli_and_tui_default_to_the_same_planned_meeting(
        three_meetings: Path, engine: Engine, cli: Cli) -> None:
    gateway = PlanGateway(engine, clock=CLOCK, lang="zh", user=None)
    view = gateway.read_meetings()
    assert view.detail is not None and view.detail.meeting.id == 1
    assert "七月会议甲" in ok(cli, three_meetings, "meeting", "show").splitlines()[0]


def test_the_meeting_to_show(three_meetings: Path, engine: Engine) -> None:
    today = CLOCK.today
    with session_scope(engine, write=True) as session:
        rows = meeting_rows(session=session)
        assert meeting_to_show(rows, today=today, keep=2, session=session) == 2
        assert meeting_to_show(rows, today=today, keep=999, session=session) == 1
        assert meeting_to_show(rows, today=date(2021, 8, 1), keep=None, session=session) == 2
        for meeting_id in (1, 2, 3):
            mark_held(session=session, meeting_id=meeting_id)
        assert meeting_to_show(rows, today=today, keep=None, session=session) == 2  # newest
        assert meeting_to_show([], today=today, keep=None, session=session) is None


def test_show_and_the_detail_pane_print_the_same_text(
        bundled_db: Path, engine: Engine, cli: Cli) -> None:
    ok(cli, bundled_db, "update", "5.1.4", "--progress", "30", "--note", "启动")
    gateway = PlanGateway(engine, clock=CLOCK, lang="en", user=None)
    snapshot = gateway.read_snapshot()
    for code in ("5.1.4", "5"):
        shown = ok(cli, bundled_db, "--lang", "en", "show", code)
        assert gateway.detail_text(snapshot, snapshot.tree.by_code[code]) == shown
