"""One CP-SAT model of a plan: its decision variables, and the helpers rules encode with.

An `Encoding` holds the model, the plan, its `RuleContext` and one literal per candidate pair:

- `member[unit, group]`: the unit is a member of the group;
- `chair[unit, group]`, and `deputy[unit, group]` where the rules ask for deputies;
- `charge[person, group]`: the person is in charge of the group in their own role (a leader
  as the group's leader, an officer as its officer).

Which pairs get a literal is a `Scope`. A pair without a literal is false in every solution,
so a scope may only leave out pairs that a hard rule forbids anyway (`Scope.full`: units of
another kind, unavailable staff) or that a separate argument proves unnecessary
(`Scope.around`: see `thidua.solver.solve` for the certificate that makes it exact).

Rules never touch OR-Tools directly: `Encoding` implements the rules' own interface
(`thidua.rules.Encoder`), whose helpers in explanation mode put every constraint under an
assumption literal named after its rule and subjects, so that an infeasible model can say
which rules and pins conflict. Terms build their penalties with `total`, `conjunction`,
`maximum`, `ceiling` and `floor`, whose auxiliary variables the encoding can hint from a plan
like the literals themselves. `encode_rules` asks every rule of the registry to encode itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeAlias

import attrs

from thidua.errors import SolveError
from thidua.model import PinKind, Plan, Role
from thidua.rules import RULES, Encoder, Rule, RuleContext
from thidua.solver.backend import cp_model
from thidua.solver.start import Assignment
from thidua.solver.symmetry import canonical, value_precedence

__all__ = ["Encoding", "GuardKey", "Scope", "encode_rules"]

Literal: TypeAlias = "cp_model.IntVar"
# A family of constraints that one assumption switches on: (rule id, subjects).
GuardKey = tuple[str, tuple[str, ...]]


def _frozen(value: Mapping[str, Iterable[str]]) -> Mapping[str, tuple[str, ...]]:
    return {key: tuple(dict.fromkeys(items)) for key, items in value.items()}


@attrs.frozen
class Scope:
    """The candidate pairs that get a literal: groups per unit, people per group."""

    name: str
    groups_of_unit: Mapping[str, tuple[str, ...]] = attrs.field(converter=_frozen)
    staff_of_group: Mapping[str, tuple[str, ...]] = attrs.field(converter=_frozen)

    @classmethod
    def full(cls, plan: Plan) -> Scope:
        """Every pair a valid plan can use.

        A unit's candidates are the groups of its kind (`group-kind` forbids the others) and
        a group's are the available people (`staff-available` forbids the others). Pinned
        pairs are added even when those rules forbid them, so that the pin and the rule meet
        in the model and an explanation can name both.
        """
        by_kind: dict[str, list[str]] = {}
        for group in plan.groups:
            by_kind.setdefault(group.kind, []).append(group.id)
        units = {unit.id: list(by_kind.get(unit.kind, ())) for unit in plan.units}
        available = [person.id for person in plan.staff if person.available]
        staff = {group.id: list(available) for group in plan.groups}
        _add_pins(plan, units, staff)
        return cls("full", units, staff)

    @classmethod
    def around(
        cls,
        plan: Plan,
        plans: Iterable[Plan],
        *,
        full_kinds: Iterable[str] = (),
        full_staff: bool = False,
    ) -> Scope:
        """The pairs `plans` use (and the pins), within `Scope.full`: a small neighbourhood.

        Units of `full_kinds`, and with `full_staff` the people, get all their `Scope.full`
        pairs instead.
        """
        by_kind: dict[str, list[str]] = {}
        for group in plan.groups:
            by_kind.setdefault(group.kind, []).append(group.id)
        wide = set(full_kinds)
        units: dict[str, list[str]] = {
            unit.id: list(by_kind.get(unit.kind, ())) if unit.kind in wide else []
            for unit in plan.units
        }
        available = [person.id for person in plan.staff if person.available]
        staff: dict[str, list[str]] = {
            group.id: list(available) if full_staff else [] for group in plan.groups
        }
        for other in plans:
            for group in other.groups:
                here = plan.group_by_id.get(group.id)
                if here is None:
                    continue
                for member in group.members:
                    unit = plan.unit_by_id.get(member)
                    if unit is not None and unit.kind == here.kind:
                        units[member].append(group.id)
                for person_id in (group.leader, group.officer):
                    person = plan.staff_by_id.get(person_id) if person_id is not None else None
                    if person is not None and person.available:
                        staff[group.id].append(person.id)
        _add_pins(plan, units, staff)
        return cls("around", units, staff)

    @classmethod
    def everything(cls, plan: Plan) -> Scope:
        """Every unit in every group of its kind, everyone for every group: for explanations.

        Still leaves out units of another kind (except where pinned): a unit of a kind that
        has no group at all is caught by the counting pre-checks before a model is built.
        """
        full = cls.full(plan)
        everyone = [person.id for person in plan.staff]
        staff = {group.id: list(everyone) for group in plan.groups}
        return cls("everything", full.groups_of_unit, staff)


def _add_pins(plan: Plan, units: dict[str, list[str]], staff: dict[str, list[str]]) -> None:
    for pin in plan.pins:
        if pin.kind is PinKind.STAFF:
            staff.setdefault(pin.group, []).append(pin.subject)
        else:
            units.setdefault(pin.subject, []).append(pin.group)


class Encoding:
    """One CP-SAT model of a plan: its variables, and the constraints the rules add to it."""

    def __init__(self, context: RuleContext, scope: Scope, *, explain: bool = False) -> None:
        self.context = context
        self.plan = context.plan
        self.scope = scope
        self.explain = explain
        self.model = cp_model.CpModel()
        self.member: dict[tuple[str, str], Literal] = {}
        self.chair: dict[tuple[str, str], Literal] = {}
        self.deputy: dict[tuple[str, str], Literal] = {}
        self.charge: dict[tuple[str, str], Literal] = {}
        self.guards: dict[GuardKey, Literal] = {}
        # Auxiliary variables of soft terms, with what they are equal to, for hints.
        self._conjunctions: list[tuple[Literal, Literal, Literal]] = []
        self._maxima: list[tuple[cp_model.IntVar, list[list[Literal]]]] = []
        self._minima: list[tuple[cp_model.IntVar, list[list[Literal]]]] = []
        # Sets of interchangeable groups whose symmetry `break_symmetry` broke.
        self._symmetric: list[tuple[str, ...]] = []
        self._members_of: dict[str, list[tuple[str, Literal]]] = {
            g.id: [] for g in self.plan.groups
        }
        self._groups_of: dict[str, list[tuple[str, Literal]]] = {u.id: [] for u in self.plan.units}
        self._staff_of: dict[str, list[tuple[str, Literal]]] = {g.id: [] for g in self.plan.groups}
        self._groups_of_person: dict[str, list[tuple[str, Literal]]] = {
            person.id: [] for person in self.plan.staff
        }
        self._create_variables()

    # -- variables ------------------------------------------------------------------------

    def _create_variables(self) -> None:
        model, deputies = self.model, self.plan.rules.deputy
        # Names only help when reading an explanation model; at scale they cost memory.
        named = self.explain
        for unit in self.plan.units:
            for group_id in self.scope.groups_of_unit.get(unit.id, ()):
                key = (unit.id, group_id)
                name = f"[{unit.id},{group_id}]" if named else ""
                self.member[key] = model.new_bool_var(f"member{name}")
                self.chair[key] = model.new_bool_var(f"chair{name}")
                if deputies:
                    self.deputy[key] = model.new_bool_var(f"deputy{name}")
                self._members_of[group_id].append((unit.id, self.member[key]))
                self._groups_of[unit.id].append((group_id, self.member[key]))
        for group in self.plan.groups:
            for person in self.scope.staff_of_group.get(group.id, ()):
                key = (person, group.id)
                literal = model.new_bool_var(f"charge[{person},{group.id}]" if named else "")
                self.charge[key] = literal
                self._staff_of[group.id].append((person, literal))
                self._groups_of_person[person].append((group.id, literal))

    def members_of(self, group: str) -> Sequence[tuple[str, Literal]]:
        """(unit, literal) for every unit that may be a member of `group`."""
        return self._members_of[group]

    def groups_of(self, unit: str) -> Sequence[tuple[str, Literal]]:
        """(group, literal) for every group `unit` may join."""
        return self._groups_of[unit]

    def staff_of(self, group: str, role: Role) -> list[tuple[str, Literal]]:
        """(person, literal) for every person of `role` who may be put in charge of `group`."""
        staff = self.plan.staff_by_id
        return [(p, lit) for p, lit in self._staff_of[group] if staff[p].role is role]

    def groups_of_person(self, person: str) -> Sequence[tuple[str, Literal]]:
        """(group, literal) for every group `person` may be put in charge of."""
        return self._groups_of_person[person]

    def size(self, group: str) -> cp_model.LinearExpr:
        """The member count of `group`."""
        return cp_model.LinearExpr.sum([lit for _, lit in self._members_of[group]])

    # -- constraints, each under its rule's assumption in explanation mode ------------------

    def guard(self, rule: str, subjects: tuple[str, ...]) -> list[Literal]:
        """The enforcement literals for a constraint of `rule` about `subjects`.

        Empty when solving; in explanation mode, one assumption literal per (rule, subjects)
        family, shared by every constraint of the family.
        """
        if not self.explain:
            return []
        key = (rule, subjects)
        literal = self.guards.get(key)
        if literal is None:
            literal = self.model.new_bool_var(f"{rule}:{','.join(subjects)}")
            self.guards[key] = literal
        return [literal]

    def _enforce(
        self, constraint: cp_model.Constraint, rule: str, subjects: tuple[str, ...]
    ) -> None:
        guards = self.guard(rule, subjects)
        if guards:
            constraint.only_enforce_if(guards)

    def exactly_one(
        self, literals: Sequence[Literal], rule: str, subjects: tuple[str, ...]
    ) -> None:
        """Exactly one of `literals` holds (none exist: the rule cannot hold)."""
        if self.explain:
            total = cp_model.LinearExpr.sum(list(literals))
            self._enforce(self.model.add_linear_constraint(total, 1, 1), rule, subjects)
        else:
            self.model.add_exactly_one(literals)

    def count_between(
        self, literals: Sequence[Literal], low: int, high: int, rule: str, subjects: tuple[str, ...]
    ) -> None:
        """Between `low` and `high` of `literals` hold."""
        total = cp_model.LinearExpr.sum(list(literals))
        self._enforce(self.model.add_linear_constraint(total, low, high), rule, subjects)

    def at_most_one(
        self, literals: Sequence[Literal], rule: str, subjects: tuple[str, ...]
    ) -> None:
        if self.explain:
            self.count_between(literals, 0, 1, rule, subjects)
        else:
            self.model.add_at_most_one(literals)

    def implies(
        self, premise: Literal, conclusion: Literal, rule: str, subjects: tuple[str, ...]
    ) -> None:
        """`premise` implies `conclusion`."""
        constraint = self.model.add_bool_or([conclusion])
        constraint.only_enforce_if([premise, *self.guard(rule, subjects)])

    def forbid(self, literal: Literal, rule: str, subjects: tuple[str, ...]) -> None:
        """`literal` is false."""
        self._enforce(self.model.add_bool_and([literal.negated()]), rule, subjects)

    def require(self, literal: Literal | None, rule: str, subjects: tuple[str, ...]) -> None:
        """`literal` is true; None (a pair outside the scope) makes the rule impossible."""
        self._enforce(self.model.add_bool_or([] if literal is None else [literal]), rule, subjects)

    # -- building blocks of terms ------------------------------------------------------

    def total(self, items: Iterable[cp_model.LinearExprT]) -> cp_model.LinearExpr:
        """The sum of literals or expressions."""
        return cp_model.LinearExpr.sum(list(items))

    def conjunction(self, first: Literal, second: Literal) -> Literal:
        """A new literal equal to `first and second`."""
        both = self.model.new_bool_var("")
        self.model.add_implication(both, first)
        self.model.add_implication(both, second)
        self.model.add_bool_or([first.negated(), second.negated(), both])
        self._conjunctions.append((both, first, second))
        return both

    def maximum(self, counts: Sequence[Sequence[Literal]], upper: int) -> cp_model.IntVar:
        """A new integer equal to the largest of the counts of true literals in `counts`."""
        largest = self.model.new_int_var(0, upper, "")
        self.model.add_max_equality(largest, [self.total(count) for count in counts])
        self._maxima.append((largest, [list(count) for count in counts]))
        return largest

    def ceiling(self, counts: Sequence[Sequence[Literal]], upper: int) -> cp_model.IntVar:
        """A new integer at least every count of true literals in `counts`: minimised, it
        is the largest (hinted as such)."""
        top = self.model.new_int_var(0, upper, "")
        for count in counts:
            self.model.add(top >= self.total(count))
        self._maxima.append((top, [list(count) for count in counts]))
        return top

    def floor(self, counts: Sequence[Sequence[Literal]], upper: int) -> cp_model.IntVar:
        """A new integer at most every count of true literals in `counts`: maximised (as a
        spread's minimisation does), it is the smallest (hinted as such)."""
        bottom = self.model.new_int_var(0, upper, "")
        for count in counts:
            self.model.add(bottom <= self.total(count))
        self._minima.append((bottom, [list(count) for count in counts]))
        return bottom

    def disconnected(self, nodes: Sequence[Literal], arcs: Sequence[tuple[int, int]]) -> Literal:
        """A flag, and a flow that must reach every true node from one root among them
        along arcs between true nodes, unless the flag is set (single-commodity flow: each
        node but the root keeps one unit of what it receives)."""
        model = self.model
        flag = model.new_bool_var("")
        capacity = max(len(nodes) - 1, 1)
        inflow: list[list[cp_model.LinearExprT]] = [[] for _ in nodes]
        for first, second in arcs:
            for tail, head in ((first, second), (second, first)):
                flow = model.new_int_var(0, capacity, "")
                model.add(flow <= capacity * nodes[tail])
                model.add(flow <= capacity * nodes[head])
                inflow[head].append(flow)
                inflow[tail].append(-flow)
        roots = []
        for node, literal in enumerate(nodes):
            root = model.new_bool_var("")
            model.add_implication(root, literal)
            roots.append(root)
            model.add(
                self.total(inflow[node]) >= literal - (capacity + 1) * root - (capacity + 1) * flag
            )
        model.add_at_most_one(roots)
        return flag

    def cut(self, expression: cp_model.LinearExpr, low: int) -> None:
        """A redundant constraint `expression >= low` that every plan breaking no hard rule
        meets: it only strengthens the search. Left out in explanation mode, where the hard
        rules it follows from may be switched off."""
        if not self.explain:
            self.model.add(expression >= low)

    def break_symmetry(self, groups: Sequence[str]) -> bool:
        """Order interchangeable groups by their first member, in the plan's unit order.

        `groups` must be interchangeable: same kind and size bounds, no pin, no member in the
        baseline, no chair history (see `thidua.solver.symmetry`), so
        that relabelling them maps every plan to one as good. Of each set of relabellings only
        the plan whose groups' first members come in the order of `groups` is then left:
        the k-th unit may join group j only if an earlier unit joined group j - 1 (value
        precedence, with one "seen" literal per unit and group). Applies only when every unit
        that may join one of the groups may join them all (false: nothing was added). Hints
        and exclusions are relabelled the same way from then on (`canonical`).
        """
        if len(groups) < 2:
            return False
        rows: list[list[Literal]] = []
        for unit in self.plan.units:
            candidates = [self.member.get((unit.id, group)) for group in groups]
            present = [literal for literal in candidates if literal is not None]
            if not present:
                continue
            if len(present) != len(groups):
                return False
            rows.append(present)
        value_precedence(self.model, rows)
        self._symmetric.append(tuple(groups))
        return True

    # -- plans in and out -----------------------------------------------------------------

    def literals_of(self, plan: Plan) -> tuple[list[Literal], bool]:
        """The literals that are true in `plan`, and whether the model can represent it.

        A plan is representable when each of its memberships, chairs, deputies and people in
        charge has a literal, nobody is listed twice, and each person sits in the slot of
        their own role; anything else breaks a rule the literals build in.
        """
        true: list[Literal] = []
        representable = True
        staff = self.plan.staff_by_id
        for group in plan.groups:
            if len(set(group.members)) != len(group.members):
                representable = False
            for unit in group.members:
                representable &= _collect(self.member, (unit, group.id), true)
            if group.chair is not None:
                representable &= _collect(self.chair, (group.chair, group.id), true)
            if self.plan.rules.deputy and group.deputy is not None:
                representable &= _collect(self.deputy, (group.deputy, group.id), true)
            for role, person in ((Role.LEADER, group.leader), (Role.OFFICER, group.officer)):
                if person is None:
                    continue
                if staff[person].role is not role:
                    representable = False
                representable &= _collect(self.charge, (person, group.id), true)
        return true, representable

    def all_literals(self) -> Iterable[Literal]:
        yield from self.member.values()
        yield from self.chair.values()
        yield from self.deputy.values()
        yield from self.charge.values()

    def _canonical(self, plan: Plan) -> Plan:
        for groups in self._symmetric:
            plan = canonical(plan, groups)
        return plan

    def fix(self, plan: Plan) -> None:
        """Constrain the model to exactly `plan` (infeasible when it cannot represent it)."""
        true, representable = self.literals_of(plan)
        if not representable:
            self.model.add_bool_or([])
        chosen = {literal.index for literal in true}
        for literal in self.all_literals():
            self.model.add(literal == int(literal.index in chosen))

    def hint(self, plan: Plan) -> None:
        """Hint every literal, and the soft terms' auxiliary variables, with their values in
        `plan` (CP-SAT prefers complete hints); relabelled first where symmetry is broken."""
        chosen = {literal.index for literal in self.literals_of(self._canonical(plan))[0]}
        # The literals in one call to the proto: `add_hint` one at a time took a third of a
        # second on 100 copies of the 2013 plan (the literals are plain variables, index >= 0).
        indices = [literal.index for literal in self.all_literals()]
        hints = self.model.proto.solution_hint
        hints.vars.extend(indices)
        hints.values.extend([int(index in chosen) for index in indices])
        for both, first, second in self._conjunctions:
            self.model.add_hint(both, first.index in chosen and second.index in chosen)
        for largest, counts in self._maxima:
            values = [sum(literal.index in chosen for literal in count) for count in counts]
            self.model.add_hint(largest, max(values, default=0))
        for smallest, counts in self._minima:
            values = [sum(literal.index in chosen for literal in count) for count in counts]
            self.model.add_hint(smallest, min(values, default=0))

    def exclude(self, plan: Plan) -> None:
        """Forbid `plan`'s memberships and people in charge all at once (alternatives).

        Chairs and deputies are left out: they follow from the membership by preference (see
        `thidua.solver.start.choose_chairs`), so a plan differing only in them is the same
        proposal.
        """
        chosen: list[Literal] = []
        for group in self._canonical(plan).groups:
            for unit in group.members:
                _collect(self.member, (unit, group.id), chosen)
            for person in (group.leader, group.officer):
                if person is not None:
                    _collect(self.charge, (person, group.id), chosen)
        self.model.add(cp_model.LinearExpr.sum(chosen) <= len(chosen) - 1)

    def read(self, value: Callable[[Literal], bool]) -> Assignment:
        """The assignment a solution makes, `value` giving each literal's truth."""
        membership = {unit: group for (unit, group), lit in self.member.items() if value(lit)}
        chairs = {group: unit for (unit, group), lit in self.chair.items() if value(lit)}
        deputies = {group: unit for (unit, group), lit in self.deputy.items() if value(lit)}
        leaders: dict[str, str] = {}
        officers: dict[str, str] = {}
        staff = self.plan.staff_by_id
        for (person, group), lit in self.charge.items():
            if value(lit):
                slot = leaders if staff[person].role is Role.LEADER else officers
                slot[group] = person
        return Assignment(membership, leaders, officers, chairs, deputies)


def encode_rules(enc: Encoding, rules: Iterable[Rule] = RULES) -> None:
    """Ask each hard rule to encode itself; the model then holds exactly what the validator
    checks. Soft rules add their terms through the objective (`thidua.solver.objective`).

    A hard rule without an encoding would let the solver propose plans the validator rejects,
    so it is an error rather than a silent gap.
    """
    for rule in rules:
        if rule.soft:
            continue
        if rule.encode is None:
            raise SolveError(f"rule {rule.id!r} has no solver encoding")
        rule.encode(enc)


def _implements(enc: Encoding) -> Encoder:
    """Never called: mypy checks here that `Encoding` implements the rules' interface."""
    return enc


def _collect(
    literals: Mapping[tuple[str, str], Literal], key: tuple[str, str], into: list[Literal]
) -> bool:
    literal = literals.get(key)
    if literal is None:
        return False
    into.append(literal)
    return True
