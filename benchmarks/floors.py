"""The floors, as whole processes like the figures they bound: the least any program in Python
could do for the same answer. Standard library only (Textual alone for the terminal floor), so
the floor pays no import of planner.

    python benchmarks/floors.py read DB      # fetch every item row with the sqlite3 module
    python benchmarks/floors.py rollup DB    # the same, then one weighted rollup pass
    python benchmarks/floors.py write N DB   # insert N item rows into a new SQLite file
    python benchmarks/floors.py docx FILE    # the text of every paragraph of a .docx
    python benchmarks/floors.py history DB   # fetch every item row and every recorded event
    python benchmarks/floors.py textual      # a bare Textual app showing one row (run it in a
                                             # terminal: it stays open until killed)
"""

import sqlite3
import sys
import zipfile
from xml.etree import ElementTree

ITEM_ROWS = ("SELECT id, code, title, parent_id, position, start, due, status, progress, weight "
             "FROM task WHERE archived = 0")


def read(path: str) -> list[tuple]:  # type: ignore[type-arg]
    """Every item row, as the driver gives it."""
    with sqlite3.connect(path) as connection:
        return connection.execute(ITEM_ROWS).fetchall()


def rollup(path: str) -> dict[int, float]:
    """Read, then one pass from the deepest rows up: each parent gets the weighted mean of
    its children's progress (what a tree's figures need at the least)."""
    rows = read(path)
    parent_of = {row[0]: row[3] for row in rows}
    weight_of = {row[0]: row[9] or 1.0 for row in rows}
    sums: dict[int, list[float]] = {}
    progress: dict[int, float] = {}
    for row in sorted(rows, key=lambda row: -row[1].count(".")):
        task_id = row[0]
        total = sums.get(task_id)
        progress[task_id] = total[0] / total[1] if total else float(row[8] or 0)
        parent = parent_of[task_id]
        if parent is not None:
            entry = sums.setdefault(parent, [0.0, 0.0])
            entry[0] += progress[task_id] * weight_of[task_id]
            entry[1] += weight_of[task_id]
    return progress


def history(path: str) -> int:
    """Every item row, then every recorded event (updates, deadline moves, cycle steps): what
    an assessment must at least read."""
    with sqlite3.connect(path) as connection:
        rows = len(connection.execute(ITEM_ROWS).fetchall())
        for query in ("SELECT task_id, at, old_status, new_status, by_unit FROM progressupdate",
                      "SELECT task_id, at, old_due, new_due FROM duechange",
                      "SELECT task_id, kind, at, by_unit, unit_id FROM cycleevent"):
            rows += len(connection.execute(query).fetchall())
    return rows


def write(count: int, path: str) -> None:
    """`count` item-like rows into a new file, one transaction."""
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE task (id INTEGER PRIMARY KEY, code TEXT UNIQUE, "
                           "title TEXT, parent_id INTEGER, due TEXT, status TEXT)")
        connection.executemany("INSERT INTO task VALUES (?, ?, ?, ?, ?, ?)", (
            (index, f"c{index}", f"事项{index}", index // 10 or None, "2025-12-31",
             "in_progress") for index in range(1, count + 1)))


def docx_text(path: str) -> list[str]:
    """Every paragraph's text of a .docx: unzip word/document.xml, parse it, join the runs."""
    word = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    return ["".join(text.text or "" for text in paragraph.iter(f"{word}t"))
            for paragraph in root.iter(f"{word}p")]


def textual_row() -> None:
    """A bare Textual app whose one widget shows a row with a figure: Textual's own start to
    a first frame, which the TUI pays before any of its work."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("1  总计  100%")

    Bare().run()


if __name__ == "__main__":
    mode, *arguments = sys.argv[1:]
    if mode == "read":
        read(arguments[0])
    elif mode == "rollup":
        rollup(arguments[0])
    elif mode == "write":
        write(int(arguments[0]), arguments[1])
    elif mode == "docx":
        docx_text(arguments[0])
    elif mode == "history":
        history(arguments[0])
    elif mode == "textual":
        textual_row()
    else:
        raise SystemExit(f"unknown floor: {mode}")
