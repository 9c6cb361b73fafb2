"""rush (issue 4): N guardians press 예약 for the same morning at once.

Twenty 키움센터 of capacity 20 (+ 4 temporary-only places, 40 may wait) open on the
same day; N = 200 and N = 1,000 guardians, each with their own bearer token and child,
open their connections and then all send ``POST /api/v1/reservations`` for temporary
care at one of the centres. The same gunicorn serves, in the same run and the same
way, the two baselines of the issue (bench/rush_app.py): a trivial JSON answer and a
minimal booking that only locks a day row, checks it and inserts a row with raw SQL.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from dataclasses import replace
from decimal import Decimal

from bench.load import Request, load
from bench.measure import Row

TITLE = "rush: N guardians book temporary care at once, against two baselines (issue 4)"
APP = "bench.rush_app:application"

CENTRES = 20
SIZES = (200, 1000)
AREA = Decimal("66.00")  # floor(66 / 3.3) = 20 places, quota 4, waitlist 40
PLACES_PER_DAY = 24  # what the minimal baseline may give per day row, like a centre
GOAL_RATIO = 0.6
DJANGO_MINIMAL = "/bench/django/minimal-booking"


def _guardians(count: int) -> list[tuple[str, int]]:
    """``count`` guardians with one child and a bearer token each (bulk: no hashing)."""
    from bench.seed import guardians_with_a_child, same_child
    from kium.accounts.domain.tokens import issue_token

    users, children = guardians_with_a_child("rush", count, "0107", same_child, batch_size=500)
    return [(issue_token(user=user)[0], child) for user, child in zip(users, children, strict=True)]


def _centres() -> tuple[list[str], list[dt.date]]:
    from bench.seed import kium_centre
    from kium.centres.domain.queries import operating_days
    from kium.centres.models import Quarter
    from kium.core import clock
    from kium.orgs.models import District

    today = clock.today()
    quarters = list(Quarter.objects.filter(end__gte=today).order_by("start")[:2])
    district = District.objects.get(code="NW")
    centres = []
    for n in range(CENTRES):
        facility = kium_centre(
            district=district,
            name=f"러시 키움센터 {n + 1}호점",
            address=f"서울특별시 노원구 동일로 {1000 + n}",
            lat=Decimal("37.654"),
            lng=Decimal("127.056"),
            area=AREA,
            quarters=quarters,
            hours=(dt.time(9), dt.time(20)),
        )
        centres.append(facility)
    days = operating_days(centres[0], today + dt.timedelta(days=1), today + dt.timedelta(days=14))
    return [c.code for c in centres], days


def seed(ctx) -> dict:
    began = time.perf_counter()
    codes, days = _centres()
    if len(days) < len(SIZES) + 1:
        raise RuntimeError(f"need {len(SIZES) + 1} operating days in the next two weeks: {days}")
    ctx.extra["codes"] = codes
    ctx.extra["days"] = days
    ctx.extra["guardians"] = _guardians(max(SIZES))
    return {
        "centres": len(codes),
        "capacity_each": "20 + 4 temporary-only, 40 may wait",
        "guardians": len(ctx.extra["guardians"]),
        "days": [day.isoformat() for day in days[: len(SIZES) + 1]],
        "seconds": round(time.perf_counter() - began, 1),
    }


def _booking(token: str, child: int, code: str, day: dt.date, label: str = "book") -> Request:
    body = {
        "facility": code,
        "child": child,
        "care_type": "temporary",
        "date": day.isoformat(),
        "start_time": "09:00",
        "end_time": "13:00",
    }
    return Request(
        method="POST",
        path="/api/v1/reservations",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        body=json.dumps(body).encode(),
        label=label,
    )


def _minimal(n: int, path: str = "/bench/minimal-booking") -> Request:
    body = json.dumps({"day": n % CENTRES, "guardian": f"rush{n:05d}"}).encode()
    return Request(
        method="POST",
        path=path,
        headers={"Content-Type": "application/json"},
        body=body,
    )


def _outcomes(result) -> dict[str, int]:
    from bench.measure import outcome_counts

    return outcome_counts(result, lambda body: body.get("status") or body.get("code") or "")


def _rush(server, requests: list[Request], cpu: dict | None = None, label: str = ""):
    """All ``requests`` at once; with ``cpu``, the CPU each request cost by process group
    is stored there under ``label`` (bench/cpu.py)."""
    from bench import cpu as cpu_time

    before = cpu_time.snapshot()
    result = _load_all(server, requests)
    if cpu is not None:
        cpu[label] = cpu_time.per_request(before, cpu_time.snapshot(), len(requests))
    return result


def _load_all(server, requests: list[Request]):
    return load(
        server.host,
        server.port,
        requests,
        concurrency=len(requests),
        connect_first=True,
        keep_bodies=True,
        default_headers=server.default_headers,
        timeout=120.0,
    )


WARM_UP = 96  # per endpoint: about 12 per worker thread, past psycopg's prepare threshold


def _warm_up(ctx, server) -> None:
    """Every worker thread has served each endpoint several times before anything is
    timed, so its connection has prepared the endpoint's statements (a production worker
    has done so long before a rush; docs/decisions/0003). Each warm-up request comes on
    its own connection, so they spread over the workers."""
    from kium.core.bench_views import create_tables

    create_tables(days=CENTRES, capacity=10**6)
    guardians, codes, day = ctx.extra["guardians"], ctx.extra["codes"], ctx.extra["days"][-1]
    options = {"default_headers": server.default_headers, "concurrency": 8}
    closing = {"Connection": "close"}
    batches = [
        [Request(path="/bench/ping") for _ in range(WARM_UP)],
        [_minimal(n) for n in range(WARM_UP)],
        [_minimal(n, DJANGO_MINIMAL) for n in range(WARM_UP)],
        [
            _booking(token, child, codes[n % CENTRES], day)
            for n, (token, child) in enumerate(guardians[:WARM_UP])
        ],
    ]
    for batch in batches:
        closed = [replace(request, headers={**request.headers, **closing}) for request in batch]
        load(server.host, server.port, closed, **options)


def _row(name: str, size: int, result, *, baseline: bool, note: str = "") -> Row:
    return Row(name, f"N = {size:,}", summary=result.summary(), baseline=baseline, note=note)


def measure(ctx, server) -> dict:
    from kium.core.bench_views import create_tables

    rng = random.Random(2026)
    guardians, codes, days = ctx.extra["guardians"], ctx.extra["codes"], ctx.extra["days"]
    ctx.log("  warming every worker up …")
    _warm_up(ctx, server)
    rows: list[Row] = []
    notes: list[str] = []
    for index, size in enumerate(SIZES):
        day = days[index]
        cpu: dict[str, dict] = {}
        ctx.log(f"  N = {size:,}: ping …")
        ping = _rush(server, [Request(path="/bench/ping") for _ in range(size)], cpu, "ping")
        create_tables(days=CENTRES, capacity=PLACES_PER_DAY)
        ctx.log(f"  N = {size:,}: minimal booking …")
        minimal = _rush(server, [_minimal(n) for n in range(size)], cpu, "minimal")
        create_tables(days=CENTRES, capacity=PLACES_PER_DAY)
        ctx.log(f"  N = {size:,}: minimal booking through Django's request stack …")
        framework = _rush(
            server, [_minimal(n, DJANGO_MINIMAL) for n in range(size)], cpu, "framework"
        )
        ctx.log(f"  N = {size:,}: Kium booking …")
        requests = [
            _booking(token, child, rng.choice(codes), day) for token, child in guardians[:size]
        ]
        booking = _rush(server, requests, cpu, "booking")
        outcomes = _outcomes(booking)
        rows.append(_row("trivial JSON (baseline 1)", size, ping, baseline=False))
        rows.append(
            _row(
                "minimal booking (baseline 2)",
                size,
                minimal,
                baseline=True,
                note=", ".join(f"{k}: {v}" for k, v in sorted(_outcomes(minimal).items())),
            )
        )
        rows.append(
            _row(
                "minimal booking via Django (3)",
                size,
                framework,
                baseline=False,
                note=", ".join(f"{k}: {v}" for k, v in sorted(_outcomes(framework).items())),
            )
        )
        rows.append(
            _row(
                "POST /api/v1/reservations",
                size,
                booking,
                baseline=False,
                note=", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())),
            )
        )
        ratio_ping = booking.throughput() / ping.throughput() if ping.throughput() else 0
        ratio_min = booking.throughput() / minimal.throughput() if minimal.throughput() else 0
        ratio_framework = (
            booking.throughput() / framework.throughput() if framework.throughput() else 0
        )
        framework_min = framework.throughput() / minimal.throughput() if minimal.throughput() else 0
        met = "met" if ratio_min >= GOAL_RATIO else "not met"
        notes.append(
            f"N = {size:,}: booking throughput {booking.throughput():.0f}/s = "
            f"{ratio_ping:.2f} × trivial JSON, {ratio_min:.2f} × minimal booking "
            f"(goal ≥ {GOAL_RATIO}: {met}); outcomes {dict(sorted(outcomes.items()))}"
        )
        notes.append(
            f"N = {size:,}: the minimal booking behind Django's request stack alone runs at "
            f"{framework_min:.2f} × the bare minimal booking; Kium's booking is "
            f"{ratio_framework:.2f} × that"
        )
        notes.append(_check_invariants(codes, day))
        notes.extend(_cpu_notes(size, cpu))
    from bench.measure import add_ratios

    add_ratios(rows)
    return {"rows": rows, "notes": notes}


def _cpu_notes(size: int, cpu: dict[str, dict]) -> list[str]:
    from bench import cpu as cpu_time

    names = {
        "ping": "trivial JSON",
        "minimal": "minimal booking",
        "framework": "minimal via Django",
        "booking": "Kium booking",
    }
    return [
        f"N = {size:,}: {names[label]}: {cpu_time.describe(figures)}"
        for label, figures in cpu.items()
    ]


def _check_invariants(codes: list[str], day: dt.date) -> str:
    """After the rush: no centre holds more than its places, counters equal the rows."""
    from django.db.models import Count

    from kium.reservations.models import CareDay, DayLoad, Reservation

    loads = DayLoad.objects.filter(facility__code__in=codes, date=day)
    rows = dict(
        CareDay.objects.filter(facility__code__in=codes, date=day)
        .values_list("facility_id")
        .annotate(n=Count("pk"))
    )
    waiting = dict(
        Reservation.objects.filter(facility__code__in=codes, date=day, status="waitlisted")
        .values_list("facility_id")
        .annotate(n=Count("pk"))
    )
    problems = [
        load.facility_id
        for load in loads
        if load.shared_used + load.quota_used != rows.get(load.facility_id, 0)
        or load.shared_used > load.shared_capacity
        or load.quota_used > load.quota_capacity
        or load.waitlisted != waiting.get(load.facility_id, 0)
    ]
    held = sum(rows.values())
    verdict = "every counter equals its rows" if not problems else f"MISMATCH at {problems}"
    return (
        f"{day}: {held} places held at {len(codes)} centres (at most "
        f"{len(codes) * PLACES_PER_DAY}), {sum(waiting.values())} waiting; {verdict}"
    )
