"""A mapping that makes each value on first use: a long layout's repeated texts and cells
are each made once, and looked up in C (`map(memo.__getitem__, keys)`) after that."""

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Memo(dict[K, V], Generic[K, V]):
    """`make(key)` for each key, made the first time it is asked for and kept."""

    def __init__(self, make: Callable[[K], V]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: K) -> V:
        value = self[key] = self.make(key)
        return value
