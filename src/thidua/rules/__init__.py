"""The assignment rules of the contract, as data shared by the validator and the solver."""

from thidua.rules.base import Concern, Fact, Rule, Term, Violation, Wording
from thidua.rules.context import RuleContext
from thidua.rules.encoder import Encoder, Penalty
from thidua.rules.registry import RULES, render, rule_by_id, rules_concerning, validate

__all__ = [
    "RULES",
    "Concern",
    "Encoder",
    "Fact",
    "Penalty",
    "Rule",
    "RuleContext",
    "Term",
    "Violation",
    "Wording",
    "render",
    "rule_by_id",
    "rules_concerning",
    "validate",
]
