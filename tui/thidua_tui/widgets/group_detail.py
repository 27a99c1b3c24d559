"""One group in full: size, chair, deputy, leader and officer, pins, and members in order."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from thidua import geography
from thidua.i18n import _
from thidua.model import Group, Plan
from thidua.rules import RuleContext, rule_by_id
from thidua.search import Kind
from thidua_tui.i18n import chair_word, deputy_word
from thidua_tui.messages import JumpRequested
from thidua_tui.pickers import chair_history
from thidua_tui.state import PlanView, Selection
from thidua_tui.widgets.frame_style import FrameStyle, update_in_place
from thidua_tui.wording import NONE, pin_text, unit_name

__all__ = ["GroupDetail"]


class MemberList(FrameStyle, OptionList):
    """The group's members in order, with their roles and pins."""


class GroupDetail(Vertical):
    """The selected group. Choosing a member in the list jumps to that unit."""

    def compose(self) -> ComposeResult:
        yield Static(id="group-heading", classes="heading")
        # Scrolls on its own when a short terminal cannot show every role and pin.
        with VerticalScroll(id="group-roles-scroll"):
            yield Static(id="group-roles")
        yield Static(_("Members"), classes="subheading")
        # An option list rather than a table: it draws a line several times faster, and a
        # move redraws the whole list.
        yield MemberList(id="group-members")

    # What each part showed last: an edit redraws only the parts it changed (moving a unit out
    # changes the heading and the members, seldom the roles).
    _shown_heading: object = None
    _shown_roles: object = None
    _shown_members: object = None

    def show(self, view: PlanView, group_id: str) -> None:
        plan = view.plan
        group = plan.group_by_id[group_id]
        low, high = plan.rules.group_size
        heading = (group.name, len(group.members), low, high)
        if heading != self._shown_heading:
            self._shown_heading = heading
            size = _("{count} units ({low}–{high})").format(
                count=len(group.members), low=low, high=high
            )
            wrong = not low <= len(group.members) <= high
            update_in_place(
                self.query_one("#group-heading", Static),
                Text.assemble(
                    (group.name, "bold"), "  ", (size, self._error_style() if wrong else "dim")
                ),
            )
        people = tuple(
            (plan.staff_by_id[p], plan.workload(p)) for p in (group.leader, group.officer) if p
        )
        pins = tuple(p for p in plan.pins if p.group == group.id)
        # The geography (former districts, neighbouring clusters) changes with other groups.
        places = geography.group_geography(plan, group.id) if plan.borders else None
        # Past chairs are named as this plan names them: the units count too.
        # The members count only where the geography is shown (its districts and findings):
        # elsewhere moving a unit in or out leaves the roles as they were.
        geography_shown = bool(plan.borders or plan.rules.district_tags)
        shape = (group.id, group.name, group.kind, group.chair, group.deputy)
        staff = (group.leader, group.officer)
        located = group.members if geography_shown else None
        roles = (shape, staff, located, people, pins, plan.rules, places, view.previous, plan.units)
        if roles != self._shown_roles:
            self._shown_roles = roles
            update_in_place(self.query_one("#group-roles", Static), self._roles(view, group))
        flags = tuple(m in view.flagged for m in group.members)
        units = tuple(plan.unit_by_id[m] for m in group.members)
        members = (group.members, group.chair, group.deputy, group.kind, flags, units, pins)
        if members != self._shown_members:
            self._shown_members = members
            self._members(view, group)

    def _members(self, view: PlanView, group: Group) -> None:
        plan = view.plan
        listing = self.query_one("#group-members", OptionList)
        highlighted = listing.highlighted
        pinned = {p.subject for p in plan.pins if p.group == group.id and p.unit is not None}
        options = []
        for number, member in enumerate(group.members, 1):
            # Roles and pins follow the name, as in the tree, so a narrow panel cuts only names.
            name = Text.assemble(
                (f"{number:>3}  ", "dim"),
                ("⚠ ", self._error_style()) if member in view.flagged else "",
                unit_name(plan, member),
                ("  " + chair_word(group.kind), "italic") if member == group.chair else "",
                ("  " + deputy_word(group.kind), "italic") if member == group.deputy else "",
                ("  [" + _("pinned") + "]", "dim") if member in pinned else "",
            )
            options.append(Option(name, id=member))
        if options:
            # In one step: clearing first would empty the list's scroll area and fill it again,
            # each a layout of the screen, even when the number of members stays.
            listing.set_options(options)
        else:
            listing.clear_options()
        if highlighted is not None and options:
            listing.highlighted = min(highlighted, len(options) - 1)

    def _roles(self, view: PlanView, group: Group) -> Table:
        plan = view.plan
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column()
        grid.add_row(chair_word(group.kind), self._unit(plan, group.chair))
        past = sorted(
            (year, unit)
            for unit, years in chair_history(plan, view.previous, group.id, "chair").items()
            for year in years
        )
        if past:
            lines = [f"{year}: {unit_name(plan, unit)}" for year, unit in reversed(past)]
            grid.add_row(_("Chairs before"), Text("\n".join(lines), style="dim"))
        if plan.rules.deputy or group.deputy is not None:
            grid.add_row(deputy_word(group.kind), self._unit(plan, group.deputy))
        grid.add_row(_("Leader in charge"), self._person(plan, group.leader))
        grid.add_row(_("Officer in charge"), self._person(plan, group.officer))
        pins = [pin_text(plan, p) for p in plan.pins if p.group == group.id]
        if pins:
            grid.add_row(_("Pins"), "\n".join(pins))
        if plan.borders or plan.rules.district_tags:
            self._geography(plan, group, grid)
        return grid

    def _geography(self, plan: Plan, group: Group, grid: Table) -> None:
        """Former districts, neighbouring clusters, and the geography rules' findings."""
        places = geography.group_geography(plan, group.id)
        if places.districts:
            grid.add_row(
                _("Former districts"),
                "\n".join(f"{tag}  {here}/{total}" for tag, here, total in places.districts),
            )
        if places.neighbours:
            lines = [
                f"{plan.group_by_id[other].name}: {', '.join(unit_name(plan, u) for u in units)}"
                for other, units in places.neighbours
            ]
            grid.add_row(_("Neighbouring clusters"), "\n".join(lines))
        context = RuleContext(plan)
        notes = [
            finding.message
            for rule in ("district-whole", "group-connected")
            for finding in rule_by_id(rule).check(context)
            if group.id in finding.subjects
        ]
        if notes:
            grid.add_row(_("Geography"), Text("\n".join(notes), style="italic"))

    def _unit(self, plan: Plan, unit: str | None) -> Text:
        return Text(unit_name(plan, unit)) if unit else Text(NONE, style="dim")

    def _person(self, plan: Plan, person_id: str | None) -> Text:
        if person_id is None:
            return Text(NONE, style="dim")
        person = plan.staff_by_id[person_id]
        count, limit = len(plan.workload(person_id)), plan.max_groups(person)
        load = _("{count}/{limit} groups").format(count=count, limit=limit)
        style = self._error_style() if count > limit or not person.available else "dim"
        return Text.assemble(person.name, "  ", (f"({load})", style))

    def _error_style(self) -> str:
        return f"bold {self.app.current_theme.error or 'red'}"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(JumpRequested(Selection(Kind.UNIT, event.option.id)))
