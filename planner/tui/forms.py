"""Fields and validators of every dialog: plain functions that turn form values into requests
(planner/tui/requests.py)."""

from collections.abc import Callable
from datetime import date

from planner.core.dates import parse_clock, parse_due, parse_start
from planner.core.errors import PlannerError
from planner.core.indicators import IndicatorSnapshot
from planner.core.model import TaskNode
from planner.core.notice import NoticeKind
from planner.core.outline import Criteria
from planner.core.rollup import Colour
from planner.core.status import Status, allowed_next
from planner.i18n import label
from planner.tui.dialogs.form import Field
from planner.tui.requests import (
    DecisionRequest,
    DueRequest,
    EntryRequest,
    ItemRequest,
    MeetingRequest,
    NoticeRequest,
    ReadingRequest,
    UpdateRequest,
)


def _number(text: str, *, low: float, high: float, key: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise PlannerError(key) from None
    if not low <= value <= high:
        raise PlannerError(key)
    return value


def update_form(node: TaskNode, units: list[tuple[str, str]], lang: str
                ) -> tuple[list[Field], Callable[[dict[str, object]], UpdateRequest]]:
    """The update dialog: only the allowed next statuses are offered."""
    statuses = [node.status, *sorted(allowed_next(node.status), key=list(Status).index)]
    default_unit = node.lead or (units[0][1] if units else "")
    ordered_units = sorted(units, key=lambda u: (u[1] not in (node.lead, *node.support), 0))
    fields = [
        Field("status", label("status", lang), node.status.value,
              tuple((s.label(lang), s.value) for s in statuses)),
        Field("progress", label("progress", lang) + " (0–100)", f"{node.progress:g}"),
        Field("note", label("note", lang)),
        Field("unit", label("reporting_unit", lang), default_unit,
              tuple((name, uid) for name, uid in ordered_units)),
    ]

    def validate(values: dict[str, object]) -> UpdateRequest:
        status = Status(str(values["status"]))
        progress = _number(str(values["progress"]), low=0, high=100, key="bad_number")
        note = str(values["note"]) or None
        if status == node.status and progress == node.progress and note is None:
            raise PlannerError("nothing_to_save")
        return UpdateRequest(status, progress, note, str(values["unit"]) or None)

    return fields, validate


def reading_form(indicators: list[IndicatorSnapshot], today: date, lang: str
                 ) -> tuple[list[Field], Callable[[dict[str, object]], ReadingRequest]]:
    """The indicator reading dialog."""
    fields = [
        Field("indicator", label("indicator", lang), indicators[0].code,
              tuple((label("indicator_choice", lang, code=i.code, name=i.name, unit=i.unit),
                     i.code) for i in indicators)),
        Field("value", label("value", lang)),
        Field("date", label("date", lang), today.isoformat()),
        Field("source", label("data_source", lang)),
    ]

    def validate(values: dict[str, object]) -> ReadingRequest:
        try:
            value = float(str(values["value"]))
        except ValueError:
            raise PlannerError("form_reading_number") from None
        on = parse_start(str(values["date"]), today=today)
        return ReadingRequest(str(values["indicator"]), value, on,
                              str(values["source"]) or None)

    return fields, validate


def filter_form(criteria: Criteria, units: list[tuple[str, str]], lang: str
                ) -> tuple[list[Field], Callable[[dict[str, object]], Criteria]]:
    """The filter dialog: unit, colours, statuses, due within N days, needs coordination."""
    fields = [
        Field("unit", label("lead", lang) + "/" + label("support", lang), criteria.unit or "",
              ((label("unit_any", lang), ""), *units)),
        Field("colours", label("colours", lang), options=tuple(
            (c.label(lang), c.value) for c in (Colour.RED, Colour.YELLOW, Colour.BLUE,
                                               Colour.GREEN)),
              multi=True, selected=frozenset(c.value for c in criteria.colours)),
        Field("statuses", label("statuses", lang), options=tuple(
            (s.label(lang), s.value) for s in Status), multi=True,
              selected=frozenset(s.value for s in criteria.statuses)),
        Field("due_within", label("due_within", lang),
              "" if criteria.due_within_days is None else str(criteria.due_within_days)),
        Field("coordination", label("needs_coordination", lang),
              options=((label("needs_coordination", lang), "yes"),), multi=True,
              selected=frozenset({"yes"} if criteria.needs_coordination else set())),
    ]

    def validate(values: dict[str, object]) -> Criteria:
        days_text = str(values["due_within"])
        days = None
        if days_text:
            if not days_text.isdigit():
                raise PlannerError("bad_days")
            days = int(days_text)
        colours = values["colours"]
        statuses = values["statuses"]
        assert isinstance(colours, list) and isinstance(statuses, list)
        return Criteria(text=criteria.text, unit=str(values["unit"]) or None,
                        colours=frozenset(Colour(c) for c in colours),
                        statuses=frozenset(Status(s) for s in statuses),
                        due_within_days=days, needs_coordination=bool(values["coordination"]))

    return fields, validate


def item_form(units: list[tuple[str, str]], lang: str, *, today: date,
              node: TaskNode | None = None, default_lead: str | None = None
              ) -> tuple[list[Field], Callable[[dict[str, object]], ItemRequest]]:
    """Add an item (node is None) or edit one; due dates of existing items move elsewhere."""
    fields = []
    if node is None:
        fields.append(Field("code", label("code_optional", lang)))
    fields += [
        Field("title", label("title", lang), node.title if node else ""),
        Field("lead", label("lead", lang), (node.lead if node else default_lead) or "",
              tuple((name, uid) for name, uid in units)),
        Field("support", label("support_ids", lang), ",".join(node.support) if node else ""),
        Field("start", label("start", lang), node.start.isoformat() if node else ""),
    ]
    if node is None:
        fields.append(Field("due", label("due", lang)))
    fields.append(Field("weight", label("weight", lang), f"{node.weight:g}" if node else "1"))

    def validate(values: dict[str, object]) -> ItemRequest:
        title = str(values["title"])
        if not title:
            raise PlannerError("form_title_needed")
        support = tuple(u.strip() for u in str(values["support"]).replace("，", ",").split(",")
                        if u.strip())
        start_text, due_text = str(values["start"]), str(values.get("due", ""))
        try:
            weight = float(str(values["weight"]))
        except ValueError:
            raise PlannerError("form_weight_positive") from None
        return ItemRequest(
            code=str(values.get("code", "")) or None, title=title, lead=str(values["lead"]),
            support=support,
            start=parse_start(start_text, today=today) if start_text else None,
            due=parse_due(due_text, today=today) if due_text else None, weight=weight)

    return fields, validate


def due_form(node: TaskNode, today: date, lang: str
             ) -> tuple[list[Field], Callable[[dict[str, object]], DueRequest]]:
    """Move a deadline: a new date and a reason, both required."""
    fields = [Field("due", label("due_new", lang), node.due.isoformat()),
              Field("reason", label("reason", lang))]

    def validate(values: dict[str, object]) -> DueRequest:
        due = parse_due(str(values["due"]), today=today)
        reason = str(values["reason"])
        if not reason:
            raise PlannerError("form_due_reason_needed")
        return DueRequest(due, reason)

    return fields, validate


def text_form(key: str, caption: str, value: str = ""
              ) -> tuple[list[Field], Callable[[dict[str, object]], str]]:
    """A single free-text field (a reason, a parent code)."""
    return [Field(key, caption, value)], lambda values: str(values[key])


# -- meetings (联席会议) --------------------------------------------------------------------
def _unit_ids(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(u.strip() for u in text.replace("，", ",").replace("、", ",")
                               .split(",") if u.strip()))


def meeting_form(today: date, lang: str
                 ) -> tuple[list[Field], Callable[[dict[str, object]], MeetingRequest]]:
    """Plan a meeting: date (not in the past), title, kind, length in minutes, and the place
    and start time its notice (`planner meeting notice`) gives, both optional."""
    from planner.services.meetings import MEETING_KINDS  # the ORM: not on the first screen

    fields = [
        Field("date", label("meeting_date", lang),
              placeholder=label("meeting_date_hint", lang)),
        Field("title", label("meeting_title", lang)),
        Field("kind", label("meeting_kind", lang), "joint",
              tuple((label(f"kind_{kind}", lang), kind) for kind in MEETING_KINDS)),
        Field("length", label("meeting_length", lang), "120"),
        Field("start", label("meeting_start", lang)),
        Field("place", label("meeting_place", lang)),
    ]

    def validate(values: dict[str, object]) -> MeetingRequest:
        on = parse_start(str(values["date"]), today=today)
        if on < today:
            raise PlannerError("meeting_past", on=on, today=today)
        title = str(values["title"])
        if not title:
            raise PlannerError("meeting_title_needed")
        length_text = str(values["length"])
        if not length_text.isdigit() or not 15 <= int(length_text) <= 600:
            raise PlannerError("meeting_bad_length")
        start_text = str(values["start"]).strip()
        return MeetingRequest(on, title, str(values["kind"]), int(length_text),
                              place=str(values["place"]).strip() or None,
                              start_time=parse_clock(start_text) if start_text else None)

    return fields, validate


def entry_form(units: list[tuple[str, str]], length_minutes: int, lang: str
               ) -> tuple[list[Field], Callable[[dict[str, object]], EntryRequest]]:
    """Add a free-text agenda entry: title, optional fixed minutes, optional presenter."""
    fields = [
        Field("title", label("entry_title", lang)),
        Field("minutes", label("entry_minutes", lang)),
        Field("presenter", label("entry_presenter", lang), "",
              ((label("unit_none", lang), ""), *units)),
    ]

    def validate(values: dict[str, object]) -> EntryRequest:
        title = str(values["title"])
        if not title:
            raise PlannerError("entry_title_needed")
        minutes_text = str(values["minutes"])
        minutes = None
        if minutes_text:
            if not minutes_text.isdigit() or not 1 <= int(minutes_text) <= length_minutes:
                raise PlannerError("entry_bad_minutes", length=length_minutes)
            minutes = int(minutes_text)
        return EntryRequest(title, minutes, str(values["presenter"]) or None)

    return fields, validate


def decision_form(units: list[tuple[str, str]], lang: str, *, today: date, meeting_on: date,
                  default_lead: str | None = None
                  ) -> tuple[list[Field], Callable[[dict[str, object]], DecisionRequest]]:
    """Record a decision and optionally one action item (title, lead, due, supporting ids).

    Everything the service would refuse is checked here, so the dialog shows the error and
    nothing is saved.
    """
    known = {uid for _, uid in units}
    fields = [
        Field("text", label("decision_text", lang)),
        Field("action", label("action_title", lang)),
        Field("lead", label("action_lead", lang),
              default_lead if default_lead in known else (units[0][1] if units else ""),
              tuple(units)),
        Field("due", label("action_due", lang)),
        Field("support", label("support_ids", lang)),
    ]

    def validate(values: dict[str, object]) -> DecisionRequest:
        text = str(values["text"])
        if not text:
            raise PlannerError("decision_text_needed")
        action, due_text = str(values["action"]), str(values["due"])
        support = _unit_ids(str(values["support"]))
        if not action:
            if due_text or support:
                raise PlannerError("action_title_needed")
            return DecisionRequest(text)
        if not due_text:
            raise PlannerError("action_due_needed")
        due = parse_due(due_text, today=today)
        if due < meeting_on:
            raise PlannerError("action_due_early", due=due, on=meeting_on)
        lead = str(values["lead"])
        for unit in (lead, *support):
            if unit not in known:
                raise PlannerError("unknown_unit", unit=unit)
        return DecisionRequest(text, action, lead, due,
                               tuple(u for u in support if u != lead))

    return fields, validate


def reason_form(lang: str) -> tuple[list[Field], Callable[[dict[str, object]], str]]:
    """The reason of a rejection (驳回 / 复核退回): required."""
    fields = [Field("reason", label("reason", lang))]

    def validate(values: dict[str, object]) -> str:
        reason = str(values["reason"]).strip()
        if not reason:
            raise PlannerError("cycle_answer_needs_reason")
        return reason

    return fields, validate


def assign_form(units: list[tuple[str, str]], current: str | None, lang: str
                ) -> tuple[list[Field], Callable[[dict[str, object]], str]]:
    """交办 again: the lead unit to give the item to (another than the one that returned it
    is offered first)."""
    default = next((uid for _, uid in units if uid != current), current or "")
    fields = [Field("unit", label("lead", lang), default, tuple(units))]

    def validate(values: dict[str, object]) -> str:
        return str(values["unit"])

    return fields, validate


# -- notices (督办通知单, 催办通知单) --------------------------------------------------------
def notice_form(lang: str) -> tuple[list[Field], Callable[[dict[str, object]], NoticeRequest]]:
    """Issue a notice: its kind, this item or all the unit's warned items, and the file
    (empty: named by its number)."""
    fields = [Field("kind", label("notice_form_kind", lang), NoticeKind.SUPERVISE.value,
                    tuple((label(f"notice_title_{kind.value}", lang), kind.value)
                          for kind in NoticeKind)),
              Field("scope", label("notice_form_scope", lang), "item",
                    tuple((label(f"notice_scope_{scope}", lang), scope)
                          for scope in ("item", "unit"))),
              Field("path", label("notice_form_path", lang),
                    placeholder=label("notice_form_path_default", lang))]

    def validate(values: dict[str, object]) -> NoticeRequest:
        path = str(values["path"]).strip()
        if path and not path.lower().endswith((".docx", ".pdf")):
            raise PlannerError("cli_notice_formats", suffix=path.rsplit(".", 1)[-1])
        return NoticeRequest(NoticeKind(str(values["kind"])), path or None,
                             whole_unit=values["scope"] == "unit")

    return fields, validate
