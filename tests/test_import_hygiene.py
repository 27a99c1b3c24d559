"""The core is headless: `import thidua` loads neither Textual nor the interface, nor OR-Tools."""

from __future__ import annotations

import subprocess
import sys


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in done.stdout.split()}


def test_import_thidua_loads_no_textual() -> None:
    modules = loaded_after("import thidua, thidua.files, thidua.rules, thidua.cli")
    assert "thidua" in modules
    assert "textual" not in modules
    assert "thidua_tui" not in modules


def test_import_thidua_does_not_load_the_solver_backend() -> None:
    assert "ortools" not in loaded_after("import thidua")
