"""Workbooks planner writes keep hostile text inert: never a formula, always storable.

Every check reads the saved file twice: with openpyxl, and as the raw sheet XML in the zip
(no `<f>` element anywhere, each payload an inline or shared string whose style carries
quotePrefix), over the ledger export (hidden columns included) and both weekly sheets.
"""
# ruff: noqa: F811  (the fixtures of tests/services/test_ledger.py, imported by name)

import sqlite3
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import Workbook, load_workbook

from planner.reports.xlsx_cells import CELL_LIMIT, put_value, storable_text
from tests.services.test_ledger import Cli, db, planner, template  # noqa: F401

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
PAYLOADS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1", "-2+3", "@SUM(A1)"]
TITLED = {"3.1": PAYLOADS[0], "3.2.1": PAYLOADS[2], "6.1.1": PAYLOADS[4]}
UNIT_NAMES = {"amr": PAYLOADS[1], "hhht": PAYLOADS[3]}
NOTES = {"5.1.4": PAYLOADS[0], "6.1.2": PAYLOADS[1], "6.1.3": PAYLOADS[2], "6.1.4": PAYLOADS[3],
         "6.2.1": PAYLOADS[4]}


def execute(db: Path, sql: str, *params: object) -> None:
    connection = sqlite3.connect(db)
    with connection:
        connection.execute(sql, params)
    connection.close()


def hostile_plan(planner: Cli, db: Path) -> None:
    """Titles, unit names and notes (recorded on 2021-06-29) that look like formulas."""
    for code, title in TITLED.items():
        execute(db, "UPDATE task SET title = ? WHERE code = ?", title, code)
    for unit, name in UNIT_NAMES.items():
        execute(db, "UPDATE unit SET name = ? WHERE id = ?", name, unit)
    for code, note in NOTES.items():
        result = planner("--today", "2021-06-29", "update", code, "--progress", "10", "--by",
                         "hhht", f"--note={note}")
        assert result.code == 0, result.err


def sheet_cells(path: Path) -> dict[str, list[tuple[str, str | None, bool, bool]]]:
    """Sheet part → (text, cell type, quote-prefixed, has a formula) of every cell, from XML."""
    with zipfile.ZipFile(path) as archive:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
        xfs = styles.find(f"{MAIN}cellXfs").findall(f"{MAIN}xf")
        quoted = [xf.get("quotePrefix") == "1" for xf in xfs]
        shared: list[str] = []
        if "xl/sharedStrings.xml" in archive.namelist():
            root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            shared = ["".join(si.itertext()) for si in root.findall(f"{MAIN}si")]
        found = {}
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/sheet"):
                continue
            root = ElementTree.fromstring(archive.read(name))
            cells = []
            for cell in root.iter(f"{MAIN}c"):
                kind = cell.get("t")
                value = cell.find(f"{MAIN}v")
                if kind == "inlineStr":
                    inline = cell.find(f"{MAIN}is")
                    text = "".join(inline.itertext()) if inline is not None else ""
                elif kind == "s":
                    text = shared[int(value.text)]
                else:
                    text = value.text if value is not None else ""
                cells.append((text, kind, quoted[int(cell.get("s", 0))],
                              cell.find(f"{MAIN}f") is not None))
            found[name] = cells
    return found


def assert_inert(path: Path, expected: dict[str, set[str]]) -> None:
    """No formula anywhere; every payload (the `expected` ones at least, per sheet part) is
    a quote-prefixed string, in the XML and as openpyxl reads it."""
    parts = sheet_cells(path)
    for part, cells in parts.items():
        assert not any(has_formula for *_, has_formula in cells), part
        seen = set()
        for text, kind, quoted, _ in cells:
            if text in PAYLOADS:
                assert kind in ("inlineStr", "s") and quoted, (part, text, kind, quoted)
                seen.add(text)
        assert expected.get(part, set()) <= seen, (part, expected[part] - seen)
    workbook = load_workbook(path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell)


def test_ledger_export_stores_formula_like_text_as_text(planner: Cli, db: Path,
                                                        tmp_path: Path) -> None:
    hostile_plan(planner, db)
    out = tmp_path / "ledger.xlsx"
    assert planner("ledger", "export", out).code == 0
    assert_inert(out, {"xl/worksheets/sheet1.xml": set(PAYLOADS)})
    sheet = load_workbook(out)["台账"]
    rows = {sheet.cell(row, 1).value: row for row in range(2, sheet.max_row + 1)}
    note, exported_note = sheet.cell(rows["5.1.4"], 12), sheet.cell(rows["5.1.4"], 17)
    assert sheet.column_dimensions["Q"].hidden
    assert note.value == exported_note.value == PAYLOADS[0]
    assert exported_note.data_type == "s" and exported_note.quotePrefix
    assert sheet.cell(rows["3.1"], 2).value == PAYLOADS[0]
    assert sheet.cell(rows["3.1"], 4).value == PAYLOADS[1]  # the lead's name


def test_weekly_xlsx_stores_formula_like_text_as_text_on_both_sheets(
        planner: Cli, db: Path, tmp_path: Path) -> None:
    hostile_plan(planner, db)
    out = tmp_path / "weekly.xlsx"
    result = planner("--today", "2021-07-02", "report", "weekly", "-o", out)
    assert result.code == 0, result.err
    assert_inert(out, {"xl/worksheets/sheet1.xml": set(PAYLOADS),
                       "xl/worksheets/sheet2.xml": set(PAYLOADS)})
    updates = load_workbook(out)["本周进展"]
    lines = [[c.value for c in row] for row in updates.iter_rows(min_row=2)]
    assert {line[9] for line in lines} == set(NOTES.values())
    assert {line[4] for line in lines} == {UNIT_NAMES["hhht"]}


def test_a_control_character_in_history_does_not_break_the_workbooks(
        planner: Cli, db: Path, tmp_path: Path) -> None:
    """A note stored before input was checked: replaced by U+FFFD, the rest kept."""
    assert planner("--today", "2021-06-29", "update", "5.1.4", "--progress", "10",
                   "--note", "placeholder").code == 0
    execute(db, "UPDATE progressupdate SET note = ? WHERE note = 'placeholder'",
            "会议\x01纪要\x1b[2J\x00完")
    ledger, weekly = tmp_path / "ledger.xlsx", tmp_path / "weekly.xlsx"
    exported = planner("ledger", "export", ledger)
    assert exported.code == 0, exported.err
    reported = planner("--today", "2021-07-02", "report", "weekly", "-o", weekly)
    assert reported.code == 0, reported.err
    shown = "会议\ufffd纪要\ufffd[2J\ufffd完"
    sheet = load_workbook(ledger).active
    assert shown in [sheet.cell(row, 12).value for row in range(2, sheet.max_row + 1)]
    assert [c.value for c in load_workbook(weekly)["本周进展"][2]][9] == shown


@pytest.mark.parametrize(("lang", "mark"), [("zh", "…（已截断，全文见系统）"),
                                            ("en", "… (truncated; full text in planner)")])
def test_text_longer_than_a_cell_is_cut_visibly(planner: Cli, db: Path, tmp_path: Path,
                                                lang: str, mark: str) -> None:
    assert planner("update", "5.1.4", "--note", "placeholder").code == 0
    execute(db, "UPDATE progressupdate SET note = ? WHERE note = 'placeholder'", "长" * 40_000)
    out = tmp_path / "ledger.xlsx"
    assert planner("--lang", lang, "ledger", "export", out).code == 0
    sheet = load_workbook(out).active
    notes = [sheet.cell(row, 12).value for row in range(2, sheet.max_row + 1)]
    [cut] = [note for note in notes if note]
    assert len(cut) == CELL_LIMIT and cut.endswith(mark) and cut.startswith("长" * 1000)


def test_put_value_is_the_only_way_in() -> None:
    """Error codes stay text, unstorable characters are replaced, short text is untouched."""
    sheet = Workbook().active
    cases = {"#N/A": "#N/A", "\t=1": "\t=1", "a\ud800b": "a\ufffdb", "x\uffffy": "x\ufffdy",
             "行1\n行2\t列": "行1\n行2\t列", "普通": "普通"}
    for row, (given, stored) in enumerate(cases.items(), 1):
        cell = sheet.cell(row, 1)
        put_value(cell, given, "zh")
        assert (cell.value, cell.data_type) == (stored, "s"), given
        assert cell.quotePrefix == given.startswith("\t")
    number = sheet.cell(9, 1)
    put_value(number, 0.5, "zh")
    assert (number.value, number.data_type, number.quotePrefix) == (0.5, "n", False)
    exact = "x" * CELL_LIMIT
    assert storable_text(exact, "zh") == exact
