"""What a rule is: one entry holding everything the rule implies.

A `Rule` has its contract id, a description, what it concerns (`Concern`: the parts of a plan
whose edits can break it), its check returning findings, the wordings of those findings, its
CP-SAT encoding (through `thidua.rules.encoder.Encoder`, an interface the rules own, so that
the rules never import the solver), the wording of a conflict it takes part in, and for a soft
rule the objective `Term` it adds. A `Term` is one entry too: its name, how it is counted on a
plan, how it is encoded, and its weight; `thidua.terms` lists them in order of priority.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs

from thidua.i18n import _, ngettext
from thidua.model import ObjectiveSettings, Plan
from thidua.rules.context import RuleContext
from thidua.rules.encoder import Encoder, Penalty

__all__ = [
    "Concern",
    "Fact",
    "Penalty",
    "Rule",
    "RuleContext",
    "Term",
    "Violation",
    "Wording",
]

# A fact of a finding: a name (already resolved from an id), a count or a year.
Fact = str | int


class Concern(enum.Enum):
    """A part of a plan a rule judges: an edit of that part may break or fix the rule.

    A part the rule only reads to find what it judges is not a concern: `chair-is-member`
    judges chairs (is the chair a member?), so it concerns the chair, not the membership. The
    plan editor's pickers ask the rules concerning what an edit changes (moving a unit: the
    membership; naming a chair: the chair), the solver the rules concerning only the staff.
    """

    MEMBERSHIP = "membership"
    CHAIR = "chair"
    DEPUTY = "deputy"
    LEADER = "leader"
    OFFICER = "officer"
    PINS = "pins"


@attrs.frozen
class Violation:
    """One broken rule: its contract id, the ids of the things involved, and a message.

    `code` names the finding's wording (`Wording.code`) and `facts` its values, so that the
    message can be said again in another language (`thidua.rules.render`); the message is
    the rendering in the language current when the check ran.
    """

    rule: str
    subjects: tuple[str, ...]
    message: str
    code: str = ""
    facts: tuple[tuple[str, Fact], ...] = ()

    def fact(self, name: str) -> Fact:
        return dict(self.facts)[name]


@attrs.frozen
class Wording:
    """How one kind of finding of a rule is said: English source text with `{fact}` fields.

    With `plural`, the text is chosen by the fact named `count` (`ngettext`). The English
    source is the catalogue's key (`thidua.i18n`), so each wording exists in both languages.
    `words` gives fields said in words from the facts at each rendering (a kind of unit as
    "department" or "sở, ngành", "nobody" for an empty fact), so that the facts stay data and
    a rendering in another language has no word of the first.
    """

    rule: str
    code: str
    text: str
    plural: str | None = None
    count: str = "count"
    words: Callable[[Mapping[str, Fact]], Mapping[str, Fact]] | None = attrs.field(
        default=None, eq=False, repr=False
    )

    def render(self, facts: Mapping[str, Fact]) -> str:
        """The message for these facts, in the process's language."""
        if self.plural is None:
            template = _(self.text)
        else:
            template = ngettext(self.text, self.plural, int(facts[self.count]))
        values = dict(facts)
        if self.words is not None:
            values.update(self.words(facts))
        return template.format(**values)

    def finding(self, subjects: Iterable[str], **facts: Fact) -> Violation:
        """A violation of the rule naming `subjects`, said with these facts."""
        return Violation(
            self.rule, tuple(subjects), self.render(facts), self.code, tuple(facts.items())
        )


Check = Callable[[RuleContext], Iterable[Violation]]
Encode = Callable[[Encoder], None]
# A conflict's wording: the context and the subject families of a conflict core -> message.
Explain = Callable[[RuleContext, Sequence[tuple[str, ...]]], str]
# A term counted on a plan against the most recent previous plan (None: there is none).
Count = Callable[[Plan, Plan | None], int]
# A term encoded against the baseline; None where the plan leaves it out of the objective.
EncodeTerm = Callable[[Encoder, Plan], Penalty | None]
# A lower bound on a term over every plan for a draft that breaks no hard rule, against the
# baseline: what the draft alone forces.
Bound = Callable[[Plan, Plan], int]


def _always(plan: Plan) -> bool:
    return True


def _nothing_forced(plan: Plan, baseline: Plan) -> int:
    return 0


@attrs.frozen
class Term:
    """One objective term (contract §3, or a soft rule's): counted, encoded, weighted.

    `count` gives its value on a plan (the number the interface shows and the solver
    reports); `encode` the same value as a CP-SAT expression over an encoding, equal to the
    count on every plan fixed in the model (a term whose helper variables only bound it, like
    the size spread, equals it once minimised). `lower` is its bound where one is known from
    the draft alone: no plan for the draft that breaks no hard rule counts less (the solver
    proves its sharper bounds itself). `configured` says whether a plan reports it at all;
    `setting` names its weight in `ObjectiveSettings` (0 leaves it out of the solve).
    """

    name: str
    description: str
    count: Count = attrs.field(repr=False)
    encode: EncodeTerm = attrs.field(repr=False)
    # How the term is called on screen: English source text, marked `N_` for the catalogue.
    label: str = ""
    configured: Callable[[Plan], bool] = attrs.field(default=_always, repr=False)
    setting: str = ""
    lower: Bound = attrs.field(default=_nothing_forced, repr=False)

    def words(self) -> str:
        """The term's label in the process's language (its name where it has none)."""
        return _(self.label) if self.label else self.name

    def weight(self, settings: ObjectiveSettings) -> int:
        """The weight `settings` give this term (1 where they have no field for it)."""
        return int(getattr(settings, self.setting or self.name, 1))


def _concerns(values: Iterable[Concern]) -> frozenset[Concern]:
    return frozenset(values)


@attrs.frozen
class Rule:
    """A rule as data. Validator and solver use the same objects, so they cannot disagree.

    A hard rule's `encode` adds constraints; a soft rule (`term` set) adds its term to the
    objective instead, and its violations are reported but do not make a plan invalid.
    `explain` words the rule's part of a conflict when no plan exists; `wordings` are every
    way its check can word a finding.
    """

    id: str
    description: str
    check: Check = attrs.field(repr=False)
    encode: Encode | None = attrs.field(default=None, repr=False)
    concerns: frozenset[Concern] = attrs.field(default=frozenset(), converter=_concerns)
    wordings: tuple[Wording, ...] = attrs.field(default=(), repr=False)
    explain: Explain | None = attrs.field(default=None, repr=False)
    term: Term | None = attrs.field(default=None, repr=False)

    @property
    def soft(self) -> bool:
        return self.term is not None

    def concerns_any(self, concerns: Iterable[Concern]) -> bool:
        return not self.concerns.isdisjoint(concerns)

    def wording(self, code: str) -> Wording:
        for wording in self.wordings:
            if wording.code == code:
                return wording
        raise KeyError(f"rule {self.id!r} has no wording {code!r}")

    def violations(self, context: RuleContext) -> list[Violation]:
        return list(self.check(context))

    def conflict_message(self, context: RuleContext, families: Sequence[tuple[str, ...]]) -> str:
        """The rule's part of a conflict core, in the process's language."""
        if self.explain is None:
            subjects = dict.fromkeys(s for family in families for s in family)
            return _("{rule}: {subjects}").format(rule=self.id, subjects=", ".join(subjects))
        return self.explain(context, families)
