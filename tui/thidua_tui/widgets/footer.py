"""The footer: the keys that fit, the most useful first kept, rebuilt once per change."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["KeysFooter"]


def key_width(key: FooterKey) -> int:
    """The columns a compact footer key takes: its key, a space and its description."""
    description = 1 + cell_len(key.description) if key.description else 0
    return cell_len(key.key_display) + description


class KeysFooter(Footer):
    """A compact footer that shows only the keys it has room for.

    Textual's footer lays its keys out in a row that overflows under the command palette's
    key, docked on the right, on a narrow terminal (at 80 columns, "F1 Help" disappeared but
    for one letter). This one leaves out the least useful keys until the rest fit, the order
    of usefulness given by `keep` (actions, most useful first; actions it does not name go
    first); every key stays listed in the help screen (F1) and works as before.

    Textual also rebuilds the footer once per change of the keys, and several changes come
    at once (a plan opened, a selection, a focus): here they make one rebuild.
    """

    def __init__(self, keep: Sequence[str] = (), *, id: str | None = None) -> None:
        super().__init__(compact=True, id=id)
        self.keep = tuple(keep)
        self._rebuild_due = False
        self._composed_width = 0
        self._composed_keys: tuple[int, tuple[tuple[str, str, str, bool, str], ...]] | None = None

    def compose(self) -> ComposeResult:
        self._composed_keys = self._shown_keys() if self._bindings_ready else None
        items = list(super().compose())
        self._composed_width = width = self.app.size.width
        keys = [item for item in items if isinstance(item, FooterKey)]
        if len(keys) != len(items):
            yield from items  # groups of keys: left as Textual lays them out
            return
        docked = [key for key in keys if key.has_class("-command-palette")]
        # A docked key has a border on its left and, as every other key, a space on its right.
        room = width - sum(key_width(key) + 2 for key in docked)
        row = [key for key in keys if key not in docked]
        shown = set(row)
        for key in sorted(row, key=self._drop_order):
            if sum(key_width(k) + 1 for k in row if k in shown) <= room:
                break
            shown.discard(key)
        yield from (key for key in keys if key in shown or key in docked)

    def _drop_order(self, key: FooterKey) -> int:
        """Lower goes first: actions `keep` does not name, then the least useful."""
        keep = self.keep
        return len(keep) - keep.index(key.action) if key.action in keep else 0

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Textual's, but the rebuilds asked for before the next frame make one."""
        self._bindings_ready = True
        if not screen.app.app_focus or self._rebuild_due:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_due = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_due = False
        shown = self._shown_keys()
        if shown == self._composed_keys:
            return
        if _without_states(shown) == _without_states(self._composed_keys):
            # Only keys' enabled states changed (undo became possible after the first edit):
            # each key is set as composing it would set it, without rebuilding the footer
            # and laying the screen out again twice.
            enabled = {(key, action): state for key, action, _, state, _ in shown[1]}
            for key in self.query(FooterKey):
                state = enabled.get((key.key, key.action))
                if state is not None and key._disabled == state:
                    key._disabled = not state
                    key.set_class(not state, "-disabled")
            self._composed_keys = shown
            return
        await self.recompose()

    def _shown_keys(self) -> tuple[int, tuple[tuple[str, str, str, bool, str], ...]]:
        """What the footer would show: its width, and each key shown with its state (a change
        of focus often leaves them as they were, and then nothing needs rebuilding)."""
        bindings = self.screen.active_bindings.values()
        shown = tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for (_node, binding, enabled, tooltip) in bindings
            if binding.show or binding.action == "command_palette"
        )
        return (self.app.size.width, shown)

    def on_resize(self, event: events.Resize) -> None:
        """A new width may fit more keys, or fewer."""
        if self._bindings_ready and event.size.width != self._composed_width:
            self.bindings_changed(self.screen)


def _without_states(
    shown: tuple[int, tuple[tuple[str, str, str, bool, str], ...]] | None,
) -> object:
    """What the footer shows but the keys' enabled states: which keys, and where."""
    if shown is None:
        return None
    width, keys = shown
    return (width, tuple((key, action, text, tip) for key, action, text, _, tip in keys))
