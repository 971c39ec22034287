"""The plan evaluation as an Excel workbook: a sheet per table, counts and shares as numbers.

Laid out by `planner.reports.xlsx` (frozen header, filter, widths fitted to Chinese text),
every value put through `xlsx_cells.put_value`, so no text from the database is a formula.
"""

from pathlib import Path

from planner.i18n import label
from planner.reports.evaluation import (
    EvaluationReport,
    IndicatorLine,
    count_headers,
    count_values,
    kind_text,
)
from planner.reports.xlsx import Column, Row, Table, write_tables_xlsx


def write_evaluation_xlsx(report: EvaluationReport, path: Path, *, lang: str) -> None:
    """Write the evaluation's tables as the sheets of one workbook."""
    write_tables_xlsx(evaluation_tables(report, lang), path)


def _table(report: EvaluationReport, sheet_key: str, columns: list[Column], lang: str) -> Table:
    sheet = label(sheet_key, lang)
    caption = label("eval_sheet_title", lang, plan=report.plan_title,
                    kind=kind_text(report, lang), sheet=sheet, as_of=report.as_of.isoformat())
    return Table(sheet, caption, columns, lang=lang)


def _count_columns(lang: str) -> list[Column]:
    return [Column(header, "number", least=8) for header in count_headers(lang)]


def evaluation_tables(report: EvaluationReport, lang: str) -> list[Table]:
    """Areas (with a total row), units, late items, deadline moves, indicators, unfinished."""
    areas = _table(report, "eval_areas_sheet", [
        Column(label("weekly_code", lang), cap=12), Column(label("weekly_area", lang), "wrap"),
        *_count_columns(lang), Column(label("weekly_progress", lang), "percent"),
        Column(label("weekly_expected", lang), "percent")], lang)
    areas.rows = [Row([a.code, a.title, *count_values(a.counts), a.progress, a.expected])
                  for a in report.areas]
    if report.areas:
        areas.rows.append(Row(["", label("eval_total", lang), *count_values(report.overall),
                               report.progress, report.expected], bold=True))
    units = _table(report, "eval_units_sheet", [Column(label("weekly_lead", lang), "wrap"),
                                                *_count_columns(lang)], lang)
    units.rows = [Row([u.name if u.unit_id is not None else label("eval_no_lead", lang),
                       *count_values(u.counts)]) for u in report.units]
    late = _table(report, "eval_late_sheet", [
        Column(label("weekly_code", lang), cap=12), Column(label("weekly_item", lang), "wrap"),
        Column(label("weekly_lead", lang), "wrap", cap=24),
        Column(label("weekly_due", lang), "date"), Column(label("eval_completed", lang), "date"),
        Column(label("eval_days_late", lang), "number")], lang)
    late.rows = [Row([i.code, i.title, i.lead, i.due, i.completed, i.working_days])
                 for i in report.late]
    moves = _table(report, "eval_moves_sheet", [
        Column(label("weekly_date", lang), "date"), Column(label("weekly_code", lang), cap=12),
        Column(label("weekly_item", lang), "wrap"), Column(label("weekly_old_due", lang), "date"),
        Column(label("weekly_new_due", lang), "date"),
        Column(label("weekly_reason", lang), "wrap", cap=50, least=20)], lang)
    moves.rows = [Row([m.day, m.code, m.title, m.old_due, m.new_due, m.reason])
                  for m in report.due_moves]
    indicators = _table(report, "eval_indicators_sheet", [
        Column(label("weekly_code", lang), cap=10), Column(label("weekly_indicator", lang), "wrap"),
        Column(label("weekly_measure", lang), cap=10),
        Column(label("weekly_direction", lang), cap=14),
        Column(label("weekly_baseline", lang), "number"),
        Column(label("weekly_target", lang), "number"),
        Column(label("weekly_latest", lang), "number"),
        Column(label("eval_reading_date", lang), "date"),
        Column(label("weekly_share", lang), "percent"),
        Column(label("eval_judgement", lang), cap=14)], lang)
    indicators.rows = [Row(_indicator_values(line, lang)) for line in report.indicators]
    unfinished = _table(report, "eval_unfinished_sheet", [
        Column(label("weekly_code", lang), cap=12), Column(label("weekly_item", lang), "wrap"),
        Column(label("weekly_lead", lang), "wrap", cap=24),
        Column(label("weekly_due", lang), "date"), Column(label("xlsx_status", lang), cap=12),
        Column(label("weekly_progress", lang), "percent"),
        Column(label("weekly_expected", lang), "percent"),
        Column(label("eval_overdue", lang), cap=10),
        Column(label("weekly_note", lang), "wrap", cap=50, least=30),
        Column(label("eval_note_date", lang), "date")], lang)
    unfinished.rows = [Row([i.code, i.title, i.lead, i.due, i.status.label(lang), i.progress,
                            i.expected, label("eval_overdue_mark", lang) if i.overdue else None,
                            i.note, i.note_day]) for i in report.unfinished]
    return [areas, units, late, moves, indicators, unfinished]


def _indicator_values(line: IndicatorLine, lang: str) -> list[object]:
    judged = line.judged
    latest = judged.latest
    return [line.code, line.name, line.measure, label(f"weekly_{line.direction}", lang),
            line.baseline, line.target, latest.value if latest else None,
            latest.on if latest else None,
            100 * judged.share if judged.share is not None else None,
            judged.judgement.label(lang) if judged.judgement is not None else "—"]
