"""A ledger is applied only where it belongs, read only as far as it is sane.

Identity (the plan it was exported from), the reporting unit's own items, formulas without a
value, duplicate headers, and bounds checked on the zip before anything is parsed. CLI checks
run `planner` in a subprocess: exit 2, one line, the database as it was.
"""
# ruff: noqa: F811  (the fixtures of tests/services/test_ledger.py, imported by name)

import io
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.core.errors import PlannerError
from planner.services.ledger import IDENTITY_SHEET, LedgerLimits, MiB, read_ledger
from tests.conftest import sqlite_dump
from tests.services.test_ledger import (  # noqa: F401
    NOTE,
    PROGRESS,
    STATUS,
    Cli,
    db,
    fill_in,
    history,
    planner,
    rows_by_code,
    template,
)
from tests.tui_support import BUNDLED

ROOT = Path(__file__).resolve().parents[2]


def run(db: Path, *args: object) -> subprocess.CompletedProcess[str]:
    """`planner` as a user runs it, in its own process."""
    env = {**os.environ, "PLANNER_LANG": "zh"}
    return subprocess.run([sys.executable, "-m", "planner", "--db", str(db), "--today",
                           "2021-06-30", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120, check=False)


def refused(db: Path, *args: object) -> str:
    """Run; assert exit 2, one line on stderr and the database unchanged; return that line."""
    before = sqlite_dump(db)
    result = run(db, *args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert sqlite_dump(db) == before
    return result.stderr.strip()


@pytest.fixture
def exported(planner: Cli, tmp_path: Path) -> Path:
    path = tmp_path / "ledger.xlsx"
    assert planner("ledger", "export", path).code == 0
    return path


def rewrite(source: Path, target: Path, parts: dict[str, bytes | None]) -> None:
    """Copy a workbook's zip, replacing (or, with None, dropping) some parts."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w",
                                                         zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in parts:
                continue
            new.writestr(info, old.read(info.filename))
        for name, data in parts.items():
            if data is not None:
                new.writestr(name, data)


# ---------------------------------------------------------------------------------------------
# Identity


def test_a_ledger_from_another_database_is_refused(exported: Path, tmp_path: Path,
                                                   cli: Cli) -> None:
    other = tmp_path / "other.db"
    assert cli("--db", other, "init", "--file", BUNDLED).code == 0  # same codes, new identity
    filled = tmp_path / "filled.xlsx"
    fill_in(exported, filled, {"3.1": {STATUS: "推进中", PROGRESS: 0.2}})
    line = refused(other, "ledger", "import", filled, "--by", "amr", "--apply")
    assert line.startswith("filled.xlsx: ") and "另一计划或另一数据库" in line
    assert "十四五" in line  # the plan it came from
    english = cli("--db", other, "--lang", "en", "ledger", "import", filled)
    assert english.code == 2 and "exported from another plan or database" in english.err


def test_a_workbook_without_the_plan_identity_is_refused(exported: Path, db: Path,
                                                         tmp_path: Path) -> None:
    workbook = load_workbook(exported)
    del workbook[IDENTITY_SHEET]
    stripped = tmp_path / "stripped.xlsx"
    workbook.save(stripped)
    line = refused(db, "ledger", "import", stripped)
    assert line.startswith("stripped.xlsx: ") and "缺少计划标识" in line


def test_the_identity_survives_a_unit_saving_the_workbook(exported: Path, db: Path,
                                                          tmp_path: Path, planner: Cli) -> None:
    filled = tmp_path / "filled.xlsx"
    fill_in(exported, filled, {"3.1": {STATUS: "推进中", PROGRESS: 0.2}})
    assert load_workbook(filled)[IDENTITY_SHEET].sheet_state == "veryHidden"
    result = planner("ledger", "import", filled, "--by", "amr", "--apply")
    assert result.code == 0, result.err
    assert history(db)[-1][:2] == ("3.1", "amr")


# ---------------------------------------------------------------------------------------------
# The reporting unit's own items


def test_by_unit_must_lead_or_support_every_changed_item(exported: Path, db: Path,
                                                         tmp_path: Path, cli: Cli) -> None:
    """hhht supports 3.2.1 only: its rows on amr's items are listed and nothing is applied,
    with no users defined (trust mode) and for a coordinator alike."""
    filled = tmp_path / "filled.xlsx"
    fill_in(exported, filled, {"3.2.1": {PROGRESS: 0.3}, "3.1": {STATUS: "推进中"},
                               "6.1.1": {NOTE: "代报"}})
    line = refused(db, "ledger", "import", filled, "--by", "hhht", "--apply")
    assert line.startswith("filled.xlsx: ") and "hhht" in line
    assert line.endswith("：3.1、6.1.1")
    assert cli("--db", db, "--as", "boss", "user", "add", "boss", "--coordinator").code == 0
    line = refused(db, "--as", "boss", "ledger", "import", filled, "--by", "hhht", "--apply")
    assert line.endswith("：3.1、6.1.1")
    fill_in(exported, filled, {"3.2.1": {PROGRESS: 0.3}})
    result = cli("--db", db, "--as", "boss", "ledger", "import", filled, "--by", "hhht",
                 "--apply")
    assert result.code == 0, result.err
    assert history(db)[-1][:3] == ("3.2.1", "hhht", "boss")


# ---------------------------------------------------------------------------------------------
# What the sheet holds


def test_a_formula_without_a_computed_value_is_refused(exported: Path, db: Path,
                                                       tmp_path: Path) -> None:
    filled = tmp_path / "filled.xlsx"
    rows = fill_in(exported, filled, {"3.1": {PROGRESS: "=20%+10%"}})
    line = refused(db, "ledger", "import", filled, "--apply")
    assert line.startswith(f"filled.xlsx:台账!I{rows['3.1']}: ") and "公式" in line
    rows = fill_in(exported, filled, {"3.2.1": {17: '=CONCAT("a","b")'}})  # a hidden column
    line = refused(db, "ledger", "import", filled, "--apply")
    assert line.startswith(f"filled.xlsx:台账!Q{rows['3.2.1']}: ")


def test_two_columns_with_the_same_header_are_refused(exported: Path, db: Path,
                                                      tmp_path: Path) -> None:
    workbook = load_workbook(exported)
    sheet = workbook["台账"]
    sheet["R1"] = "进度"
    sheet["R5"] = 0.9
    doubled = tmp_path / "doubled.xlsx"
    workbook.save(doubled)
    line = refused(db, "ledger", "import", doubled, "--apply")
    assert line.startswith("doubled.xlsx:台账!1:1: ") and "I1" in line and "R1" in line


# ---------------------------------------------------------------------------------------------
# Bounds, checked before openpyxl parses anything


def read_refused(path: Path, **limits: int) -> str:
    with pytest.raises(PlannerError) as caught:
        read_ledger(path, limits=LedgerLimits(**limits))
    zh, en = caught.value.msg.render("zh"), caught.value.msg.render("en")
    return f"{caught.value.where}: {zh} | {en}"


def test_a_sheet_that_inflates_is_refused_from_the_zip_directory(exported: Path, db: Path,
                                                                  tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    rewrite(exported, bomb, {"xl/worksheets/sheet1.xml": b"0" * (129 * MiB)})
    assert bomb.stat().st_size < MiB
    started = time.monotonic()
    line = refused(db, "ledger", "import", bomb)
    assert line.startswith("bomb.xlsx:xl/worksheets/sheet1.xml: ") and "128 MiB" in line
    assert time.monotonic() - started < 30
    small = tmp_path / "small.xlsx"
    rewrite(exported, small, {"xl/worksheets/sheet1.xml": b"0" * (3 * MiB)})
    assert "its uncompressed size is over 1 MiB" in read_refused(small, part_bytes=MiB)
    assert "all parts uncompressed is over 2 MiB" in read_refused(small, total_bytes=2 * MiB)
    styled = tmp_path / "styled.xlsx"
    rewrite(exported, styled, {"xl/styles.xml": b" " * (2 * MiB)})
    assert read_refused(styled, other_part_bytes=MiB).startswith(
        "styled.xlsx:xl/styles.xml: 工作簿超出导入限制：解压后大小超过 1 MiB")
    strings = tmp_path / "strings.xlsx"
    rewrite(exported, strings, {"xl/sharedStrings.xml": b" " * (2 * MiB)})
    assert read_refused(strings, shared_strings_bytes=MiB).startswith(
        "strings.xlsx:xl/sharedStrings.xml: ")


def test_a_zip_directory_that_lies_about_sizes_does_not_help(exported: Path,
                                                             tmp_path: Path) -> None:
    """The directory says 1,000 bytes; reading stops there, and the mismatch is refused."""
    data = io.BytesIO()
    with zipfile.ZipFile(exported) as old, zipfile.ZipFile(data, "w",
                                                           zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                new.writestr(info.filename, old.read(info.filename))
        new.writestr("xl/worksheets/sheet1.xml", b"0" * (3 * MiB))
    raw = bytearray(data.getvalue())
    name = b"xl/worksheets/sheet1.xml"
    lied = (1000).to_bytes(4, "little")
    local = raw.rfind(b"PK\x03\x04", 0, raw.rfind(name, 0, raw.rfind(b"PK\x01\x02")) + 1)
    assert raw[local + 30: local + 30 + len(name)] == name
    raw[local + 22: local + 26] = lied  # local header: uncompressed size
    central = raw.rfind(b"PK\x01\x02")
    while raw[central + 46: central + 46 + len(name)] != name:
        central = raw.rfind(b"PK\x01\x02", 0, central)
    raw[central + 24: central + 28] = lied  # central directory: uncompressed size
    liar = tmp_path / "liar.xlsx"
    liar.write_bytes(bytes(raw))
    message = read_refused(liar, part_bytes=MiB)
    assert message.startswith("liar.xlsx: 无法读取")


def test_too_many_parts_rows_or_characters_are_refused(exported: Path, tmp_path: Path) -> None:
    assert "the number of parts (files) is over 5 parts" in read_refused(exported, parts=5)
    message = read_refused(exported, rows=50)
    assert message.startswith("ledger.xlsx:台账: 工作簿超出导入限制：行数超过 50 行")
    filled = tmp_path / "long.xlsx"
    rows = fill_in(exported, filled, {"3.1": {NOTE: "长" * 101}})
    message = read_refused(filled, cell_chars=100)
    assert message.startswith(f"long.xlsx:台账!L{rows['3.1']}: ")
    assert "the cell's text is over 100 characters" in message
    assert "the file's size" in read_refused(exported, file_bytes=1000)


def test_a_sheet_of_many_rows_stops_at_the_row_limit(exported: Path, tmp_path: Path) -> None:
    """A sheet claiming row 1,048,576: the reader stops at the limit, not at the last row."""
    with zipfile.ZipFile(exported) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>9.9</t></is></c></row>'
    sheet = sheet.replace(b"</sheetData>", far + b"</sheetData>")
    tall = tmp_path / "tall.xlsx"
    rewrite(exported, tall, {"xl/worksheets/sheet1.xml": sheet})
    started = time.monotonic()
    assert "行数超过 1,000 行" in read_refused(tall, rows=1000)
    assert time.monotonic() - started < 10


def test_an_entity_declaration_is_refused(exported: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(exported) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    laughs = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')
    evil = tmp_path / "evil.xlsx"
    rewrite(exported, evil, {"xl/worksheets/sheet1.xml": laughs + sheet})
    assert "DTD" in read_refused(evil)


# ---------------------------------------------------------------------------------------------
# Files that are not ledgers


@pytest.mark.parametrize("kind", ["directory", "not a zip", "corrupt"])
def test_not_a_workbook_is_one_line(exported: Path, db: Path, tmp_path: Path,
                                    kind: str) -> None:
    if kind == "directory":
        target = tmp_path / "folder.xlsx"
        target.mkdir()
        expected = "这是一个目录"
    elif kind == "not a zip":
        target = tmp_path / "plain.xlsx"
        target.write_text("编码,状态\n3.1,推进中\n", encoding="utf-8")
        expected = "无法读取"
    else:
        target = tmp_path / "cut.xlsx"
        shutil.copy(exported, target)
        data = target.read_bytes()
        target.write_bytes(data[: len(data) // 3] + data[-200:])
        expected = "无法读取"
    line = refused(db, "ledger", "import", target, "--apply")
    assert expected in line and target.name in line
