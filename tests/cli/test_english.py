"""`--lang en` speaks English everywhere: every command and sub-command, its help, the files
it writes, and every refusal, on a plan whose own data is ASCII, so any CJK character or
full-width punctuation in the output comes from the program.

Each test runs its whole list and then reports every offending line at once, with the command
that printed it."""

import argparse
import gzip
import sqlite3
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from planner.cli import build_parser, main
from tests.i18n_support import not_english

TODAY = "2021-07-01"
PLAN = """\
plan:
  title: Regional IP work plan
  period: {start: 2021-01-01, end: 2025-12-31}
  report_cycle: weekly
  rollup: weighted
  warn: {tolerance: 10, due_soon_days: 14}
  source: Work report, April 2021

units:
  - {id: hq, name: Head Office, kind: department}
  - {id: north, name: North Branch, kind: league}
  - {id: south, name: South Branch, kind: league}
  - {id: nat, name: National Office, kind: external}

tasks:
  - code: "1"
    title: Build the base
    description: Groundwork for the plan period.
    lead: hq
    source: Build the base and raise capacity.
    children:
      - code: "1.1"
        title: Write the guide
        lead: hq
        support: [north, south]
        due: 2021-05-31
        coordination: needs a budget decision
      - code: "1.2"
        title: Train the staff
        lead: north
        start: 2021-01-01
        due: 2021-12-31
        status: in_progress
        progress: 20
      - code: "1.3"
        title: Close the old register
        lead: south
        due: 2021-03-31
        status: done
        progress: 100
  - code: "2"
    title: Outreach
    lead: hq
    children:
      - code: "2.1"
        title: Awareness week
        lead: south
        start: 2021-04-20
        repeat: {rule: "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=20", duration: 7}
      - code: "2.2"
        title: Publish cases
        lead: north
        support: [nat]
        due: 2021-07-10
        weight: 2

indicators:
  - {code: I1, name: Grant time, unit: months, baseline: 36, target: 3, direction: down,
     task: "1.1"}
  - code: I2
    name: Patents per 10k people
    unit: patents
    baseline: 2.5
    target: 4
    task: "1.2"
    targets: {2021: 2.8, 2025: 4}
    readings:
      - {date: 2021-03-31, value: 2.6, source: statistics office}
"""


class Transcript:
    """Runs `planner --lang en …` in-process and keeps every line that is not English."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.user: str | None = None  # --as, once the database has users
        self.offending: list[str] = []

    def run(self, *args: str | Path, status: int | None = 0, db: bool = True) -> str:
        """Run one command; check its output; return its standard output. `status` is the exit
        status expected (None: any)."""
        argv = [*(("--db", str(self.db)) if db else ()),
                *(("--as", self.user) if self.user else ()),
                "--today", TODAY, "--lang", "en", *map(str, args)]
        out, err = StringIO(), StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exit_:  # --help and argparse's own refusals
                code = exit_.code if isinstance(exit_.code, int) else 1
        shown = " ".join(map(str, args))
        if status is not None and code != status:
            self.offending.append(f"planner {shown}: exit {code}, expected {status}: "
                                  f"{err.getvalue().strip()}")
        self.check(f"planner {shown}", out.getvalue() + err.getvalue())
        return out.getvalue()

    def refuse(self, *args: str | Path, db: bool = True) -> None:
        """Run a command that must be refused: exit 2 and one line."""
        self.run(*args, status=2, db=db)

    def check(self, what: str, text: str) -> None:
        """Note every line of `text` (what `what` wrote) that is not English."""
        self.offending += [f"{what}: {line}" for line in not_english(text)]

    def check_workbook(self, what: str, path: Path) -> None:
        """Note every text cell of the workbook at `path` that is not English (sheet names
        included)."""
        workbook = load_workbook(path)
        for sheet in workbook.worksheets:
            self.check(f"{what} [sheet]", sheet.title)
            for row in sheet.iter_rows(values_only=True):
                self.check(f"{what} [{sheet.title}]",
                           "\n".join(v for v in row if isinstance(v, str)))

    def assert_english(self) -> None:
        """One assertion listing every offending line."""
        assert not self.offending, (f"{len(self.offending)} lines not in English:\n"
                                    + "\n".join(self.offending))


@pytest.fixture
def transcript(tmp_path: Path) -> Iterator[Transcript]:
    """A transcript on a database initialised from the ASCII plan."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    record = Transcript(tmp_path / "plan.db")
    record.run("init", "--file", plan)
    yield record


def _sub_commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
                  ) -> Iterator[tuple[str, ...]]:
    """Every command path of `parser`: (), ("tree",), ("meeting", "new"), …"""
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _sub_commands(sub, (*prefix, name))


def test_every_help_is_english(tmp_path: Path) -> None:
    record = Transcript(tmp_path / "unused.db")
    paths = list(_sub_commands(build_parser("en")))
    assert ("meeting", "decide") in paths and ("user", "grant") in paths and len(paths) > 25
    for path in paths:
        record.run(*path, "--help", db=False)
    record.run("--version", db=False)
    record.assert_english()


def test_every_command_speaks_english(transcript: Transcript, tmp_path: Path) -> None:
    run = transcript.run
    plan = tmp_path / "plan.yaml"
    run("validate", plan)
    run("init", "--file", plan)  # already there: says so
    changed = tmp_path / "changed.yaml"
    changed.write_text(PLAN.replace("Publish cases", "Publish the cases"), encoding="utf-8")
    run("import", changed, "--dry-run")
    run("import", changed)
    for args in (("tree",), ("tree", "1", "--depth", "1"), ("tree", "--unit", "north"),
                 ("tree", "--warn", "red,yellow"), ("show", "1"), ("show", "1.1"),
                 ("show", "2.1@2021-04-20"), ("indicators",)):
        run(*args)
    run("update", "1.2", "--status", "in_progress", "--progress", "40", "--note", "halfway",
        "--by", "north")
    run("update", "1.1", "--status", "blocked", "--note", "waiting")
    run("update", "2.2", "--due", "2021-08-31", "--reason", "late data")
    run("update", "1.2", "--status", "done")
    run("reading", "I2", "2.7", "--date", "2021-06-30", "--source", "statistics office")
    run("reading", "I1", "20")
    run("flag", "2.2", "--reason", "needs the national office")
    run("unflag", "2.2")
    run("show", "1.2")
    run("show", "2.2")
    run("indicators")
    run("db", "current")
    run("db", "upgrade")

    for fmt in ("txt", "md", "html"):
        run("report", "weekly", "--format", fmt)
        out = tmp_path / f"weekly.{fmt}"
        run("report", "weekly", "-o", out)
        transcript.check(f"weekly.{fmt}", out.read_text(encoding="utf-8"))
    run("report", "weekly", "--unit", "north", "--week", "2021-W26")
    weekly_xlsx = tmp_path / "weekly.xlsx"
    run("report", "weekly", "-o", weekly_xlsx, "--date", "2021-06-30")
    transcript.check_workbook("weekly.xlsx", weekly_xlsx)

    ledger = tmp_path / "ledger.xlsx"
    run("ledger", "export", ledger)
    transcript.check_workbook("ledger.xlsx", ledger)
    workbook = load_workbook(ledger)
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    column = {name: headers.index(name) + 1 for name in ("Code", "Status", "Progress", "Note")}
    row = next(r for r in range(2, sheet.max_row + 1)
               if sheet.cell(r, column["Code"]).value == "2.2")
    sheet.cell(row, column["Progress"]).value = 0.5
    sheet.cell(row, column["Note"]).value = "draft sent"
    sheet.cell(row, column["Status"]).value = "in progress"
    filled = tmp_path / "filled.xlsx"
    workbook.save(filled)
    run("ledger", "import", filled, "--by", "north")
    run("ledger", "import", filled, "--by", "north", "--apply")

    run("meeting", "list")
    run("meeting", "new", "--date", "2021-07-20", "--title", "Joint meeting Q3",
        "--units", "hq,north,south")
    run("meeting", "new", "--date", "2021-08-03", "--title", "Office meeting", "--kind",
        "office", "--minutes", "60")
    run("meeting", "list")
    run("agenda")
    run("agenda", "1", "--format", "md")
    run("agenda", "1", "--refresh", "--exclude", "2", "--add", "Budget", "--minutes", "10",
        "--presenter", "hq")
    run("agenda", "1", "--include", "2", "--move", "1", "--to", "2")
    for fmt in ("txt", "md", "html"):
        out = tmp_path / f"agenda.{fmt}"
        run("agenda", "1", "-o", out)
        transcript.check(f"agenda.{fmt}", out.read_text(encoding="utf-8"))
    run("meeting", "show", "1")
    run("meeting", "decide", "1", "--text", "Fund the guide", "--about", "1.1", "--item", "1",
        "--action", "Draft the budget", "--lead", "hq", "--due", "2021-09-30", "--support",
        "north,south", "--action", "Report back", "--lead", "north", "--due", "2021-10-31")
    run("meeting", "decide", "1", "--text", "Noted")
    run("meeting", "held", "1")
    run("meeting", "show", "1")
    for fmt in ("txt", "md", "html"):
        run("meeting", "minutes", "1", "--format", fmt)
        out = tmp_path / f"minutes.{fmt}"
        run("meeting", "minutes", "1", "-o", out)
        transcript.check(f"minutes.{fmt}", out.read_text(encoding="utf-8"))
    run("tree")

    run("user", "list")
    run("user", "add", "chief", "--coordinator")
    transcript.user = "chief"
    run("user", "add", "clerk", "--unit", "north")
    run("user", "grant", "clerk", "--unit", "south")
    run("user", "grant", "clerk", "--coordinator")
    run("user", "list")

    export = tmp_path / "export.yaml"
    run("export", export)
    run("export", "-")
    for name in ("backup.db", "backup.json", "backup.json.gz"):
        run("backup", tmp_path / name)
    fresh = Transcript(tmp_path / "fresh.db")
    fresh.run("restore", tmp_path / "backup.json")
    fresh.user = "chief"  # the backup brought its users
    fresh.run("restore", tmp_path / "backup.db", "--force")
    fresh.run("tree")
    empty = Transcript(tmp_path / "empty.db")
    empty.run("init", "--file", plan)
    empty.run("backup", tmp_path / "no-users.json")
    fresh.run("restore", tmp_path / "no-users.json", "--force", "--allow-trust-mode")
    transcript.offending += fresh.offending + empty.offending
    transcript.assert_english()


def _bad_plans(tmp_path: Path) -> Iterator[Path]:
    """Plan files with each kind of error the loader reports."""
    def plan(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    yield tmp_path / "missing.yaml"
    yield tmp_path  # a folder
    yield plan("empty.yaml", "")
    yield plan("latin1.yaml", "plan: {title: caf\xe9}\n".encode("latin-1"))
    yield plan("control.yaml", "plan: {title: a\x07b}\n")
    yield plan("syntax.yaml", "plan: [unclosed\n")
    yield plan("alias.yaml", "a: &x {t: 1}\nplan: *x\n")
    yield plan("deep.yaml", "plan: " + "[" * 200 + "]" * 200 + "\n")
    yield plan("list.yaml", "- plan\n")
    yield plan("no-plan.yaml", "units: []\n")
    yield plan("unknown-top.yaml", PLAN + "extra: 1\n")
    yield plan("plan-fields.yaml", "plan: {title: x}\n")
    yield plan("period.yaml", "plan: {title: x, period: {start: 2021-01-01}}\n")
    yield plan("unit-scalar.yaml", PLAN.replace("  - {id: nat, name: National Office, "
                                                "kind: external}", "  - nat"))
    yield plan("unit-kind.yaml", PLAN.replace("kind: external", "kind: abroad"))
    yield plan("unit-missing.yaml", PLAN.replace("{id: nat, name: National Office, ",
                                                 "{id: nat, "))
    yield plan("unit-twice.yaml", PLAN.replace("id: nat,", "id: hq,"))
    yield plan("unit-name-twice.yaml", PLAN.replace("National Office", "Head Office"))
    yield plan("unknown-lead.yaml", PLAN.replace("lead: north", "lead: west"))
    yield plan("unknown-support.yaml", PLAN.replace("support: [nat]", "support: [west]"))
    yield plan("code-twice.yaml", PLAN.replace('code: "2.2"', 'code: "2.1"'))
    yield plan("no-code.yaml", PLAN.replace('  - code: "2"\n', "  - \n"))
    yield plan("no-title.yaml", PLAN.replace("title: Outreach", "description: Outreach"))
    yield plan("unknown-key.yaml", PLAN.replace("weight: 2", "weight: 2\n        colour: red"))
    yield plan("bad-date.yaml", PLAN.replace("due: 2021-07-10", "due: 2021-02-30"))
    yield plan("bad-date-text.yaml", PLAN.replace("due: 2021-07-10", "due: someday"))
    yield plan("due-early.yaml", PLAN.replace("due: 2021-12-31", "due: 2020-12-31"))
    yield plan("bad-status.yaml", PLAN.replace("status: in_progress", "status: finished"))
    yield plan("done-progress.yaml", PLAN.replace("progress: 100", "progress: 50"))
    yield plan("bad-progress.yaml", PLAN.replace("progress: 20", "progress: 120"))
    yield plan("bad-weight.yaml", PLAN.replace("weight: 2", "weight: heavy"))
    yield plan("bad-rule.yaml", PLAN.replace("FREQ=YEARLY;BYMONTH=4", "FREQ=SOMETIMES;BYMONTH=4"))
    yield plan("no-rule.yaml", PLAN.replace('rule: "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=20", ', ""))
    yield plan("empty-rule.yaml", PLAN.replace("start: 2021-04-20", "start: 2021-04-21\n"
                                               "        due: 2021-04-25"))
    yield plan("parent.yaml", PLAN + '  - {code: "9", title: Orphan, lead: hq, parent: "8"}\n')
    yield plan("indicator-task.yaml", PLAN.replace('task: "1.2"', 'task: "7.7"'))
    yield plan("indicator-twice.yaml", PLAN.replace("code: I2", "code: I1"))
    yield plan("indicator-missing.yaml", PLAN.replace("    name: Patents per 10k people\n", ""))
    yield plan("indicator-direction.yaml", PLAN.replace("direction: down", "direction: left"))
    yield plan("targets.yaml", PLAN.replace("targets: {2021: 2.8, 2025: 4}", "targets: [1]"))
    yield plan("target-year.yaml", PLAN.replace("2021: 2.8", "2030: 2.8"))
    yield plan("reading.yaml", PLAN.replace("date: 2021-03-31, ", ""))
    yield plan("long-title.yaml", PLAN.replace("Publish cases", "x" * 600))


def test_every_refusal_speaks_english(transcript: Transcript, tmp_path: Path) -> None:
    refuse = transcript.refuse
    for plan in _bad_plans(tmp_path):
        refuse("validate", plan)
    refuse("import", tmp_path / "bad-date.yaml")
    refuse("init", "--file", tmp_path / "missing.yaml")

    refuse("show", "9.9")
    refuse("show", "1.1@2030-01-01")
    refuse("tree", "9.9")
    refuse("tree", "--unit", "west")
    refuse("tree", "--warn", "purple")
    refuse("tree", "--depth", "0")
    refuse("update", "9.9", "--progress", "10")
    refuse("update", "1", "--progress", "10")  # has children
    refuse("update", "1.2", "--progress", "150")
    refuse("update", "1.2", "--progress", "abc")
    refuse("update", "1.2", "--status", "finished")
    refuse("update", "1.3", "--status", "not_started")  # not an allowed change
    refuse("update", "1.2", "--progress", "10", "--by", "west")
    refuse("update", "1.2")
    refuse("update", "1.2", "--reason", "x")
    refuse("update", "1.2", "--due", "2021-12-31")
    refuse("update", "1.2", "--due", "2021-02-30", "--reason", "x")
    refuse("update", "1.2", "--due", "2020-01-01", "--reason", "x")
    refuse("update", "1.2", "--due", "someday", "--reason", "x")
    refuse("update", "1.2", "--note", "a\x07b")
    refuse("update", "1.2", "--note", "x" * 5000)
    refuse("update", "1.2", "--note", "bad \udcff byte")
    refuse("reading", "I9", "3")
    refuse("reading", "I1", "three")
    refuse("reading", "I1", "3", "--date", "2021-13-01")
    refuse("flag", "9.9", "--reason", "x")
    refuse("flag", "1.1", "--reason", "")
    refuse("unflag", "9.9")
    refuse("--today", "someday", "tree", db=False)
    refuse("tree", "--db", tmp_path / "nowhere" / "plan.db", db=False)
    refuse("nosuchcommand")

    refuse("report", "weekly", "--week", "2021-W60")
    refuse("report", "weekly", "--week", "2021-W26", "--date", "2021-06-30")
    refuse("report", "weekly", "--date", "someday")
    refuse("report", "weekly", "--unit", "west")
    refuse("report", "weekly", "--format", "xlsx")
    refuse("report", "weekly", "-o", tmp_path / "no" / "such" / "folder" / "w.md")
    refuse("report", "weekly", "--format", "pdf")

    refuse("ledger", "export", tmp_path / "no" / "such" / "folder" / "l.xlsx")
    refuse("ledger", "import", tmp_path / "missing.xlsx")
    refuse("ledger", "import", tmp_path)
    not_xlsx = tmp_path / "not.xlsx"
    not_xlsx.write_text("hello", encoding="utf-8")
    refuse("ledger", "import", not_xlsx)
    old_xls = tmp_path / "old.xls"
    old_xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    refuse("ledger", "import", old_xls)
    for name, rows in (("no-code", [["Item", "Status"], ["x", "done"]]),
                       ("no-status", [["Code", "Item"], ["1.1", "x"]]),
                       ("foreign", [["Code", "Status"], ["1.1", "done"]])):
        workbook = Workbook()
        for row in rows:
            workbook.active.append(row)
        path = tmp_path / f"{name}.xlsx"
        workbook.save(path)
        refuse("ledger", "import", path)
    ledger = tmp_path / "ledger.xlsx"
    transcript.run("ledger", "export", ledger)
    for label, change in (("unknown-code", ("Code", "9.9")), ("bad-status", ("Status", "soon")),
                          ("bad-progress", ("Progress", "lots")),
                          ("formula", ("Progress", "=1+1"))):
        workbook = load_workbook(ledger)
        sheet = workbook.worksheets[0]
        headers = [cell.value for cell in sheet[1]]
        sheet.cell(3, headers.index(change[0]) + 1).value = change[1]
        if change[0] == "Code":
            sheet.cell(3, headers.index("Note") + 1).value = "note"
        path = tmp_path / f"ledger-{label}.xlsx"
        workbook.save(path)
        refuse("ledger", "import", path)

    refuse("meeting", "new", "--date", "someday", "--title", "x")
    refuse("meeting", "new", "--date", "2021-01-01", "--title", "Past")
    refuse("meeting", "new", "--date", "2021-07-20", "--title", "")
    refuse("meeting", "new", "--date", "2021-07-20", "--title", "x", "--minutes", "5")
    refuse("meeting", "new", "--date", "2021-07-20", "--title", "x", "--units", "west")
    refuse("meeting", "new", "--date", "2021-07-20", "--title", "x", "--kind", "party")
    refuse("meeting", "show")
    refuse("meeting", "show", "abc")
    refuse("meeting", "show", "99")
    refuse("meeting", "show", "99999999999999999999")
    refuse("agenda")
    transcript.run("meeting", "new", "--date", "2021-07-20", "--title", "Joint meeting")
    refuse("meeting", "decide", "1", "--text", "x", "--lead", "hq")
    refuse("agenda", "1", "--exclude", "two")
    refuse("agenda", "1", "--exclude", "99")
    refuse("agenda", "1", "--move", "1")
    refuse("agenda", "1", "--move", "1", "--to", "99")
    refuse("agenda", "1", "--format", "xlsx")
    refuse("agenda", "1", "-o", tmp_path / "agenda.xlsx")
    refuse("agenda", "1", "--add", "x", "--minutes", "999")
    refuse("agenda", "1", "--add", "x", "--presenter", "west")
    refuse("meeting", "decide", "1", "--text", "")
    refuse("meeting", "decide", "1", "--text", "x", "--item", "99")
    refuse("meeting", "decide", "1", "--text", "x", "--about", "9.9")
    refuse("meeting", "decide", "1", "--text", "x", "--action", "Do it")
    refuse("meeting", "decide", "1", "--text", "x", "--action", "Do it", "--lead", "west",
           "--due", "2021-09-30")
    refuse("meeting", "decide", "1", "--text", "x", "--action", "Do it", "--lead", "hq",
           "--due", "2021-07-01")
    transcript.run("meeting", "held", "1")
    refuse("agenda", "1", "--refresh")
    refuse("meeting", "held")

    refuse("user", "add", "clerk", "--unit", "north")  # the first user is a coordinator
    refuse("user", "add", "chief", "--coordinator", "--password", "secret")
    transcript.run("user", "add", "chief", "--coordinator")
    transcript.user = "chief"
    refuse("user", "add", "chief", "--coordinator")
    refuse("user", "add", "clerk", "--unit", "west")
    refuse("user", "grant", "nobody", "--coordinator")
    refuse("user", "add", "clerk")

    backup = tmp_path / "backup.json"
    transcript.run("backup", backup)
    refuse("backup", tmp_path / "no" / "such" / "folder" / "b.db")
    refuse("restore", tmp_path / "missing.json")
    refuse("restore", backup)  # the database is not empty
    for name, content in (("garbage.json", b"{not json"), ("list.json", b"[1, 2]"),
                          ("garbage.db", b"SQLite format 3\0" + b"\1" * 200),
                          ("text.db", b"hello"), ("garbage.json.gz", b"not gzip"),
                          ("wrong.json.gz", gzip.compress(b'{"format": "other"}'))):
        path = tmp_path / name
        path.write_bytes(content)
        refuse("restore", path, "--force")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table t (x)").connection.close()
    refuse("restore", other, "--force")
    refuse("db", "current", "--db", "nosuchdialect://x", db=False)
    transcript.assert_english()
