"""What the app's full screens beside the main one share: the app's gateway, its language,
and a subclass whose footer and help speak that language."""

from typing import ClassVar, Self, cast

from textual.screen import Screen

from planner.tui.gateway import PlanGateway
from planner.tui.host import GatewayHost
from planner.tui.keys import Key, localized


class HostedScreen(Screen[None]):
    """A screen of the PlannerApp, its keys in `KEYS`."""

    KEYS: ClassVar[list[Key]] = []

    @classmethod
    def localized(cls, lang: str) -> type[Self]:
        """A subclass whose footer and help show the key descriptions in `lang`."""
        return localized(cls, cls.KEYS, lang)

    @property
    def gateway(self) -> PlanGateway:
        """Reads and writes of the app."""
        return cast(GatewayHost, self.app).gateway

    @property
    def lang(self) -> str:
        """The UI language."""
        return self.gateway.lang
