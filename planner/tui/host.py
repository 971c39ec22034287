"""What the screens need of the app that holds them, typed without importing the app (which
imports the screens)."""

from concurrent.futures import Future
from typing import Protocol

from planner.tui.gateway import PlanGateway, Snapshot


class GatewayHost(Protocol):
    """The PlannerApp as its screens use it: the gateway and how often to look for changes."""

    gateway: PlanGateway
    poll_seconds: float
    first_snapshot: "Future[Snapshot] | None"
