"""The interface a rule or a term encodes itself through, owned by the rules.

The solver's model of a plan (`thidua.solver.encoding.Encoding`) implements it; the rules and
terms only ever see this protocol, so `thidua.rules` never imports the solver (nor OR-Tools).

The literals are true or false in a solution: `member[unit, group]`, `chair[unit, group]`,
`deputy[unit, group]` (where the plan asks for deputies) and `charge[person, group]` (the
person is in charge of the group in their own role). A pair without a literal is false in
every solution. Every constraint names its rule and subjects, so that in explanation mode
(`explain`) an infeasible model can say which rules and pins conflict.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeAlias

import attrs

from thidua.model import Plan, Role
from thidua.rules.context import RuleContext

__all__ = ["Encoder", "Expression", "Literal", "Penalty"]


# The solver's literals and linear expressions, opaque to the rules: they only combine them
# with `+`, `-` and integers, and hand them back to the encoder. Typed loosely on purpose, since
# a protocol's parameters cannot name the solver's own types without importing the solver.
Literal: TypeAlias = Any
Expression: TypeAlias = Any


class Encoder(Protocol):
    """One model of a plan: its literals, and the constraints rules and terms add to it."""

    @property
    def plan(self) -> Plan: ...
    @property
    def context(self) -> RuleContext: ...
    @property
    def explain(self) -> bool:
        """Whether constraints go under assumptions, to find a conflict (soft terms add none)."""
        ...

    @property
    def member(self) -> Mapping[tuple[str, str], Literal]: ...
    @property
    def chair(self) -> Mapping[tuple[str, str], Literal]: ...
    @property
    def deputy(self) -> Mapping[tuple[str, str], Literal]: ...
    @property
    def charge(self) -> Mapping[tuple[str, str], Literal]: ...

    def members_of(self, group: str) -> Sequence[tuple[str, Literal]]:
        """(unit, literal) for every unit that may be a member of `group`."""
        ...

    def groups_of(self, unit: str) -> Sequence[tuple[str, Literal]]:
        """(group, literal) for every group `unit` may join."""
        ...

    def staff_of(self, group: str, role: Role) -> Sequence[tuple[str, Literal]]:
        """(person, literal) for every person of `role` who may be put in charge of `group`."""
        ...

    def groups_of_person(self, person: str) -> Sequence[tuple[str, Literal]]:
        """(group, literal) for every group `person` may be put in charge of."""
        ...

    # -- constraints of hard rules, each about a rule and its subjects ----------------------

    def exactly_one(
        self, literals: Sequence[Literal], rule: str, subjects: tuple[str, ...]
    ) -> None: ...
    def count_between(
        self, literals: Sequence[Literal], low: int, high: int, rule: str, subjects: tuple[str, ...]
    ) -> None: ...
    def at_most_one(
        self, literals: Sequence[Literal], rule: str, subjects: tuple[str, ...]
    ) -> None: ...
    def implies(
        self, premise: Literal, conclusion: Literal, rule: str, subjects: tuple[str, ...]
    ) -> None: ...
    def forbid(self, literal: Literal, rule: str, subjects: tuple[str, ...]) -> None: ...
    def require(self, literal: Literal | None, rule: str, subjects: tuple[str, ...]) -> None:
        """`literal` is true; None (a pair outside the model) makes the rule impossible."""
        ...

    # -- building blocks of terms -------------------------------------------------------------

    def total(self, items: Iterable[Expression]) -> Expression: ...
    def conjunction(self, first: Literal, second: Literal) -> Literal:
        """A new literal equal to `first and second`."""
        ...

    def maximum(self, counts: Sequence[Sequence[Literal]], upper: int) -> Expression:
        """A new integer equal to the largest count of true literals among `counts`."""
        ...

    def ceiling(self, counts: Sequence[Sequence[Literal]], upper: int) -> Expression:
        """A new integer at least every count: minimised, it is the largest."""
        ...

    def floor(self, counts: Sequence[Sequence[Literal]], upper: int) -> Expression:
        """A new integer at most every count: maximised, it is the smallest."""
        ...

    def cut(self, expression: Expression, low: int) -> None:
        """A redundant `expression >= low` that every plan breaking no hard rule meets."""
        ...

    def disconnected(self, nodes: Sequence[Literal], arcs: Sequence[tuple[int, int]]) -> Literal:
        """A new literal, true at least when the nodes whose literals are true are not
        connected by the `arcs` (pairs of positions in `nodes`, either way) among them:
        minimised, it is true exactly then."""
        ...


@attrs.frozen
class Penalty:
    """A term's encoded value: a linear expression over the model, at most `upper`."""

    expression: Expression
    upper: int
