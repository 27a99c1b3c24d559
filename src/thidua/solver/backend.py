"""OR-Tools' CP-SAT module, loaded when a model is first built, and without pandas.

The solver's modules take `cp_model` from here: a stand-in that imports the real module at
its first use. A solve whose starting plan is proven optimal by its bounds builds no model,
and skips the import (numpy and CP-SAT's library: about 0.25 s of CPU).

The module itself imports pandas (about 0.4 s of CPU, more than loading a plan of
7,000 units) for its pandas helpers (`new_bool_var_series`, `CpSolver.values` and the like),
which thidua never calls. Its functions look pandas up only when they run, and its module body
uses two of its names in annotations. So while the module is imported, `pandas` names a
placeholder whose every attribute is an empty class, and the module's `pd` is then a proxy
that imports the real pandas on first use: the pandas helpers still work for whoever calls
them. Should an OR-Tools release need more of pandas at import, the import is simply done
again the ordinary way. The placeholder is in `sys.modules` only during that import (a tenth
of a second, under a lock): nothing thidua runs alongside a solve imports pandas.
"""

from __future__ import annotations

import importlib
import sys
import threading
import types
from typing import TYPE_CHECKING, Any

__all__ = ["cp_model", "load_cp_model"]

CP_MODEL = "ortools.sat.python.cp_model"
_LOCK = threading.Lock()


class _Placeholder(types.ModuleType):
    """Stands for pandas while cp_model is imported: each attribute an empty class."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        placeholder = type(name, (), {"__module__": "pandas"})
        setattr(self, name, placeholder)
        return placeholder


class _LazyPandas(types.ModuleType):
    """cp_model's `pd` once imported: the real pandas, imported at the first attribute asked."""

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module("pandas"), name)


def load_cp_model() -> types.ModuleType:
    """`ortools.sat.python.cp_model`, imported without pandas unless pandas is loaded already."""
    loaded = sys.modules.get(CP_MODEL)
    if loaded is not None:
        return loaded
    if "pandas" in sys.modules:
        return importlib.import_module(CP_MODEL)
    with _LOCK:
        loaded = sys.modules.get(CP_MODEL)
        if loaded is not None:
            return loaded
        placeholder = _Placeholder("pandas")
        sys.modules["pandas"] = placeholder
        try:
            module = importlib.import_module(CP_MODEL)
        except Exception:  # an OR-Tools that needs more of pandas at import: the usual way
            sys.modules.pop(CP_MODEL, None)
            module = None
        finally:
            if sys.modules.get("pandas") is placeholder:
                del sys.modules["pandas"]
        if module is None:
            return importlib.import_module(CP_MODEL)
        vars(module)["pd"] = _LazyPandas("pandas")
        return module


class _LazyCpModel(types.ModuleType):
    """`cp_model` until first used: then the module itself, loaded by `load_cp_model`."""

    def __getattr__(self, name: str) -> Any:
        value = getattr(load_cp_model(), name)
        setattr(self, name, value)  # asked again, found without this detour
        return value


if TYPE_CHECKING:
    from ortools.sat.python import cp_model as cp_model
else:
    cp_model = _LazyCpModel(CP_MODEL)
