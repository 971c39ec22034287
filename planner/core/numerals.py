"""Chinese numerals as headings and Word's chineseCounting lists count: 一 … 九十九."""

CN_DIGITS = "〇一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """一 … 九十九 as headings count (十, 十一, 二十, 二十一); 100 and more in digits."""
    if number < 10:
        return CN_DIGITS[number]
    tens, units = divmod(number, 10)
    if number >= 100:
        return str(number)
    return (CN_DIGITS[tens] if tens > 1 else "") + "十" + (CN_DIGITS[units] if units else "")
