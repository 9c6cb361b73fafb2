"""The taps bench's pure parts: who taps when, the requests, and the delay figures.

No database and no server: the seed and the load are exercised by ``make bench``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from types import SimpleNamespace

import pytest

from bench.load import Sample
from bench.targets.taps import (
    Plan,
    Settings,
    card_uid,
    delays_ms,
    schedule_ms,
    settings_for,
    spread,
    tap_request,
)
from kium.attendance.domain.common import clean_uid

FULL = SimpleNamespace(quick=False)  # what run.py passes without --quick
QUICK = SimpleNamespace(quick=True)


def test_the_issue_wave_seeds_34_children_per_centre():
    plan = Plan(centres=300, wave=10_000)  # + 2 × 40 warm-up taps
    assert plan.per_centre == 34
    assert plan.children == 10_200


def test_every_tap_of_the_wave_and_warm_up_is_a_different_child():
    plan = Plan(centres=7, wave=50, warmup=6)
    children = [plan.child_number(i) for i in range(plan.wave + plan.warmup)]
    assert len(set(children)) == len(children)
    assert all(0 <= n < plan.children for n in children)
    # A child belongs to the centre of its slot: numbers are per_centre apart by centre.
    for i in range(plan.wave + plan.warmup):
        centre, _ = plan.slot(i)
        assert plan.child_number(i) // plan.per_centre == centre


def test_consecutive_taps_come_from_different_readers():
    plan = Plan(centres=300, wave=10_000)
    centres = [plan.slot(i)[0] for i in range(600)]
    assert all(a != b for a, b in itertools.pairwise(centres))
    assert set(centres[:300]) == set(range(300))


def test_a_tap_beyond_the_seeded_children_is_refused():
    plan = Plan(centres=3, wave=5, warmup=1)
    with pytest.raises(IndexError):
        plan.slot(plan.children)


def test_card_uids_are_what_a_reader_sends_and_distinct():
    uids = {card_uid(n) for n in range(20_000)}
    assert len(uids) == 20_000
    assert clean_uid(card_uid(10_199)) == card_uid(10_199)  # valid and already normalised


def test_a_tap_request_carries_the_token_card_time_and_nonce():
    at = dt.datetime(2026, 11, 25, 13, 0, 5, 250000, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    request = tap_request("tok", "B0000001", at, "wave-00001")
    assert (request.method, request.path) == ("POST", "/api/v1/attendance/taps")
    assert request.headers["Authorization"] == "Bearer tok"
    assert json.loads(request.body) == {
        "card_uid": "B0000001",
        "tapped_at": "2026-11-25T13:00:05.250000+09:00",
        "nonce": "wave-00001",
    }
    assert request.label == "wave-00001"


def test_settings_follow_quick_and_the_environment():
    assert settings_for(FULL, {}) == Settings()
    quick = settings_for(QUICK, {})
    assert (quick.wave, quick.saturation) == (300, 200)
    custom = settings_for(FULL, {"BENCH_TAPS": "2000", "BENCH_TAPS_RATE": "50"})
    assert (custom.wave, custom.rate, custom.saturation) == (2000, 50.0, 2000)
    small = settings_for(FULL, {"BENCH_TAPS": "100"})
    assert (small.concurrency, small.saturation) == (100, 100)
    with pytest.raises(ValueError):
        settings_for(FULL, {"BENCH_TAPS_RATE": "0"})


def test_delays_pair_the_same_tap_and_skip_the_unmatched():
    t0 = dt.datetime(2026, 11, 25, 4, 0, tzinfo=dt.UTC)
    start = {1: t0, 2: t0, 3: t0}
    end = {1: t0 + dt.timedelta(milliseconds=12), 3: t0 + dt.timedelta(seconds=2), 9: t0}
    assert delays_ms(start, end) == [12.0, 2000.0]


def test_spread_reports_percentiles_and_empty_lists():
    figures = spread(float(v) for v in range(1, 101))
    assert figures["n"] == 100
    assert figures["p50_ms"] == 50.5
    assert figures["p95_ms"] == 95.0  # 95.05 rounded to 0.1
    assert figures["max_ms"] == 100.0
    assert spread([]) == {"n": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None}


def test_schedule_counts_from_the_moment_the_tap_was_due():
    rate = 10.0  # tap i is due at i / 10 s
    samples = [
        Sample("wave-00000", 200, latency=0.05, started=0.0, size=10),
        Sample("wave-00010", 200, latency=0.2, started=1.5, size=10),  # sent 0.5 s late
        Sample("wave-00020", 0, latency=30.0, started=2.0, size=0, error="TimeoutError"),
        Sample("second-00001", 200, latency=9.0, started=0.0, size=10),  # another batch
    ]
    figures = schedule_ms(samples, rate, "wave-")
    assert figures["lag"] == pytest.approx([0.0, 500.0, 0.0])
    # Answered: sent late plus the request's own latency; no answer, no figure.
    assert figures["answered"] == pytest.approx([50.0, 700.0])


def test_outcomes_count_each_kind_of_answer():
    from bench.load import LoadResult
    from bench.targets import taps

    samples = [
        Sample("a", 200, 0.01, 0.0, 10, body=b'{"event": "check_in", "duplicate": false}'),
        Sample("b", 200, 0.01, 0.0, 10, body=b'{"event": "check_in", "duplicate": true}'),
        Sample("c", 404, 0.01, 0.0, 10, body=b'{"code": "unknown_card"}'),
        Sample("d", 502, 0.01, 0.0, 10, body=b"<html>bad gateway</html>"),
        Sample("e", 0, 30.0, 0.0, 0, error="TimeoutError"),
        Sample("f", 200, 0.01, 0.0, 10, body=b'{"event": "check_in", "duplicate": false}'),
    ]
    result = LoadResult(samples=samples, wall=1.0, concurrency=1, connections_opened=1)
    assert taps._outcomes(result) == (
        "200 check_in: 2, 200 check_in duplicate: 1, 404 unknown_card: 1, 502: 1, "
        "no answer (TimeoutError): 1"
    )
