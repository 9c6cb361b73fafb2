"""CPU time per request by process group, read from /proc (Linux): the load client (this
process), gunicorn (master and workers) and PostgreSQL (every server process on this
machine). A throughput ratio says how much slower an endpoint is; this says where the
CPU goes — on a machine with two CPUs shared by all three, the same thing.

Elsewhere (no /proc) every snapshot is empty and nothing is reported.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

PROC = Path("/proc")
GROUPS = ("client", "gunicorn", "postgres")


def snapshot() -> dict[int, tuple[str, float]]:
    """Every process of a group with its CPU seconds so far (user + system)."""
    if not PROC.is_dir():
        return {}
    ticks = os.sysconf("SC_CLK_TCK")
    found: dict[int, tuple[str, float]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        group = _group(pid, command)
        if group:
            found[pid] = (group, (int(fields[11]) + int(fields[12])) / ticks)
    return found


def _group(pid: int, command: str) -> str:
    if pid == os.getpid():
        return "client"
    if "gunicorn" in command:
        return "gunicorn"
    if command.startswith("postgres:") or "/bin/postgres" in command:
        return "postgres"
    return ""


def per_request(before: dict, after: dict, requests: int) -> dict[str, float]:
    """Milliseconds of CPU per request by group between two snapshots. A process that
    ended in between (a recycled worker) is missing from ``after`` and its last share is
    lost; one that started counts from zero."""
    if not before or not after or requests <= 0:
        return {}
    spent: Counter[str] = Counter()
    for pid, (group, seconds) in after.items():
        earlier = before.get(pid)
        spent[group] += seconds - (earlier[1] if earlier and earlier[0] == group else 0.0)
    figures = {group: round(1000 * spent[group] / requests, 2) for group in GROUPS}
    figures["total"] = round(sum(figures.values()), 2)
    return figures


def describe(figures: dict[str, float]) -> str:
    if not figures:
        return "CPU per request: not measured (no /proc)"
    parts = ", ".join(f"{group} {figures[group]:.2f}" for group in GROUPS)
    return f"CPU per request {figures['total']:.2f} ms ({parts})"
