"""`Memo`: each value made once, on first use."""

from planner.core.memo import Memo


def test_each_value_is_made_once_on_first_use() -> None:
    made: list[str] = []
    lengths: Memo[str, int] = Memo(lambda text: (made.append(text), len(text))[1])
    assert list(map(lengths.__getitem__, ["ab", "c", "ab", "ab", "c"])) == [2, 1, 2, 2, 1]
    assert made == ["ab", "c"]
    assert "zzz" not in lengths and made == ["ab", "c"]  # a membership test makes nothing
