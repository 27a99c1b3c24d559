"""`kill -9` at random moments during saves (issue 10): the target is always the old plan or
the new one, never a mix, and the next save leaves no temporary file behind.

Each trial forks this process (thidua already imported, so a trial costs milliseconds), lets the
child save alternately two plans over the target, and kills it after a random delay.
"""

from __future__ import annotations

import os
import random
import signal
import stat
import sys
import time
from pathlib import Path

import attrs
import pytest

from thidua.files import dumps, load, loads, save
from thidua.model import Group, Plan, Role, Staff, Unit

TRIALS = 200


def _plan(units: int, title: str) -> Plan:
    unit_list = [Unit(f"u-{i}", f"Đơn vị {i}", "commune") for i in range(units)]
    groups = [
        Group(
            f"cum-{start}",
            f"Cụm {start}",
            "commune",
            tuple(unit.id for unit in unit_list[start : start + 8]),
            chair=unit_list[start].id,
        )
        for start in range(0, units, 8)
    ]
    staff = [Staff("l-1", "Lãnh đạo", Role.LEADER)]
    return Plan(year=2026, title=title, units=unit_list, staff=staff, groups=groups)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the trials fork")
def test_kill_9_during_saves_never_leaves_a_broken_target(tmp_path: Path) -> None:
    old = _plan(400, "Kế hoạch cũ")
    new = attrs.evolve(old, title="Kế hoạch mới")
    target = tmp_path / "plan.toml"
    save(old, target)
    # A layout the saves merge into, so that kills land in tomlkit's work and in the write.
    with target.open("a", encoding="utf-8") as handle:
        handle.write("# a planner's note\n")
    target.chmod(0o640)
    # What the target holds after a complete save of each plan over that layout.
    save(new, target)
    new_text = target.read_bytes()
    # Kills land within about five saves' time, however fast this machine saves.
    start = time.perf_counter()
    save(old, target)
    window = 5 * (time.perf_counter() - start)
    old_text = target.read_bytes()
    assert loads(old_text.decode()) == old
    assert loads(new_text.decode()) == new
    seen: dict[str, int] = {"old": 0, "new": 0}
    left_over = 0
    chooser = random.Random(20261130)
    current = old
    for _trial in range(TRIALS):
        child = os.fork()
        if child == 0:  # the child: save until killed, the other plan first
            try:
                plans = (new, old) if current == old else (old, new)
                for index in range(1_000_000):
                    save(plans[index % 2], target)
            finally:
                os._exit(0)
        time.sleep(chooser.uniform(0, window))
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        # Never a half-written file: byte for byte what one complete save writes (checked
        # above to load as its plan), a check stricter than loading it and cheaper too.
        text = target.read_bytes()
        assert text in (old_text, new_text)
        current = old if text == old_text else new
        seen["old" if current == old else "new"] += 1
        left_over += sum(1 for p in tmp_path.iterdir() if p.name.startswith(".plan.toml."))
    save(old, target)
    assert [p.name for p in tmp_path.iterdir()] == ["plan.toml"]
    assert load(target) == old
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    # The kills landed in different places: both plans were found, and some saves were cut
    # before their rename (a temporary file was left for the next save to clear).
    assert seen["old"] > 0
    assert seen["new"] > 0
    sys.stdout.write(f"kill trials: {TRIALS}, {seen}, temporary files left by kills: {left_over}\n")
    assert dumps(old)
