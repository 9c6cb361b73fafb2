"""The bench targets, one module each, named after what they measure.

A target module has ``TITLE`` (one line), ``seed(ctx) -> dict`` (runs in this process,
through the ORM, before gunicorn starts) and ``measure(ctx, server) -> dict`` with
``rows`` (``bench.measure.Row``) and ``notes``. ``run.py`` gives each target a fresh
database and its own gunicorn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType

# name → module; issue 4 adds "rush" (reservations under load) and "rush-web" (the same
# rush through the booking page), issue 5 "taps" (RF taps).
TARGETS: dict[str, str] = {
    "facilities": "bench.targets.facilities",
    "rush": "bench.targets.rush",
    "rush-web": "bench.targets.rush_web",
    "taps": "bench.targets.taps",
}


def load_target(name: str) -> ModuleType:
    return import_module(TARGETS[name])


@dataclass
class Context:
    """What a target gets from the runner: the options and where to log."""

    requests: int = 200  # per endpoint, over one connection
    concurrency: int = 8
    concurrent_requests: int = 800  # per endpoint, over ``concurrency`` connections
    requests_per_connection: int | None = 10  # then a new connection (bench/load.py)
    warmup: int = 40  # per endpoint and mode, spread over the workers
    workers: int = 4
    threads: int = 2
    in_process_runs: int = 50
    quick: bool = False  # --quick: a few requests, to check the harness
    mode: str = ""  # production or the fallback, as a sentence
    extra: dict = field(default_factory=dict)

    def log(self, message: str) -> None:
        print(message, flush=True)
