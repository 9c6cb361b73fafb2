"""Helpers for the race tests: start jobs at the same instant, each on its own connection."""

from __future__ import annotations

import threading

from django.db import connection


def run_at_once(jobs) -> list:
    """Run every job in its own thread behind one barrier; results (or exceptions) in order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
