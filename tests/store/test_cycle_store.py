"""The cycle's events table (store/cycle.py) on both backends: a step is stored as given,
a request is answered once, and the inbox lists what waits for the coordinators, oldest
first."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from planner.core.cycle import EventKind, RequestState
from planner.store.cycle import (
    insert_event,
    read_cycle_settings,
    read_event,
    read_events,
    read_inbox,
    settle_request,
)
from planner.store.db import make_engine, session_scope
from planner.store.dbapi import Db, read_task_state
from tests.conftest import CliResult

PLAN = """\
plan:
  title: 督办测试计划
  period: {start: 2021-01-01, end: 2021-12-31}
units:
  - {id: amr, name: 市场监管局, kind: department}
  - {id: hhht, name: 呼和浩特市, kind: league}
tasks:
  - {code: "1", title: 第一项, lead: hhht, due: 2021-09-30}
  - {code: "2", title: 第二项, lead: hhht, due: 2021-09-30}
  - {code: "3", title: 第三项, lead: amr, due: 2021-09-30}
"""


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2021, 7, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def url(backend_url: str, tmp_path: Path, cli: Callable[..., CliResult]) -> str:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    result = cli("--db", backend_url, "--today", "2021-07-01", "init", "--file", plan)
    assert result.code == 0, result.err
    return backend_url


def test_steps_are_stored_answered_once_and_listed_in_the_inbox(url: str) -> None:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            db = Db.of_session(session)
            assert read_cycle_settings(db).acknowledge_days == 3
            assert read_cycle_settings(db).review is True
            one, two, three = (read_task_state(db, code).id for code in ("1", "2", "3"))
            assigned = insert_event(db, task_id=one, kind=EventKind.ASSIGN, at=at(1),
                                    by_user="boss", by_unit=None, unit_id="hhht")
            insert_event(db, task_id=two, kind=EventKind.ASSIGN, at=at(2), by_user="boss",
                         by_unit=None, unit_id="hhht")
            insert_event(db, task_id=two, kind=EventKind.ACK, at=at(3), by_user="hz",
                         by_unit="hhht", unit_id="hhht")
            request = insert_event(db, task_id=two, kind=EventKind.EXTEND_REQUEST, at=at(4),
                                   by_user="hz", by_unit="hhht", unit_id="hhht",
                                   reason="需要协调", new_due=date(2021, 10, 31),
                                   state=RequestState.PENDING)
            returned = insert_event(db, task_id=three, kind=EventKind.RETURN, at=at(5),
                                    by_user="a", by_unit="amr", unit_id="amr",
                                    reason="不属本单位职责")
        with session_scope(engine) as session:
            db = Db.of_session(session)
            stored = read_event(db, request)
            assert stored is not None
            assert (stored.code, stored.kind, stored.new_due, stored.reason, stored.state) == \
                ("2", EventKind.EXTEND_REQUEST, date(2021, 10, 31), "需要协调",
                 RequestState.PENDING)
            assert stored.at.replace(tzinfo=UTC) == at(4) or stored.at == at(4)
            assert [e.kind for e in read_events(db, two)] == \
                [EventKind.ASSIGN, EventKind.ACK, EventKind.EXTEND_REQUEST]
            assert [e.id for e in read_inbox(db)] == [assigned, request, returned]
            assert settle_request(db, request, RequestState.REJECTED)
            assert not settle_request(db, request, RequestState.APPROVED)  # answered once
            assert [e.id for e in read_inbox(db)] == [assigned, returned]
            assert read_event(db, 999999) is None
    finally:
        engine.dispose()
