"""The 督查通报: the period's bulletin to the member units, built from the recorded history
and the unit assessment (考核评分).

版头 (issuing office in red, red rule, 文号 and date), title, 主送机关 (各成员单位：), then
一、总体情况 (a paragraph generated from the figures), 二、各单位落实情况 (a table per unit:
items led, due, finished on time and late, overdue, missed reporting cycles), 三、逾期未办结
事项 (named, with lead unit and days overdue), 四、考核排名和红黄榜, 五、下步要求, and the
signature with its 成文日期. Built once as a `Bulletin`; laid out as .docx/PDF
(`bulletin_document`) and as the txt, md and html sections (`bulletin_sections`), so every
format says the same thing.

The figures come from the same events as the assessment (`core.assessment.derive_events`):
a leaf finished in the period on or before the due date then in force is on time, after it
late; a leaf open at the period's end past its due date is overdue; a reporting window in
which a unit led an open leaf and recorded nothing is a missed report.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from planner.core.assessment import SETTLED, Event, History, Item, Rules, UnitScore, derive_events
from planner.core.dates import add_working_days
from planner.core.errors import PlannerError
from planner.core.status import Status
from planner.i18n import label, list_separator
from planner.reports.assessment import number_text, score_units, signed_text
from planner.reports.officedoc import (
    Fonts,
    OfficeDocument,
    Span,
    Table,
    chinese_date,
    chinese_numeral,
    heading_number,
)
from planner.reports.sections import Cell, Section
from planner.store.assessment_queries import read_assessment_units, read_history
from planner.store.dbapi import Db, read_settings

RED_LISTED = 30
"""Overdue items named in the bulletin, longest overdue first; the rest are counted."""
UNITS_NAMED = 5
"""Units named in a requirement (those with overdue items, those that missed reports)."""
FEEDBACK_WORKING_DAYS = 5
"""Working days after the 成文日期 by which the units named in 下步要求 answer."""
BULLETIN_FORMATS = ("txt", "md", "html", "docx", "pdf")


@dataclass(frozen=True, slots=True)
class UnitFigures:
    """One unit's row: the leaves it leads (not cancelled), of them due in the period,
    finished in it on time and late, overdue at its end; its missed reporting cycles."""

    unit: str
    name: str
    led: int = 0
    due: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    missed: int = 0


@dataclass(frozen=True, slots=True)
class OverdueItem:
    """An item open at the period's end past its due date: lead unit and days overdue."""

    code: str
    title: str
    lead: str
    due: date
    days: int


@dataclass(frozen=True, slots=True)
class Honour:
    """A unit on the 红榜 or 黄榜: its score, rank, and whether another unit shares it."""

    name: str
    score: Decimal
    rank: int
    tied: bool


@dataclass(slots=True)
class Bulletin:
    """Everything the bulletin says, in its order."""

    office: str
    number: str | None
    day: date
    title: str
    addressee: str
    start: date
    end: date
    period: str
    rules_name: str
    units: list[UnitFigures]
    total: UnitFigures
    overdue: list[OverdueItem]
    scores: list[UnitScore]
    red: list[Honour]
    yellow: list[Honour]
    red_wanted: int
    yellow_wanted: int
    requirements: list[tuple[str, str]] = field(default_factory=list)
    """(heading phrase, what follows it) of each 下步要求."""


# --- figures ------------------------------------------------------------------------------------

def unit_figures(history: History, events: Sequence[Event],
                 units: Sequence[tuple[str, str]]) -> list[UnitFigures]:
    """The figures of every unit (id, name; in their order) that leads a leaf not cancelled
    or missed a report, in that order."""
    led: Counter[str] = Counter()
    due: Counter[str] = Counter()
    lead_of: dict[int, str] = {}
    for leaf in history.leaves:
        lead = leaf.item.lead
        if lead is None or leaf.status_at_end is Status.CANCELLED:
            continue
        lead_of[leaf.item.id] = lead
        led[lead] += 1
        if history.start <= leaf.due_at_end <= history.end:
            due[lead] += 1
    counted: dict[str, Counter[str]] = {kind: Counter() for kind in
                                        ("on_time", "late", "overdue", "missed_report")}
    for event in events:
        if event.kind not in counted:
            continue
        unit = event.unit if event.kind == "missed_report" else (
            lead_of.get(event.task_id) if event.task_id is not None else None)
        if unit is not None:
            counted[event.kind][unit] += 1
    return [UnitFigures(unit, name, led[unit], due[unit], counted["on_time"][unit],
                        counted["late"][unit], counted["overdue"][unit],
                        counted["missed_report"][unit])
            for unit, name in units
            if led[unit] or counted["missed_report"][unit]]


def total_figures(units: Sequence[UnitFigures]) -> UnitFigures:
    """The sums over every unit (its `missed` counts cycles; units missing one are counted
    by the caller)."""
    return UnitFigures("", "", *(sum(getattr(u, name) for u in units) for name in (
        "led", "due", "on_time", "late", "overdue", "missed")))


def overdue_items(history: History, events: Sequence[Event], items: Mapping[int, Item],
                  names: Mapping[str, str]) -> list[OverdueItem]:
    """The items overdue at the period's end, longest overdue first, then by code."""
    due_at_end = {leaf.item.id: leaf.due_at_end for leaf in history.leaves
                  if leaf.status_at_end not in SETTLED}
    found = []
    for event in events:
        if event.kind != "overdue" or event.task_id is None:
            continue
        item = items[event.task_id]
        due = due_at_end[event.task_id]
        found.append(OverdueItem(item.code, item.title, names.get(item.lead or "", "—"), due,
                                 (history.end - due).days))
    return sorted(found, key=lambda o: (-o.days, [int(p) if p.isdigit() else 0
                                                  for p in o.code.split(".")], o.code))


def list_lengths(count: int, red: int, yellow: int) -> tuple[int, int]:
    """How many units the 红榜 and 黄榜 name of `count` ranked units: as the rules ask, but
    when the two would overlap each names at most half the units."""
    if red + yellow > count:
        return min(red, count // 2), min(yellow, count // 2)
    return red, yellow


def honour_lists(scores: Sequence[UnitScore], red: int,
                 yellow: int) -> tuple[list[Honour], list[Honour]]:
    """The 红榜 (the `red` best scores, best first) and 黄榜 (the `yellow` worst, worst
    first). A unit tied with the last one named is named too; no unit is on both lists."""
    red, yellow = list_lengths(len(scores), red, yellow)
    by_score = Counter(score.score for score in scores)

    def honour(score: UnitScore) -> Honour:
        return Honour(score.name, score.score, score.rank, by_score[score.score] > 1)

    best = [honour(s) for s in scores if s.rank <= red] if red else []
    named = {id(s) for s in scores if s.rank <= red} if red else set()
    worst: list[Honour] = []
    if yellow:
        lower = {s.score: sum(1 for o in scores if o.score < s.score) for s in scores}
        worst = [honour(s) for s in sorted(scores, key=lambda s: s.score)
                 if lower[s.score] < yellow and id(s) not in named]
    return best, worst


# --- the bulletin --------------------------------------------------------------------------------

def period_text(start: date, end: date, lang: str) -> str:
    """2025年第一季度 / 2025 Q1, 2025年上半年, 2025年3月, 2025年; otherwise from … to …."""
    year = start.year
    whole_months = (start.day == 1 and end.year == year and end < date.max
                    and date.fromordinal(end.toordinal() + 1).day == 1)
    if whole_months:
        first, last = start.month, end.month
        if (first, last) == (1, 12):
            return label("bulletin_year", lang, year=year)
        if first == last:
            return label("bulletin_month", lang, year=year, month=first)
        if (first, last) in ((1, 6), (7, 12)):
            return label("bulletin_half", lang, year=year,
                         half=label(f"bulletin_half_{1 if first == 1 else 2}", lang))
        if last == first + 2 and first % 3 == 1:
            quarter = (first - 1) // 3 + 1
            return label("bulletin_quarter", lang, year=year,
                         quarter=quarter if lang == "en" else chinese_numeral(quarter))
    if lang == "en":
        return label("bulletin_days", lang, start=start.isoformat(), end=end.isoformat())
    tail = chinese_date(end)
    if end.year == start.year:
        tail = tail[len(f"{end.year}年"):]
    return label("bulletin_days", lang, start=chinese_date(start), end=tail)


def long_date(day: date, lang: str) -> str:
    """2025年3月31日 / 2025-03-31."""
    return day.isoformat() if lang == "en" else chinese_date(day)


def overview_paragraph(bulletin: Bulletin, lang: str) -> str:
    """一、总体情况: items led and due, finished on time and late (with the on-time rate),
    overdue at the period's end, and the missed reporting cycles, in sentences."""
    total = bulletin.total
    leading = sum(1 for u in bulletin.units if u.led)
    parts = [label("bulletin_items", lang, period=bulletin.period, units=leading,
                   items=total.led, due=total.due)]
    finished = total.on_time + total.late
    if finished:
        parts.append(label("bulletin_finished", lang, n=finished, on_time=total.on_time,
                           late=total.late, rate=f"{round(100 * total.on_time / finished)}%"))
    else:
        parts.append(label("bulletin_none_finished", lang))
    end = long_date(bulletin.end, lang)
    parts.append(label("bulletin_overdue", lang, day=end, n=total.overdue) if total.overdue
                 else label("bulletin_no_overdue", lang, day=end))
    missing = sum(1 for u in bulletin.units if u.missed)
    parts.append(label("bulletin_missed", lang, units=missing, n=total.missed) if missing
                 else label("bulletin_all_reported", lang))
    if bulletin.scores:
        top, bottom = bulletin.scores[0], bulletin.scores[-1]
        average = sum((s.score for s in bulletin.scores), Decimal(0)) / len(bulletin.scores)
        parts.append(label("bulletin_scores", lang, n=len(bulletin.scores),
                           average=number_text(average.quantize(Decimal("0.01"))),
                           top=number_text(top.score), bottom=number_text(bottom.score)))
    return (" " if lang == "en" else "").join(parts)


def _honour_text(honours: Sequence[Honour], lang: str) -> str:
    return list_separator(lang).join(
        label("bulletin_honour_tied" if h.tied else "bulletin_honour", lang, name=h.name,
              score=number_text(h.score), rank=h.rank) for h in honours)


def honour_paragraphs(bulletin: Bulletin, lang: str) -> list[str]:
    """The 红榜 and 黄榜 lines, and how they were drawn (their lengths, ties)."""
    if not bulletin.scores:
        return [label("assess_no_units", lang)]
    red, yellow = list_lengths(len(bulletin.scores), bulletin.red_wanted, bulletin.yellow_wanted)
    none = label("bulletin_list_none", lang)
    lines = [label("bulletin_red", lang, n=red, units=_honour_text(bulletin.red, lang) or none),
             label("bulletin_yellow", lang, n=yellow,
                   units=_honour_text(bulletin.yellow, lang) or none)]
    how = label("bulletin_lists_rule", lang)
    if (red, yellow) != (bulletin.red_wanted, bulletin.yellow_wanted):
        how += label("bulletin_lists_short", lang, units=len(bulletin.scores), red=red,
                     yellow=yellow)
    return [*lines, how]


def _named(names: Sequence[str], lang: str) -> str:
    shown = list_separator(lang).join(names[:UNITS_NAMED])
    return shown + (label("bulletin_and_others", lang, n=len(names)) if len(names) >
                    UNITS_NAMED else "")


def requirements(bulletin: Bulletin, lang: str) -> list[tuple[str, str]]:
    """下步要求: what the overdue, the silent and the 黄榜 units are asked to do, by when,
    and the standing requirement to all."""
    by = long_date(add_working_days(bulletin.day, FEEDBACK_WORKING_DAYS), lang)
    out: list[tuple[str, str]] = []
    overdue = [u.name for u in bulletin.units if u.overdue]
    if overdue:
        out.append((label("bulletin_req_overdue_head", lang),
                    label("bulletin_req_overdue", lang, units=_named(overdue, lang), day=by)))
    missed = [u.name for u in bulletin.units if u.missed]
    if missed:
        out.append((label("bulletin_req_report_head", lang),
                    label("bulletin_req_report", lang, units=_named(missed, lang))))
    if bulletin.yellow:
        out.append((label("bulletin_req_yellow_head", lang),
                    label("bulletin_req_yellow", lang,
                          units=_named([h.name for h in bulletin.yellow], lang), day=by)))
    out.append((label("bulletin_req_all_head", lang), label("bulletin_req_all", lang)))
    return out


def build_bulletin(db: Db, *, start: date, end: date, today: date, rules: Rules,
                   rules_name: str, lang: str, office: str, number: str | None,
                   day: date | None = None, addressee: str | None = None) -> Bulletin:
    """The bulletin of the period [start, end] as recorded by the end of `today` (a period
    reaching past today ends today), dated `day` (default today)."""
    end = min(end, today)
    if start > end:
        raise PlannerError("assess_period_empty", start=start, end=end)
    units = read_assessment_units(db)
    history, items = read_history(db, start, end)
    events = derive_events(history)
    scores = score_units(rules, units, items, events)
    figures = unit_figures(history, events, units)
    red, yellow = honour_lists(scores, rules.red_list, rules.yellow_list)
    period = period_text(start, end, lang)
    bulletin = Bulletin(
        office=office, number=number, day=day or today,
        title=label("bulletin_title", lang, period=period, plan=read_settings(db).title),
        addressee=addressee or label("bulletin_addressee", lang), start=start, end=end,
        period=period, rules_name=rules_name, units=figures, total=total_figures(figures),
        overdue=overdue_items(history, events, items, dict(units)), scores=scores, red=red,
        yellow=yellow, red_wanted=rules.red_list, yellow_wanted=rules.yellow_list)
    bulletin.requirements = requirements(bulletin, lang)
    return bulletin


# --- parts, shared by every layout ----------------------------------------------------------------

@dataclass(slots=True)
class Part:
    """A numbered part: paragraphs, a table (columns, rows), paragraphs after it."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    widths_mm: list[float] | None = None
    """The table's relative column widths in the .docx (default: sized to the content)."""


def _count(value: int) -> Cell:
    return Cell(str(value), numeric=True)


def bulletin_parts(bulletin: Bulletin, lang: str) -> list[Part]:
    """The five parts in order, as every layout shows them."""
    overview = Part(label("bulletin_part_overview", lang),
                    [overview_paragraph(bulletin, lang)])
    units = Part(label("bulletin_part_units", lang), [label("bulletin_units_intro", lang)],
                 [label(key, lang) for key in (
                     "assess_col_unit", "bulletin_col_led", "bulletin_col_due",
                     "bulletin_col_on_time", "bulletin_col_late", "bulletin_col_overdue",
                     "bulletin_col_missed")], widths_mm=[40, 17, 17, 17, 17, 20, 28])
    for row in [*bulletin.units, bulletin.total]:
        units.rows.append([Cell(row.name or label("assess_total", lang)), _count(row.led),
                           _count(row.due), _count(row.on_time), _count(row.late),
                           _count(row.overdue), _count(row.missed)])
    listed = bulletin.overdue[:RED_LISTED]
    overdue = Part(label("bulletin_part_overdue", lang))
    if listed:
        overdue.paragraphs.append(label("bulletin_overdue_intro", lang,
                                        day=long_date(bulletin.end, lang),
                                        n=len(bulletin.overdue)))
        overdue.columns = [label(key, lang) for key in (
            "weekly_code", "weekly_item", "weekly_lead", "weekly_due",
            "weekly_overdue_days")]
        overdue.rows = [[Cell(o.code), Cell(o.title), Cell(o.lead), Cell(o.due.isoformat()),
                         _count(o.days)] for o in listed]
        rest = bulletin.overdue[len(listed):]
        if rest:
            overdue.after.append(label("bulletin_overdue_rest", lang, n=len(rest),
                                       most=rest[0].days))
    else:
        overdue.paragraphs.append(label("bulletin_overdue_none", lang,
                                        day=long_date(bulletin.end, lang)))
    ranking = Part(label("bulletin_part_ranking", lang),
                   [label("bulletin_ranking_intro", lang, rules=bulletin.rules_name)],
                   [label(key, lang) for key in ("assess_col_rank", "assess_col_unit",
                                                 "assess_col_score", "assess_col_plus",
                                                 "assess_col_minus")],
                   after=honour_paragraphs(bulletin, lang), widths_mm=[16, 76, 22, 20, 22])
    for score in bulletin.scores:
        plus = sum((line.points for line in score.lines[1:] if line.points > 0), Decimal(0))
        minus = sum((line.points for line in score.lines[1:] if line.points < 0), Decimal(0))
        ranking.rows.append([_count(score.rank), Cell(score.name),
                             Cell(number_text(score.score), numeric=True),
                             Cell(signed_text(plus), numeric=True),
                             Cell(signed_text(minus), numeric=True)])
    next_steps = Part(label("bulletin_part_next", lang), [
        _requirement_text(index, head, body, lang)
        for index, (head, body) in enumerate(bulletin.requirements, start=1)])
    return [overview, units, overdue, ranking, next_steps]


def _requirement_number(index: int, lang: str) -> str:
    return heading_number(2, index) if lang != "en" else f"({index}) "


def _requirement_text(index: int, head: str, body: str, lang: str) -> str:
    return f"{_requirement_number(index, lang)}{head}{body}"


def _part_title(index: int, title: str, lang: str) -> str:
    return heading_number(1, index) + title if lang != "en" else f"{index}. {title}"


def issued_number(prefix: str, year: int, number: str) -> str:
    """The 文号: 督查〔2026〕3号."""
    return f"{prefix}〔{year}〕{number}号"


def bulletin_sections(bulletin: Bulletin, lang: str) -> tuple[list[str], list[Section]]:
    """The bulletin as a header and sections for the txt, md and html layouts: the title,
    the issuing office with the 文号, the 主送机关; the signature after the last part."""
    header = [bulletin.title,
              "　".join(filter(None, (bulletin.office, bulletin.number))) if lang != "en"
              else ", ".join(filter(None, (bulletin.office, bulletin.number))),
              bulletin.addressee + (":" if lang == "en" else "：")]
    sections = []
    for index, part in enumerate(bulletin_parts(bulletin, lang), start=1):
        sections.append(Section(f"part-{index}", _part_title(index, part.title, lang),
                                paragraphs=list(part.paragraphs), columns=list(part.columns),
                                rows=list(part.rows), notes=list(part.after)))
    sections[-1].notes += [bulletin.office, long_date(bulletin.day, lang)]
    return header, sections


def bulletin_document(bulletin: Bulletin, lang: str,
                      fonts: Fonts | None = None) -> OfficeDocument:
    """The bulletin in the official layout: 版头, title, 主送机关, the parts, signature."""
    doc = OfficeDocument(fonts)
    doc.red_header(bulletin.office, number=bulletin.number, day=bulletin.day)
    doc.title(bulletin.title)
    doc.paragraph(bulletin.addressee + (":" if lang == "en" else "："), indent=False)
    parts = bulletin_parts(bulletin, lang)
    for part in parts[:-1]:
        doc.heading(1, part.title)
        for paragraph in part.paragraphs:
            doc.paragraph(paragraph)
        if part.columns and part.rows:
            align = ["right" if all(row[i].numeric or not row[i].text for row in part.rows)
                     else "left" for i in range(len(part.columns))]
            doc.table(Table(part.columns, [[cell.text for cell in row] for row in part.rows],
                            widths_mm=part.widths_mm, align=align))
        for paragraph in part.after:
            doc.paragraph(paragraph)
    doc.heading(1, parts[-1].title)
    for index, (head, body) in enumerate(bulletin.requirements, start=1):
        doc.paragraph([Span(_requirement_number(index, lang) + head, role="heading2"),
                       Span(body)])
    doc.signature(bulletin.office, bulletin.day)
    return doc


def write_bulletin(bulletin: Bulletin, *, fmt: str, lang: str, output: Path | None,
                   fonts: Fonts | None = None) -> str | None:
    """The bulletin in `fmt`: txt, md and html returned (and written to `output` when
    given); docx and pdf written to `output`."""
    from planner.reports.document import render_document, write_text_file

    if fmt in ("docx", "pdf"):
        from planner.reports.officedoc import write_office

        assert output is not None
        write_office(bulletin_document(bulletin, lang, fonts), output, fmt)
        return None
    header, sections = bulletin_sections(bulletin, lang)
    content = render_document(header, sections, fmt=fmt, lang=lang)
    if output is not None:
        write_text_file(output, content)
    return content
