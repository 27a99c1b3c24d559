"""The assignment rules of the contract, as data shared by the validator and the solver."""

from thidua.rules.base import Rule, RuleContext, Violation
from thidua.rules.registry import RULES, rule_by_id, validate

__all__ = ["RULES", "Rule", "RuleContext", "Violation", "rule_by_id", "validate"]
