"""Dates as work plans write them, China's working-day calendar, ISO weeks and 序时进度."""

import calendar
import functools
import itertools
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable
from datetime import date, datetime, timedelta

from planner.core.errors import PlannerError
from planner.i18n import label

Span = tuple[date, date]

# A count written with digits or Chinese numerals up to 九十九 (十二, 三, 二十一).
_CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                   "八": 8, "九": 9}
_CHINESE_NUMBER = "[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九]"
_NUMBER = f"[0-9]{{1,2}}|{_CHINESE_NUMBER}"
_YEAR = "(?P<year>[0-9]{4})"
_CN_YEAR = f"{_YEAR}年"
_CN_MONTH = f"{_CN_YEAR}(?P<month>{_NUMBER})月"


class _LazyPattern:
    """A case-blind regular expression compiled on its first match: most commands never
    parse a date, and compiling these dozen patterns would cost every one of them."""

    __slots__ = ("_compiled", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._compiled: re.Pattern[str] | None = None

    def fullmatch(self, text: str) -> re.Match[str] | None:
        if self._compiled is None:
            self._compiled = re.compile(self._text, re.IGNORECASE)
        return self._compiled.fullmatch(text)


_ISO_WEEK = _LazyPattern(f"{_YEAR}-?W(?P<week>[0-9]{{1,2}})")

# Units of relative dates: the code in `+3m` and the Chinese words for it.
_CHINESE_UNITS = {"天": "d", "日": "d", "周": "w", "星期": "w", "礼拜": "w", "个月": "m",
                  "年": "y", "工作日": "wd"}


def _number(numeral: str) -> int:
    """The value of `numeral`, written with digits or as a Chinese numeral below 100."""
    if numeral.isdigit():
        return int(numeral)
    tens, ten, units = numeral.partition("十")
    if not ten:
        return _CHINESE_DIGITS[numeral]
    return _CHINESE_DIGITS.get(tens, 1) * 10 + _CHINESE_DIGITS.get(units, 0)


def _same_day(day: date) -> Span:
    return day, day


def _year_span(year: int) -> Span:
    return date(year, 1, 1), date(year, 12, 31)


def _month_span(year: int, month: int) -> Span:
    first = date(year, month, 1)
    return first, first.replace(day=calendar.monthrange(year, month)[1])


def _months_span(year: int, first_month: int, months: int) -> Span:
    """`months` whole months from `first_month`: a quarter or a half year."""
    return date(year, first_month, 1), _month_span(year, first_month + months - 1)[1]


def _quarter_span(year: int, quarter: int) -> Span:
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter {quarter}")
    return _months_span(year, 3 * quarter - 2, 3)


def _half_span(year: int, half: int) -> Span:
    if half not in (1, 2):
        raise ValueError(f"half {half}")
    return _months_span(year, 6 * half - 5, 6)


def _dekad_span(year: int, month: int, dekad: str) -> Span:
    """上旬 (1–10), 中旬 (11–20) or 下旬 (21 to the month's end)."""
    first, last = _month_span(year, month)
    if dekad == "上":
        return first, first.replace(day=10)
    if dekad == "中":
        return first.replace(day=11), first.replace(day=20)
    return first.replace(day=21), last


def _iso_week_span(year: int, week: int) -> Span:
    monday = date.fromisocalendar(year, week, 1)
    return monday, monday + timedelta(days=6)


def _shift(day: date, count: int, unit: str) -> date:
    """`day` moved by `count` units: d(ays), w(eeks), m(onths), y(ears), wd (working days)."""
    if unit == "wd":
        return add_working_days(day, count)
    from dateutil.relativedelta import relativedelta  # here: most commands never shift a date

    offset = {"d": relativedelta(days=count), "w": relativedelta(weeks=count),
              "m": relativedelta(months=count), "y": relativedelta(years=count)}[unit]
    return day + offset


def _chinese_shift(match: re.Match[str], today: date) -> date:
    unit = match["unit"]
    code = _CHINESE_UNITS[unit if unit == "个月" else unit.removeprefix("个")]
    sign = -1 if "前" in match["direction"] else 1
    return _shift(today, sign * _number(match["count"]), code)


def _pattern(text: str) -> _LazyPattern:
    return _LazyPattern(text)


def _ymd(year: str, month: str, day: str) -> Span:
    return _same_day(date(int(year), _number(month), _number(day)))


# Forms naming a fixed period; each reader raises ValueError for an impossible date.
_ABSOLUTE: list[tuple[_LazyPattern, Callable[[re.Match[str]], Span]]] = [
    (_pattern(f"{_YEAR}(?P<sep>[-/.])(?P<month>[0-9]{{1,2}})(?P=sep)(?P<day>[0-9]{{1,2}})"),
     lambda m: _ymd(m["year"], m["month"], m["day"])),
    (_pattern(f"{_YEAR}(?P<month>[0-9]{{2}})(?P<day>[0-9]{{2}})"),
     lambda m: _ymd(m["year"], m["month"], m["day"])),
    (_pattern(f"{_YEAR}[-/.](?P<month>[0-9]{{1,2}})"),
     lambda m: _month_span(int(m["year"]), int(m["month"]))),
    (_pattern(f"{_YEAR}年?"), lambda m: _year_span(int(m["year"]))),
    (_pattern(f"{_YEAR}-?H(?P<half>[0-9])"),
     lambda m: _half_span(int(m["year"]), int(m["half"]))),
    (_pattern(f"{_YEAR}-?Q(?P<quarter>[0-9])"),
     lambda m: _quarter_span(int(m["year"]), int(m["quarter"]))),
    (_ISO_WEEK, lambda m: _iso_week_span(int(m["year"]), int(m["week"]))),
    (_pattern(f"{_CN_YEAR}年?[底末]"), lambda m: _same_day(date(int(m["year"]), 12, 31))),
    (_pattern(f"{_CN_YEAR}年?初"), lambda m: _month_span(int(m["year"]), 1)),
    (_pattern(f"{_CN_YEAR}年?中"), lambda m: _same_day(date(int(m["year"]), 6, 30))),
    (_pattern(f"{_CN_YEAR}(?P<half>[上下])半年"),
     lambda m: _half_span(int(m["year"]), "上下".index(m["half"]) + 1)),
    (_pattern(f"{_CN_YEAR}第?(?P<quarter>{_NUMBER})季度"),
     lambda m: _quarter_span(int(m["year"]), _number(m["quarter"]))),
    (_pattern(_CN_MONTH), lambda m: _month_span(int(m["year"]), _number(m["month"]))),
    (_pattern(f"{_CN_MONTH}(?P<day>{_NUMBER})[日号]"),
     lambda m: _ymd(m["year"], m["month"], m["day"])),
    (_pattern(f"{_CN_MONTH}[底末]"),
     lambda m: _same_day(_month_span(int(m["year"]), _number(m["month"]))[1])),
    (_pattern(f"{_CN_MONTH}(?:(?P<dekad>[上中下])旬|初)"),
     lambda m: _dekad_span(int(m["year"]), _number(m["month"]), m["dekad"] or "上")),
]

# Forms counted from today.
_RELATIVE: list[tuple[_LazyPattern, Callable[[re.Match[str], date], date]]] = [
    (_pattern("today|今天|今日"), lambda m, today: today),
    (_pattern("(?P<sign>[+-])(?P<count>[0-9]+)(?P<unit>wd|d|w|m|y)"),
     lambda m, today: _shift(today, int(m["sign"] + m["count"]), m["unit"].lower())),
    (_pattern(f"(?P<count>[0-9]{{1,3}}|{_CHINESE_NUMBER})"
              "(?P<unit>天|日|个?周|个?星期|个?礼拜|个月|年|个?工作日)"
              "(?P<direction>[以之]?[后前内])"), _chinese_shift),
]


def _unrecognised(shown: str) -> PlannerError:
    return PlannerError("date_unrecognised", text=shown)


def _no_such_date(shown: str) -> PlannerError:
    return PlannerError("date_no_such", text=shown)


def parse_date_span(text: str | date, *, today: date | None = None) -> Span:
    """The first and last day of the period `text` names (a day, 旬, month, quarter, half,
    year or ISO week), or of the day it counts to from `today` (`+10wd`, `3个月后`)."""
    if isinstance(text, datetime):
        return _same_day(text.date())
    if isinstance(text, date):
        return _same_day(text)
    shown = text.strip()
    normalised = unicodedata.normalize("NFKC", text).strip()
    try:
        for pattern, read_span in _ABSOLUTE:
            if match := pattern.fullmatch(normalised):
                return read_span(match)
        for pattern, read_day in _RELATIVE:
            if match := pattern.fullmatch(normalised):
                if today is None:
                    raise PlannerError("date_relative_needs_today", text=shown)
                return _same_day(read_day(match, today))
    except (ValueError, OverflowError):
        raise _no_such_date(shown) from None
    raise _unrecognised(shown)


def parse_start(text: str | date, *, today: date | None = None) -> date:
    """The first day of the period `text` names."""
    return parse_date_span(text, today=today)[0]


def parse_due(text: str | date, *, today: date | None = None) -> date:
    """The last day of the period `text` names: `2021年底` and `2021年` are both 12-31."""
    return parse_date_span(text, today=today)[1]


@functools.cache
def _working_day_flags(year: int) -> tuple[bool, ...]:
    """Whether each day of `year` is a working day, from Jan 1 on."""
    import chinese_calendar  # here: its tables load only when working days are counted

    days = [date(year, 1, 1) + timedelta(days=i) for i in range(365 + calendar.isleap(year))]
    try:
        chinese_calendar.is_workday(days[0])  # refuses a year it has no tables for
    except NotImplementedError:
        return tuple(day.weekday() < 5 for day in days)
    # `is_workday`'s own rule on its public tables: it checks the year on every call, with a
    # scan of all its holidays (a year's days took 10 ms).
    holidays, workdays = chinese_calendar.holidays, chinese_calendar.workdays
    return tuple(day in workdays or (day.weekday() < 5 and day not in holidays) for day in days)


@functools.cache
def _working_days_through(year: int) -> tuple[int, ...]:
    """For each day of `year`, how many working days the year has up to and including it."""
    return tuple(itertools.accumulate(_working_day_flags(year)))


def _day_of_year(day: date) -> int:
    """0 for Jan 1."""
    return day.toordinal() - date(day.year, 1, 1).toordinal()


def is_working_day(day: date) -> bool:
    """Whether `day` is a working day on China's official calendar, with its holidays and
    make-up working days (调休). Years `chinesecalendar` does not cover yet fall back to
    Monday–Friday, public holidays ignored."""
    return _working_day_flags(day.year)[_day_of_year(day)]


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day` (before it when negative); for 0, `day`
    itself when it is a working day, otherwise the next one."""
    if count == 0:
        return day if is_working_day(day) else add_working_days(day, 1)
    year = day.year
    through = _working_days_through(year)
    # Working days are ranked 1, 2, … within their year; find the rank of the answer.
    rank = through[_day_of_year(day)] + count
    if count < 0 and not is_working_day(day):
        rank += 1
    while rank > through[-1]:
        rank -= through[-1]
        year += 1
        through = _working_days_through(year)
    while rank < 1:
        year -= 1
        through = _working_days_through(year)
        rank += through[-1]
    return date(year, 1, 1) + timedelta(days=bisect_left(through, rank))


def working_days_between(start: date, end: date) -> int:
    """How many working days fall in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    years_before_end = sum(_working_days_through(year)[-1]
                           for year in range(start.year, end.year))
    return (years_before_end + _working_days_through(end.year)[_day_of_year(end)]
            - _working_days_through(start.year)[_day_of_year(start)])


def parse_iso_week(text: str) -> Span:
    """Monday and Sunday of an ISO week written `2021-W17` or `2021W17`."""
    shown = text.strip()
    match = _ISO_WEEK.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if not match:
        raise _unrecognised(shown)
    try:
        return _iso_week_span(int(match["year"]), int(match["week"]))
    except ValueError:
        raise _no_such_date(shown) from None


def week_span(day: date) -> Span:
    """Monday and Sunday of the ISO week containing `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def iso_week_label(day: date) -> str:
    """The ISO week of `day` as `2021-W17` (its ISO year can differ near New Year)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def format_date(day: date, lang: str = "zh") -> str:
    """`2021年12月31日` in Chinese, `2021-12-31` in English."""
    return label("date_long", lang, day=day)


CLOCK = re.compile(r"\s*([01]?\d|2[0-3])\s*[:：]\s*([0-5]\d)\s*")


def parse_clock(text: str) -> str:
    """A time of day typed as 9:30, 09:30 or 9：30, as `HH:MM`; anything else refused."""
    match = CLOCK.fullmatch(text)
    if match is None:
        raise PlannerError("date_clock_invalid", text=text)
    return f"{int(match[1]):02d}:{match[2]}"


def clock_text(clock: str, lang: str) -> str:
    """`HH:MM` as a notice writes it: 上午9:30, 中午12:00, 下午2:30 (9:30 am … in English)."""
    hour, minute = int(clock[:2]), clock[3:]
    part = "am" if hour < 12 else "noon" if hour == 12 else "pm"
    return label(f"clock_{part}", lang, hour=hour if hour <= 12 else hour - 12, minute=minute)


def elapsed_fraction(start: date, due: date, today: date) -> float:
    """序时进度: the share of the days from `start` to `due` (both counted) that have passed
    by the end of `today`, within [0, 1]. A due date before the start counts as a one-day
    window on the due date."""
    first = min(start, due)
    window_days = (due - first).days + 1
    elapsed_days = (today - first).days + 1
    return min(1.0, max(0.0, elapsed_days / window_days))


RECORDED_YEARS = (2000, 2099)
"""Years a recorded time (history, readings, creation) may fall in, on every backend: the
PostgreSQL checks refuse others, and a restore refuses a backup holding them."""


def check_recorded_day(day: date) -> date:
    """`day` if history may be dated on it (`--today` dates what a command records)."""
    if not RECORDED_YEARS[0] <= day.year <= RECORDED_YEARS[1]:
        raise PlannerError("date_recorded_range", first=RECORDED_YEARS[0],
                           last=RECORDED_YEARS[1], day=day)
    return day
