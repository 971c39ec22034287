"""Chinese heading numbers and dates (一、 （一）, 2026年12月2日): light, so the txt, md and html
layouts use them without importing the office layout (reports/officedoc.py re-exports them)."""

from datetime import date

CN_DIGITS = "〇一二三四五六七八九"


def heading_number(level: int, number: int) -> str:
    """一、 / （一） / 1. / （1） for the `number`th heading at `level`."""
    if level == 1:
        return chinese_numeral(number) + "、"
    if level == 2:
        return f"（{chinese_numeral(number)}）"
    if level == 3:
        return f"{number}."
    return f"（{number}）"


def chinese_numeral(number: int) -> str:
    """一 … 九十九 as headings count (十, 十一, 二十, 二十一)."""
    if number < 10:
        return CN_DIGITS[number]
    tens, units = divmod(number, 10)
    if number >= 100:
        return str(number)
    return (CN_DIGITS[tens] if tens > 1 else "") + "十" + (CN_DIGITS[units] if units else "")


def chinese_date(day: date) -> str:
    """2026年12月2日: the 成文日期 form, Arabic numerals, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"
