"""bench/cpu.py: CPU per request by process group, from /proc."""

from __future__ import annotations

import os

import pytest

from bench import cpu


def test_this_process_is_the_client_and_its_time_grows():
    before = cpu.snapshot()
    assert before[os.getpid()][0] == "client"
    total = 0
    for n in range(300_000):  # some CPU to see
        total += n * n
    after = cpu.snapshot()
    assert after[os.getpid()][1] >= before[os.getpid()][1]
    figures = cpu.per_request(before, after, 1)
    assert set(figures) == {"client", "gunicorn", "postgres", "total"}
    assert figures["total"] == pytest.approx(sum(figures[g] for g in cpu.GROUPS), abs=0.02)


def test_per_request_divides_by_requests_and_counts_new_processes_from_zero():
    before = {1: ("gunicorn", 1.0), 2: ("postgres", 2.0), 3: ("client", 0.5)}
    after = {1: ("gunicorn", 1.4), 2: ("postgres", 2.2), 3: ("client", 0.6), 4: ("gunicorn", 0.2)}
    figures = cpu.per_request(before, after, 200)
    assert figures == {"client": 0.5, "gunicorn": 3.0, "postgres": 1.0, "total": 4.5}
    assert cpu.describe(figures) == (
        "CPU per request 4.50 ms (client 0.50, gunicorn 3.00, postgres 1.00)"
    )


def test_nothing_to_report_without_proc():
    assert cpu.per_request({}, {}, 10) == {}
    assert cpu.describe({}) == "CPU per request: not measured (no /proc)"


@pytest.mark.parametrize(
    ("command", "group"),
    [
        ("/work/.venv/bin/python .venv/bin/gunicorn kium.wsgi:application ", "gunicorn"),
        ("postgres: 15/main: postgres kium_bench 127.0.0.1(5012) idle ", "postgres"),
        ("/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main ", "postgres"),
        ("/usr/sbin/redis-server 127.0.0.1:6379 ", ""),
    ],
)
def test_processes_are_grouped_by_command(command, group):
    assert cpu._group(1, command) == group
