"""What the meetings, inbox and chart screens show, as the gateway reads it: apart from
gateway.py, so the main screen's start does not build these classes it never uses."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.core.charts import IndicatorSeries, ProgressSeries
    from planner.reports.inbox import InboxEntry
    from planner.reports.meetings import MeetingDetail, MeetingRow


@dataclass(frozen=True, slots=True)
class MeetingsView:
    """The meetings, newest first, the unit names and the detail of the chosen meeting."""

    meetings: "tuple[MeetingRow, ...]"
    unit_names: dict[str, str]
    detail: "MeetingDetail | None"


@dataclass(frozen=True, slots=True)
class InboxView:
    """The coordinators' inbox as of `today`, and the unit names to reassign to."""

    entries: "tuple[InboxEntry, ...]"
    unit_names: dict[str, str]
    today: date


@dataclass(frozen=True, slots=True)
class ChartView:
    """What the chart screen draws: progress over time and the branch's indicators."""

    progress: "ProgressSeries"
    indicators: "tuple[IndicatorSeries, ...]"
