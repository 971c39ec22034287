"""The TUI across plans: the header names the plan shown, P (or the palette) switches plans,
L goes to the linked item of another plan, and a closed plan is browsed, not edited."""

import io
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from planner.cli import main
from planner.store.db import make_engine
from planner.tui.dialogs.choose import ChooseDialog
from planner.tui.dialogs.form import FormDialog
from tests.tui_support import make_app, settle, table, wait_until

FIVE_YEAR = """
plan: {id: sw15, kind: five-year, title: 十五五规划, period: {start: 2021-01-01, end: 2025-12-31}}
units: [{id: amr, name: 自治区市场监管局（知识产权局）}]
tasks:
  - {code: "3", title: 体系建设, lead: amr, children: [
      {code: "3.1", title: 保护中心, lead: amr}, {code: "3.2", title: 快维中心, lead: amr}]}
"""
ANNUAL = """
plan: {id: "2021", kind: annual, parent: sw15, title: 2021年度推进计划,
       period: {start: 2021-01-01, end: 2021-12-31}}
units: [{id: amr, name: 自治区市场监管局（知识产权局）}]
tasks:
  - {code: "1", title: 第一领域, lead: amr, children: [
      {code: "1.1", title: 建设保护中心, lead: amr, implements: [sw15:3.1]}]}
"""
CLOSED = """
plan: {id: "2020", kind: annual, title: 2020年度推进计划,
       period: {start: 2020-01-01, end: 2020-12-31}}
units: [{id: amr, name: 自治区市场监管局（知识产权局）}]
tasks:
  - {code: "1", title: 已办结事项, lead: amr, status: done}
"""


@pytest.fixture
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'programme.db'}"
    for name, text in (("sw15", FIVE_YEAR), ("2021", ANNUAL), ("2020", CLOSED)):
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    with redirect_stdout(io.StringIO()):
        assert main(["--db", url, "init", "--file", str(tmp_path / "sw15.yaml")]) == 0
        for name in ("2021", "2020"):
            assert main(["--db", url, "plans", "add", str(tmp_path / f"{name}.yaml")]) == 0
        assert main(["--db", url, "plans", "close", "2020"]) == 0
        assert main(["--db", url, "plans", "use", "sw15"]) == 0
    engine = make_engine(url)
    yield engine
    engine.dispose()


def current_code(app) -> str:  # type: ignore[no-untyped-def]
    widget = table(app)
    assert widget.model is not None and widget.current is not None
    return widget.model.tree.nodes[widget.current].code


async def choose(app, pilot, index: int) -> None:  # type: ignore[no-untyped-def]
    """Open the plan list with P and pick the entry at `index`."""
    await pilot.press("P")
    await wait_until(pilot, lambda: isinstance(app.screen, ChooseDialog), "the plan list")
    dialog = app.screen
    assert [entry for entry, _ in dialog.entries] == ["sw15", "2021", "2020"]
    dialog.query_one("#choices").highlighted = index
    await pilot.press("enter")


async def test_switch_plans_follow_links_and_browse_a_closed_plan(engine) -> None:  # type: ignore[no-untyped-def]
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        assert app.title == "十五五规划 [sw15]"
        await choose(app, pilot, 1)
        await wait_until(pilot, lambda: app.title == "2021年度推进计划 [2021]", "plan 2021")
        await settle(app, pilot)
        screen = app.screen
        screen.refresh_rows(keep=screen.snapshot.tree.by_code["1.1"])  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("L")
        await wait_until(pilot, lambda: app.title == "十五五规划 [sw15]", "the linked plan")
        await settle(app, pilot)
        assert current_code(app) == "3.1"
        await pilot.press("L")  # and back: the annual item that carries 3.1 out
        await wait_until(pilot, lambda: app.title.endswith("[2021]"), "back to 2021")
        await settle(app, pilot)
        assert current_code(app) == "1.1"
        await choose(app, pilot, 2)
        await wait_until(pilot, lambda: "[2020]" in app.title, "the closed plan")
        await settle(app, pilot)
        assert app.title == "2020年度推进计划 [2020]（已关闭，只读）"
        assert app.screen.has_class("closed-plan")
        await pilot.press("u")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormDialog)
        assert any("已关闭" in str(n.message) for n in app._notifications)
