"""The core is headless: importing it loads neither Textual nor the interface, nor OR-Tools
before a solve; and no module of `src/` imports itself back through others.

The layers between packages are import-linter's contracts (pyproject.toml, `lint-imports`).
"""

from __future__ import annotations

import subprocess
import sys

import grimp
import networkx as nx
import pytest

# Every part of the core a program may import on its own.
CORE_MODULES = (
    "thidua",
    "thidua.cli",
    "thidua.documents",
    "thidua.edits",
    "thidua.files",
    "thidua.rules",
    "thidua.solver",
    "thidua.terms",
)


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in done.stdout.split()}


@pytest.mark.parametrize("module", CORE_MODULES)
def test_importing_the_core_loads_no_textual(module: str) -> None:
    modules = loaded_after(f"import {module}")
    assert "thidua" in modules
    assert "textual" not in modules
    assert "thidua_tui" not in modules


def test_import_thidua_does_not_load_the_solver_backend() -> None:
    assert "ortools" not in loaded_after("import thidua, thidua.rules, thidua.terms, thidua.edits")


def test_the_rules_never_load_the_solver() -> None:
    modules = loaded_after("import thidua.rules.registry, thidua.rules.encoder, thidua.terms")
    assert "ortools" not in modules


def test_src_has_no_import_cycle() -> None:
    """Every import (at the top, in a function, or for type checking only) of one module of
    `thidua` by another, as a graph: it has no cycle."""
    graph = grimp.build_graph("thidua")
    imports: nx.DiGraph[str] = nx.DiGraph()
    for module in graph.modules:
        imports.add_node(module)
        for imported in graph.find_modules_directly_imported_by(module):
            imports.add_edge(module, imported)
    assert imports.number_of_edges() > 100  # the graph really was read
    try:
        cycle = nx.find_cycle(imports)
    except nx.NetworkXNoCycle:
        return
    pytest.fail(f"import cycle: {' -> '.join(edge[0] for edge in cycle)}")
