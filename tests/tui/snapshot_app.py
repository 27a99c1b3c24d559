"""The app as the snapshot tests see it: the 2013 example (this year), or the same groups as
the 2014 draft with 2013 as the previous plan, at a fixed terminal size."""

from __future__ import annotations

from pathlib import Path

import attrs

from thidua import edits
from thidua.files import load
from thidua.solver import MoveReason, SolveResult, SolveStatus, Term
from thidua_tui.app import ThiduaApp

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hcmc-2013.toml"
SCORES = EXAMPLE.with_name("scores-2013.csv")
TERMINAL = (120, 36)


def example_app(language: str = "vi") -> ThiduaApp:
    return ThiduaApp(load(EXAMPLE), EXAMPLE, language=language)


def draft_2014_app() -> ThiduaApp:
    last = load(EXAMPLE)
    return ThiduaApp(attrs.evolve(last, year=2014), EXAMPLE.with_name("hcmc-2014.toml"), (last,))


def proposal_result(app: ThiduaApp) -> SolveResult:
    """A fixed proposal on the 2014 draft: a new chair for every group, two moves."""
    plan = app.plan
    assert plan is not None
    proposal = edits.move_unit(plan, "so-cong-thuong", "khoi-5")
    proposal = edits.move_unit(proposal, "quan-1", "cum-2")
    for group in proposal.groups:
        others = [m for m in group.members if m != group.chair]
        proposal = edits.set_chair(proposal, group.id, others[-1])
    reason = MoveReason("so-cong-thuong", "khoi-1", "khoi-5", ("spread",), "evens out sizes")
    return SolveResult(
        status=SolveStatus.OPTIMAL,
        plan=proposal,
        terms=(Term("moves", 2, 2, 1), Term("staff_changes", 0, 0, 1)),
        reasons=(reason,),
    )
