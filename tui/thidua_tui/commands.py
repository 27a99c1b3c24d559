"""The command palette's commands: every action of the app that applies right now.

Titles are the longer descriptions of the key bindings, in the interface language; matching
ignores diacritics, so "chuyen" finds "Chuyển đơn vị".
"""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from thidua.text import fold

__all__ = ["PlanCommands"]


class PlanCommands(Provider):
    def _commands(self) -> list[tuple[str, str, str]]:
        """(title, key, action) for each enabled binding of the app, once per action."""
        app = self.app
        found: dict[str, tuple[str, str, str]] = {}
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if active.node is not app or not active.enabled or binding.action in found:
                continue
            title = active.tooltip or binding.description
            found[binding.action] = (title, app.get_key_display(binding), binding.action)
        return list(found.values())

    async def discover(self) -> Hits:
        for title, key, action in self._commands():
            yield DiscoveryHit(title, partial(self.app.run_action, action), help=key)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(fold(query))
        for title, key, action in self._commands():
            score = matcher.match(fold(title))
            if score > 0:
                yield Hit(
                    score, Text(title), partial(self.app.run_action, action), text=title, help=key
                )
