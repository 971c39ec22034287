"""A plan document being taken in from the TUI (issue 14): what `planner intake` read, and
the coordinator's choices for the names it could not resolve, until the plan is saved.

No Textual here. The document is read once; each choice reads the plan again from the same
blocks through `core.intake.read_plan`, with a name mapped to a unit as `--map` would map it
and a name accepted as a new unit made as `--new-units` makes it, so the tree on screen is
always the one `planner intake` would write.
"""

from dataclasses import dataclass, field
from pathlib import Path

from planner.core.intake import Block, IntakeItem, IntakePlan, new_unit_id, read_plan
from planner.core.intake_units import Registry, RegistryUnit


@dataclass(frozen=True, slots=True)
class PlanChoice:
    """A plan the new one may carry out (its parent): id and title."""

    code: str
    title: str


@dataclass(slots=True)
class IntakeDraft:
    """The document's blocks, the registry it is read against, the coordinator's choices and
    the plan as read with them."""

    path: Path
    blocks: list[Block]
    base: Registry
    plans: list[PlanChoice]
    year: int | None = None
    mapped: dict[str, str] = field(default_factory=dict)
    """Written name → the unit (or group) id the coordinator mapped it to."""
    new_names: list[str] = field(default_factory=list)
    """Written names the coordinator accepted as new units."""
    registry: Registry = field(init=False)
    plan: IntakePlan = field(init=False)
    names: dict[str, str] = field(init=False)
    """Unit and group names by id."""
    new_ids: set[str] = field(init=False)
    """The ids of the units accepted as new."""

    def __post_init__(self) -> None:
        self.reread()

    def reread(self) -> None:
        """Read the plan again with the choices made so far (nothing is written)."""
        new_units = [RegistryUnit(new_unit_id(name), name) for name in self.new_names]
        self.registry = Registry([*self.base.units, *new_units], self.base.groups)
        self.names = {group.id: group.name for group in self.base.groups} | {
            unit.id: unit.name for unit in self.registry.units}
        self.new_ids = {unit.id for unit in new_units}
        self.plan = read_plan(self.blocks, self.registry, year=self.year, mapping=self.mapped,
                              fallback_title=self.path.stem)

    @property
    def unresolved(self) -> set[str]:
        """The written names not resolved yet."""
        return {unknown.written for unknown in self.plan.unresolved}

    def unresolved_of(self, item: IntakeItem) -> list[str]:
        """The names `item` writes that are not resolved yet, lead first."""
        unresolved = self.unresolved
        return [name for name in item.lead_names + item.support_names if name in unresolved]

    def chosen_of(self, item: IntakeItem) -> list[str]:
        """The names `item` writes that the coordinator mapped or accepted as new."""
        return [name for name in item.lead_names + item.support_names
                if name in self.mapped or name in self.new_names]

    def map_name(self, written: str, unit_id: str) -> None:
        """Resolve `written` to the unit or group `unit_id` and read the plan again."""
        self.mapped[written] = unit_id
        self.reread()

    def accept_new(self, written: str) -> str:
        """Make `written` a new unit (its id derived as `--new-units` derives it) and read the
        plan again; returns the new unit's id."""
        if written not in self.new_names:
            self.new_names.append(written)
        self.reread()
        return new_unit_id(written)

    def forget(self, names: list[str]) -> None:
        """Undo the choices made for `names` and read the plan again."""
        for name in names:
            self.mapped.pop(name, None)
            if name in self.new_names:
                self.new_names.remove(name)
        self.reread()

    def with_year(self, year: int) -> None:
        """Read the plan again for `year` (the period and every time limit follow it)."""
        if year != self.plan.year:
            self.year = year
            self.reread()

    def unit_name(self, unit_id: str) -> str:
        """A unit's or group's name by id (the id itself when unknown)."""
        return self.names.get(unit_id, unit_id)

    def is_new(self, unit_id: str) -> bool:
        """Whether `unit_id` is a unit the coordinator accepted as new."""
        return unit_id in self.new_ids
