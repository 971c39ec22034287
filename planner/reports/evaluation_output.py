"""The plan evaluation laid out: titled sections for md, html and txt, sheets for xlsx."""

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from planner.core.evaluation import Judgement
from planner.core.indicators import share_text
from planner.core.rollup import Colour
from planner.i18n import field, label
from planner.reports.document import render_document, write_text_file
from planner.reports.evaluation import (
    Counts,
    EvaluationReport,
    IndicatorLine,
    build_evaluation,
    count_headers,
    count_values,
    kind_text,
)
from planner.reports.sections import Cell, Section, number, percent

if TYPE_CHECKING:
    from planner.reports.officedoc import Fonts


def report_title(report: EvaluationReport, lang: str) -> str:
    """The plan's title and the kind of evaluation."""
    return f"{report.plan_title} {label('eval_final' if report.final else 'eval_midterm', lang)}"


def header_lines(report: EvaluationReport, lang: str) -> list[str]:
    """Title block: title, kind, period, evaluation date."""
    period = label("weekly_range", lang, start=report.start.isoformat(),
                   end=report.end.isoformat())
    return [report_title(report, lang),
            field("eval_kind", lang) + kind_text(report, lang),
            f"{field('eval_period', lang)}{period}    "
            f"{field('eval_as_of', lang)}{report.as_of.isoformat()}"]


def _counts_row(counts: Counts) -> list[Cell]:
    return [Cell(str(value), numeric=True) for value in count_values(counts)]


def evaluation_sections(report: EvaluationReport, lang: str) -> list[Section]:
    """The evaluation's sections in their printed order."""
    none = label("weekly_none", lang)
    overall = report.overall
    judged = report.judgements
    overview = Section("overview", label("eval_overview", lang), paragraphs=[
        label("eval_time_line", lang, elapsed=percent(report.elapsed),
              progress=percent(report.progress), expected=percent(report.expected)),
        label("eval_items_line", lang, total=overall.total, on_time=overall.on_time,
              late=overall.late, carried_over=overall.carried_over,
              cancelled=overall.cancelled, open=overall.open, overdue=overall.overdue),
        label("eval_indicators_line", lang, total=len(report.indicators),
              **{judgement.value: judged.get(judgement, 0) for judgement in Judgement}),
        label("eval_rules_line", lang, tolerance=number(report.tolerance)),
    ])
    areas = Section("areas", label("eval_areas", lang), columns=[
        label("weekly_code", lang), label("weekly_area", lang),
        *count_headers(lang), label("weekly_progress", lang),
        label("weekly_expected", lang)], empty=none)
    areas.rows = [[Cell(a.code), Cell(a.title), *_counts_row(a.counts),
                   Cell(percent(a.progress), bar=a.progress),
                   Cell(percent(a.expected), numeric=True)] for a in report.areas]
    if report.areas:
        areas.rows.append([Cell(""), Cell(label("eval_total", lang)), *_counts_row(overall),
                           Cell(percent(report.progress), bar=report.progress),
                           Cell(percent(report.expected), numeric=True)])
    units = Section("units", label("eval_units", lang), columns=[
        label("weekly_lead", lang), *count_headers(lang)], empty=none)
    units.rows = [[Cell(u.name if u.unit_id is not None else label("eval_no_lead", lang)),
                   *_counts_row(u.counts)] for u in report.units]
    late = Section("late", label("eval_late", lang), columns=[
        label("weekly_code", lang), label("weekly_item", lang), label("weekly_lead", lang),
        label("weekly_due", lang), label("eval_completed", lang),
        label("eval_days_late", lang)], empty=none,
        rows=[[Cell(i.code), Cell(i.title), Cell(i.lead), Cell(i.due.isoformat()),
               Cell(i.completed.isoformat()), Cell(str(i.working_days), numeric=True)]
              for i in report.late])
    moves = Section("due_moves", label("eval_due_moves", lang), columns=[
        label("weekly_date", lang), label("weekly_code", lang), label("weekly_item", lang),
        label("weekly_old_due", lang), label("weekly_new_due", lang),
        label("weekly_reason", lang)], empty=none,
        rows=[[Cell(m.day.isoformat()), Cell(m.code), Cell(m.title),
               Cell(m.old_due.isoformat()), Cell(m.new_due.isoformat()), Cell(m.reason)]
              for m in report.due_moves])
    indicators = Section("indicators", label("eval_indicators", lang), columns=[
        label("weekly_indicator", lang), label("weekly_measure", lang),
        label("weekly_direction", lang), label("weekly_baseline", lang),
        label("weekly_target", lang), label("weekly_latest", lang),
        label("eval_reading_date", lang), label("weekly_share", lang),
        label("eval_judgement", lang)], empty=none,
        rows=[_indicator_row(line, lang) for line in report.indicators])
    unfinished = Section("unfinished", label("eval_unfinished", lang), columns=[
        label("weekly_code", lang), label("weekly_item", lang), label("weekly_lead", lang),
        label("weekly_due", lang), label("xlsx_status", lang), label("weekly_progress", lang),
        label("weekly_expected", lang), label("weekly_warning", lang),
        label("weekly_note", lang), label("eval_note_date", lang)], empty=none)
    unfinished.rows = [
        [Cell(i.code), Cell(i.title), Cell(i.lead), Cell(i.due.isoformat()),
         Cell(i.status.label(lang)), Cell(percent(i.progress), numeric=True),
         Cell(percent(i.expected), numeric=True),
         Cell(label("eval_overdue_mark", lang), colour=Colour.RED) if i.overdue else Cell(""),
         Cell(i.note or ""), Cell(i.note_day.isoformat() if i.note_day else "")]
        for i in report.unfinished]
    return [overview, areas, units, late, moves, indicators, unfinished]


JUDGEMENT_COLOUR = {Judgement.AHEAD: Colour.GREEN, Judgement.ACHIEVED: Colour.GREEN,
                    Judgement.ON_TRACK: Colour.BLUE, Judgement.BEHIND: Colour.RED,
                    Judgement.NOT_STARTED: Colour.YELLOW}
"""The warning colour a judgement's cell is drawn in."""


def _indicator_row(line: IndicatorLine, lang: str) -> list[Cell]:
    judged = line.judged
    judgement = judged.judgement
    return [Cell(f"{line.code} {line.name}"), Cell(line.measure),
            Cell(label(f"weekly_{line.direction}", lang)),
            Cell(number(line.baseline), numeric=True), Cell(number(line.target), numeric=True),
            Cell(number(judged.latest.value if judged.latest else None), numeric=True),
            Cell(judged.latest.on.isoformat() if judged.latest else ""),
            Cell(share_text(judged.share), numeric=True),
            Cell(judgement.label(lang), colour=JUDGEMENT_COLOUR[judgement])
            if judgement is not None else Cell("—")]


def write_evaluation(*, session: Session, today: date, fmt: str, lang: str,
                     output: Path | None, fonts: "Fonts | None" = None) -> str | None:
    """The evaluation text (txt, md, html), also written to `output` when given; xlsx, docx
    and pdf need a file (the office formats lay out the same sections as the text ones)."""
    report = build_evaluation(session=session, today=today)
    if fmt in ("docx", "pdf"):
        from planner.reports.document import write_office_document

        assert output is not None
        write_office_document(header_lines(report, lang), evaluation_sections(report, lang),
                              fmt=fmt, path=output, fonts=fonts)
        return None
    if fmt == "xlsx":
        from planner.reports.evaluation_xlsx import write_evaluation_xlsx

        assert output is not None
        write_evaluation_xlsx(report, output, lang=lang)
        return None
    content = render_document(header_lines(report, lang), evaluation_sections(report, lang),
                              fmt=fmt, lang=lang)
    if output is not None:
        write_text_file(output, content)
    return content
