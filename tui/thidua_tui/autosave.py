"""Unsaved edits kept on disk while the planner works, offered back after a crash or a kill.

One autosave per plan file (and one for a plan not yet saved anywhere), in the user's state
directory, never beside the plan: the planner's own files are written only when they save.
An autosave is a plan file like any other, with a first comment line naming the file it
stands for; it is written atomically (a reader sees the old one or the new one) and removed
when the plan is saved or the planner quits on purpose.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from pathlib import Path

import attrs

from thidua.files import dumps, load
from thidua.model import Plan

__all__ = ["Autosave", "autosave_dir", "remove", "slot_for", "write"]

_HEADER = "# thidua autosave of: "
_UNTITLED = "(unsaved)"


def autosave_dir() -> Path:
    """Where autosaves live: $THIDUA_AUTOSAVE_DIR, else $XDG_STATE_HOME/thidua/autosave, else
    ~/.local/state/thidua/autosave."""
    chosen = os.environ.get("THIDUA_AUTOSAVE_DIR")
    if chosen:
        return Path(chosen)
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "thidua" / "autosave"


def slot_for(source: Path | None, directory: Path | None = None) -> Path:
    """The autosave file for the plan file `source` (None: a plan not saved yet). The name
    keeps the file's stem, for a person looking in the folder, and a digest of its full path,
    so that two plans of the same name in different folders do not share one."""
    folder = directory if directory is not None else autosave_dir()
    if source is None:
        return folder / "untitled.toml"
    full = str(source.resolve())
    digest = hashlib.sha256(full.encode("utf-8")).hexdigest()[:12]
    return folder / f"{source.stem}-{digest}.toml"


@attrs.frozen
class Autosave:
    """An autosave found on disk: where it is, the plan file it stands for, when it was made."""

    path: Path
    source: Path | None
    saved_at: dt.datetime

    @classmethod
    def find(cls, source: Path | None, directory: Path | None = None) -> Autosave | None:
        """The autosave of `source`, if there is one."""
        path = slot_for(source, directory)
        try:
            first = path.read_text(encoding="utf-8").partition("\n")[0]
            stamp = path.stat().st_mtime
        except (OSError, UnicodeDecodeError):
            return None
        named = first.removeprefix(_HEADER) if first.startswith(_HEADER) else _UNTITLED
        return cls(
            path,
            None if named == _UNTITLED else Path(named),
            dt.datetime.fromtimestamp(stamp),  # local time, as shown to the planner
        )

    def load(self) -> Plan:
        """The plan it holds; a damaged autosave raises the usual `ThiduaError`."""
        return load(self.path)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def write(plan: Plan, source: Path | None, directory: Path | None = None) -> Path:
    """Keep `plan` as the autosave of `source`, atomically; returns the file written."""
    path = slot_for(source, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    named = str(source.resolve()) if source is not None else _UNTITLED
    text = f"{_HEADER}{named}\n{dumps(plan)}"
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, before the rename)
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    )
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except OSError:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return path


def remove(source: Path | None, directory: Path | None = None) -> None:
    """Drop the autosave of `source`, once its edits are saved or given up on purpose."""
    slot_for(source, directory).unlink(missing_ok=True)
