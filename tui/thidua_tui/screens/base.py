"""Screens whose key bindings read in the interface language.

Binding descriptions are i18n keys; the footer and the help screen read them through
`active_bindings`, so translating there covers the app's bindings and the screen's alike.
"""

from __future__ import annotations

from textual.binding import ActiveBinding
from textual.screen import ModalScreen, Screen, ScreenResultType

from thidua_tui.i18n import localise_binding, translate

__all__ = ["LocalisedModal", "LocalisedScreen", "localised"]


def localised(bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """The bindings translated, with quitting moved last: the footer lists keys in this order,
    and Textual's own quit binding would otherwise come first."""
    ordered = sorted(bindings.items(), key=lambda item: item[1].binding.action == "quit")
    return {
        key: active._replace(
            binding=localise_binding(active.binding),
            tooltip=translate(active.tooltip),
        )
        for key, active in ordered
    }


class LocalisedScreen(Screen[ScreenResultType]):
    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return localised(super().active_bindings)


class LocalisedModal(ModalScreen[ScreenResultType]):
    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return localised(super().active_bindings)
