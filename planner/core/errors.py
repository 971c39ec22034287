"""Domain errors carrying a catalogue key and its parameters (planner/i18n.py)."""

from planner.i18n import Msg, localised


class PlannerError(Exception):
    """An error the user can act on; front ends print `message(lang)` and exit 2.

    `msg` is the message by key and parameters; to report an inner error's message within
    another one, pass `exc.msg` as a parameter (`PlannerError("message", message=exc.msg,
    where=...)` re-locates it unchanged)."""

    def __init__(self, key: str, /, *, where: str | Msg | None = None,
                 **params: object) -> None:
        self.msg = Msg(key, params)
        self.where = where
        super().__init__(self.message("zh"))

    def message(self, lang: str = "zh") -> str:
        """The message in `lang`, prefixed by its location when known."""
        text = self._text(lang)
        where = localised(self.where, lang)
        return f"{where}: {text}" if where else text

    def _text(self, lang: str) -> str:
        """The message in `lang` without its location."""
        return self.msg.render(lang)


class ConflictError(PlannerError):
    """Someone else changed the item since it was read."""


class EnvironmentProblem(PlannerError):
    """The database or the system is in the way (busy, unreachable, disk full, permission
    denied), not the user's input: front ends exit 1 and say what to do."""


class ConnectionLost(EnvironmentProblem):
    """The database server cannot be reached (down, unreachable, or it closed the connection):
    retrying later may succeed."""
