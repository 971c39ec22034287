"""督办通知单 and 催办通知单 as office documents (GB/T 9704, reports/officedoc.py), one
section per unit, and issuing them: `issue_notice_file` is the one function both front ends
call.

Order of a run, so that nothing is recorded for a document that was not written and no
number is printed that the database does not hold:
1. in one writing transaction: choose the items (services/notices.py `draft_notices`), take
   the numbers and record the notices, history and 催办 steps (`issue_notices`), and write
   the document to a temporary file beside the target (a failure rolls all of it back and
   the temporary file is removed);
2. commit;
3. move the temporary file onto the target (same folder: an atomic rename). Should that
   fail, the notices stand and the error names the temporary file that holds them.
A dry run (`preview_notices`) reads the same choice and the numbers the series would give
next, takes none and writes nothing.
"""

import os
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from planner.core.errors import PlannerError
from planner.core.notice import DEFAULT_FEEDBACK_DAYS, NoticeKind, notice_number, numbers_span
from planner.core.rollup import Colour
from planner.i18n import label, list_separator
from planner.services.notices import (
    IssuedNotice,
    NoticeBatch,
    NoticeLine,
    draft_notices,
    issue_notices,
)
from planner.store.dbapi import Db
from planner.store.notices import peek_serial

if TYPE_CHECKING:
    from planner.reports.officedoc import Fonts, OfficeDocument

#: Characters of an item's requirement a notice quotes before cutting it short (……).
REQUIREMENT_CHARS = 24
#: The table's column widths (mm): code, item and requirement, progress, lead, supporting
#: units, due (a date on two lines).
COLUMN_WIDTHS = (10, 62, 26, 22, 16, 20)


@dataclass(frozen=True, slots=True)
class NoticeOptions:
    """What a run issues and how its notices read: the kind, units (`all`: every unit with
    items due), items, the working days to answer in, the form of the answer, the contact
    line and the issuing office (None: the catalogue's defaults)."""

    kind: NoticeKind = NoticeKind.SUPERVISE
    units: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    feedback_days: int = DEFAULT_FEEDBACK_DAYS
    feedback_form: str | None = None
    contact: str | None = None
    office: str | None = None
    fonts: "Fonts | None" = None
    """None: the default fonts (reports/officedoc.py)."""


@dataclass(frozen=True, slots=True)
class NoticeOutcome:
    """What a run issued (numbers and units) and where the document is."""

    path: Path
    notices: tuple[IssuedNotice, ...]


def office_name(options: NoticeOptions, lang: str) -> str:
    """The issuing office: the option, else the catalogue's default."""
    return options.office or label("notice_default_office", lang)


def _date(day: date, lang: str) -> str:
    """2026年6月1日 (the 成文日期 form), or ISO in English."""
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.isoformat()


def _cell_date(day: date, lang: str) -> str:
    """A date in a narrow column: 2026年 over 6月30日."""
    return f"{day.year}年\n{day.month}月{day.day}日" if lang == "zh" else day.isoformat()


def _shorten(text: str, limit: int = REQUIREMENT_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rstrip("，。；、,.; ") + "……"


def source_text(batch: NoticeBatch, lines: tuple[NoticeLine, ...], lang: str) -> str:
    """事项来源: the plan, or the meeting decisions that assigned the items; with several,
    each followed by its items' codes."""
    sources: dict[str, list[str]] = {}
    for line in lines:
        if line.decision is None:
            text = label("notice_source_plan", lang, plan=batch.plan_title)
        else:
            text = label("notice_source_decision", lang, on=_date(line.decision.meeting_on, lang),
                         meeting=line.decision.meeting_title,
                         decision=_shorten(line.decision.text, 40))
        sources.setdefault(text, []).append(line.code)
    if len(sources) == 1:
        return next(iter(sources))
    return label("notice_source_separator", lang).join(
        text + label("notice_source_codes", lang, codes=codes) for text, codes in sources.items())


def situation(line: NoticeLine, today: date, lang: str) -> str:
    """当前进展: status and progress against 序时进度, and days overdue."""
    parts = [label("notice_progress", lang, status=line.status.label(lang),
                   progress=f"{line.progress:.0f}"),
             label("notice_expected", lang, expected=f"{line.expected:.0f}")]
    if line.colour == Colour.RED:
        parts.append(label("notice_overdue_days", lang, days=(today - line.due).days))
    return "\n".join(parts)


def _row(batch: NoticeBatch, line: NoticeLine, lang: str) -> list[str]:
    names = batch.unit_names
    requirement = _requirement(line)
    return [line.code, line.title + (f"\n{requirement}" if requirement else ""),
            situation(line, batch.today, lang),
            names.get(line.lead or "", line.lead or "—"),
            list_separator(lang).join(names.get(u, u) for u in line.support) or "—",
            _cell_date(line.due, lang)]


def _requirement(line: NoticeLine) -> str:
    """The item's requirement as the table quotes it: cut short, and left out when it only
    repeats the title."""
    text = " ".join(line.requirement.split())
    core = text.lstrip("一二三四五六七八九十是、，。 ").rstrip("。；; ")
    if not core or core in line.title:
        return ""
    return _shorten(text)


def notice_document(batch: NoticeBatch, issued: list[IssuedNotice], options: NoticeOptions,
                    lang: str) -> "OfficeDocument":
    """The notices as one document: for each unit its own section (a new page, numbered
    from 1) with the 版头 (office, number and date: a 单 carries no signature block below,
    so that a notice of a few items fits its page), the addressee, the items, 反馈要求 and
    contact."""
    from planner.reports.officedoc import OfficeDocument, Span, Table

    doc = OfficeDocument(options.fonts)
    office = office_name(options, lang)
    kind = batch.kind.value
    columns = [label(f"notice_col_{name}", lang)
               for name in ("code", "item", "progress", "lead", "support", "due")]
    for index, notice in enumerate(issued):
        if index:
            doc.section_break()
        lines = notice.draft.lines
        doc.red_header(office, number=notice.number, day=batch.today)
        doc.title(label(f"notice_title_{kind}", lang))
        unit = notice.draft.unit_id
        doc.paragraph(label("notice_addressee", lang, unit=batch.unit_names.get(unit, unit)),
                      indent=False)
        roles = {line.role for line in lines}
        role = label(f"notice_role_{roles.pop()}", lang) if len(roles) == 1 \
            else label("notice_role_both", lang)
        doc.paragraph(label(f"notice_intro_{kind}", lang, n=len(lines), role=role))
        doc.paragraph([Span(label("notice_source_label", lang), role="heading1"),
                       Span(source_text(batch, lines, lang))])
        doc.table(Table(columns, [_row(batch, line, lang) for line in lines],
                        widths_mm=COLUMN_WIDTHS))
        form = options.feedback_form or label("notice_default_form", lang)
        doc.paragraph([Span(label("notice_feedback_label", lang), role="heading1"),
                       Span(label("notice_feedback", lang, due=_date(batch.feedback_by, lang),
                                  days=batch.feedback_days, form=form, office=office))])
        if options.contact:
            doc.paragraph([Span(label("notice_contact_label", lang), role="heading1"),
                           Span(options.contact)])
    return doc


def default_file_name(issued: list[IssuedNotice], kind: NoticeKind, fmt: str) -> str:
    """The file a run writes when none is named: its numbers (督办〔2026〕3-5号.docx)."""
    return f"{numbers_span(kind, issued[0].year, [n.serial for n in issued])}.{fmt}"


Transaction = Callable[[], AbstractContextManager[Db]]


def issue_notice_file(transaction: Transaction, options: NoticeOptions, *, today: date,
                      at: datetime, by_user: str | None, fmt: str,
                      output: Path | None, folder: Path, lang: str) -> NoticeOutcome:
    """Issue the notices `options` asks for and write them as one .docx or .pdf (`fmt`)
    to `output`, else into `folder` named by their numbers; in the order the module's
    docstring gives, so a notice is recorded exactly when its document was written."""
    from planner.reports.officedoc import write_office

    where = output.resolve().parent if output is not None else folder
    if not where.is_dir():  # before a number is taken
        raise PlannerError("report_no_folder", folder=where)
    temporary: Path | None = None
    try:
        with transaction() as db:
            batch = draft_notices(db, kind=options.kind, units=options.units,
                                  codes=options.codes, today=today,
                                  feedback_days=options.feedback_days)
            issued = issue_notices(db, batch, at=at, by_user=by_user)
            target = (output if output is not None
                      else folder / default_file_name(issued, options.kind, fmt)).resolve()
            temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
            write_office(notice_document(batch, issued, options, lang), temporary, fmt)
    except BaseException:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise
    assert temporary is not None  # set by the transaction, which completed
    try:
        os.replace(temporary, target)
    except OSError as exc:
        raise PlannerError("notice_move_failed", path=target, temporary=temporary,
                           reason=exc.strerror or exc) from None
    return NoticeOutcome(target, tuple(issued))


def preview_notices(db: Db, options: NoticeOptions, *, today: date, lang: str) -> str:
    """A dry run: what would be issued (the numbers the series would give next, unless
    another notice takes them first), to whom, with which items; nothing is taken."""
    batch = draft_notices(db, kind=options.kind, units=options.units, codes=options.codes,
                          today=today, feedback_days=options.feedback_days)
    first = peek_serial(db, options.kind.value, today.year)
    out = [label("notice_preview_header", lang, n=len(batch.drafts),
                 kind=label(f"notice_title_{options.kind.value}", lang),
                 due=_date(batch.feedback_by, lang))]
    for offset, draft in enumerate(batch.drafts):
        unit = draft.unit_id
        out.append(label("notice_preview_unit", lang,
                         number=notice_number(options.kind, today.year, first + offset),
                         unit=batch.unit_names.get(unit, unit), id=unit, n=len(draft.lines)))
        out += [label("notice_preview_item", lang, code=line.code, title=line.title,
                      role=label(f"notice_role_{line.role}", lang), due=_date(line.due, lang),
                      situation=situation(line, today, lang).replace("\n", "；" if lang == "zh"
                                                                      else "; "))
                for line in draft.lines]
    return "\n".join(out) + "\n"
