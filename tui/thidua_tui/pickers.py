"""The lines of the pickers: every choice, the eligible ones ranked by what they cost, the
others greyed with the rule that bars them, and the current holder marked.

Built from the core's answers (`thidua.recommend`, `thidua.edits.*_bars`), so the interface
decides nothing about rules: it only words what the core found.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs
from rich.text import Text

from thidua import edits
from thidua.i18n import _, ngettext
from thidua.model import Pin, PinKind, Plan, Role
from thidua.recommend import Option, recommend
from thidua.rules import Violation
from thidua_tui.i18n import term_label
from thidua_tui.screens.picker import Choice
from thidua_tui.wording import group_name, rule_title

# Above this many groups of another kind, the move picker counts them instead of listing them.
MANY_OTHER_KINDS = 8

__all__ = [
    "assignment_choices",
    "chair_history",
    "move_choices",
    "same_post",
    "staff_choices",
    "unit_role_choices",
    "without_pins",
]


def same_post(plan: Plan, pin: Pin, group: str, role: Role) -> bool:
    """Whether `pin` keeps someone in `group`'s post of `role`."""
    if pin.kind is not PinKind.STAFF or pin.group != group:
        return False
    holder = plan.staff_by_id.get(pin.subject)
    return holder is None or holder.role is role


def _prompt(name: str, figure: str, note: str | Text = "") -> Text:
    """A picker line: the name, then a figure (size, workload) in bold and a note, dimmed."""
    return Text.assemble(
        name,
        (f"  {figure}" if figure else "", "bold"),
        "  " if note else "",
        note if isinstance(note, Text) else (note, "dim"),
    )


def _barred(name: str, figure: str, bars: Sequence[Violation]) -> Text:
    """A greyed line for a choice a rule bars, naming the rule."""
    rules = ", ".join(dict.fromkeys(rule_title(v.rule) for v in bars))
    return Text.assemble(
        (name, "dim strike"),
        (f"  {figure}" if figure else "", "dim"),
        ("  ✗ " + rules, "dim italic"),
    )


def _costs(option: Option) -> Text:
    """What a choice changes in the objective, naming each term that moves; nothing moving
    is said too, so that a line without figures is not read as unknown."""
    parts = [
        f"{term_label(change.term)} {change.delta:+d}" for change in option.changes if change.delta
    ]
    if not parts:
        return Text(_("no change to the objective"), style="dim")
    worse = any(change.delta > 0 for change in option.changes)
    return Text(" · ".join(parts), style="dim" if not worse else "dim italic")


def without_pins(plan: Plan, superseded: Callable[[Pin], bool]) -> Plan:
    """`plan` without the pins a choice made by hand replaces (the app's `_kept_by_hand`): a
    picker must not bar the very choice that would move the pin with it."""
    kept = tuple(pin for pin in plan.pins if not superseded(pin))
    return plan if len(kept) == len(plan.pins) else attrs.evolve(plan, pins=kept)


def move_choices(plan: Plan, previous: Sequence[Plan], unit: str) -> list[Choice]:
    """Where `unit` could go, cheapest first, then the groups a rule bars it from."""
    plan = without_pins(plan, lambda pin: pin.subject == unit and pin.kind is not PinKind.STAFF)
    found = recommend(plan, previous, unit=unit)
    # "No group" stays selectable even where a rule bars it (every unit must be in a group):
    # a planner rearranging may park a unit there for a moment; validation reports it.
    nowhere = found.option(None)
    ordered = [o for o in found.options if o.allowed]
    if not nowhere.allowed:
        ordered.append(nowhere)
    barred = [o for o in found.options if not o.allowed and o.group is not None]
    # Groups of another kind are many on a large plan and all barred alike: past a handful
    # they are counted on one line rather than listed.
    other_kind = [o for o in barred if o.barring_rules == ("group-kind",)]
    if len(other_kind) > MANY_OTHER_KINDS:
        barred = [o for o in barred if o.barring_rules != ("group-kind",)]
    ordered += barred
    choices = []
    for option in ordered:
        if option.group is None:
            name = _("— No group")
            figure = ""
        else:
            name = plan.group_by_id[option.group].name
            figure = f"{option.size}/{option.limit}"
        if not option.allowed and option.group is not None:
            prompt = _barred(name, figure, option.barred)
        elif not option.allowed:
            rules = ", ".join(dict.fromkeys(rule_title(v.rule) for v in option.barred))
            prompt = _prompt(name, "", Text("⚠ " + rules, style="italic"))
        else:
            notes: list[Text | str] = []
            if option.current:
                notes.append(Text(_("current"), style="bold"))
            elif option.group is not None and option.size > option.limit:
                notes.append(Text(_("full"), style="italic"))
            if not option.current:
                notes.append(_costs(option))
            note = Text("  ").join(Text(n) if isinstance(n, str) else n for n in notes)
            prompt = _prompt(name, figure, note)
        disabled = not option.allowed and option.group is not None
        choices.append(Choice(option.group, prompt, name, option.current, disabled=disabled))
    if len(other_kind) > MANY_OTHER_KINDS:
        words = ngettext(
            "{count} group of another kind", "{count} groups of another kind", len(other_kind)
        ).format(count=len(other_kind))
        line = _barred(words, "", other_kind[0].barred)
        choices.append(Choice("\0other-kinds", line, words, disabled=True))
    return choices


def chair_history(
    plan: Plan, previous: Sequence[Plan], group: str, role: str
) -> dict[str, list[int]]:
    """For each unit, the years it held `role` ("chair" or "deputy") of `group` in the
    previous plans, oldest first."""
    years: dict[str, list[int]] = {}
    for earlier in sorted(previous, key=lambda p: p.year):
        found = earlier.group_by_id.get(group)
        holder = getattr(found, role) if found is not None else None
        if holder is not None:
            years.setdefault(holder, []).append(earlier.year)
    return years


def unit_role_choices(plan: Plan, previous: Sequence[Plan], group: str, role: str) -> list[Choice]:
    """Nobody, then the members of `group` for its chair or deputy: the eligible first in
    member order, then those a rule bars (last year's chair, by rotation), each with the years
    it held the role before."""
    if role == "chair":
        plan = without_pins(plan, lambda pin: pin.kind is PinKind.CHAIR and pin.group == group)
    bars = (edits.chair_bars if role == "chair" else edits.deputy_bars)(plan, previous, group)
    found = plan.group_by_id[group]
    current = found.chair if role == "chair" else found.deputy
    past = chair_history(plan, previous, group, role)
    choices = [Choice(None, _prompt(_("— Nobody"), ""), current=current is None)]
    barred = []
    for unit, violations in bars.items():
        if unit is None:
            continue
        name = plan.unit_by_id[unit].name
        held = (
            _("held it in {years}").format(years=", ".join(map(str, past[unit])))
            if unit in past
            else ""
        )
        if violations:
            barred.append(
                Choice(unit, _barred(name, held, violations), name, unit == current, disabled=True)
            )
            continue
        note = _("current") if unit == current else ""
        choices.append(Choice(unit, _prompt(name, held, note), name, unit == current))
    return choices + barred


def staff_choices(plan: Plan, previous: Sequence[Plan], group: str, role: Role) -> list[Choice]:
    """Nobody, then the people of `role` for `group`: the eligible ones (the current holder
    first, then by workload), then those a rule bars (at their limit, unavailable, a pin)."""
    plan = without_pins(plan, lambda pin: same_post(plan, pin, group, role))
    bars = edits.staff_bars(plan, previous, group, role)
    current = plan.group_by_id[group].staff_for(role)
    choices = [Choice(None, _prompt(_("— Nobody"), ""), current=current is None)]
    allowed: list[tuple[tuple[int, int], Choice]] = []
    barred = []
    for index, person in enumerate(plan.staff):
        if person.role is not role:
            continue  # the other role's people are another list
        groups = plan.workload(person.id)
        load = _("{count}/{limit} groups").format(count=len(groups), limit=plan.max_groups(person))
        violations = bars.get(person.id, ())
        if violations:
            prompt = _barred(person.name, load, violations)
            is_current = person.id == current
            barred.append(Choice(person.id, prompt, person.name, is_current, disabled=True))
            continue
        is_current = person.id == current
        note = _("current") if is_current else ", ".join(group_name(plan, g) for g in groups)
        key = (0 if is_current else 1 + len(groups), index)
        allowed.append(
            (key, Choice(person.id, _prompt(person.name, load, note), person.name, is_current))
        )
    return choices + [choice for _, choice in sorted(allowed, key=lambda item: item[0])] + barred


def assignment_choices(plan: Plan, previous: Sequence[Plan], person: str) -> list[Choice]:
    """The groups `person` could take charge of in their role, cheapest first (the groups
    they have first), then the groups a rule bars."""
    role = plan.staff_by_id[person].role
    plan = without_pins(plan, lambda pin: same_post(plan, pin, pin.group, role))
    found = recommend(plan, previous, staff=person)
    choices = []
    for option in found.options:
        assert option.group is not None
        group = plan.group_by_id[option.group]
        holder = group.staff_for(role)
        figure = f"{option.size}/{option.limit}"
        if not option.allowed:
            prompt = _barred(group.name, figure, option.barred)
        elif option.current:
            prompt = _prompt(group.name, figure, Text(_("current"), style="bold"))
        else:
            now = plan.staff_by_id[holder].name if holder is not None else "—"
            note = Text.assemble(_costs(option), ("  " + _("now: {name}").format(name=now), "dim"))
            prompt = _prompt(group.name, figure, note)
        choices.append(
            Choice(option.group, prompt, group.name, option.current, disabled=not option.allowed)
        )
    return choices
