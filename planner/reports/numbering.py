"""Chinese heading numbers and dates (一、 （一）, 2026年12月2日): light, so the txt, md and html
layouts use them without importing the office layout (reports/officedoc.py re-exports them)."""

from datetime import date

from planner.core.numerals import CN_DIGITS as CN_DIGITS  # re-exported
from planner.core.numerals import chinese_numeral


def heading_number(level: int, number: int) -> str:
    """一、 / （一） / 1. / （1） for the `number`th heading at `level`."""
    if level == 1:
        return chinese_numeral(number) + "、"
    if level == 2:
        return f"（{chinese_numeral(number)}）"
    if level == 3:
        return f"{number}."
    return f"（{number}）"


def chinese_date(day: date) -> str:
    """2026年12月2日: the 成文日期 form, Arabic numerals, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"
