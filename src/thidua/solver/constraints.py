"""Wiring: every rule of the registry adds its own constraints to an encoding."""

from __future__ import annotations

from collections.abc import Iterable

from thidua.errors import SolveError
from thidua.rules import RULES, Rule
from thidua.solver.variables import Encoding

__all__ = ["encode_rules"]


def encode_rules(enc: Encoding, rules: Iterable[Rule] = RULES) -> None:
    """Ask each rule to encode itself; the model then holds exactly what the validator checks.

    A hard rule adds constraints, a soft rule a penalty term (`Encoding.add_soft_term`). A rule
    without an encoding would let the solver propose plans the validator rejects, so it is an
    error rather than a silent gap.
    """
    for rule in rules:
        if rule.encode is None:
            raise SolveError(f"rule {rule.id!r} has no solver encoding")
        rule.encode(enc)
