"""The database's unit registry (units, aliases, groups) for intake, in a module of its own
so that intake without a database never imports SQLAlchemy."""

from sqlmodel import Session, col, select

from planner.core.intake_units import Registry, RegistryGroup, RegistryUnit
from planner.store.models import Unit, UnitAlias, UnitGroup, decode_list


def registry_from_database(session: Session) -> Registry:
    """The database's units, aliases and groups."""
    aliases: dict[str, list[str]] = {}
    for alias in session.exec(select(UnitAlias).order_by(col(UnitAlias.position))):
        aliases.setdefault(alias.unit_id, []).append(alias.name)
    units = [RegistryUnit(unit.id, unit.name, unit.kind, tuple(aliases.get(unit.id, ())))
             for unit in session.exec(select(Unit).order_by(col(Unit.position), Unit.id))]
    groups = [RegistryGroup(group.id, group.name, decode_list(group.members),
                            decode_list(group.aliases))
              for group in session.exec(select(UnitGroup).order_by(col(UnitGroup.position)))]
    return Registry(units, groups)
