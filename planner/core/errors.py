"""Domain errors carrying a message in Chinese and English."""


class PlannerError(Exception):
    """An error the user can act on; front ends print `message(lang)` and exit 2."""

    def __init__(self, zh: str, en: str, *, where: str | None = None) -> None:
        super().__init__(zh)
        self.zh = zh
        self.en = en
        self.where = where

    def message(self, lang: str = "zh") -> str:
        """The message in `lang`, prefixed by its location when known."""
        text = self.en if lang == "en" else self.zh
        return f"{self.where}: {text}" if self.where else text


class ConflictError(PlannerError):
    """Someone else changed the item since it was read."""


class EnvironmentProblem(PlannerError):
    """The database or the system is in the way (busy, unreachable, disk full, permission
    denied), not the user's input: front ends exit 1 and say what to do."""


class ConnectionLost(EnvironmentProblem):
    """The database server cannot be reached (down, unreachable, or it closed the connection):
    retrying later may succeed."""
