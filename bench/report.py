"""Printing a target's figures as a table and keeping them as JSON in var/bench/."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from bench.measure import Row

COLUMNS = (
    ("endpoint", "<"),
    ("mode", "<"),
    ("n", ">"),
    ("non-2xx", ">"),
    ("median ms", ">"),
    ("p95 ms", ">"),
    ("p99 ms", ">"),
    ("req/s", ">"),
    ("median ×base", ">"),
    ("req/s ×base", ">"),
    ("goal", "<"),
)


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _cells(row: Row) -> list[str]:
    if row.skipped:
        return [row.endpoint, row.mode, "—", "—", "—", "—", "—", "—", "—", "—", row.skipped]
    s = row.summary
    non_2xx = s["requests"] - s.get("ok_2xx", s["answered"])
    median_ratio = "baseline" if row.baseline else _ratio(row.median_ratio)
    throughput_ratio = "baseline" if row.baseline else _ratio(row.throughput_ratio)
    return [
        row.endpoint,
        row.mode,
        str(s["requests"]),
        str(non_2xx),
        _ms(s.get("p50_ms")),
        _ms(s.get("p95_ms")),
        _ms(s.get("p99_ms")),
        f"{s['throughput_rps']:.0f}",
        median_ratio,
        throughput_ratio,
        row.goal,
    ]


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def table(rows: list[Row]) -> str:
    header = [name for name, _ in COLUMNS]
    body = [_cells(row) for row in rows]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(COLUMNS))]

    def line(cells: list[str]) -> str:
        parts = [
            cell.ljust(width) if align == "<" else cell.rjust(width)
            for cell, width, (_, align) in zip(cells, widths, COLUMNS, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    out = [line(header), rule]
    previous_mode = None
    for row, cells in zip(rows, body, strict=True):
        if previous_mode is not None and row.mode != previous_mode:
            out.append("")
        out.append(line(cells))
        previous_mode = row.mode
    return "\n".join(out)


def machine_lines(machine: dict) -> list[str]:
    memory = f"{machine['memory_gib']} GiB" if machine.get("memory_gib") else "unknown"
    lines = [
        f"machine: {machine['nproc']} CPU ({machine['cpu_model']}), {memory} memory, "
        f"{machine['os']}",
        f"software: Python {machine['python']}, Django {machine['django']}, "
        f"gunicorn {machine['gunicorn']}, {machine['database']}",
    ]
    if machine.get("load_average"):
        one, five, fifteen = machine["load_average"]
        lines.append(
            f"load average before the run: {one:.2f} {five:.2f} {fifteen:.2f} "
            "(anything else running shares these CPUs)"
        )
    if machine.get("database_note"):
        lines.append(f"note: {machine['database_note']}")
    return lines


def write_json(target: str, payload: dict, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    path = directory / f"{target}-{stamp}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
    return path
