"""Plan files: TOML in through tomli (tomllib compiled) and a cattrs converter, out through tomlkit.

Saving merges the plan into the file's existing TOML document, so a planner's comments,
key order and layout survive; writes are atomic (temporary file, flush, fsync, rename).

`convert` holds the converter, `inputs` reads any input file, `reading` loads plans and
`writing` saves them (`emit` a new file, `layout`, `patch` and `merge` over an old one).
"""

from __future__ import annotations

from thidua.files.convert import converter
from thidua.files.inputs import decode_input, read_input, same_file
from thidua.files.reading import ReferenceProblem, load, loads, reference_problems
from thidua.files.writing import atomic_write, dumps, save, save_seconds, unstructure

__all__ = [
    "ReferenceProblem",
    "atomic_write",
    "converter",
    "decode_input",
    "dumps",
    "load",
    "loads",
    "read_input",
    "reference_problems",
    "same_file",
    "save",
    "save_seconds",
    "unstructure",
]
