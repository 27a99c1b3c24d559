"""A form for a new group, unit or person; the core makes the id and checks the fields."""

from __future__ import annotations

from typing import ClassVar, Literal

import attrs
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select

from thidua import edits
from thidua.edits import EditError
from thidua.i18n import N_, _
from thidua.model import Group, Plan, Role, Staff, Unit
from thidua.vocabulary import role_title
from thidua_tui.i18n import group_word, kind_label
from thidua_tui.screens.base import LocalisedModal

__all__ = ["AddScreen", "NewThing", "What"]

TITLES = {"group": N_("Add a group"), "unit": N_("Add a unit"), "person": N_("Add a person")}

What = Literal["group", "unit", "person"]

# Kinds offered even in a plan that has none yet: the contract's two.
DEFAULT_KINDS = ("department", "district")


@attrs.frozen
class NewThing:
    """What the form made, and for a unit the group to put it in (None: no group yet)."""

    thing: Group | Unit | Staff
    group: str | None = None


class AddScreen(LocalisedModal[NewThing | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
    ]

    def __init__(self, what: What, plan: Plan, *, group: str | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.what = what
        self.plan = plan
        self.group = group
        kinds = [*(u.kind for u in plan.units), *(g.kind for g in plan.groups), *DEFAULT_KINDS]
        self.kinds = list(dict.fromkeys(kinds))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label(_(TITLES[self.what]), classes="dialog-title")
            yield Label(_("Name"))
            yield Input(id="add-name")
            if self.what in ("group", "unit"):
                yield Label(_("Kind"))
                yield Select(
                    [(kind_label(kind), kind) for kind in self.kinds],
                    value=self._initial_kind(),
                    allow_blank=False,
                    id="add-kind",
                )
            if self.what == "unit":
                yield Label(_("Into group"))
                yield Select(
                    self._group_options(self._initial_kind()),
                    value=self.group if self.group is not None else Select.NULL,
                    prompt=_("— No group"),
                    id="add-group",
                )
            if self.what == "person":
                yield Label(_("Role"))
                yield Select(
                    [(role_title(role.value, ""), role.value) for role in Role],
                    value=Role.OFFICER.value,
                    allow_blank=False,
                    id="add-role",
                )
                yield Label(_("Title (optional)"))
                yield Input(id="add-title")
                yield Label(_("Group limit (blank: rule's)"))
                yield Input(id="add-max", type="integer")
            yield Label("", id="add-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(_("Add"), id="ok", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def _initial_kind(self) -> str:
        group = self.plan.group_by_id.get(self.group) if self.group else None
        return group.kind if group is not None else self.kinds[0]

    def _group_options(self, kind: str) -> list[tuple[str, str]]:
        return [(g.name, g.id) for g in self.plan.groups if g.kind == kind]

    def on_mount(self) -> None:
        self.query_one("#add-name", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        """A unit joins only groups of its kind, so the group list follows the kind chosen."""
        if event.select.id == "add-kind" and self.what == "unit":
            groups = self.query_one("#add-group", Select)
            chosen = groups.value
            options = self._group_options(str(event.value))
            groups.set_options(options)
            if chosen in {group_id for _, group_id in options}:
                groups.value = chosen  # still a group of the kind: keep it

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self._submit()
        else:
            self.dismiss(None)

    def _submit(self) -> None:
        try:
            made = self._make()
        except EditError as error:
            self.query_one("#add-error", Label).update(str(error))
            return
        self.dismiss(made)

    def _make(self) -> NewThing:
        name = self.query_one("#add-name", Input).value
        if self.what == "person":
            role = Role(str(self.query_one("#add-role", Select).value))
            title = self.query_one("#add-title", Input).value
            limit_text = self.query_one("#add-max", Input).value.strip()
            try:
                limit = int(limit_text) if limit_text else None
            except ValueError:
                raise EditError(_("The limit must be a whole number.")) from None
            return NewThing(edits.new_person(self.plan, name, role, title, limit))
        kind = str(self.query_one("#add-kind", Select).value)
        if self.what == "group":
            return NewThing(edits.new_group(self.plan, name or self._next_group_name(kind), kind))
        group = self.query_one("#add-group", Select).value
        return NewThing(
            edits.new_unit(self.plan, name, kind), None if group is Select.NULL else str(group)
        )

    def _next_group_name(self, kind: str) -> str:
        """A blank name for a group means the next number: "Cụm 5" after Cụm 1 to 4."""
        count = sum(1 for g in self.plan.groups if g.kind == kind)
        return f"{group_word(kind)} {count + 1}"

    def action_cancel(self) -> None:
        self.dismiss(None)
