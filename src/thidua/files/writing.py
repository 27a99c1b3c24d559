"""Writing plan files: new ones as text (`emit`), over old ones keeping their layout (`layout`,
then `merge`), always atomically.

Merging keeps a planner's comments, key order and layout; a write goes to a temporary file,
is flushed and synced, then renamed over the target (through a symlink, keeping the mode).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import tomlkit

from thidua.errors import PlanFileError
from thidua.files.convert import SECTIONS, converter
from thidua.files.emit import emit_document
from thidua.files.inputs import decode_input, read_input
from thidua.files.layout import cuts_into_tables, merge_blocks
from thidua.files.merge import merge_document
from thidua.i18n import _
from thidua.model import Plan

__all__ = ["atomic_write", "dumps", "save", "save_seconds", "unstructure"]


def unstructure(plan: Plan) -> dict[str, Any]:
    """The plan as plain TOML-ready data, leaving out what equals its default."""
    data: dict[str, Any] = converter.unstructure(plan)
    for group, table in zip(plan.groups, data.get("groups", []), strict=True):
        table["members"] = list(group.members)  # an empty group still says so
    return data


# Every field, defaults included: a key the planner wrote out stays written out.
_full_converter = converter.copy(omit_if_default=False)


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(item) for item in value]
    return value


def dumps(plan: Plan, template: str | None = None) -> str:
    """The plan as TOML text; with `template`, that text's comments and layout are kept."""
    data = unstructure(plan)
    if not template:
        return emit_document(data, _TABLE_ARRAYS)

    def full_item(section: str, index: int) -> Mapping[str, Any]:
        item: Mapping[str, Any] = _without_none(
            _full_converter.unstructure(getattr(plan, section)[index])
        )
        return item

    def full_rest() -> Mapping[str, Any]:
        bare = attrs.evolve(plan, units=(), staff=(), groups=(), pins=(), results=())
        rest: Mapping[str, Any] = _without_none(_full_converter.unstructure(bare))
        return rest

    try:
        fast = merge_blocks(template, data, _TABLE_ARRAYS, full_item, full_rest)
        if fast is not None:
            return fast
        document = tomlkit.parse(template)
        merge_document(document, data, _without_none(_full_converter.unstructure(plan)))
        return tomlkit.dumps(document)
    except (tomlkit.exceptions.TOMLKitError, RecursionError) as error:
        reason = str(error) if isinstance(error, tomlkit.exceptions.TOMLKitError) else ""
        raise PlanFileError(
            "<template>",
            _("the layout to keep is not TOML a plan can be merged into {reason}")
            .format(reason=f"({reason})" if reason else "")
            .strip(),
        ) from None


_TABLE_ARRAYS = frozenset(name for name, _cls, _id in SECTIONS)


def save(
    plan: Plan, path: str | os.PathLike[str], *, template: str | os.PathLike[str] | None = None
) -> None:
    """Write `plan` to `path` atomically, keeping the layout of `template` (default: `path`)."""
    path = Path(path)
    existing = _layout_text(Path(template) if template is not None else path)
    try:
        text = dumps(plan, existing)
    except PlanFileError:
        text = dumps(plan)  # the old layout cannot hold the new plan: write a clean file
    atomic_write(path, text)


# Seconds a save takes per table of the plan (unit, person, group, pin, result), measured as CPU
# time on the 100x and 200x bench plans over their drafts (bench/command_bench.py, a fresh
# process; 2026-11-30): 20-30 µs when the file is cut at its table headers (merge_blocks),
# 670 µs when tomlkit merges the whole document (a file with multi-line strings). Each is
# doubled: a machine busy with other work stretches the wall-clock time a limit counts.
_SECONDS_PER_TABLE = 6e-5
_SECONDS_PER_TABLE_WHOLE = 1.4e-3


def save_seconds(plan: Plan, template: str | os.PathLike[str] | None = None) -> float:
    """About how long, at most, `save(plan, path, template=template)` takes: what a command
    keeps back from its time limit for writing the plan."""
    tables = sum(len(getattr(plan, section)) for section in _TABLE_ARRAYS)
    text = _layout_text(Path(template)) if template is not None else None
    whole = text is not None and not cuts_into_tables(text)
    return tables * (_SECONDS_PER_TABLE_WHOLE if whole else _SECONDS_PER_TABLE)


def _layout_text(path: Path) -> str | None:
    """The text of the file whose layout a save keeps, or None: only a regular file of
    bounded size is read, and one that cannot be read is simply not a layout."""
    try:
        return decode_input(path, read_input(path))
    except PlanFileError:
        return None


# What tempfile adds after the prefix: eight of a-z, 0-9 and "_".
_TEMPORARY_TAIL = re.compile(r"^[a-z0-9_]{8}$")


def atomic_write(
    path: str | os.PathLike[str],
    content: str | bytes,
    *,
    error: type[PlanFileError] = PlanFileError,
) -> None:
    """Write `content` so that readers see the old file or the new one, never a half-written one.

    A symlink is written through (its target is replaced, the link stays); the target keeps its
    permission bits; temporary files a killed save left beside it are removed first.
    """
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    directory = path.parent if str(path.parent) else Path(".")
    _remove_leftovers(directory, path.name)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as failure:
        raise error(path, _("cannot write: {reason}").format(reason=failure.strerror)) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as failure:
        Path(temporary).unlink(missing_ok=True)
        raise error(path, _("cannot write: {reason}").format(reason=failure.strerror)) from None


def _umask() -> int:
    # The process umask can only be read by setting it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _remove_leftovers(directory: Path, name: str) -> None:
    """Remove `.NAME.xxxxxxxx` files: what a save of NAME killed before its rename left."""
    prefix = f".{name}."
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(prefix) and _TEMPORARY_TAIL.match(entry.name[len(prefix) :]):
            try:
                if entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)
            except OSError:
                pass  # another process's, or already gone: not ours to insist on
