"""Which day it is and what time: built once by a front end, handed down to everything else.

The day comes from `--today` / `PLANNER_TODAY` (or the machine's date), the time of day from
whatever the front end is given (the machine's clock, a fixed time in tests); nothing below
the front ends asks the machine for domain time."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time


@dataclass(frozen=True, slots=True)
class Clock:
    """The day to compute as of, and a source of the time of day on it."""

    today: date
    time_of_day: Callable[[], time]

    def now(self) -> datetime:
        """The time of day (from `time_of_day`) on `today`, in the local time zone, so
        `--today` dates history too."""
        return datetime.combine(self.today, self.time_of_day()).astimezone()
