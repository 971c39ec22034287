"""Unit aliases (简称) and unit groups (各盟市) in the plan file: read, checked, located."""

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from planner.core.errors import PlannerError
from planner.services.intake import bundled_registry
from planner.services.plan_yaml import parse_plan
from tests.intake_support import XCB, paragraphs, write_paragraph_docx

Cli = Callable[..., object]

HEAD = "plan: {title: t, period: {start: 2026-01-01, end: 2026-12-31}}\n"
UNITS = ("units:\n"
         "  - {id: amr, name: 自治区市场监管局（知识产权局）, aliases: [自治区知识产权局]}\n"
         "  - {id: bt, name: 包头市, kind: league}\n"
         "  - {id: hhht, name: 呼和浩特市, kind: league}\n")


def test_aliases_and_groups_are_read() -> None:
    spec = parse_plan(HEAD + UNITS + "groups:\n  - {id: two, name: 两市, members: [hhht, bt],"
                      " aliases: [呼包]}\n", "p.yaml")
    assert spec.units[0].aliases == ["自治区知识产权局"]
    [group] = spec.groups
    assert (group.id, group.name, group.members, group.aliases) == ("two", "两市",
                                                                   ["hhht", "bt"], ["呼包"])


@pytest.mark.parametrize(("groups", "where", "words"), [
    ("  - {id: two, name: 两市, members: [hhht, zz]}\n", "p.yaml:7:41", '未知单位"zz"'),
    ("  - {id: bt, name: 两市, members: [hhht]}\n", "p.yaml:7:10", '"bt" 与已有的单位'),
    ("  - {id: two, name: 包头市, members: [hhht]}\n", "p.yaml:7:21", "与 p.yaml:4:5"),
    ("  - {id: two, name: 两市, members: [bt], aliases: [自治区知识产权局]}\n", "p.yaml:7:50",
     '"自治区知识产权局"'),
    ("  - {id: two, name: 两市}\n", "p.yaml:7:5", "缺少 members"),
])
def test_a_bad_group_is_a_located_error(groups: str, where: str, words: str) -> None:
    with pytest.raises(PlannerError) as raised:
        parse_plan(HEAD + UNITS + "groups:\n" + groups, "p.yaml")
    assert raised.value.where == where and words in raised.value.message("zh")


def test_an_alias_may_not_repeat_another_units_name() -> None:
    units = UNITS.replace("kind: league}\n  - {id: hhht", "kind: league, aliases: [包头]}\n"
                          "  - {id: hhht", 1).replace("呼和浩特市, kind: league}",
                                                       "呼和浩特市, kind: league, aliases: [包头]}")
    with pytest.raises(PlannerError) as raised:
        parse_plan(HEAD + units, "p.yaml")
    assert '"包头"' in raised.value.message("zh")


def test_the_bundled_registry_carries_the_usual_aliases_and_the_leagues() -> None:
    registry = bundled_registry()
    for name, unit in [("自治区知识产权局", "amr"), ("自治区市场监管局", "amr"),
                       ("自治区科技厅", "kjt"), ("自治区高院", "fy"), ("包头市人民政府", "bt")]:
        assert registry.resolve(name).unit_ids == (unit,)  # type: ignore[union-attr]
    leagues = registry.resolve("各盟市")
    assert leagues is not None and len(leagues.unit_ids) == 12


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_aliases_and_groups_are_stored_and_exported(bundled_db: Path, cli: Cli) -> None:
    assert _rows(bundled_db, "select name from unitalias where unit_id = 'kjt'") == [
        ("自治区科技厅",)]
    assert _rows(bundled_db, "select name, members from unitgroup order by position") == [
        ("各盟市", "hhht,bt,hlbe,xam,tl,cf,xlgl,wlcb,eeds,byne,wh,als"),
        ("呼包鄂乌", "hhht,bt,eeds,wlcb")]
    exported = yaml.safe_load(cli("--db", bundled_db, "export", "-").out)
    amr = next(unit for unit in exported["units"] if unit["id"] == "amr")
    assert amr["aliases"] == ["自治区知识产权局", "自治区市场监管局", "自治区市场监督管理局",
                              "区市场监管局"]
    assert exported["groups"][1] == {"id": "hbew", "name": "呼包鄂乌",
                                     "members": ["hhht", "bt", "eeds", "wlcb"]}


def test_an_alias_another_unit_holds_is_refused_and_nothing_changes(
        tmp_path: Path, bundled_db: Path, cli: Cli, db_dump: Callable[[Path], str]) -> None:
    plan = tmp_path / "more.yaml"
    plan.write_text(HEAD.replace("title: t", "title: 内蒙古自治区\"十四五\"知识产权工作重点任务")
                    .replace("2026-01-01", "2021-01-01").replace("2026-12-31", "2025-12-31")
                    + "units:\n  - {id: xcb, name: 自治区党委宣传部, aliases: [自治区科技厅]}\n",
                    encoding="utf-8")
    before = db_dump(bundled_db)
    result = cli("--db", bundled_db, "import", plan)
    assert result.code == 2 and '简称"自治区科技厅"已属于单位 kjt' in result.err
    assert db_dump(bundled_db) == before


def test_intake_resolves_the_databases_own_aliases(tmp_path: Path, bundled_db: Path,
                                                   cli: Cli) -> None:
    plan = tmp_path / "more.yaml"
    plan.write_text(HEAD.replace("2026-01-01", "2021-01-01").replace("2026-12-31", "2025-12-31")
                    .replace("title: t", "title: 内蒙古自治区\"十四五\"知识产权工作重点任务")
                    + f"units:\n  - {{id: xcb, name: {XCB}, aliases: [自治区版权局]}}\n",
                    encoding="utf-8")
    assert cli("--db", bundled_db, "import", plan).code == 0
    lines = paragraphs()
    lines[7] = lines[7].replace(XCB, "自治区版权局")
    source = write_paragraph_docx(tmp_path / "plan.docx", lines)
    result = cli("--db", bundled_db, "intake", source, "-o", tmp_path / "out.yaml")
    assert result.code == 0, result.err
    assert "单位 自治区版权局 → xcb（简称）" in result.out.splitlines()
