"""Measuring endpoints against a baseline served by the same server in the same run."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from bench.load import LoadResult, Request, fetch_sync, load, percentile


@dataclass
class Endpoint:
    """One row of a table: what to request, and the median goal if the issue sets one."""

    name: str
    request: Request
    goal_median_ms: float | None = None
    baseline: bool = False
    # Checks a probe answer; returns a note (e.g. "1,500 facilities") or raises ValueError.
    check: Callable[[int, bytes], str] | None = None
    note: str = ""


@dataclass
class Row:
    endpoint: str
    mode: str  # "1 connection", "8 connections", "in-process"
    summary: dict = field(default_factory=dict)
    goal_median_ms: float | None = None
    baseline: bool = False
    skipped: str = ""
    note: str = ""
    median_ratio: float | None = None
    throughput_ratio: float | None = None

    @property
    def median_ms(self) -> float | None:
        return self.summary.get("p50_ms")

    @property
    def goal(self) -> str:
        if self.goal_median_ms is None:
            return ""
        if self.median_ms is None:
            return f"< {self.goal_median_ms:g} ms: not measured"
        met = self.median_ms < self.goal_median_ms and self.summary.get("failed", 0) == 0
        return f"< {self.goal_median_ms:g} ms: {'met' if met else 'not met'}"

    def as_dict(self) -> dict:
        return {
            "endpoint": self.endpoint,
            "mode": self.mode,
            "baseline": self.baseline,
            "skipped": self.skipped or None,
            "note": self.note or None,
            "goal": self.goal or None,
            "median_ratio_to_baseline": self.median_ratio,
            "throughput_ratio_to_baseline": self.throughput_ratio,
            **self.summary,
        }


def json_count(status: int, body: bytes) -> str:
    """A probe check for JSON answers: a list's length, or ``count``/``results``."""
    if status != 200:
        raise ValueError(f"answered {status}")
    data = json.loads(body)
    if isinstance(data, list):
        return f"{len(data):,} items, {len(body):,} bytes"
    if isinstance(data, dict) and "count" in data:
        results = data.get("results", [])
        return f"{len(results)} of {data['count']:,}, {len(body):,} bytes"
    return f"{len(body):,} bytes"


def html_contains(marker: str, what: str) -> Callable[[int, bytes], str]:
    """A probe check for pages: 200 and ``marker`` present (not a login or 403 page)."""

    def check(status: int, body: bytes) -> str:
        if status != 200:
            raise ValueError(f"answered {status}")
        text = body.decode("utf-8", "replace")
        found = text.count(marker)
        if not found:
            raise ValueError(f"200 but no {marker!r} in the page")
        return f"{found} {what}, {len(body):,} bytes"

    return check


def probe(server, endpoint: Endpoint) -> tuple[bool, str]:
    """One request before measuring, so a 404, a login redirect or a 403 page is not timed."""
    response = fetch_sync(
        server.host, server.port, endpoint.request, default_headers=server.default_headers
    )
    if endpoint.check is not None:
        try:
            return True, endpoint.check(response.status, response.body)
        except ValueError as exc:
            return False, str(exc)
    if 200 <= response.status < 300:
        return True, f"{len(response.body):,} bytes"
    return False, f"answered {response.status}"


@dataclass(frozen=True)
class Mode:
    """How one column of rows is measured: connections, requests, connection renewal."""

    label: str
    connections: int
    requests: int
    requests_per_connection: int | None = None  # None: each connection lives to the end


def run_http(
    server, request: Request, mode: Mode, *, warmup: int, warmup_concurrency: int
) -> LoadResult:
    """Warm every worker up, then measure ``mode.requests`` requests.

    Warm-up requests each take a new connection (``Connection: close``), so they spread
    over all the workers: a worker renders a page or a query for the first time slower,
    and that first time belongs to the warm-up, not to the figures.
    """
    options = {"default_headers": server.default_headers}
    if warmup:
        closing = replace(request, headers={**request.headers, "Connection": "close"})
        load(
            server.host, server.port, [closing] * warmup, concurrency=warmup_concurrency, **options
        )
    return load(
        server.host,
        server.port,
        [request] * mode.requests,
        concurrency=mode.connections,
        requests_per_connection=mode.requests_per_connection,
        **options,
    )


def measure_http(
    server,
    endpoints: list[Endpoint],
    *,
    modes: list[Mode],
    warmup: int,
    warmup_concurrency: int,
    log: Callable[[str], None] = print,
) -> list[Row]:
    """Each mode for every endpoint, the baseline first.

    Ratios compare each row with the baseline's row of the same mode: the median as
    "times slower" and the throughput as a fraction of the baseline's.
    """
    checked: dict[str, tuple[bool, str]] = {}
    for endpoint in endpoints:
        checked[endpoint.name] = probe(server, endpoint)
        ok, note = checked[endpoint.name]
        log(f"  probe {endpoint.name}: {'ok' if ok else 'SKIPPED'} ({note})")
    rows: list[Row] = []
    for mode in modes:
        for endpoint in sorted(endpoints, key=lambda e: not e.baseline):
            ok, note = checked[endpoint.name]
            row = Row(
                endpoint.name,
                mode.label,
                goal_median_ms=endpoint.goal_median_ms,
                baseline=endpoint.baseline,
                note=endpoint.note or note,
            )
            if not ok:
                row.skipped = note
                rows.append(row)
                continue
            log(f"  {mode.label:>14}  {endpoint.name} …")
            result = run_http(
                server,
                endpoint.request,
                mode,
                warmup=warmup,
                warmup_concurrency=warmup_concurrency,
            )
            row.summary = result.summary()
            rows.append(row)
    add_ratios(rows)
    return rows


def measure_in_process(
    name: str, call: Callable[[], object], *, runs: int, warmup: int = 3, baseline=False, **extra
) -> Row:
    """Time ``call()`` in this process (no HTTP), e.g. a view with its cache cleared."""
    for _ in range(warmup):
        call()
    latencies = []
    began = time.perf_counter()
    for _ in range(runs):
        start = time.perf_counter()
        call()
        latencies.append(time.perf_counter() - start)
    wall = time.perf_counter() - began
    summary = {
        "requests": runs,
        "answered": runs,
        "failed": 0,
        "concurrency": 1,
        "wall_s": round(wall, 4),
        "throughput_rps": round(runs / wall, 2),
    }
    for label, p in (("min", 0), ("p50", 50), ("p95", 95), ("p99", 99), ("max", 100)):
        summary[f"{label}_ms"] = round(percentile(latencies, p) * 1000, 3)
    summary["mean_ms"] = round(sum(latencies) / runs * 1000, 3)
    return Row(name, "in-process", summary=summary, baseline=baseline, **extra)


def add_ratios(rows: list[Row]) -> None:
    """Fill each row's ratios from the baseline row of the same mode."""
    baselines = {row.mode: row for row in rows if row.baseline and row.summary}
    for row in rows:
        base = baselines.get(row.mode)
        if base is None or not row.summary:
            continue
        if row.median_ms is not None and base.median_ms:
            row.median_ratio = round(row.median_ms / base.median_ms, 2)
        base_rps = base.summary.get("throughput_rps")
        if base_rps:
            row.throughput_ratio = round(row.summary["throughput_rps"] / base_rps, 3)


def outcome_counts(result: LoadResult, label: Callable[[dict], str]) -> dict[str, int]:
    """How many answers of each kind: "<status> <label(json body)>", or "no answer (…)"."""
    counts: dict[str, int] = {}
    for sample in result.samples:
        if sample.status == 0:
            key = f"no answer ({sample.error})"
        else:
            try:
                payload = json.loads(sample.body or b"{}")
            except ValueError:
                payload = {}
            key = f"{sample.status} {label(payload if isinstance(payload, dict) else {})}"
        counts[key.strip()] = counts.get(key.strip(), 0) + 1
    return counts
