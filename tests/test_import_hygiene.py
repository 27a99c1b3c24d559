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
# networkx (plans without borders), and pandas (OR-Tools' CP-SAT module asks for it at import).
NOT_FOR_SOLVE = (
    "textual",
    "thidua_tui",
    "docx",
    "openpyxl",
    "plotly",
    "matplotlib",
    "shapely",
    "networkx",
    "pandas",
)


def test_solve_imports_only_what_it_needs(tmp_path: Path) -> None:
    """The whole `thidua solve -o` command, run as the `thidua` script runs it."""
    output = tmp_path / "plan.toml"
    arguments = [
        "solve",
        str(EXAMPLES / "hcmc-2014-draft.toml"),
        "--previous",
        str(EXAMPLES / "hcmc-2013.toml"),
        "-o",
        str(output),
    ]
    code = (
        "import contextlib, io, json, sys\n"
        "from thidua.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main({arguments!r})\n"
        "print(json.dumps([code, sorted(sys.modules)]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    exit_code, loaded = json.loads(done.stdout.splitlines()[-1])
    assert exit_code == 0
    assert output.exists()
    packages = {name.split(".")[0] for name in loaded}
    assert "ortools" in packages  # the check would pass vacuously without a solve
    assert not packages & set(NOT_FOR_SOLVE)
    # Of thidua itself, only the command asked for and the core it runs on.
    assert not any(name.startswith(("thidua.documents", "thidua.maps")) for name in loaded)
    assert [n for n in loaded if n.startswith("thidua.cli.")] == [
        "thidua.cli.argparse_words",
        "thidua.cli.common",
        "thidua.cli.solve",
    ]


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
