"""The process tree as /proc shows it (Linux): what the kill tests use to see a build's workers
and to check that none of them outlives it."""
from __future__ import annotations

import os
from pathlib import Path

HAS_PROC = Path("/proc/self/stat").exists()


def stat(pid: int) -> tuple[str, int, int, int] | None:
    """(state, parent, CPU ticks, start time) of a live process; None once it is gone or a zombie."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # the name, in brackets, may hold spaces
    if fields[0] in ("Z", "X"):
        return None
    return fields[0], int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[19])


def descendants(root: int) -> dict[int, tuple[str, int, int, int]]:
    """Every live process below ``root``, by pid."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (info := stat(int(entry))) is not None:
            table[int(entry)] = info
    found, frontier = {}, {root}
    while frontier:
        frontier = {pid for pid, info in table.items() if info[1] in frontier and pid not in found}
        found.update({pid: table[pid] for pid in frontier})
    return found


def still_alive(tree: dict[int, tuple[str, int, int, int]]) -> dict[int, tuple[str, int, int, int]]:
    """The processes of ``tree`` still running (the same process: a reused pid does not count)."""
    return {pid: info for pid, info in tree.items() if (now := stat(pid)) and now[3] == info[3]}
