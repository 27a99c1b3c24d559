"""The blocks and clusters as a tree: kinds of group, their groups, and each group's members."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets._tree import _TreeLine
from textual.widgets.tree import TreeNode

from thidua.i18n import _
from thidua.model import Group, Pin, Plan
from thidua.search import Kind
from thidua_tui.i18n import chair_word, deputy_word, kind_label
from thidua_tui.messages import SelectionChanged
from thidua_tui.state import PlanView, Selection
from thidua_tui.widgets.frame_style import FrameStyle

__all__ = ["PlanTree"]

# Above this many units the groups start collapsed, so the tree opens as a readable outline.
EXPAND_UP_TO = 300
# How many drawn lines `PlanTree` keeps: a few screens' worth of every state a line can be in.
LINES_KEPT = 4096

Node = TreeNode[Selection | None]


class PlanTree(FrameStyle, Tree[Selection | None]):
    """Khối and Cụm with their members in document order, and the units in no group.

    Each edit changes a few groups; `show` relabels and refills only the groups whose content,
    pins or violations changed, so a plan of thousands of units redraws in milliseconds.
    """

    # Within `show`, repaints wait for its end (class defaults: Textual's constructor
    # already adds the root).
    _adding = False
    _repaint_due = False

    def __init__(self, *, id: str | None = None) -> None:
        # Before Textual's constructor, whose settings already size the tree's lines.
        self._widths: dict[int, tuple[object, bool, bool, int]] = {}  # `get_label_width`
        super().__init__("plan", id=id)
        self.show_root = False
        self.guide_depth = 3
        self._view: PlanView | None = None
        self._layout: tuple[tuple[str, str], ...] = ()
        self._kind_nodes: dict[str, Node] = {}
        self._group_nodes: dict[str, Node] = {}
        self._signatures: dict[str, object] = {}
        self._unplaced: Node | None = None
        self._pending: Selection | None = None
        # Drawn lines by what they show (see `_render_line`): (line number, node id, strip).
        self._drawn: dict[tuple[object, ...], tuple[int, int, Strip]] = {}

    # -- building ------------------------------------------------------------------------

    def show(self, view: PlanView, selection: Selection | None) -> None:
        """Show `view`'s plan, with the cursor on `selection`."""
        # Each node added or removed asks Textual for a repaint of the whole tree: one for
        # the lot, once they are all in.
        self._adding = True
        try:
            self._show(view, selection)
        finally:
            self._adding = False
            if self._repaint_due:
                self._repaint_due = False
                self.refresh()

    def _show(self, view: PlanView, selection: Selection | None) -> None:
        plan = view.plan
        layout = tuple((g.id, g.kind) for g in plan.groups)
        if self._view is None or layout != self._layout:
            self._rebuild(view)
        else:
            self._update(view)
        self._layout = layout
        self._view = view
        self._refresh_kind_labels(plan)
        if selection is not None:
            self.reveal(selection)

    def _rebuild(self, view: PlanView) -> None:
        plan = view.plan
        self.clear()
        self._kind_nodes.clear()
        self._group_nodes.clear()
        self._signatures.clear()
        expand = len(plan.units) <= EXPAND_UP_TO
        pins = self._pins_by_group(plan)
        for group in plan.groups:
            if group.kind not in self._kind_nodes:
                self._kind_nodes[group.kind] = self.root.add("", data=None, expand=True)
            node = self._kind_nodes[group.kind].add("", data=Selection(Kind.GROUP, group.id))
            self._group_nodes[group.id] = node
            group_pins = pins.get(group.id, ())
            self._fill_group(view, group, node, self._signature(view, group, group_pins))
            if expand:
                node.expand()
        self._unplaced = self.root.add("", data=None, expand=True)
        self._fill_unplaced(view)

    def _update(self, view: PlanView) -> None:
        pins = self._pins_by_group(view.plan)
        for group in self._maybe_changed(view):
            signature = self._signature(view, group, pins.get(group.id, ()))
            if self._signatures.get(group.id) != signature:
                self._fill_group(view, group, self._group_nodes[group.id], signature)
        self._fill_unplaced(view)

    def _maybe_changed(self, view: PlanView) -> Iterable[Group]:
        """The groups whose signature may differ from the one drawn: with the same units and
        pins as the plan shown, only a group replaced by the edit or one where some violation
        came or went (working out 430 signatures took a quarter of an edit on 3,300 units)."""
        shown, plan = self._view, view.plan
        if shown is None or shown.plan.units is not plan.units or shown.plan.pins is not plan.pins:
            return plan.groups
        before = shown.plan.group_by_id
        changed = {group.id for group in plan.groups if before.get(group.id) is not group}
        for subject in shown.flagged ^ view.flagged:
            if subject in plan.group_by_id:
                changed.add(subject)
            changed.update(plan.groups_of_unit.get(subject, ()))
        return [group for group in plan.groups if group.id in changed]

    @staticmethod
    def _pins_by_group(plan: Plan) -> dict[str, tuple[Pin, ...]]:
        found: dict[str, list[Pin]] = {}
        for pin in plan.pins:
            found.setdefault(pin.group, []).append(pin)
        return {group: tuple(pins) for group, pins in found.items()}

    @staticmethod
    def _signature(view: PlanView, group: Group, pins: tuple[Pin, ...]) -> object:
        """What a group's part of the tree depends on: the group itself, its pins, its
        members' names, and which of it and its members some violation names."""
        flags = tuple(m in view.flagged for m in (group.id, *group.members))
        units = tuple(view.plan.unit_by_id.get(m) for m in group.members)
        return (group, pins, flags, units)

    def _fill_group(self, view: PlanView, group: Group, node: Node, signature: object) -> None:
        plan = view.plan
        self._signatures[group.id] = signature
        flagged = group.id in view.flagged or any(m in view.flagged for m in group.members)
        label = Text.assemble(
            *self._warning(flagged),
            (group.name, "bold"),
            ("  " + _("{count} units").format(count=len(group.members)), "dim"),
        )
        _relabel(node, label)
        node.remove_children()
        pinned = {p.subject for p in plan.pins if p.group == group.id and p.unit is not None}
        for member in group.members:
            unit = plan.unit_by_id[member]
            parts: list[tuple[str, str]] = [*self._warning(member in view.flagged), (unit.name, "")]
            if member == group.chair:
                parts.append(("  " + chair_word(group.kind), "italic"))
            if member == group.deputy:
                parts.append(("  " + deputy_word(group.kind), "italic"))
            if member in pinned:
                parts.append(("  [" + _("pinned") + "]", "dim"))
            node.add_leaf(Text.assemble(*parts), data=Selection(Kind.UNIT, member))

    def _fill_unplaced(self, view: PlanView) -> None:
        node = self._unplaced
        if node is None:
            return
        plan = view.plan
        unplaced = [u for u in plan.units if not plan.groups_of_unit.get(u.id)]
        signature = tuple((u, u.id in view.flagged) for u in unplaced)
        if self._signatures.get("\0unplaced") == signature:
            return
        self._signatures["\0unplaced"] = signature
        node.remove_children()
        for unit in unplaced:
            node.add_leaf(
                Text.assemble(*self._warning(unit.id in view.flagged), unit.name),
                data=Selection(Kind.UNIT, unit.id),
            )
        _relabel(
            node,
            Text.assemble(
                (_("In no group"), "bold"),
                ("  " + _("{count} units").format(count=len(unplaced)), "dim"),
            ),
        )
        node.allow_expand = bool(unplaced)

    def _refresh_kind_labels(self, plan: Plan) -> None:
        counts: dict[str, int] = {}
        for group in plan.groups:
            counts[group.kind] = counts.get(group.kind, 0) + 1
        for kind, node in self._kind_nodes.items():
            _relabel(
                node,
                Text.assemble(
                    (kind_label(kind), "bold"),
                    ("  " + _("{count} groups").format(count=counts.get(kind, 0)), "dim"),
                ),
            )

    def get_label_width(self, node: Node) -> int:
        """The width `render_label` would give, without drawing the label: Textual asks it for
        every line of the tree after each change (to size the scroll area), and drawing 700
        labels took 20 ms of each edit on a plan of 3,300 units."""
        label, expandable, expanded = node.label, node.allow_expand, node.is_expanded
        # Kept per node while its label object and state stay: an edit relabels a few nodes,
        # and the scroll area is sized again from every line (a tenth of an edit on 3,300).
        known = self._widths.get(node._id)
        if known is not None and known[0] is label and known[1:3] == (expandable, expanded):
            return known[3]
        icon = ""
        if expandable:
            icon = self.ICON_NODE_EXPANDED if expanded else self.ICON_NODE
        width = cell_len(icon) + (label.cell_len if isinstance(label, Text) else cell_len(label))
        if len(self._widths) > 2 * len(self._tree_nodes) + 1000:
            self._widths.clear()  # removed nodes' widths
        self._widths[node._id] = (label, expandable, expanded, width)
        return width

    # -- drawing -------------------------------------------------------------------------

    def _invalidate(self) -> None:
        """Textual's, without the layout it asks for: the tree's own size never depends on its
        lines (its scroll area does, and setting that asks for a layout when it changes).
        An edit that refills a group then repaints the tree instead of laying out the whole
        screen again."""
        self._clear_line_cache()
        self._updates += 1
        self.root._reset()
        if self._adding:
            self._repaint_due = True
        else:
            self.refresh()

    def _refresh_node(self, node: Node) -> None:
        """Textual's repaints a relabelled node's lines one by one (a group and its members);
        they follow each other, so here they are one region."""
        top = self.scroll_offset.y
        visible = self._tree_lines[top : top + self.size.height]
        shown = [y for y, line in enumerate(visible) if node in line.path]
        if shown:
            self.refresh(Region(0, shown[0], self.size.width, shown[-1] - shown[0] + 1))

    def notify_style_update(self) -> None:
        self._drawn.clear()  # a new theme or state: every line is drawn again
        super().notify_style_update()

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """Textual's line, drawn again only when what it shows changed.

        Textual keeps a tree's drawn lines until any node is added or removed; each edit
        refills a group or two, and every line on screen was drawn again (a third of an
        edit's redraw). Here a line is kept by what it shows: its label, its node's state,
        its guides, the cursor and hover, the widget's size and style. A line that only
        moved (a unit left a group above it) or whose node was rebuilt with the same label
        is the kept one with its position and node id, which mouse clicks read from the
        line, written in again."""
        lines = self._tree_lines
        if y >= len(lines):
            return super()._render_line(y, x1, x2, base_style)
        line = lines[y]
        node = line.node
        key = self._line_key(line, y, x1, x2, base_style)
        kept = self._drawn.get(key)
        if kept is not None:
            drawn_y, drawn_id, strip = kept
            if drawn_y != y or drawn_id != node._id:
                strip = _moved(strip, y, node._id)
        else:
            strip = super()._render_line(y, x1, x2, base_style)
            if len(self._drawn) >= LINES_KEPT:
                self._drawn.clear()
        self._drawn[key] = (y, node._id, strip)
        return strip

    def _line_key(
        self, line: _TreeLine[Selection | None], y: int, x1: int, x2: int, base_style: Style
    ) -> tuple[object, ...]:
        """Everything Textual's `_render_line` reads to draw `line` at `y`, but `y` itself and
        the node's id (which `_moved` writes in)."""
        path = line.path
        node = path[-1]
        label = node._label
        hover = self.hover_line
        return (
            tuple((n._hover, n._selected, n.is_last) for n in path),
            label.plain,
            tuple(label.spans),
            label.style,
            node._allow_expand,
            node._expanded,
            line.last,
            hover >= 0 and any(n._hover for n in path),
            hover == y,
            self.cursor_line == y,
            self.has_focus,
            self.size.width,
            self.virtual_size.width,
            x1,
            x2,
            self._pseudo_class_state,
            base_style,
            self.show_guides,
            self.guide_depth,
            self.app.theme,
        )

    def _warning(self, flagged: bool) -> list[tuple[str, str]]:
        if not flagged:
            return []
        return [("⚠ ", f"bold {self.app.current_theme.error or 'red'}")]

    # -- the cursor ----------------------------------------------------------------------

    def node_for(self, selection: Selection) -> Node | None:
        if selection.kind is Kind.GROUP:
            return self._group_nodes.get(selection.id)
        if selection.kind is not Kind.UNIT or self._view is None:
            return None
        group = self._view.plan.group_of(selection.id)
        parent = self._group_nodes.get(group) if group is not None else self._unplaced
        if parent is None:
            return None
        return next((n for n in parent.children if n.data == selection), None)

    def reveal(self, selection: Selection) -> None:
        """Put the cursor on `selection`, opening its group; done after the next refresh,
        once the tree has laid out the lines of nodes just added."""
        node = self.node_for(selection)
        if node is None:
            return
        if node.parent is not None:
            node.parent.expand()
        self._pending = selection
        self.call_after_refresh(self._move_to_pending)

    def _move_to_pending(self) -> None:
        selection, self._pending = self._pending, None
        if selection is None:
            return
        node = self.node_for(selection)
        if node is not None and self.cursor_node is not node:
            self.move_cursor(node)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Selection | None]) -> None:
        event.stop()
        self.post_message(SelectionChanged(event.node.data))

    def on_focus(self) -> None:
        """Coming back to the tree (from the staff tab) selects what its cursor is on again."""
        if self.cursor_node is not None:
            self.post_message(SelectionChanged(self.cursor_node.data))


def _moved(strip: Strip, y: int, node: int) -> Strip:
    """A drawn tree line with the line number and node id in its segments' metadata (what
    a click or a hover reads) set to `y` and `node`; the rest as drawn."""
    line = Style.from_meta({"line": y})
    both = Style.from_meta({"line": y, "node": node})
    segments = []
    for text, style, control in strip:
        if style is not None and style._meta:
            meta = style.meta
            if "node" in meta:
                style = style + both
            elif "line" in meta:
                style = style + line
        segments.append(Segment(text, style, control))
    return Strip(segments, strip.cell_length)


def _relabel(node: Node, label: Text) -> None:
    """Set a node's label unless it already reads so: each new label repaints the node's
    lines, and most edits leave most labels as they were."""
    if node.label != label:
        node.set_label(label)
