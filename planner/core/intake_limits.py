"""Time limits (完成时限) as plans write them, in a column or inside an item's text.

`find_limits` reads every time limit in a text; `read_limit` turns them into one `TimeLimit`:
a due date, or "ongoing" (长期坚持 / 持续推进: due at the plan's end), or a recurring item
(每月 / 每季度 / 每半年 / 每年X月 / 每年X月X日前: an RRULE the existing recurrence support
expands). A date that is not a time limit (`组织2025年度考核`, `2025年12月召开`) matches none of the
forms: every form ends in 前 / 底 / 末, names a half or quarter, or is a fixed phrase.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_MONTH = "(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_YEAR = r"(?:(?P<{name}>20\d\d)\s*年)?"
_BEFORE = "(?:之?前)"

#: Every form, one alternative each; the group that matched says which form it is.
_FORMS = re.compile("|".join([
    # 2026年6月30日前, 6月30日前
    f"(?P<day>{_YEAR.format(name='dy')}(?P<dm>{_MONTH})\\s*月\\s*(?P<dd>[0-3]?\\d)\\s*日"
    f"\\s*{_BEFORE})",
    # 2026年6月底前, 6月底前, 6月前, 6月底, 6月末
    f"(?P<month>{_YEAR.format(name='my')}(?P<mm>{_MONTH})\\s*月\\s*(?:(?:底|末){_BEFORE}?"
    f"|{_BEFORE}))",
    # 2026年上半年, 上半年, 下半年前
    f"(?P<half>{_YEAR.format(name='hy')}(?P<hh>[上下])半年(?:底|末)?{_BEFORE}?)",
    # 三季度末前, 第三季度, 2026年第4季度末
    f"(?P<quarter>{_YEAR.format(name='qy')}第?(?P<qq>[一二三四1-4])季度(?:末|底)?{_BEFORE}?)",
    # 2026年底前, 2026年年底前, 年底前, 年底, 年末, 年内
    f"(?P<yearend>(?:(?P<ey>20\\d\\d)\\s*年(?:年?底|年?末)|年底|年末){_BEFORE}?|年内)",
    "(?P<ongoing>长期坚持|持续推进|长期推进|持续开展|常态化推进)",
    # 每年3月, 每年3月底前, 每年4月20日前, 每月, 每季度, 每半年, 每周
    f"(?P<every>每年(?P<am>{_MONTH})月(?:(?P<ad>[0-3]?\\d)\\s*日|底|末)?{_BEFORE}?|每季度|每半年"
    "|每个?月|每周)",
]))


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """What one or more time limits in a text come to."""

    text: str                 # the time limits as written, joined by 、
    due: date
    ongoing: bool = False     # 长期坚持 / 持续推进: due at the plan's end, never finished early
    rule: str | None = None   # an RRULE for a recurring item (每月, 每季度, …)


@dataclass(frozen=True, slots=True)
class LimitMatch:
    """One time limit found in a text: where, as written, and what it names."""

    start: int
    end: int
    text: str
    due: date | None
    ongoing: bool
    rule: str | None


def _number(numeral: str) -> int:
    if numeral.isdigit():
        return int(numeral)
    tens, ten, units = numeral.partition("十")
    if not ten:
        return _CN_DIGITS[numeral]
    return _CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(units, 0)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _match(found: re.Match[str], year: int, plan_end: date) -> LimitMatch:
    """The meaning of one match (a year the text leaves out is `year`)."""
    def year_of(name: str) -> int:
        return int(found[name]) if found[name] else year

    due: date | None = None
    ongoing, rule = False, None
    if found["day"]:
        due = date(year_of("dy"), _number(found["dm"]), int(found["dd"]))
    elif found["month"]:
        due = _month_end(year_of("my"), _number(found["mm"]))
    elif found["half"]:
        due = _month_end(year_of("hy"), 6 if found["hh"] == "上" else 12)
    elif found["quarter"]:
        due = _month_end(year_of("qy"), 3 * _number(found["qq"]))
    elif found["yearend"]:
        due = date(year_of("ey"), 12, 31)
    elif found["ongoing"]:
        due, ongoing = plan_end, True
    else:
        word = found["every"]
        if found["am"]:
            month, day = _number(found["am"]), int(found["ad"]) if found["ad"] else -1
            if found["ad"] and not 1 <= day <= calendar.monthrange(2024, month)[1]:
                raise ValueError(found.group(0))  # 每年2月30日: no such day (2024: a leap year)
            rule = f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}"
        elif word == "每季度":
            rule = "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"
        elif word == "每半年":
            rule = "FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=-1"
        elif word == "每周":
            rule = "FREQ=WEEKLY;BYDAY=FR"
        else:
            rule = "FREQ=MONTHLY;BYMONTHDAY=-1"
    return LimitMatch(found.start(), found.end(), found.group(0), due, ongoing, rule)


def is_time_limit(text: str) -> bool:
    """Whether `text` is one time limit and nothing else (`2026年底前`, `6月底前完成`), as a
    part of a responsibility clause may be: `（A负责，2026年底前完成）`."""
    return _FORMS.fullmatch(text.strip().removesuffix("完成")) is not None


def find_limits(text: str, *, year: int, plan_end: date) -> list[LimitMatch]:
    """Every time limit in `text`, in order; an impossible date (2月30日前) is left out."""
    matches = []
    for found in _FORMS.finditer(text):
        try:
            matches.append(_match(found, year, plan_end))
        except ValueError:
            continue
    return matches


def read_limit(text: str, *, year: int, plan_end: date) -> TimeLimit | None:
    """The time limit of an item whose text (or 完成时限 cell) is `text`, or None.

    Several limits combine: a recurring form gives the rule (its last occurrence falls at the
    last deadline named, else at the plan's end); otherwise the last deadline named wins (a
    text says `2026年3月底前启动，6月底前完成`). Ongoing only when nothing more precise is named.
    """
    matches = find_limits(text, year=year, plan_end=plan_end)
    if not matches:
        return None
    written = "、".join(match.text for match in matches)
    rule = next((match.rule for match in matches if match.rule), None)
    deadlines = [match.due for match in matches if match.due and not match.ongoing]
    if rule:
        return TimeLimit(written, deadlines[-1] if deadlines else plan_end, rule=rule)
    if deadlines:
        return TimeLimit(written, deadlines[-1])
    return TimeLimit(written, plan_end, ongoing=True)
