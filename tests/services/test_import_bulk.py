"""The bulk path of `planner import` (new items as row tuples in one executemany): a problem
found late, after the new rows are written, leaves the database as it was and names its
line and column; the corrected file then imports whole — over the real CLI on SQLite and
PostgreSQL. And the page cache a bulk write takes on SQLite is given back."""

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select, text

from tests.conftest import CliResult

Cli = Callable[..., CliResult]

FIVE_YEAR = """plan:
  id: sw15
  title: 十五五规划
  period: {start: 2026-01-01, end: 2030-12-31}
units:
- {id: amr, name: 自治区市场监管局（知识产权局）}
- {id: bt, name: 包头市}
tasks:
- {code: "3", title: 体系建设, lead: amr}
- {code: "4", title: 创新发展, lead: amr}
"""
ITEMS = 1_500


def annual(ref: str, *, block: bool = False) -> str:
    """An annual plan of ITEMS items in ten branches (block style); only its last item
    carries out an item of the five-year plan (`ref`), written in flow style (`[ref]`) or,
    with `block`, as `planner export` writes it."""
    lines = ['plan:', '  id: "2026"', "  kind: annual", "  parent: sw15",
             "  title: 2026年度推进计划", "  period:", "    start: '2026-01-01'",
             "    end: '2026-12-31'", "units:", "- id: amr",
             "  name: 自治区市场监管局（知识产权局）", "- id: bt", "  name: 包头市", "tasks:"]
    per_branch = ITEMS // 10 - 1
    for branch in range(1, 11):
        lines += [f"- code: '{branch}'", f"  title: 领域{branch}", "  lead: amr", "  children:"]
        for leaf in range(1, per_branch + 1):
            lines += [f"  - code: {branch}.{leaf}", f"    title: 分解事项{branch}.{leaf}",
                      "    lead: bt", "    support:", "    - amr", "    due: '2026-10-31'",
                      "    status: in_progress", f"    progress: {leaf % 100}"]
    if block:  # on the very last item
        lines += ["    implements:", f"    - {ref}", ""]
    else:
        lines += [f"    implements: [{ref}]", ""]
    return "\n".join(lines)


def dump(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order (both backends)."""
    from planner.store.db import make_engine

    engine = make_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return {name: sorted((tuple(row) for row in connection.execute(
                select(table))), key=repr) for name, table in metadata.tables.items()}
    finally:
        engine.dispose()


@pytest.fixture
def two_plans(backend_url: str, cli: Cli, tmp_path: Path) -> str:
    """A five-year plan and a small annual plan under it (the first branch's first item)."""
    five = tmp_path / "sw15.yaml"
    five.write_text(FIVE_YEAR, encoding="utf-8")
    assert cli("--db", backend_url, "--today", "2026-03-01", "init", "--file", five).code == 0
    small = tmp_path / "2026.yaml"
    small.write_text(annual("sw15:3").split("  - code: 1.2\n")[0] + "\n", encoding="utf-8")
    added = cli("--db", backend_url, "--today", "2026-03-01", "plans", "add", small)
    assert added.code == 0, added.err
    return backend_url


@pytest.mark.parametrize("block", [False, True], ids=["flow", "block"])
def test_a_bad_reference_on_the_last_item_undoes_the_bulk_insert(
        two_plans: str, cli: Cli, tmp_path: Path, block: bool) -> None:
    """Flow style leaves the fast reader for the located one, which names the reference's
    own line and column; block style (as exported) stays on the fast reader, which names
    the line and column of the item holding the reference."""
    url = two_plans
    plan_file = tmp_path / "2026-full.yaml"
    content = annual("sw15:9.9", block=block)
    plan_file.write_text(content, encoding="utf-8")
    lines = content.splitlines()
    place = (f"{lines.index('  - code: 10.149') + 1}:5" if block
             else f"{lines.index('    implements: [sw15:9.9]') + 1}:18")
    before = dump(url)
    result = cli("--db", url, "--today", "2026-03-01", "--plan", "2026", "import", plan_file)
    assert result.code == 2, result.err
    assert result.err.count("\n") == 1
    assert f"2026-full.yaml:{place}: implements 引用的事项 sw15:9.9 不存在" in result.err
    assert dump(url) == before  # the ~1,500 new rows and their units are gone

    plan_file.write_text(annual("sw15:4", block=block), encoding="utf-8")
    result = cli("--db", url, "--today", "2026-03-01", "--plan", "2026", "import", plan_file)
    assert result.code == 0, result.err
    after = dump(url)
    annual_id = next(row[0] for row in after["plan"] if row[1] == "2026")
    items = [row for row in after["task"] if row[1] == annual_id]
    assert len(items) == 10 + 10 * (ITEMS // 10 - 1)
    shown = cli("--db", url, "--today", "2026-03-01", "show", "2026:10.149").out
    assert "分解事项10.149" in shown and "落实：sw15:4 创新发展" in shown
    assert "包头市" in shown and "推进中" in shown


def test_a_bulk_write_gives_the_page_cache_back(tmp_path: Path) -> None:
    """A pooled SQLite connection keeps its settings: the import's larger page cache is
    set back after it, also when the import fails."""
    from planner.store.bulk import bulk_writing
    from planner.store.db import create_schema, make_engine, session_scope
    from planner.store.sqlite_new import BULK_CACHE_KIB

    engine = make_engine(f"sqlite:///{tmp_path / 'plan.db'}")
    try:
        create_schema(engine)
        with session_scope(engine) as session:
            connection = session.connection()
            before = connection.execute(text("PRAGMA cache_size")).scalar()
            assert before != -BULK_CACHE_KIB
            with pytest.raises(RuntimeError), bulk_writing(session):
                assert connection.execute(text("PRAGMA cache_size")).scalar() == -BULK_CACHE_KIB
                raise RuntimeError("a late problem")
            assert connection.execute(text("PRAGMA cache_size")).scalar() == before
    finally:
        engine.dispose()
