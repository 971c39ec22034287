"""Agenda and minutes of a meeting as sections, laid out like the weekly report."""

from sqlmodel import Session, select

from planner.reports.sections import Cell, Section
from planner.services.meetings import agenda_items, decisions_of, get_meeting
from planner.store.models import MeetingUnit
from planner.store.queries import load_units, task_units

SECTION_NAMES = {
    "followup": ("上次会议决定落实", "Follow-up of decisions"),
    "coordination": ("需协调事项", "Needs coordination"),
    "red": ("逾期事项", "Overdue"),
    "yellow": ("滞后加大事项", "Falling behind"),
    "indicators": ("指标", "Indicators"),
    "deadlines": ("近期到期", "Upcoming deadlines"),
    "free": ("其他议题", "Other"),
}
KINDS = {"joint": ("联席会议", "joint meeting"), "office": ("办公会", "office meeting")}


def _t(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def meeting_header(meeting_id: int, *, session: Session, lang: str,
                   what: tuple[str, str]) -> list[str]:
    """Title block of an agenda or minutes."""
    meeting = get_meeting(meeting_id, session=session)
    names = {uid: unit.name for uid, unit in load_units(session=session).items()}
    attending = set(session.exec(select(MeetingUnit.unit_id).where(
        MeetingUnit.meeting_id == meeting_id)).all())
    attendees = [unit for unit in names if unit in attending]
    colon = ": " if lang == "en" else "："
    kind = _t(KINDS.get(meeting.kind, (meeting.kind, meeting.kind)), lang)
    return [
        f"{meeting.title} {_t(what, lang)}".rstrip(),
        f"{_t(('日期', 'Date'), lang)}{colon}{meeting.on}    {_t(('类型', 'Kind'), lang)}{colon}"
        f"{kind}    {_t(('时长', 'Length'), lang)}{colon}{meeting.length_minutes}"
        f"{_t(('分钟', ' min'), lang)}",
        f"{_t(('参会单位', 'Attending'), lang)}{colon}{len(attendees)}"
        f"{_t(('家', ' units'), lang)}：" + "、".join(names.get(u, u) for u in attendees)
        if lang != "en" else
        f"Attending: {len(attendees)} units: " + ", ".join(names.get(u, u) for u in attendees),
    ]


def agenda_sections(meeting_id: int, *, session: Session, lang: str) -> list[Section]:
    """The agenda table — every entry under the number the edit options use, excluded ones
    marked ✗ — then one section with the included entries' details."""
    names = {uid: unit.name for uid, unit in load_units(session=session).items()}
    items = agenda_items(meeting_id, session=session)
    table = Section("agenda", _t(("议程", "Agenda"), lang), columns=[
        _t(("序号", "No."), lang), _t(("类别", "Section"), lang), _t(("议题", "Topic"), lang),
        _t(("汇报单位", "Presenter"), lang), _t(("涉及单位", "Units"), lang),
        _t(("事项编码", "Items"), lang), _t(("时间（分钟）", "Minutes"), lang)],
        empty=_t(("（无议题）", "(no entries)"), lang))
    details = Section("details", _t(("议题说明", "Entry details"), lang))
    for number, item in enumerate(items, start=1):
        table.rows.append([
            Cell(str(number) if item.included else f"✗{number}", numeric=True),
            Cell(_t(SECTION_NAMES.get(item.section, (item.section, item.section)), lang)),
            Cell(item.title), Cell(names.get(item.presenter or "", item.presenter or "")),
            Cell("、".join(names.get(u, u) for u in item.unit_ids)),
            Cell("、".join(item.codes)),
            Cell(str(item.minutes) if item.included else "—", numeric=True)])
        if item.included and item.detail:
            details.paragraphs += [f"{number}. {item.title}", *item.detail.splitlines()]
    total = sum(i.minutes for i in items if i.included)
    excluded = sum(1 for i in items if not i.included)
    summary = _t(("合计 {n} 分钟", "{n} minutes in all"), lang).format(n=total)
    if excluded:
        summary += _t(("；✗ 表示不列入（{k} 项）", "; ✗ marks entries left out ({k})"),
                      lang).format(k=excluded)
    table.paragraphs.append(summary)
    return [table, details] if details.paragraphs else [table]


def minutes_sections(meeting_id: int, *, session: Session, lang: str) -> list[Section]:
    """The decisions and the action items they created (code, title, lead, due)."""
    names = {uid: unit.name for uid, unit in load_units(session=session).items()}
    section = Section("decisions", _t(("会议决定及交办事项", "Decisions and action items"), lang),
                      columns=[_t(("序号", "No."), lang), _t(("决定", "Decision"), lang),
                               _t(("关于", "About"), lang),
                               _t(("交办事项", "Action items"), lang)],
                      empty=_t(("（尚无决定）", "(no decisions yet)"), lang))
    for number, (decision, actions) in enumerate(decisions_of(meeting_id, session=session),
                                                 start=1):
        lines = []
        for task in actions:
            lead, _ = task_units(task.id or 0, session=session)
            lines.append(f"{task.code} {task.title}（{names.get(lead or '', lead or '')}，"
                         f"{_t(('截止', 'due'), lang)} {task.due}）")
        section.rows.append([Cell(str(number), numeric=True), Cell(decision.text),
                             Cell(decision.about_code or ""), Cell("；".join(lines))])
    return [section]


PARTS: dict[str, tuple[str, str]] = {
    "agenda": ("议程", "agenda"), "minutes": ("会议纪要", "minutes"), "all": ("", "")}


def meeting_document(meeting_id: int, *, session: Session, lang: str,
                     part: str) -> tuple[list[str], list[Section]]:
    """Header and sections of a meeting's agenda, minutes, or both ("all")."""
    header = meeting_header(meeting_id, session=session, lang=lang, what=PARTS[part])
    sections: list[Section] = []
    if part in ("agenda", "all"):
        sections += agenda_sections(meeting_id, session=session, lang=lang)
    if part in ("minutes", "all"):
        sections += minutes_sections(meeting_id, session=session, lang=lang)
    return header, sections
