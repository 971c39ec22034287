"""Shared helpers for the TUI tests: a seeded database and an app at a fixed date and time."""

import time
from collections.abc import Callable
from datetime import UTC, date
from datetime import time as clock_time
from pathlib import Path

from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from planner.core.clock import Clock
from planner.services.plan_file import import_plan, load_plan_file
from planner.store.db import create_schema, make_engine, session_scope
from planner.tui.app import PlannerApp
from planner.tui.widgets.plan_table import PlanTable

BUNDLED = Path(__file__).resolve().parent.parent / "tasks.yaml"
TODAY = date(2021, 6, 30)
CLOCK = Clock(TODAY, time_of_day=lambda: clock_time(10, 30))


def seeded_engine(path: Path):  # type: ignore[no-untyped-def]
    """A SQLite file loaded with the bundled plan."""
    from datetime import datetime

    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    with session_scope(engine, write=True) as session:
        import_plan(load_plan_file(BUNDLED), session=session, origin="tasks.yaml",
                    at=datetime(2021, 1, 4, 9, 0, tzinfo=UTC))
    return engine


def make_app(engine, *, lang: str = "zh", poll_seconds: float = 60.0) -> PlannerApp:  # type: ignore[no-untyped-def]
    """An app at the fixed date with a fixed clock, so screens are reproducible."""
    return PlannerApp(engine=engine, clock=CLOCK, lang=lang, user="tester",
                      poll_seconds=poll_seconds)


async def workers_done(app: PlannerApp) -> None:
    """Wait for every worker. An exclusive worker (the poll) cancelled by its successor counts
    as finished: on a loaded machine a 0.1 s poll often is."""
    for _ in range(100):
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


async def wait_until(pilot: Pilot, condition: Callable[[], bool], what: str,
                     limit_seconds: float = 30) -> None:
    """Let the app run (its workers, messages and timers) until `condition` holds; fail
    saying `what` after `limit_seconds`, or at once if the app stopped. No fixed sleep: it
    checks again each time the app has processed its pending messages."""
    deadline = time.monotonic() + limit_seconds
    while not condition():
        assert pilot.app.is_running, f"the app stopped (status {pilot.app.return_code})"
        assert time.monotonic() < deadline, f"timed out waiting for: {what}"
        await pilot.pause()


def save_button_shown(app: PlannerApp) -> bool:
    """Whether a form dialog is on top with its save button laid out (clickable)."""
    from planner.tui.dialogs.form import FormDialog

    screen = app.screen
    return isinstance(screen, FormDialog) and screen.query_one("#save").region.area > 0


async def settle(app: PlannerApp, pilot: Pilot) -> None:
    """Wait for every worker and the messages they posted."""
    for _ in range(3):
        await workers_done(app)
        await pilot.pause()


def table(app: PlannerApp) -> PlanTable:
    """The main screen's plan table."""
    return app.screen.query_one(PlanTable)


def table_lines(app: PlannerApp) -> list[str]:
    """The text of every line the table currently draws."""
    widget = table(app)
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


def row_text(app: PlannerApp, code: str) -> str:
    """The drawn line of an item (it must be visible)."""
    widget = table(app)
    assert widget.model is not None
    index = widget.index_of(widget.model.tree.by_code[code])
    assert index is not None, f"{code} is not visible"
    widget.scroll_to(y=max(0, index - 2), animate=False, immediate=True)
    return widget.render_line(index - int(widget.scroll_y) + 1).text


def visible_codes(app: PlannerApp) -> list[str]:
    """Codes of the rows the table shows, in order."""
    model = table(app).model
    assert model is not None
    return [model.tree.nodes[node_id].code for node_id, _ in model.rows]


async def go_to(app: PlannerApp, pilot: Pilot, code: str) -> None:
    """Put the cursor on an item, expanding its ancestors."""
    screen = app.screen
    model = table(app).model
    assert model is not None
    node_id = model.tree.by_code[code]
    screen.expanded.update(model.tree.ancestors(node_id))  # type: ignore[attr-defined]
    screen.refresh_rows(keep=node_id)  # type: ignore[attr-defined]
    await settle(app, pilot)
    assert table(app).current == node_id


async def fill_and_save(pilot: Pilot, values: dict[str, str]):  # type: ignore[no-untyped-def]
    """Fill the open dialog's fields and save it with ctrl+s; returns the dialog."""
    from planner.tui.dialogs.form import FormDialog

    dialog = pilot.app.screen
    assert isinstance(dialog, FormDialog)
    for key, value in values.items():
        dialog.query_one(f"#field-{key}").value = value  # type: ignore[attr-defined]
    await pilot.press("ctrl+s")
    await settle(pilot.app, pilot)  # type: ignore[arg-type]
    return dialog
