"""Tests for planner.core.textwidth: terminal cell widths of mixed Chinese and Latin text."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.textwidth import (
    _one_or_two,
    cell_width,
    cell_widths,
    char_width,
    cut,
    cuts,
    fit,
    rjust,
    shorten,
)


def test_char_widths() -> None:
    assert char_width("中") == 2
    assert char_width("，") == 2     # full-width comma
    assert char_width("Ａ") == 2     # full-width Latin
    assert char_width("a") == 1
    assert char_width("…") == 1
    assert char_width("\u0301") == 0  # combining acute accent


@pytest.mark.parametrize(("text", "width"), [
    ("", 0), ("abc", 3), ("知识产权", 8), ("3.1 建设保护中心", 16), ("CNIPA合作", 9),
    ("e\u0301", 1),
])
def test_cell_width(text: str, width: int) -> None:
    assert cell_width(text) == width


@pytest.mark.parametrize(("text", "width", "out"), [
    ("abc", 5, "abc  "),
    ("知识产权", 10, "知识产权  "),
    ("知识产权", 8, "知识产权"),
    ("知识产权", 7, "知识产…"),      # 产 ends at cell 6, the ellipsis takes cell 7
    ("知识产权", 6, "知识… "),       # 产 would end at cell 6, leaving no room for …
    ("abcdef", 4, "abc…"),
    ("ab知识", 5, "ab知…"),
    ("ab知识", 4, "ab… "),
    ("中", 1, "…"),
    ("", 3, "   "),
])
def test_fit_cuts_and_pads(text: str, width: int, out: str) -> None:
    assert fit(text, width) == out
    assert cell_width(fit(text, width)) == width


def test_fit_to_nothing() -> None:
    assert fit("知识产权", 0) == ""
    assert fit("", 0) == ""
    assert fit("abc", -2) == ""


def test_rjust() -> None:
    assert rjust("50%", 6) == "   50%"
    assert rjust("红", 4) == "  红"
    assert rjust("知识产权", 4) == "知识产权"


mixed = st.text(st.sampled_from("abcXYZ 0.9中文知识产权，（）…\u0301Ａ") | st.characters(),
                max_size=40)


@settings(max_examples=300, deadline=None)
@given(mixed, st.integers(2, 40))
def test_fit_is_exactly_the_width(text: str, width: int) -> None:
    fitted = fit(text, width)
    assert cell_width(fitted) == width
    if cell_width(text) <= width:
        assert fitted == text + " " * (width - cell_width(text))
    else:
        assert fitted.rstrip(" ").endswith("…")
        assert text.startswith(fitted.rstrip(" ")[:-1])


@settings(max_examples=100, deadline=None)
@given(mixed, st.integers(0, 40))
def test_fit_never_exceeds_the_width(text: str, width: int) -> None:
    assert cell_width(fit(text, width)) <= width


def _reference_shorten(text: str, width: int) -> str:
    """The character-by-character cut that `cut` replaces with one measured pass."""
    kept, used = [], 0
    for char in text:
        if used + char_width(char) > width - 1:
            break
        kept.append(char)
        used += char_width(char)
    return "".join(kept) + "…"


@settings(max_examples=300, deadline=None)
@given(mixed, st.integers(1, 40))
def test_cut_keeps_the_longest_start_and_says_its_width(text: str, width: int) -> None:
    if sum(map(char_width, text)) <= width:
        return  # cut is for texts wider than the width
    kept, used = cut(text, width)
    assert kept == _reference_shorten(text, width) == shorten(text, width)
    assert used == sum(map(char_width, kept)) == cell_width(kept) <= width


def test_the_characters_measured_in_c_take_one_cell_or_two() -> None:
    """Long tables measure and cut texts of Latin-1 and common wide characters without a
    look-up per character (`_one_or_two`): each character it takes is as `char_width` says,
    one cell for Latin-1, two for any other."""
    taken = [chr(code) for code in range(0x10000) if _one_or_two().fullmatch(chr(code))]
    assert len(taken) > 40_000
    assert all(char_width(char) == (1 if char <= "\xff" else 2) for char in taken)


one_or_two = st.text(st.sampled_from("ab 1.-·é\xa0\x7f中文知识产权，、（）Ａ가アー")
                     | st.characters(), max_size=60)


@settings(max_examples=200, deadline=None)
@given(st.lists(one_or_two | mixed, min_size=1, max_size=6), st.integers(1, 40))
def test_many_texts_are_measured_and_cut_as_each_alone(texts: list[str], width: int) -> None:
    """A long layout's texts take the way measured in C where they can."""
    for many in (False, True):
        assert cell_widths(texts, many=many) == [sum(map(char_width, text)) for text in texts]
    wider = [text for text in texts if sum(map(char_width, text)) > width]
    expected = [(_reference_shorten(text, width),
                 sum(map(char_width, _reference_shorten(text, width)))) for text in wider]
    assert cuts(wider, width) == cuts(wider, width, many=True) == expected


@pytest.mark.parametrize(("texts", "widths"), [
    ([], []), (["", "abc"], [0, 3]), (["知识产权", "3.1 建设·中心"], [8, 13]),
    (["知识", "e\u0301"], [4, 1]), (["\u200b中"], [2]),
])
def test_cell_widths(texts: list[str], widths: list[int]) -> None:
    assert cell_widths(texts) == widths
