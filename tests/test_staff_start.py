"""The starting plan's people in charge, found with a heap, equal the scan they replaced.

`thidua.solver.start._staff_for_role` hands the groups nobody keeps to whoever has room,
fewest groups first, through a heap of the people with room. The reference below is the
construction it replaced, which scanned everyone for every group. On any plan and baseline
(pins, unavailable people, limits of 0) both give the same holders, or the same problem.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from strategies import plans
from thidua.model import PinKind, Plan, Role
from thidua.rules.checks import group_label
from thidua.solver.start import _staff_for_role


def reference(plan: Plan, baseline: Plan, role: Role) -> dict[str, str] | str:
    word = role.value
    limit = {p.id: plan.max_groups(p) for p in plan.staff if p.role is role and p.available}
    order = {person: index for index, person in enumerate(limit)}
    load = dict.fromkeys(limit, 0)
    holder: dict[str, str] = {}
    for pin in plan.pins:
        pinned = plan.staff_by_id[pin.subject] if pin.kind is PinKind.STAFF else None
        if pinned is None or pinned.role is not role:
            continue
        if holder.get(pin.group, pinned.id) != pinned.id:
            return f"two {word}s are pinned to {group_label(plan, pin.group)}"
        if pinned.id not in limit:
            return f"{pinned.name} is pinned to {group_label(plan, pin.group)} but is unavailable"
        if pin.group not in holder:
            holder[pin.group] = pinned.id
            load[pinned.id] += 1
    for person_id, count in load.items():
        if count > limit[person_id]:
            return f"{plan.staff_by_id[person_id].name} is pinned to more groups than allowed"
    for group in plan.groups:
        before = baseline.group_by_id.get(group.id)
        kept = before.staff_for(role) if before is not None else None
        if group.id not in holder and kept in limit and load[kept] < limit[kept]:
            holder[group.id] = kept
            load[kept] += 1
    for group in plan.groups:
        if group.id in holder:
            continue
        room = [person for person in limit if load[person] < limit[person]]
        if not room:
            return f"not enough available {word}s for every group"
        drafted = group.staff_for(role)
        person = drafted if drafted in room else min(room, key=lambda p: (load[p], order[p]))
        holder[group.id] = person
        load[person] += 1
    return holder


@given(plans(), plans(), st.booleans())
def test_staff_for_role_equals_the_scan(plan: Plan, other: Plan, itself: bool) -> None:
    baseline = plan if itself else other
    for role in Role:
        assert _staff_for_role(plan, baseline, role) == reference(plan, baseline, role)
