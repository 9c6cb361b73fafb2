"""Benchmarks (``make bench``): ``python bench/run.py [target ...]``, no target = all.

Each target gets a fresh database (PostgreSQL ``kium_bench`` on 127.0.0.1:5432, else a
SQLite file in var/bench/), its seed data, and its own gunicorn; it prints its figures
with the ratio to a baseline served by the same server in the same run, and writes
them to var/bench/<target>-<timestamp>.json. Figures are reported, never judged: the
exit code says only whether the bench ran. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))  # ``python bench/run.py`` puts only bench/ there

from bench import report, server  # noqa: E402
from bench.targets import TARGETS, Context, load_target  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help=f"any of: {', '.join(TARGETS)} (default all)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker (2)")
    parser.add_argument(
        "--requests", type=int, default=200, help="requests per endpoint, one connection"
    )
    parser.add_argument("--concurrency", type=int, default=8, help="connections (8)")
    parser.add_argument(
        "--concurrent-requests", type=int, default=800, help="requests per endpoint, concurrent"
    )
    parser.add_argument(
        "--renew",
        type=int,
        default=10,
        help="concurrent connections are renewed after this many requests (0: never)",
    )
    parser.add_argument("--warmup", type=int, default=40, help="warm-up requests per run")
    parser.add_argument(
        "--quick", action="store_true", help="a few requests only, to check the harness"
    )
    parser.add_argument(
        "--sqlite", action="store_true", help="SQLite even when PostgreSQL answers (fallback check)"
    )
    args = parser.parse_args(argv)
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}; known: {', '.join(TARGETS)}")
    if args.quick:
        args.requests, args.concurrent_requests, args.warmup = 20, 40, 8
    return args


def run_target(name: str, args, database: server.Database, mode: str) -> Path:
    module = load_target(name)
    ctx = Context(
        requests=args.requests,
        concurrency=args.concurrency,
        concurrent_requests=args.concurrent_requests,
        requests_per_connection=args.renew or None,
        warmup=args.warmup,
        workers=args.workers,
        threads=args.threads,
        in_process_runs=10 if args.quick else 50,
        quick=args.quick,
        mode=mode,
    )
    started = dt.datetime.now().astimezone()
    print(f"\n== {name}: {module.TITLE}", flush=True)
    server.fresh_database(database)
    machine = server.machine_info(database)
    for line in report.machine_lines(machine):
        print(line)
    print(f"mode: {mode}")
    print("seeding …", flush=True)
    seed = module.seed(ctx)
    print(f"seeded: {seed}", flush=True)

    from django.db import connections

    connections.close_all()  # gunicorn's workers open their own
    gunicorn = server.GunicornServer(
        workers=args.workers,
        threads=args.threads,
        log_path=server.BENCH_VAR / f"{name}.log",
        # A target may serve its baselines from its own app wrapping kium.wsgi.
        app=getattr(module, "APP", "kium.wsgi:application"),
    )
    renew = f" (concurrent ones renewed every {args.renew} requests)" if args.renew else ""
    print(
        f"gunicorn: {args.workers} workers × {args.threads} threads, deploy/gunicorn.conf.py; "
        f"client: bench/load.py on the same machine, keep-alive connections{renew}",
        flush=True,
    )
    with gunicorn:
        print(f"serving on {gunicorn.url} (log: {gunicorn.log_path})", flush=True)
        outcome = module.measure(ctx, gunicorn)
    rows = outcome["rows"]
    print()
    print(report.table(rows))
    for note in outcome.get("notes", []):
        print(f"note: {note}")
    load_after = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    if load_after:
        print(f"load average after the run: {' '.join(f'{x:.2f}' for x in load_after)}")
    payload = {
        "target": name,
        "title": module.TITLE,
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine,
        "load_average_after": load_after,
        "mode": mode,
        "config": {
            "workers": args.workers,
            "threads": args.threads,
            "requests_one_connection": args.requests,
            "concurrency": args.concurrency,
            "requests_concurrent": args.concurrent_requests,
            "requests_per_connection_concurrent": args.renew or None,
            "warmup": args.warmup,
            "gunicorn_config": "deploy/gunicorn.conf.py",
        },
        "seed": seed,
        "rows": [row.as_dict() for row in rows],
        "notes": outcome.get("notes", []),
    }
    path = report.write_json(name, payload, server.BENCH_VAR)
    print(f"written: {path.relative_to(PROJECT_DIR)}", flush=True)
    return path


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    targets = args.targets or list(TARGETS)
    database = server.choose_database(force_sqlite=args.sqlite)
    print(f"database: {database.vendor} ({database.url})")
    if database.note:
        print(f"note: {database.note}")
    env, mode = server.choose_environment(database)
    server.setup_django(env)
    server.collect_static()
    for name in targets:
        run_target(name, args, database, mode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
