"""Undo and redo, as snapshots of immutable plans."""

from __future__ import annotations

import attrs

from thidua.edits.changes import EditError
from thidua.i18n import _
from thidua.model import Plan

__all__ = ["History", "Step"]


@attrs.frozen
class Step:
    """A plan in the history, with a label saying which edit produced it."""

    plan: Plan
    label: str = ""


@attrs.frozen
class History:
    """Undo and redo as plan snapshots. Plans are immutable and share everything an edit did
    not touch, so a snapshot costs a few tuples; `limit` bounds how far back undo reaches."""

    present: Step
    past: tuple[Step, ...] = ()
    future: tuple[Step, ...] = ()
    limit: int = 500

    @classmethod
    def start(cls, plan: Plan, *, limit: int = 500) -> History:
        return cls(Step(plan), limit=limit)

    @property
    def plan(self) -> Plan:
        return self.present.plan

    @property
    def can_undo(self) -> bool:
        return bool(self.past)

    @property
    def can_redo(self) -> bool:
        return bool(self.future)

    @property
    def undo_label(self) -> str | None:
        """The label of the edit undo would take back."""
        return self.present.label if self.past else None

    @property
    def redo_label(self) -> str | None:
        return self.future[0].label if self.future else None

    def push(self, plan: Plan, label: str = "") -> History:
        """The history after an edit gave `plan`; an edit that changed nothing is not a step."""
        if plan is self.plan or plan == self.plan:
            return self
        past = (*self.past, self.present)[-self.limit :]
        return attrs.evolve(self, present=Step(plan, label), past=past, future=())

    def undo(self) -> History:
        if not self.past:
            raise EditError(_("nothing to undo"))
        return attrs.evolve(
            self, present=self.past[-1], past=self.past[:-1], future=(self.present, *self.future)
        )

    def redo(self) -> History:
        if not self.future:
            raise EditError(_("nothing to redo"))
        return attrs.evolve(
            self, present=self.future[0], past=(*self.past, self.present), future=self.future[1:]
        )
