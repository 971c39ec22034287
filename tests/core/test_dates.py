"""Tests for planner.core.dates: date forms, China's working-day calendar, weeks, 序时进度."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from planner.core.dates import (
    add_working_days,
    clock_text,
    elapsed_fraction,
    format_date,
    is_working_day,
    iso_week_label,
    parse_clock,
    parse_date_span,
    parse_due,
    parse_iso_week,
    parse_start,
    week_span,
    working_days_between,
)
from planner.core.errors import PlannerError

D = date
TODAY = D(2021, 9, 30)  # a Thursday, the eve of the 2021 National Day holiday

# Dates on both sides of the years chinesecalendar covers, so the fallback is exercised too.
calendar_days = st.dates(min_value=D(2000, 1, 1), max_value=D(2035, 12, 31))


@pytest.mark.parametrize(("text", "span"), [
    # ISO and its variants
    ("2021-12-31", (D(2021, 12, 31), D(2021, 12, 31))),
    ("2021/12/31", (D(2021, 12, 31), D(2021, 12, 31))),
    ("2021.12.31", (D(2021, 12, 31), D(2021, 12, 31))),
    ("20211231", (D(2021, 12, 31), D(2021, 12, 31))),
    ("2021-4-20", (D(2021, 4, 20), D(2021, 4, 20))),
    ("2021/4/2", (D(2021, 4, 2), D(2021, 4, 2))),
    ("2024-02-29", (D(2024, 2, 29), D(2024, 2, 29))),
    ("2021-12", (D(2021, 12, 1), D(2021, 12, 31))),
    ("2021", (D(2021, 1, 1), D(2021, 12, 31))),
    # Chinese days, months, years
    ("2021年12月31日", (D(2021, 12, 31), D(2021, 12, 31))),
    ("2021年12月31号", (D(2021, 12, 31), D(2021, 12, 31))),
    ("2021年4月5日", (D(2021, 4, 5), D(2021, 4, 5))),
    ("2021年十二月三十一日", (D(2021, 12, 31), D(2021, 12, 31))),
    ("2021年12月", (D(2021, 12, 1), D(2021, 12, 31))),
    ("2021年十二月", (D(2021, 12, 1), D(2021, 12, 31))),
    ("2021年十一月", (D(2021, 11, 1), D(2021, 11, 30))),
    ("2021年二月", (D(2021, 2, 1), D(2021, 2, 28))),
    ("2024年2月", (D(2024, 2, 1), D(2024, 2, 29))),
    ("2021年", (D(2021, 1, 1), D(2021, 12, 31))),
    # year end, start and middle
    ("2021年底", (D(2021, 12, 31), D(2021, 12, 31))),
    ("2021年末", (D(2021, 12, 31), D(2021, 12, 31))),
    ("2021年年底", (D(2021, 12, 31), D(2021, 12, 31))),
    ("2021年年末", (D(2021, 12, 31), D(2021, 12, 31))),
    ("2021年初", (D(2021, 1, 1), D(2021, 1, 31))),
    ("2021年年初", (D(2021, 1, 1), D(2021, 1, 31))),
    ("2021年年中", (D(2021, 6, 30), D(2021, 6, 30))),
    ("2021年中", (D(2021, 6, 30), D(2021, 6, 30))),
    # month end and ten-day periods (旬)
    ("2021年6月底", (D(2021, 6, 30), D(2021, 6, 30))),
    ("2021年6月末", (D(2021, 6, 30), D(2021, 6, 30))),
    ("2024年2月底", (D(2024, 2, 29), D(2024, 2, 29))),
    ("2021年六月底", (D(2021, 6, 30), D(2021, 6, 30))),
    ("2021年6月上旬", (D(2021, 6, 1), D(2021, 6, 10))),
    ("2021年6月中旬", (D(2021, 6, 11), D(2021, 6, 20))),
    ("2021年6月下旬", (D(2021, 6, 21), D(2021, 6, 30))),
    ("2021年7月下旬", (D(2021, 7, 21), D(2021, 7, 31))),
    ("2021年2月下旬", (D(2021, 2, 21), D(2021, 2, 28))),
    ("2021年6月初", (D(2021, 6, 1), D(2021, 6, 10))),
    # halves
    ("2022年上半年", (D(2022, 1, 1), D(2022, 6, 30))),
    ("2022年下半年", (D(2022, 7, 1), D(2022, 12, 31))),
    ("2022H1", (D(2022, 1, 1), D(2022, 6, 30))),
    ("2022-H2", (D(2022, 7, 1), D(2022, 12, 31))),
    ("2022h2", (D(2022, 7, 1), D(2022, 12, 31))),
    # quarters
    ("2023年第三季度", (D(2023, 7, 1), D(2023, 9, 30))),
    ("2023年三季度", (D(2023, 7, 1), D(2023, 9, 30))),
    ("2023年3季度", (D(2023, 7, 1), D(2023, 9, 30))),
    ("2023年第3季度", (D(2023, 7, 1), D(2023, 9, 30))),
    ("2023年第一季度", (D(2023, 1, 1), D(2023, 3, 31))),
    ("2023年四季度", (D(2023, 10, 1), D(2023, 12, 31))),
    ("2023Q3", (D(2023, 7, 1), D(2023, 9, 30))),
    ("2023-Q3", (D(2023, 7, 1), D(2023, 9, 30))),
    ("2023q2", (D(2023, 4, 1), D(2023, 6, 30))),
    # ISO weeks
    ("2021-W17", (D(2021, 4, 26), D(2021, 5, 2))),
    ("2021w17", (D(2021, 4, 26), D(2021, 5, 2))),
])
def test_parse_date_span_absolute_forms(text: str, span: tuple[date, date]) -> None:
    assert parse_date_span(text) == span


@pytest.mark.parametrize(("text", "span"), [
    ("２０２１－１２－３１", (D(2021, 12, 31), D(2021, 12, 31))),
    ("２０２１年１２月３１日", (D(2021, 12, 31), D(2021, 12, 31))),
    ("２０２３Ｑ３", (D(2023, 7, 1), D(2023, 9, 30))),
    ("  2021年底\n", (D(2021, 12, 31), D(2021, 12, 31))),
    ("\u30002021-12-31\u3000", (D(2021, 12, 31), D(2021, 12, 31))),
])
def test_parse_date_span_normalises_full_width_and_space(
    text: str, span: tuple[date, date]
) -> None:
    assert parse_date_span(text) == span


def test_parse_date_span_passes_dates_through() -> None:
    assert parse_date_span(D(2021, 5, 6)) == (D(2021, 5, 6), D(2021, 5, 6))
    assert parse_date_span(datetime(2021, 5, 6, 14, 30)) == (D(2021, 5, 6), D(2021, 5, 6))


@pytest.mark.parametrize(("text", "day"), [
    ("today", TODAY),
    ("TODAY", TODAY),
    ("今天", TODAY),
    ("今日", TODAY),
    ("+30d", D(2021, 10, 30)),
    ("+2w", D(2021, 10, 14)),
    ("+3m", D(2021, 12, 30)),
    ("+1y", D(2022, 9, 30)),
    ("+0d", TODAY),
    ("+10wd", D(2021, 10, 20)),  # across the National Day holiday and its make-up Saturday
    ("+1WD", D(2021, 10, 8)),
    ("-5d", D(2021, 9, 25)),
    ("-1w", D(2021, 9, 23)),
    ("-1m", D(2021, 8, 30)),
    ("-1y", D(2020, 9, 30)),
    ("-3wd", D(2021, 9, 27)),
    ("30天后", D(2021, 10, 30)),
    ("30日后", D(2021, 10, 30)),
    ("30日内", D(2021, 10, 30)),
    ("三十天内", D(2021, 10, 30)),
    ("2周后", D(2021, 10, 14)),
    ("两周后", D(2021, 10, 14)),
    ("2个星期后", D(2021, 10, 14)),
    ("3个月后", D(2021, 12, 30)),
    ("三个月以后", D(2021, 12, 30)),
    ("1年后", D(2022, 9, 30)),
    ("10个工作日后", D(2021, 10, 20)),
    ("10个工作日内", D(2021, 10, 20)),
    ("十个工作日之内", D(2021, 10, 20)),
    ("5天前", D(2021, 9, 25)),
    ("1个月前", D(2021, 8, 30)),
    ("3个工作日前", D(2021, 9, 27)),
    ("＋３０ｄ", D(2021, 10, 30)),
])
def test_parse_date_span_relative_forms(text: str, day: date) -> None:
    assert parse_date_span(text, today=TODAY) == (day, day)


@pytest.mark.parametrize(("text", "today", "day"), [
    ("+1m", D(2021, 1, 31), D(2021, 2, 28)),
    ("+1m", D(2024, 1, 31), D(2024, 2, 29)),
    ("1个月后", D(2021, 3, 31), D(2021, 4, 30)),
    ("+1y", D(2020, 2, 29), D(2021, 2, 28)),
    ("-1m", D(2021, 3, 31), D(2021, 2, 28)),
])
def test_month_and_year_offsets_clamp_to_month_end(text: str, today: date, day: date) -> None:
    assert parse_date_span(text, today=today) == (day, day)


@pytest.mark.parametrize("text", ["today", "今天", "+30d", "+10wd", "3个月后", "5天前"])
def test_relative_forms_need_today(text: str) -> None:
    with pytest.raises(PlannerError) as caught:
        parse_date_span(text)
    assert f'"{text}"' in caught.value.msg.render("zh")
    assert f'"{text}"' in caught.value.msg.render("en")


@pytest.mark.parametrize("text", [
    "明年", "", "   ", "garbage", "2021-12-31x", "2021-12/31", "21-12-31", "2021年后",
    "3月后", "+30", "30d", "12月31日", "2021年第三季", "2021H", "Q3", "2021-W", "下周",
])
def test_unrecognised_dates(text: str) -> None:
    with pytest.raises(PlannerError) as caught:
        parse_date_span(text, today=TODAY)
    shown = text.strip()
    assert caught.value.msg.render("zh") == f'无法识别的日期"{shown}"'
    assert caught.value.msg.render("en") == f'unrecognised date "{shown}"'


@pytest.mark.parametrize("text", [
    "2021-02-30", "2021-02-29", "2021/13/01", "2021.04.31", "20210230", "2021-00-10",
    "2021-13", "2021年13月", "2021年2月30日", "2021年4月31号", "2021年十三月", "2021年0月",
    "2021年第五季度", "2021年0季度", "2021Q5", "2021Q0", "2021H3", "2021-W54", "2021-W53",
    "2021-W00", "0000-01-01",
])
def test_impossible_dates(text: str) -> None:
    with pytest.raises(PlannerError) as caught:
        parse_date_span(text)
    assert caught.value.msg.render("zh") == f'日期不存在"{text}"'
    assert caught.value.msg.render("en") == f'no such date "{text}"'
    assert caught.value.message("en") == f'no such date "{text}"'


@pytest.mark.parametrize("text", ["+99999y", "+999999999d", "-99999m"])
def test_offsets_beyond_the_calendar(text: str) -> None:
    with pytest.raises(PlannerError) as caught:
        parse_date_span(text, today=TODAY)
    assert caught.value.msg.render("en") == f'no such date "{text}"'


def test_error_names_the_text_as_typed() -> None:
    with pytest.raises(PlannerError) as caught:
        parse_date_span("２０２１－０２－３０")
    assert caught.value.msg.render("zh") == '日期不存在"２０２１－０２－３０"'


@pytest.mark.parametrize(("text", "start", "due"), [
    ("2021年底", D(2021, 12, 31), D(2021, 12, 31)),
    ("2021年", D(2021, 1, 1), D(2021, 12, 31)),
    ("2023年三季度", D(2023, 7, 1), D(2023, 9, 30)),
    ("2021年6月下旬", D(2021, 6, 21), D(2021, 6, 30)),
    ("2021-05-06", D(2021, 5, 6), D(2021, 5, 6)),
])
def test_parse_start_and_due(text: str, start: date, due: date) -> None:
    assert parse_start(text) == start
    assert parse_due(text) == due


def test_parse_start_and_due_relative() -> None:
    assert parse_start("+10wd", today=TODAY) == D(2021, 10, 20)
    assert parse_due(D(2021, 5, 6)) == D(2021, 5, 6)
    with pytest.raises(PlannerError):
        parse_due("+3d")


# Working days -------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "working"), [
    *((D(2021, 10, n), False) for n in range(1, 8)),  # National Day 2021
    (D(2021, 9, 26), True),   # Sunday, make-up working day
    (D(2021, 10, 9), True),   # Saturday, make-up working day
    (D(2021, 10, 8), True),
    (D(2021, 10, 10), False),
    (D(2021, 2, 7), True),    # Sunday before the Spring Festival, make-up working day
    (D(2021, 2, 12), False),  # Spring Festival
    (D(2021, 9, 30), True),
    (D(2021, 9, 25), False),  # ordinary Saturday
    (D(2022, 1, 3), False),   # New Year holiday on a Monday
    (D(2030, 1, 1), True),    # beyond the package's data: Monday–Friday
    (D(2030, 1, 5), False),
    (D(2001, 10, 1), True),   # before its data: a Monday, holidays unknown
    (D(2001, 10, 6), False),
])
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_every_day_the_calendar_covers_is_read_as_it_reads_it() -> None:
    """The flags are made from the package's public tables by `is_workday`'s own rule."""
    import chinese_calendar

    years = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)
    for year in years:
        day = D(year, 1, 1)
        while day.year == year:
            assert is_working_day(day) is chinese_calendar.is_workday(day), day
            day += timedelta(days=1)


@pytest.mark.parametrize(("day", "count", "result"), [
    (D(2021, 9, 30), 1, D(2021, 10, 8)),
    (D(2021, 9, 30), 2, D(2021, 10, 9)),
    (D(2021, 9, 30), 3, D(2021, 10, 11)),
    (D(2021, 10, 8), -1, D(2021, 9, 30)),
    (D(2021, 10, 3), -1, D(2021, 9, 30)),
    (D(2021, 10, 3), 1, D(2021, 10, 8)),
    (D(2021, 9, 25), 1, D(2021, 9, 26)),
    (D(2021, 9, 27), -1, D(2021, 9, 26)),
    (D(2021, 10, 1), 0, D(2021, 10, 8)),
    (D(2021, 9, 30), 0, D(2021, 9, 30)),
    (D(2021, 10, 10), 0, D(2021, 10, 11)),
    (D(2021, 12, 31), 1, D(2022, 1, 4)),   # across New Year 2022
    (D(2022, 1, 4), -1, D(2021, 12, 31)),
    (D(2021, 1, 1), -1, D(2020, 12, 31)),
    (D(2021, 9, 30), 250, D(2022, 10, 8)),  # a make-up Saturday
    (D(2026, 12, 31), 1, D(2027, 1, 1)),   # into the Monday–Friday fallback
    (D(2030, 1, 4), 1, D(2030, 1, 7)),
])
def test_add_working_days(day: date, count: int, result: date) -> None:
    assert add_working_days(day, count) == result


@pytest.mark.parametrize(("start", "end", "count"), [
    (D(2021, 9, 30), D(2021, 10, 8), 1),
    (D(2021, 9, 30), D(2021, 10, 7), 0),
    (D(2021, 9, 25), D(2021, 10, 10), 7),  # 9-26..30, 10-08, 10-09
    (D(2021, 10, 10), D(2021, 9, 25), -7),
    (D(2021, 9, 30), D(2021, 9, 30), 0),
    (D(2021, 10, 1), D(2021, 10, 31), 17),
    (D(2021, 12, 31), D(2022, 1, 4), 1),
    (D(2020, 12, 31), D(2021, 12, 31), 250),
    (D(2030, 1, 4), D(2030, 1, 11), 5),
])
def test_working_days_between(start: date, end: date, count: int) -> None:
    assert working_days_between(start, end) == count


@given(calendar_days, st.integers(-400, 400).filter(bool))
def test_add_working_days_lands_on_a_working_day(day: date, count: int) -> None:
    assert is_working_day(add_working_days(day, count))


@given(calendar_days)
def test_add_zero_working_days_is_the_next_working_day_or_itself(day: date) -> None:
    result = add_working_days(day, 0)
    assert is_working_day(result)
    assert day <= result
    assert working_days_between(day, result) == (0 if result == day else 1)


@given(calendar_days, st.integers(-400, 400))
def test_working_days_between_inverts_add_working_days(day: date, count: int) -> None:
    assume(is_working_day(day))
    assert working_days_between(day, add_working_days(day, count)) == count


@given(calendar_days, st.integers(-100, 100))
def test_working_days_between_counts_each_day(start: date, offset: int) -> None:
    end = start + timedelta(days=offset)
    low, high = sorted((start, end))
    counted = sum(is_working_day(low + timedelta(days=i)) for i in range(1, (high - low).days + 1))
    assert working_days_between(start, end) == (counted if start <= end else -counted)


# ISO weeks ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "span"), [
    ("2021-W17", (D(2021, 4, 26), D(2021, 5, 2))),
    ("2021W17", (D(2021, 4, 26), D(2021, 5, 2))),
    ("2021-w17", (D(2021, 4, 26), D(2021, 5, 2))),
    ("2021-W01", (D(2021, 1, 4), D(2021, 1, 10))),
    ("2021-W1", (D(2021, 1, 4), D(2021, 1, 10))),
    ("2020-W53", (D(2020, 12, 28), D(2021, 1, 3))),
    ("２０２１－Ｗ１７", (D(2021, 4, 26), D(2021, 5, 2))),
])
def test_parse_iso_week(text: str, span: tuple[date, date]) -> None:
    assert parse_iso_week(text) == span


@pytest.mark.parametrize(("text", "zh"), [
    ("2021-W54", '日期不存在"2021-W54"'),
    ("2021-W53", '日期不存在"2021-W53"'),
    ("2021-W00", '日期不存在"2021-W00"'),
    ("2021-17", '无法识别的日期"2021-17"'),
    ("W17", '无法识别的日期"W17"'),
    ("2021-W170", '无法识别的日期"2021-W170"'),
    ("garbage", '无法识别的日期"garbage"'),
    ("", '无法识别的日期""'),
])
def test_parse_iso_week_errors(text: str, zh: str) -> None:
    with pytest.raises(PlannerError) as caught:
        parse_iso_week(text)
    assert caught.value.msg.render("zh") == zh


@pytest.mark.parametrize(("day", "span", "label"), [
    (D(2021, 4, 28), (D(2021, 4, 26), D(2021, 5, 2)), "2021-W17"),
    (D(2021, 4, 26), (D(2021, 4, 26), D(2021, 5, 2)), "2021-W17"),
    (D(2021, 5, 2), (D(2021, 4, 26), D(2021, 5, 2)), "2021-W17"),
    (D(2021, 1, 1), (D(2020, 12, 28), D(2021, 1, 3)), "2020-W53"),
    (D(2024, 12, 30), (D(2024, 12, 30), D(2025, 1, 5)), "2025-W01"),
    (D(2021, 1, 4), (D(2021, 1, 4), D(2021, 1, 10)), "2021-W01"),
])
def test_week_span_and_label(day: date, span: tuple[date, date], label: str) -> None:
    assert week_span(day) == span
    assert iso_week_label(day) == label


@given(st.dates(min_value=D(1000, 1, 8), max_value=D(9999, 12, 24)))
def test_week_label_round_trips(day: date) -> None:
    monday, sunday = week_span(day)
    assert monday.weekday() == 0
    assert monday <= day <= sunday == monday + timedelta(days=6)
    assert parse_iso_week(iso_week_label(day)) == (monday, sunday)


# Formatting ---------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "lang", "text"), [
    (D(2021, 12, 31), "zh", "2021年12月31日"),
    (D(2021, 4, 5), "zh", "2021年4月5日"),
    (D(2021, 12, 31), "en", "2021-12-31"),
    (D(2021, 4, 5), "en", "2021-04-05"),
])
def test_format_date(day: date, lang: str, text: str) -> None:
    assert format_date(day, lang) == text


def test_format_date_defaults_to_chinese() -> None:
    assert format_date(D(2021, 12, 31)) == "2021年12月31日"


@given(st.dates(min_value=D(1000, 1, 1)))
def test_formatted_dates_parse_back(day: date) -> None:
    assert parse_date_span(day.isoformat()) == (day, day)
    assert parse_date_span(format_date(day, "en")) == (day, day)
    assert parse_date_span(format_date(day, "zh")) == (day, day)
    assert parse_date_span(day.strftime("%Y%m%d")) == (day, day)


@given(st.integers(1000, 9998), st.integers(1, 4))
def test_quarter_spans_lie_inside_their_year(year: int, quarter: int) -> None:
    chinese = "一二三四"[quarter - 1]
    spans = {parse_date_span(text) for text in (
        f"{year}Q{quarter}", f"{year}-Q{quarter}", f"{year}年第{quarter}季度",
        f"{year}年{chinese}季度", f"{year}年第{chinese}季度",
    )}
    assert len(spans) == 1
    start, end = spans.pop()
    assert D(year, 1, 1) <= start <= end <= D(year, 12, 31)
    assert start == D(year, 3 * quarter - 2, 1)
    assert end.month == 3 * quarter
    assert (end + timedelta(days=1)).day == 1


@given(st.integers(1000, 9999), st.sampled_from(["H1", "H2", "年上半年", "年下半年", "年",
                                                   "年初", "年中", "年底", "年6月下旬"]))
def test_year_part_spans_lie_inside_their_year(year: int, suffix: str) -> None:
    start, end = parse_date_span(f"{year}{suffix}")
    assert D(year, 1, 1) <= start <= end <= D(year, 12, 31)


# 序时进度 ------------------------------------------------------------------------------

@pytest.mark.parametrize(("today", "fraction"), [
    (D(2020, 12, 1), 0.0),
    (D(2020, 12, 31), 0.0),
    (D(2021, 1, 1), 0.1),
    (D(2021, 1, 5), 0.5),
    (D(2021, 1, 9), 0.9),
    (D(2021, 1, 10), 1.0),
    (D(2021, 3, 1), 1.0),
])
def test_elapsed_fraction(today: date, fraction: float) -> None:
    assert elapsed_fraction(D(2021, 1, 1), D(2021, 1, 10), today) == pytest.approx(fraction)


@pytest.mark.parametrize(("today", "fraction"), [
    (D(2021, 5, 5), 0.0),
    (D(2021, 5, 6), 1.0),
    (D(2021, 5, 7), 1.0),
])
def test_elapsed_fraction_of_a_one_day_window(today: date, fraction: float) -> None:
    assert elapsed_fraction(D(2021, 5, 6), D(2021, 5, 6), today) == fraction


def test_elapsed_fraction_with_due_before_start_uses_the_due_date() -> None:
    assert elapsed_fraction(D(2021, 5, 6), D(2021, 5, 1), D(2021, 4, 30)) == 0.0
    assert elapsed_fraction(D(2021, 5, 6), D(2021, 5, 1), D(2021, 5, 1)) == 1.0


@given(calendar_days, calendar_days, calendar_days, calendar_days)
def test_elapsed_fraction_is_monotone_and_bounded(
    start: date, due: date, earlier: date, later: date
) -> None:
    assume(start <= due)
    earlier, later = sorted((earlier, later))
    before = elapsed_fraction(start, due, earlier)
    after = elapsed_fraction(start, due, later)
    assert 0.0 <= before <= after <= 1.0
    assert elapsed_fraction(start, due, due) == 1.0
    assert elapsed_fraction(start, due, start - timedelta(days=1)) == 0.0


@pytest.mark.parametrize(("typed", "stored", "zh", "en"), [
    ("9:30", "09:30", "上午9:30", "9:30 am"),
    (" 09：05 ", "09:05", "上午9:05", "9:05 am"),
    ("12:00", "12:00", "中午12:00", "12:00 pm"),
    ("14:30", "14:30", "下午2:30", "2:30 pm"),
    ("0:00", "00:00", "上午0:00", "0:00 am"),
])
def test_a_meeting_time_is_kept_as_hh_mm_and_written_as_a_notice_does(
        typed: str, stored: str, zh: str, en: str) -> None:
    assert parse_clock(typed) == stored
    assert (clock_text(stored, "zh"), clock_text(stored, "en")) == (zh, en)


@pytest.mark.parametrize("typed", ["24:00", "9:60", "9点半", "930", ""])
def test_a_time_that_is_not_hours_and_minutes_is_refused(typed: str) -> None:
    with pytest.raises(PlannerError, match="无法识别的时间"):
        parse_clock(typed)

