"""List-valued columns are encoded and decoded by the store, once: readers get tuples."""

from datetime import UTC, date, datetime
from pathlib import Path

from planner.services.meetings import agenda_items
from planner.store.db import session_scope
from planner.store.models import AgendaItem, Meeting, decode_list, encode_list
from tests.tui_support import seeded_engine


def test_a_list_round_trips_through_its_column() -> None:
    assert decode_list(encode_list(["amr", "hhht"])) == ("amr", "hhht")
    assert decode_list("") == ()


def test_agenda_items_read_back_decoded(tmp_path: Path) -> None:
    engine = seeded_engine(tmp_path / "plan.db")
    with session_scope(engine, write=True) as session:
        meeting = Meeting(on=date(2021, 7, 1), title="M", created_at=datetime.now(UTC))
        session.add(meeting)
        session.flush()
        session.add(AgendaItem(meeting_id=meeting.id, section="red", title="t",
                               units=encode_list(["amr", "hhht"]),
                               task_codes=encode_list(["1.1.1", "1.1.2"])))
        meeting_id = meeting.id or 0
    with session_scope(engine) as session:
        [item] = agenda_items(meeting_id, session=session)
        assert (item.unit_ids, item.codes) == (("amr", "hhht"), ("1.1.1", "1.1.2"))
    engine.dispose()
