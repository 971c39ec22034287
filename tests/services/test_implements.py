"""Links between plans (落实): `implements` in a plan file, checked at its line and column,
shown both ways by `planner show`, exported back, and the 未分解 report — over the real CLI
on SQLite and PostgreSQL."""

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult

Cli = Callable[..., CliResult]

FIVE_YEAR = """
plan:
  id: sw15
  kind: five-year
  title: 十五五规划
  period: {start: 2026-01-01, end: 2030-12-31}
units:
  - {id: amr, name: 自治区市场监管局（知识产权局）}
tasks:
  - code: "3"
    title: 体系建设
    lead: amr
    children:
      - {code: "3.1", title: 保护中心, lead: amr}
      - {code: "3.2", title: 快维中心, lead: amr}
      - {code: "3.3", title: 展示中心, lead: amr, status: done}
  - code: "4"
    title: 创新发展
    lead: amr
    children:
      - {code: "4.1", title: 转化计划, lead: amr}
      - {code: "4.2", title: 绿色园区, lead: amr}
"""
ANNUAL = """
plan:
  id: "2026"
  kind: annual
  parent: sw15
  title: 2026年度推进计划
  period: {start: 2026-01-01, end: 2026-12-31}
units:
  - {id: amr, name: 自治区市场监管局（知识产权局）}
tasks:
  - code: "1"
    title: 第一领域
    lead: amr
    children:
      - {code: "1.1", title: 建设保护中心二期, lead: amr, implements: [sw15:3.1],
         status: in_progress, progress: 30}
      - {code: "1.2", title: 推进创新发展, lead: amr, implements: [REF]}
"""


@pytest.fixture
def programme(backend_url: str, cli: Cli, tmp_path: Path) -> tuple[str, Path]:
    five = tmp_path / "sw15.yaml"
    five.write_text(FIVE_YEAR, encoding="utf-8")
    assert cli("--db", backend_url, "--today", "2026-03-01", "init", "--file", five).code == 0
    return backend_url, tmp_path


def add_annual(cli: Cli, url: str, folder: Path, ref: str) -> CliResult:
    annual = folder / "2026.yaml"
    annual.write_text(ANNUAL.replace("REF", ref), encoding="utf-8")
    return cli("--db", url, "--today", "2026-03-01", "plans", "add", annual)


@pytest.mark.parametrize(("ref", "message"), [
    ("sw16:3.1", "2026.yaml:17:62: implements 引用的计划 sw16 不存在；现有计划：sw15"),
    ("sw15:3.9", "2026.yaml:17:62: implements 引用的事项 sw15:3.9 不存在"),
    ("3.1", "2026.yaml:17:62: implements 的每一项应写作 计划:编码"),
])
def test_a_bad_reference_is_refused_at_its_line_and_column(
        programme: tuple[str, Path], cli: Cli, ref: str, message: str) -> None:
    url, folder = programme
    result = add_annual(cli, url, folder, ref)
    assert result.code == 2 and message in result.err, result.err
    plans = cli("--db", url, "--today", "2026-03-01", "plans")
    assert "2026年度推进计划" not in plans.out  # nothing written


def test_links_both_ways_export_and_undecomposed(programme: tuple[str, Path],
                                                 cli: Cli) -> None:
    url, folder = programme
    assert add_annual(cli, url, folder, "sw15:4").code == 0
    five = cli("--db", url, "--today", "2026-03-01", "show", "sw15:3.1").out
    assert "落实事项：2026:1.1 建设保护中心二期（推进中 30%）" in five
    annual = cli("--db", url, "--today", "2026-03-01", "show", "2026:1.1").out
    assert "落实：sw15:3.1 保护中心（未启动 0%）" in annual
    english = cli("--db", url, "--today", "2026-03-01", "--lang", "en", "show", "2026:1.2").out
    assert "Carries out: sw15:4 创新发展" in english
    exported = cli("--db", url, "--plan", "2026", "export", "-").out
    assert "implements:\n    - sw15:3.1\n" in exported
    # 3.1 carried out, 3.3 done, 4.x under 4 which is carried out: only 3.2 is left.
    report = cli("--db", url, "--today", "2026-03-01", "--plan", "sw15", "report",
                 "undecomposed", "--format", "md")
    assert report.code == 0, report.err
    assert [line.split(" | ")[0] for line in report.out.splitlines()
            if line.startswith("| ") and "---" not in line][1:] == ["| 3.2"]
    # Outside the annual plan's year nothing is carried out.
    next_year = cli("--db", url, "--today", "2027-03-01", "--plan", "sw15", "report",
                    "undecomposed", "--format", "md").out
    assert "共 4 项未完成事项" in next_year


def test_reimport_replaces_the_links(programme: tuple[str, Path], cli: Cli) -> None:
    url, folder = programme
    assert add_annual(cli, url, folder, "sw15:3.2").code == 0
    annual = folder / "2026.yaml"
    annual.write_text(ANNUAL.replace("REF", "sw15:4.2"), encoding="utf-8")
    assert cli("--db", url, "--today", "2026-03-02", "import", annual).code == 0
    assert "落实事项" not in cli("--db", url, "--today", "2026-03-02", "show", "sw15:3.2").out
    assert "落实事项：2026:1.2 推进创新发展" in cli("--db", url, "--today", "2026-03-02",
                                                   "show", "sw15:4.2").out
