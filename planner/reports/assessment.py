"""The unit assessment (考核评分) as a report: the ranking, then each unit's score explained
line by line; laid out as text, Markdown, JSON or a workbook."""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.core.assessment import (
    BASE,
    Event,
    Item,
    Line,
    Rules,
    UnitScore,
    assess,
    derive_events,
)
from planner.core.errors import PlannerError
from planner.core.memo import Memo
from planner.i18n import label
from planner.store.assessment_queries import read_assessment_units, read_history
from planner.store.dbapi import Db, read_settings

if TYPE_CHECKING:  # the layouts' modules load with the format that needs them
    from planner.reports.officedoc import Fonts
    from planner.reports.sections import PlainTable, Section
    from planner.reports.xlsx import Table

ASSESS_FORMATS = ("txt", "md", "json", "xlsx", "docx", "pdf")


@dataclass(slots=True)
class Assessment:
    """The assessment of one period: every participating unit ranked (`scores`), and the
    ones to show (`shown`: all, or the one unit asked for)."""

    plan_title: str
    start: date
    end: date
    today: date
    rules_name: str
    scores: list[UnitScore]
    shown: list[UnitScore]


def build_assessment(db: Db, *, start: date, end: date, today: date, rules: Rules,
                     rules_name: str, unit_id: str | None = None) -> Assessment:
    """Score the period [start, end] as recorded by the end of `today` (a period reaching
    past today ends today). The units assessed are those leading or supporting a leaf, and
    any other unit an event is attributed to."""
    end = min(end, today)
    if start > end:
        raise PlannerError("assess_period_empty", start=start, end=end)
    units = read_assessment_units(db)
    if unit_id is not None and unit_id not in dict(units):
        raise PlannerError("cli_unknown_unit", unit=unit_id)
    history, items = read_history(db, start, end)
    scores = score_units(rules, units, items, derive_events(history))
    shown = [score for score in scores if unit_id is None or score.unit == unit_id]
    return Assessment(read_settings(db).title, start, end, today, rules_name, scores, shown)


def score_units(rules: Rules, units: Sequence[tuple[str, str]], items: Mapping[int, Item],
                events: Sequence[Event]) -> list[UnitScore]:
    """The ranked scores of the units (id, name; in their listed order) that lead or support
    one of `items` or that an event is attributed to."""
    involved = set(map(_LEAD, items.values()))  # the sets are built in C: 100,000s of items
    involved.update(chain.from_iterable(map(_SUPPORT, items.values())))
    involved.update(map(_UNIT, events))
    involved -= {None, ""}
    return assess(rules, [(unit, name) for unit, name in units if unit in involved], items,
                  events)


_LEAD, _SUPPORT, _UNIT = attrgetter("lead"), attrgetter("support"), attrgetter("unit")


# --- numbers and explanations -----------------------------------------------------------------

def number_text(value: Decimal) -> str:
    """98.5, 100, -0.25: the decimal as written, without trailing zeros."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def signed_text(value: Decimal) -> str:
    """+1, −0.5, 0: a line's points."""
    if not value:
        return "0"
    return ("+" if value > 0 else "−") + number_text(abs(value))


def rule_text(line: Line, lang: str) -> str:
    """How the line's points were computed, named by the rule file's keys: `points.late
    −0.5 × 3 working days, capped at 5 × weight 2 × support factor 0.5`."""
    return _rule_text(line.kind, line.rule, line.days, line.cap, line.weight, line.factor,
                      lang)


@lru_cache(maxsize=4096)  # a year's lines share a few hundred rule texts
def _rule_text(kind: str, rule: Decimal, days: int, cap: Decimal | None, weight: Decimal,
               factor: Decimal, lang: str) -> str:
    if kind == BASE:
        return f"base {number_text(rule)}"
    if kind == "late":
        text = "points.late " + label("assess_rule_days", lang, per_day=signed_text(rule),
                                      days=days)
        if cap is not None:
            text += label("assess_rule_cap", lang, cap=number_text(cap))
    else:
        text = f"points.{kind} {signed_text(rule)}"
    if weight != 1:
        text += label("assess_rule_weight", lang, weight=number_text(weight))
    if factor != 1:
        text += label("assess_rule_factor", lang, factor=number_text(factor))
    return text


@lru_cache(maxsize=64)
def _event_text(kind: str, role: str | None, lang: str) -> str:
    name = label(f"assess_kind_{kind}", lang)
    if role in ("lead", "support"):
        name += label("assess_role", lang, role=label(f"assess_role_{role}", lang))
    return name


def event_text(line: Line, lang: str) -> str:
    """The event's name, with the unit's role on the item (牵头/配合) where it shares one."""
    return _event_text(line.kind, line.role, lang)


#: What each cell of a line's row is made from.
_DAY = attrgetter("day")
_ITEM = attrgetter("code", "title")
_EVENT = attrgetter("kind", "role")
_RULE = attrgetter("kind", "rule", "days", "cap", "weight", "factor")
_POINTS = attrgetter("kind", "points")


# --- layouts ------------------------------------------------------------------------------------

def header_lines(report: Assessment, lang: str) -> list[str]:
    """Title, period, as of, rules, and how ties rank."""
    return [f"{report.plan_title} {label('assess_title', lang)}",
            label("assess_period", lang, start=report.start.isoformat(),
                  end=report.end.isoformat()),
            label("assess_as_of", lang, day=report.today.isoformat()),
            label("assess_rules", lang, name=report.rules_name),
            label("assess_ties", lang)]


class _LineTexts:
    """Lines' tables kept a column at a time (`PlainTable`), each text made once for every
    line that shows it (a year's lines repeat their dates, items, events, rules and points)
    and looked up by the line's fields that make it, so that a line costs no Python code
    of its own."""

    def __init__(self, lang: str) -> None:
        self.columns: list[tuple[Memo[Any, str], attrgetter[Any]]] = [
            (Memo(lambda day: day.isoformat() if day else ""), _DAY),
            (Memo(lambda item: f"{item[0]} {item[1]}" if item[0] else ""), _ITEM),
            (Memo(lambda event: _event_text(*event, lang)), _EVENT),
            (Memo(lambda rule: _rule_text(*rule, lang)), _RULE),
            (Memo(lambda points: number_text(points[1]) if points[0] == BASE
                  else signed_text(points[1])), _POINTS)]

    def table(self, lines: Sequence[Line], last: Sequence[str]) -> "PlainTable":
        """The date, item, event, rule and points of each of `lines`, then the row `last`;
        the points are numeric cells."""
        from planner.reports.sections import PlainTable

        texts = [list(map(texts.__getitem__, map(fields, lines)))
                 for texts, fields in self.columns]
        for column, text in zip(texts, last, strict=True):
            column.append(text)
        return PlainTable.of_columns(texts, [False, False, False, False, True])


def assessment_sections(report: Assessment, lang: str) -> list["Section"]:
    """The ranking, then one section per shown unit with its lines."""
    from planner.reports.sections import Cell, Section

    ranking = Section("ranking", label("assess_ranking", lang),
                      columns=[label(key, lang) for key in (
                          "assess_col_rank", "assess_col_unit", "assess_col_score",
                          "assess_col_plus", "assess_col_minus", "assess_col_lines")],
                      empty=label("assess_no_units", lang))
    for score in report.shown:
        ranking.rows.append([Cell(str(score.rank), numeric=True), Cell(score.name),
                             Cell(number_text(score.score), numeric=True),
                             Cell(signed_text(score.gained), numeric=True),
                             Cell(signed_text(score.lost), numeric=True),
                             Cell(str(len(score.lines) - 1), numeric=True)])
    sections = [ranking]
    lines = _LineTexts(lang)
    for score in report.shown:
        total = ("", "", label("assess_total", lang), "", number_text(score.score))
        sections.append(Section(f"unit-{score.unit}", label(
            "assess_unit_heading", lang, rank=score.rank, name=score.name, unit=score.unit,
            score=number_text(score.score)), columns=[label(key, lang) for key in (
                "assess_col_date", "assess_col_item", "assess_col_event", "assess_col_rule",
                "assess_col_points")], plain=lines.table(score.lines, total)))
    return sections


def _json_number(value: Decimal) -> int | float:
    """A decimal as a JSON number written exactly as the decimal reads (98.45 → 98.45): a
    reader parsing numbers as decimals gets the same sums."""
    return int(value) if value == value.to_integral_value() else float(value)


def assessment_json(report: Assessment, lang: str) -> str:
    """The report as JSON: per unit its score, rank and lines (date, item, event, rule,
    points)."""
    units = [{
        "unit": score.unit, "name": score.name, "rank": score.rank,
        "score": _json_number(score.score),
        "lines": [{"date": line.day.isoformat() if line.day else None, "item": line.code,
                   "title": line.title, "event": line.kind, "role": line.role,
                   "rule": rule_text(line, lang), "points": _json_number(line.points)}
                  for line in score.lines],
    } for score in report.shown]
    document = {"plan": report.plan_title, "from": report.start.isoformat(),
                "to": report.end.isoformat(), "as_of": report.today.isoformat(),
                "rules": report.rules_name, "units": units}
    # Compact, so the C encoder writes it (a year of a large plan is 100,000s of lines);
    # `jq .` lays it out.
    return json.dumps(document, ensure_ascii=False) + "\n"


def assessment_tables(report: Assessment, lang: str) -> list["Table"]:
    """The ranking and every line, as two sheets."""
    from planner.reports.xlsx import Column, Row, Table

    caption = label("assess_sheet_caption", lang, plan=report.plan_title,
                    start=report.start.isoformat(), end=report.end.isoformat())
    ranking = Table(label("assess_ranking", lang), caption, [
        Column(label("assess_col_rank", lang), "number", cap=6),
        Column(label("assess_col_unit_id", lang), cap=12),
        Column(label("assess_col_unit", lang), "wrap", cap=30),
        Column(label("assess_col_score", lang), "number", cap=10),
        Column(label("assess_col_plus", lang), "number", cap=10),
        Column(label("assess_col_minus", lang), "number", cap=10),
    ], lang=lang)
    lines = Table(label("assess_lines_sheet", lang), caption, [
        Column(label("assess_col_unit_id", lang), cap=12),
        Column(label("assess_col_unit", lang), "wrap", cap=24),
        Column(label("assess_col_date", lang), "date"),
        Column(label("assess_col_code", lang), cap=12),
        Column(label("assess_col_item", lang), "wrap", cap=40),
        Column(label("assess_col_event", lang), "wrap", cap=20),
        Column(label("assess_col_rule", lang), "wrap", cap=50),
        Column(label("assess_col_points", lang), "number", cap=10),
    ], lang=lang)
    for score in report.shown:
        ranking.rows.append(Row([score.rank, score.unit, score.name, score.score,
                                  score.gained, score.lost]))
        lines.rows += [Row([score.unit, score.name, line.day, line.code, line.title,
                            event_text(line, lang), rule_text(line, lang), line.points])
                       for line in score.lines]
    return [ranking, lines]


def write_assessment(report: Assessment, *, fmt: str, lang: str, output: Path | None,
                     fonts: "Fonts | None" = None) -> str | None:
    """The report in `fmt` (txt, md, json), also written to `output` when given; xlsx, docx
    and pdf need a file and return None (the office formats say what txt and md say, in the
    official layout)."""
    from planner.reports.document import write_text_file

    if fmt in ("docx", "pdf"):
        from planner.reports.document import write_office_document

        assert output is not None
        write_office_document(header_lines(report, lang), assessment_sections(report, lang),
                              fmt=fmt, path=output, fonts=fonts)
        return None
    if fmt == "xlsx":
        from planner.reports.xlsx import write_tables_xlsx

        assert output is not None
        write_tables_xlsx(assessment_tables(report, lang), output)
        return None
    if fmt == "json":
        content = assessment_json(report, lang)
    else:
        from planner.reports.document import render_document

        content = render_document(header_lines(report, lang), assessment_sections(report, lang),
                                  fmt=fmt, lang=lang)
    if output is not None:
        write_text_file(output, content)
    return content
