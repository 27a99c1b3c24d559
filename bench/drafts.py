"""Deterministic benchmark drafts: the 2013 HCMC plan scaled N times, with a year of churn.

`scale(base, N)` repeats the 2013 plan N times; copy k's units, staff and groups get the id
suffix `-k` and keep to themselves (copy k's groups list only copy k's units). Kinds are shared,
so a department of copy 1 may join a block of copy 2: the copies interact through membership
and staff, and the size-spread term spans all of them.

`make_draft(N, seed)` is the 2014 draft made from that scaled plan, as issue 5 asks:

- about 4% of the units removed (dropped from their group; a removed chair leaves no chair);
- about 8% new units, unplaced, spread over the copies, departments and districts in the 2013
  proportion (50 to 24);
- about 10% of the staff marked unavailable, each replaced by a new person of the same role in
  the same copy (the unavailable stay in charge in the draft, as last year's groups say);
- a new empty block (Khối 6) per copy;
- the size cap lowered to 10 (`rules.group_size = [5, 10]`), one year of chair rotation, the
  groups' chairs copied from 2013 (so every chair must change);
- a few pins per copy: a unit kept in its group, a chair (not last year's), a leader or officer
  kept on one of last year's groups, and in about a quarter of the copies a unit pinned to
  another group of its copy (a forced move).

`with_cohesion_tags(bench, K)` tags copy k's units with the k-th of K former provinces
(`tinh-1`..`tinh-K`, round robin) and lists them in `rules.cohesion_tags`: the soft rule that
keeps provinces apart, as issue 10's case at `--time-limit 5` (`--cohesion-tags 2`).

The same N and seed give the same draft: every choice comes from one `random.Random(seed)`
walked in a fixed order. `check_feasible` proves each draft has a plan (the membership flow of
`thidua.solver.flow`, and the staff capacity) before anything is timed.

Usage: python bench/drafts.py N [--seed S] [--cohesion-tags K] [-o DRAFT.toml]
       [--previous-out PREVIOUS.toml]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path

import attrs

from thidua.files import load, save
from thidua.model import Group, GroupResult, Pin, Plan, Role, Staff, Unit
from thidua.solver.flow import min_moves_by_kind

__all__ = ["BASE", "BenchDraft", "check_feasible", "main", "make_draft", "scale"]

BASE = Path(__file__).resolve().parents[1] / "examples" / "hcmc-2013.toml"

REMOVED_UNITS = 0.04
NEW_UNITS = 0.08
UNAVAILABLE_STAFF = 0.10
SIZE_CAP = 10
MOVING_PIN_SHARE = 0.25


@attrs.frozen
class BenchDraft:
    """One benchmark instance: the scaled 2013 plan and the 2014 draft made from it."""

    copies: int
    seed: int
    previous: Plan
    draft: Plan


def _suffix(value: str | None, copy: int) -> str | None:
    return None if value is None else f"{value}-{copy}"


def _copy_id(value: str, copy: int) -> str:
    return f"{value}-{copy}"


def _copy_name(name: str, copy: int) -> str:
    return f"{name} ({copy})"


def scale(base: Plan, copies: int) -> Plan:
    """`base` repeated `copies` times; copy k's ids end in `-k` and its names in `(k)`."""
    if copies < 1:
        raise ValueError(f"copies must be 1 or more, not {copies}")
    units: list[Unit] = []
    staff: list[Staff] = []
    groups: list[Group] = []
    pins: list[Pin] = []
    neighbours: list[tuple[str, str]] = []
    results: list[GroupResult] = []
    for k in range(1, copies + 1):
        units += [
            attrs.evolve(unit, id=_copy_id(unit.id, k), name=_copy_name(unit.name, k))
            for unit in base.units
        ]
        staff += [
            attrs.evolve(person, id=_copy_id(person.id, k), name=_copy_name(person.name, k))
            for person in base.staff
        ]
        groups += [
            attrs.evolve(
                group,
                id=_copy_id(group.id, k),
                name=_copy_name(group.name, k),
                members=tuple(_copy_id(member, k) for member in group.members),
                leader=_suffix(group.leader, k),
                officer=_suffix(group.officer, k),
                chair=_suffix(group.chair, k),
                deputy=_suffix(group.deputy, k),
            )
            for group in base.groups
        ]
        pins += [
            Pin(
                group=_copy_id(pin.group, k),
                unit=_suffix(pin.unit, k),
                staff=_suffix(pin.staff, k),
                chair=_suffix(pin.chair, k),
            )
            for pin in base.pins
        ]
        neighbours += [(_copy_id(a, k), _copy_id(b, k)) for a, b in base.neighbours]
        results += [
            attrs.evolve(
                result,
                group=_copy_id(result.group, k),
                leading_unit=_suffix(result.leading_unit, k),
                next_chair=_suffix(result.next_chair, k),
                ranking=tuple(_copy_id(unit, k) for unit in result.ranking),
            )
            for result in base.results
        ]
    return attrs.evolve(
        base,
        units=units,
        staff=staff,
        groups=groups,
        pins=pins,
        neighbours=neighbours,
        results=results,
    )


def make_draft(copies: int, seed: int = 0, base: Plan | None = None) -> BenchDraft:
    """The 2014 draft of the 2013 plan scaled `copies` times, churned as the module says."""
    base = load(BASE) if base is None else base
    previous = scale(base, copies)
    rng = random.Random(seed)

    unit_ids = [unit.id for unit in previous.units]
    removed = set(rng.sample(unit_ids, round(REMOVED_UNITS * len(unit_ids))))
    kinds = [unit.kind for unit in base.units]
    new_units: dict[int, list[Unit]] = {k: [] for k in range(1, copies + 1)}
    for number in range(1, round(NEW_UNITS * len(unit_ids)) + 1):
        copy = rng.randint(1, copies)
        kind = rng.choice(kinds)  # the 2013 proportion of departments and districts
        label, slug = (
            ("Đơn vị mới", "don-vi-moi") if kind == "department" else ("Quận mới", "quan-moi")
        )
        new_units[copy].append(
            Unit(
                id=f"{slug}-{number}-{copy}", name=_copy_name(f"{label} {number}", copy), kind=kind
            )
        )

    staff_ids = [person.id for person in previous.staff]
    unavailable = set(rng.sample(staff_ids, round(UNAVAILABLE_STAFF * len(staff_ids))))
    staff: list[Staff] = []
    replaced = 0
    for person in previous.staff:
        if person.id not in unavailable:
            staff.append(person)
            continue
        replaced += 1
        copy = int(person.id.rsplit("-", 1)[1])
        staff.append(attrs.evolve(person, available=False))
        staff.append(
            Staff(
                id=f"can-bo-moi-{replaced}-{copy}",
                name=_copy_name(f"Cán bộ mới {replaced}", copy),
                role=person.role,
                title=person.title,
            )
        )

    units: list[Unit] = []
    groups: list[Group] = []
    per_copy = len(base.units)
    groups_per_copy = len(base.groups)
    # The new block of each copy follows that copy's last block (Khối 6 after Khối 5).
    blocks = [group.id for group in base.groups if group.kind == "department"]
    new_block = f"khoi-{len(blocks) + 1}"
    for k in range(1, copies + 1):
        units += [
            u for u in previous.units[(k - 1) * per_copy : k * per_copy] if u.id not in removed
        ]
        units += new_units[k]
        for group in previous.groups[(k - 1) * groups_per_copy : k * groups_per_copy]:
            members = tuple(m for m in group.members if m not in removed)
            chair = group.chair if group.chair in members else None
            groups.append(attrs.evolve(group, members=members, chair=chair))
            if blocks and group.id == _copy_id(blocks[-1], k):
                groups.append(
                    Group(
                        id=_copy_id(new_block, k),
                        name=_copy_name(f"Khối {len(blocks) + 1}", k),
                        kind="department",
                    )
                )
    draft = attrs.evolve(
        previous,
        year=previous.year + 1,
        title=f"Dự thảo chia cụm, khối thi đua năm {previous.year + 1} ({copies} bản, seed {seed})",
        reference=None,
        issued=None,
        rules=attrs.evolve(previous.rules, group_size=(5, SIZE_CAP), chair_rotation_years=1),
        units=units,
        staff=staff,
        groups=groups,
        neighbours=[pair for pair in previous.neighbours if not removed.intersection(pair)],
        results=(),
    )
    draft = attrs.evolve(draft, pins=_pins(rng, draft, previous, copies))
    return BenchDraft(copies=copies, seed=seed, previous=previous, draft=draft)


def _pins(rng: random.Random, draft: Plan, previous: Plan, copies: int) -> list[Pin]:
    """A few pins per copy, none touching the same unit twice."""
    pins: list[Pin] = []
    used: set[str] = set()
    for k in range(1, copies + 1):
        ending = f"-{k}"
        groups = [g for g in draft.groups if g.id.endswith(ending) and g.members]

        def pick(group: Group, exclude: str | None = None) -> str | None:
            choices = [m for m in group.members if m not in used and m != exclude]
            if not choices:
                return None
            chosen = rng.choice(choices)
            used.add(chosen)
            return chosen

        stay = rng.choice(groups)
        unit = pick(stay)
        if unit is not None:
            pins.append(Pin.unit_in(unit, stay.id))
        if rng.random() < MOVING_PIN_SHARE:
            source = rng.choice(groups)
            targets = [g for g in draft.groups if g.id.endswith(ending) and g.kind == source.kind]
            target = rng.choice([g for g in targets if g.id != source.id])
            unit = pick(source)
            if unit is not None:
                pins.append(Pin.unit_in(unit, target.id))
        group = rng.choice(groups)
        unit = pick(group, exclude=previous.group_by_id[group.id].chair)
        if unit is not None:
            pins.append(Pin.chair_of(unit, group.id))
        people = [
            p
            for p in draft.staff
            if p.id.endswith(ending) and p.available and previous.workload(p.id)
        ]
        person = rng.choice(people)
        pins.append(Pin.staff_on(person.id, rng.choice(previous.workload(person.id))))
    return pins


def with_cohesion_tags(bench: BenchDraft, count: int) -> BenchDraft:
    """`bench` with copy k's units tagged `tinh-(k mod count + 1)`, the tags listed as cohesion
    tags in both plans."""
    tags = tuple(f"tinh-{number}" for number in range(1, count + 1))

    def tagged(plan: Plan) -> Plan:
        units = tuple(
            attrs.evolve(unit, tags=(*unit.tags, tags[int(unit.id.rsplit("-", 1)[1]) % count]))
            for unit in plan.units
        )
        rules = attrs.evolve(plan.rules, cohesion_tags=tags)
        return attrs.evolve(plan, units=units, rules=rules)

    return attrs.evolve(bench, previous=tagged(bench.previous), draft=tagged(bench.draft))


def with_alternating_tags(plan: Plan) -> Plan:
    """`plan` with its units tagged `a` and `b` in turn, both listed as cohesion tags: the tags
    leave the full model to CP-SAT, which builds for seconds and then searches until its time
    limit (the Ctrl+C tests and `bench/ctrl_c.py`)."""
    units = [
        attrs.evolve(unit, tags=("a" if index % 2 else "b",))
        for index, unit in enumerate(plan.units)
    ]
    rules = attrs.evolve(plan.rules, cohesion_tags=("a", "b"))
    return attrs.evolve(plan, units=units, rules=rules)


def check_feasible(bench: BenchDraft) -> None:
    """Raise ValueError unless the draft has a plan: sizes, pins, and staff enough for all."""
    for flow in min_moves_by_kind(bench.draft, bench.previous).values():
        if not flow.feasible:
            raise ValueError(f"draft {bench.copies}x seed {bench.seed}: {flow.problem}")
    draft = bench.draft
    for role in Role:
        capacity = sum(draft.max_groups(p) for p in draft.staff if p.role is role and p.available)
        if capacity < len(draft.groups):
            raise ValueError(
                f"draft {bench.copies}x seed {bench.seed}: {role.value}s can take "
                f"{capacity} groups, there are {len(draft.groups)}"
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("copies", type=int, help="how many copies of the 2013 plan")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path, help="write the draft here")
    parser.add_argument("--previous-out", type=Path, help="write the scaled 2013 plan here")
    parser.add_argument(
        "--cohesion-tags", type=int, default=0, metavar="K", help="tag the copies with K provinces"
    )
    args = parser.parse_args(argv)
    bench = make_draft(args.copies, args.seed)
    if args.cohesion_tags > 0:
        bench = with_cohesion_tags(bench, args.cohesion_tags)
    check_feasible(bench)
    if args.output is not None:
        save(bench.draft, args.output)
    if args.previous_out is not None:
        save(bench.previous, args.previous_out)
    draft = bench.draft
    print(
        f"{args.copies} copies, seed {args.seed}: {len(draft.units)} units, "
        f"{len(draft.groups)} groups, {len(draft.staff)} staff, {len(draft.pins)} pins"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
