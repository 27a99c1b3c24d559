"""The core is headless: importing it loads neither Textual nor the interface, nor OR-Tools
before a solve; and no module of `src/` imports itself back through others.

The layers between packages are import-linter's contracts (pyproject.toml, `lint-imports`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# What `thidua solve` never needs: the interface, documents, Office files, maps and geometry,
# and pandas (OR-Tools' CP-SAT module asks for it at import).
NEVER_FOR_SOLVE = (
    *("textual", "thidua_tui", "docx", "openpyxl", "plotly", "matplotlib", "shapely"),
    *("pandas", "thidua.documents", "thidua.maps"),
)
# What a solve that builds no model (its starting plan is at its bounds) and meets no border
# does not need either: CP-SAT, numpy, networkx.
NO_MODEL = ("ortools.sat", "numpy", "networkx")


def solve_command_modules(tmp_path: Path, *arguments: str) -> list[str]:
    """The modules the whole `thidua solve ... -o OUT` command loads, run as the script runs it."""
    output = tmp_path / "plan.toml"
    argv = ["solve", *arguments, "-o", str(output)]
    code = (
        "import contextlib, io, json, sys\n"
        "from thidua.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main({argv!r})\n"
        "print(json.dumps([code, sorted(sys.modules)]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    exit_code, loaded = json.loads(done.stdout.splitlines()[-1])
    assert exit_code == 0
    assert output.exists()
    assert isinstance(loaded, list)
    return loaded


def loaded_of(loaded: list[str], names: tuple[str, ...]) -> list[str]:
    return [m for m in loaded if any(m == n or m.startswith(f"{n}.") for n in names)]


def test_solve_imports_only_what_it_needs(tmp_path: Path) -> None:
    """The 2014 draft: its starting plan is proven optimal by its bounds, no model is built."""
    draft, previous = EXAMPLES / "hcmc-2014-draft.toml", EXAMPLES / "hcmc-2013.toml"
    loaded = solve_command_modules(tmp_path, str(draft), "--previous", str(previous))
    assert "thidua.solver.solve" in loaded  # the check would pass vacuously without a solve
    assert loaded_of(loaded, NEVER_FOR_SOLVE + NO_MODEL) == []
    # Of the command line, only the command asked for.
    assert [n for n in loaded if n.startswith("thidua.cli.")] == [
        "thidua.cli.argparse_words",
        "thidua.cli.common",
        "thidua.cli.solve",
    ]


def test_a_solve_building_a_model_loads_cp_sat_without_pandas(tmp_path: Path) -> None:
    """The 168 communes of 2026, grouped from scratch over their borders: models are built."""
    loaded = solve_command_modules(tmp_path, str(EXAMPLES / "hcmc-2026.toml"))
    assert "ortools.sat.python.cp_model" in loaded
    assert loaded_of(loaded, NEVER_FOR_SOLVE) == []


def test_cp_model_without_pandas_keeps_its_pandas_helpers() -> None:
    """CP-SAT loaded by the solver leaves pandas out, and its pandas helpers import it."""
    code = (
        "import sys\n"
        "import thidua.solver\n"
        "print('pandas' in sys.modules)\n"
        "import pandas\n"
        "from ortools.sat.python import cp_model\n"
        "model = cp_model.CpModel()\n"
        "literals = model.new_bool_var_series('x', pandas.Index([1, 2]))\n"
        "model.add(literals.sum() == 1)\n"
        "solver = cp_model.CpSolver()\n"
        "print(solver.solve(model) == cp_model.OPTIMAL, solver.boolean_values(literals).sum())"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True", "1"]


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
