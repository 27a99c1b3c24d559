"""What changed between two plans: units moved, groups added or removed, people and chairs."""

from __future__ import annotations

from typing import Any

import attrs

from thidua.i18n import _
from thidua.model import Plan
from thidua.vocabulary import role_word

__all__ = ["Move", "PlanDiff", "RoleChange", "diff"]


@attrs.frozen
class Move:
    """A unit that left one group for another (None: it was or is in no group)."""

    unit: str
    before: str | None
    after: str | None


@attrs.frozen
class RoleChange:
    """A group whose chair, deputy, leader or officer changed."""

    group: str
    role: str  # "chair", "deputy", "leader" or "officer"
    before: str | None
    after: str | None


@attrs.frozen
class PlanDiff:
    moves: tuple[Move, ...] = ()
    units_added: tuple[str, ...] = ()
    units_removed: tuple[str, ...] = ()
    groups_added: tuple[str, ...] = ()
    groups_removed: tuple[str, ...] = ()
    changes: tuple[RoleChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not any(attrs.astuple(self, recurse=False))

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


_ROLES = ("chair", "deputy", "leader", "officer")


def diff(a: Plan, b: Plan) -> PlanDiff:
    """The changes that turn plan `a` into plan `b`, in `b`'s order."""
    moves = []
    for unit in b.units:
        if unit.id not in a.unit_by_id:
            continue
        before, after = a.group_of(unit.id), b.group_of(unit.id)
        if before != after:
            moves.append(Move(unit.id, before, after))
    changes = []
    for group in b.groups:
        old = a.group_by_id.get(group.id)
        if old is None:
            continue
        for role in _ROLES:
            if getattr(old, role) != getattr(group, role):
                changes.append(RoleChange(group.id, role, getattr(old, role), getattr(group, role)))
    return PlanDiff(
        moves=tuple(moves),
        units_added=tuple(u.id for u in b.units if u.id not in a.unit_by_id),
        units_removed=tuple(u.id for u in a.units if u.id not in b.unit_by_id),
        groups_added=tuple(g.id for g in b.groups if g.id not in a.group_by_id),
        groups_removed=tuple(g.id for g in a.groups if g.id not in b.group_by_id),
        changes=tuple(changes),
    )


def describe(a: Plan, b: Plan, change: PlanDiff) -> list[str]:
    """The diff as lines a planner reads, with names rather than ids."""

    def unit(plan: Plan, uid: str) -> str:
        found = plan.unit_by_id.get(uid)
        return found.name if found else uid

    def group(gid: str | None) -> str:
        if gid is None:
            return _("(no group)")
        found = b.group_by_id.get(gid) or a.group_by_id.get(gid)
        return found.name if found else gid

    def person_or_unit(role: str, value: str | None) -> str:
        if value is None:
            return _("(none)")
        if role in ("leader", "officer"):
            found = b.staff_by_id.get(value) or a.staff_by_id.get(value)
            return found.name if found else value
        return unit(b, value) if value in b.unit_by_id else unit(a, value)

    def title(c: RoleChange) -> str:
        found = b.group_by_id.get(c.group) or a.group_by_id.get(c.group)
        return role_word(c.role, found if found is not None else "")

    lines = [
        _("moved: {unit}: {before} -> {after}").format(
            unit=unit(b, m.unit), before=group(m.before), after=group(m.after)
        )
        for m in change.moves
    ]
    lines += [
        _("unit added: {unit} -> {group}").format(unit=unit(b, u), group=group(b.group_of(u)))
        for u in change.units_added
    ]
    lines += [
        _("unit removed: {unit} (was in {group})").format(
            unit=unit(a, u), group=group(a.group_of(u))
        )
        for u in change.units_removed
    ]
    lines += [_("group added: {group}").format(group=group(g)) for g in change.groups_added]
    lines += [_("group removed: {group}").format(group=group(g)) for g in change.groups_removed]
    lines += [
        _("{role} of {group}: {before} -> {after}").format(
            role=title(c),
            group=group(c.group),
            before=person_or_unit(c.role, c.before),
            after=person_or_unit(c.role, c.after),
        )
        for c in change.changes
    ]
    return lines
