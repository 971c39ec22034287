"""The notice key on the main screen, through App.run_test() and Pilot on a real SQLite file:
a 督办 or 催办 notice to the highlighted item's lead unit, its kind and file chosen in a
small dialog, written through the same function as `planner notice`, the path shown."""

from pathlib import Path

import docx
import pytest

from planner.tui.app import PlannerApp
from tests.tui_support import (
    CLOCK,
    fill_and_save,
    go_to,
    save_button_shown,
    seeded_engine,
    settle,
    wait_until,
)


@pytest.fixture
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    return seeded_engine(tmp_path / "plan.db")


def rows(engine, sql: str) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(sql)]


async def test_the_notice_key_issues_one_for_the_highlighted_item(engine,  # type: ignore[no-untyped-def]
                                                                  tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    app = PlannerApp(engine=engine, clock=CLOCK, lang="zh", user="tester", poll_seconds=60,
                     report_dir=folder)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await go_to(app, pilot, "1.2.1")
        await pilot.press("o")
        await wait_until(pilot, lambda: save_button_shown(app), "the notice dialog")
        assert "1.2.1 发通知单给 自治区市场监管局（知识产权局）" in str(app.screen.form_title)  # type: ignore[attr-defined]
        await fill_and_save(pilot, {"kind": "urge"})
        await settle(app, pilot)
        written = folder / "催办〔2021〕1号.docx"
        assert written.is_file()
        assert any(str(written) in n.message for n in app._notifications)
        texts = [p.text for p in docx.Document(str(written)).paragraphs]
        assert "催办通知单" in texts and "自治区市场监管局（知识产权局）：" in texts

        await pilot.press("o")  # the default kind, into a file named in the dialog
        await wait_until(pilot, lambda: save_button_shown(app), "the notice dialog again")
        await fill_and_save(pilot, {"path": "mine.docx"})
        await settle(app, pilot)
        assert (folder / "mine.docx").is_file()
        assert any("督办〔2021〕1号" in n.message for n in app._notifications)

        await pilot.press("o")  # about every warned item the lead unit leads
        await wait_until(pilot, lambda: save_button_shown(app), "the notice dialog a third time")
        await fill_and_save(pilot, {"scope": "unit", "path": "unit.docx"})
        await settle(app, pilot)
        assert any("督办〔2021〕2号" in n.message for n in app._notifications)
    issued = rows(engine, "SELECT n.number, n.unit_id, t.code FROM notice n JOIN noticeitem i "
                          "ON i.notice_id = n.id JOIN task t ON t.id = i.task_id "
                          "ORDER BY n.id, t.id")
    assert issued[:2] == [("催办〔2021〕1号", "amr", "1.2.1"), ("督办〔2021〕1号", "amr", "1.2.1")]
    whole_unit = issued[2:]
    assert len(whole_unit) > 1
    assert {(number, unit) for number, unit, _ in whole_unit} == {("督办〔2021〕2号", "amr")}
    assert rows(engine, "SELECT count(*) FROM task t JOIN taskunit u ON u.task_id = t.id "
                        "AND u.role = 'lead' WHERE u.unit_id = 'amr' AND t.code IN ("
                        + ", ".join(f"'{code}'" for _, _, code in whole_unit) + ")") == \
        [(len(whole_unit),)]
    assert rows(engine, "SELECT kind, reason FROM cycleevent") == \
        [("urge", "催办通知单 催办〔2021〕1号")]
