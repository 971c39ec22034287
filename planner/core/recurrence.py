"""Expansion of recurring items (RRULE) into one occurrence per period."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.rrule import rrulestr

from planner.core.errors import PlannerError
from planner.core.text import text_language
from planner.i18n import label

MAX_OCCURRENCES = 1000
_SUB_DAILY = re.compile(r"FREQ\s*=\s*(HOURLY|MINUTELY|SECONDLY)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One generated child of a recurring item."""

    code: str
    title: str
    start: date
    due: date


def occurrence_code(parent_code: str, start: date) -> str:
    """A code stable under edits of the rule: the parent's code and the start date."""
    return f"{parent_code}@{start.isoformat()}"


def expand(rule: str, *, code: str, title: str, first: date, until: date,
           duration_days: int = 1) -> list[Occurrence]:
    """Occurrences of `rule` from `first` up to `until`, each spanning `duration_days`."""
    if duration_days < 1:
        raise PlannerError("recur_bad_duration", days=duration_days)
    text = rule.strip().removeprefix("RRULE:")
    if _SUB_DAILY.search(text):
        raise PlannerError("recur_sub_daily", rule=rule)
    try:
        recurrence = rrulestr(text, dtstart=datetime.combine(first, datetime.min.time()))
    except (ValueError, TypeError) as exc:
        raise PlannerError("recur_unparsable", rule=rule, detail=str(exc)) from None
    occurrences: list[Occurrence] = []
    language, yearly = text_language(title), "YEARLY" in text.upper()
    for moment in recurrence.xafter(datetime.combine(first, datetime.min.time()), inc=True):
        start = moment.date()
        if start > until:
            break
        if occurrences and occurrences[-1].start == start:
            # Codes are made from the date, so two occurrences on one day would collide.
            raise PlannerError("recur_twice_a_day", rule=rule, day=start.isoformat())
        if len(occurrences) == MAX_OCCURRENCES:
            raise PlannerError("recur_too_many", rule=rule, limit=MAX_OCCURRENCES)
        suffix = (label("recur_year_suffix", language, year=start.year) if yearly
                  else label("recur_day_suffix", language, day=start.isoformat()))
        occurrences.append(Occurrence(
            occurrence_code(code, start), title + suffix,
            start, start + timedelta(days=duration_days - 1),
        ))
    return occurrences
