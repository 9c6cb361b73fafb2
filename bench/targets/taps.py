"""taps (issue 5): 300 centres' RF readers send the 13:00 check-in wave.

10,000 ``POST /api/v1/attendance/taps`` in a minute: 300 키움센터, one reader each,
about 34 children each with a guardian, an active card and a confirmed booking for
today. The taps go out open-loop (tap *i* is released *i* / rate seconds after the
start, over 300 connections), then a second batch is sent as fast as 64 connections
allow (the saturation throughput; these second taps are departures). The same gunicorn
serves the baselines in the same run and the same way: ``GET /api/v1/health`` (one
``SELECT 1``) and the rush's ``/bench/ping`` (no database, no middleware).

"Time from tap to notification queued" runs from the tap's ``tapped_at``, which the
bench sets to the moment the open loop schedules the tap (the child touches the reader
then; a request that leaves late because every connection is busy still counts from
there), to the moment its arrival message is queued. With ``KIUM_NOTIFY_WAKE=listen``
that is the commit of the outbox row, bounded by the row's ``created_at`` (just before
the INSERT, in the tap's transaction) and the reader's answer (after the commit); with
the ``django_tasks_db`` backend, the task's ``enqueued_at``. Client, server and
PostgreSQL share one clock. See docs/performance.md, "taps".
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import secrets
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from bench.load import Request, Sample, load, percentile
from bench.measure import Row, add_ratios

TITLE = "300 centres' readers send the 13:00 check-in wave, 10,000 taps a minute (issue 5)"
APP = "bench.rush_app:application"  # Kium plus /bench/ping (the rush's baselines)

SEOUL = ZoneInfo("Asia/Seoul")
TAP_PATH = "/api/v1/attendance/taps"
CENTRES = 300
# floor(132 / 3.3) = 40 places per centre: room for every seeded child's booking.
AREA = Decimal("132.00")
WARMUP_REQUESTS = 40  # before each row; warm-up taps by children of their own
WAVE_PREFIX, SATURATION_PREFIX, WARMUP_PREFIX = "wave-", "second-", "warmup-"
RESENDS = 100  # wave taps sent again at the end: each must answer duplicate, add no row
NAMES = ("김하늘", "이서준", "박지우", "최하윤", "정도윤", "강서연", "조민준", "윤지아")


# --- what is sent ---------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    wave: int = 10_000  # taps of the check-in wave
    rate: float = 10_000 / 60  # taps per second, open loop
    concurrency: int = 300  # connections of the wave (one per reader's worth)
    saturation: int = 3_000  # second taps, closed loop
    saturation_concurrency: int = 64


def settings_for(ctx, environ: Mapping[str, str] = os.environ) -> Settings:
    """The issue's wave, shrunk by ``--quick``; ``BENCH_TAPS`` (count) and
    ``BENCH_TAPS_RATE`` (per second) change it (``make bench TARGET=taps BENCH_TAPS=2000``).

    run.py hands ``--quick`` to a target only through its shrunken numbers: 10 in-process
    runs instead of 50.
    """
    quick = ctx.quick
    base = Settings(wave=300, saturation=200) if quick else Settings()
    wave = int(environ.get("BENCH_TAPS") or base.wave)
    if wave < 1:
        raise ValueError("BENCH_TAPS must be at least 1")
    rate = float(environ.get("BENCH_TAPS_RATE") or base.rate)
    if rate <= 0:
        raise ValueError("BENCH_TAPS_RATE must be above 0")
    return Settings(
        wave=wave,
        rate=rate,
        concurrency=min(base.concurrency, wave),
        saturation=min(base.saturation, wave),
        saturation_concurrency=base.saturation_concurrency,
    )


@dataclass(frozen=True)
class Plan:
    """Which child taps when: tap *i* of the wave is child ``i // centres`` of centre
    ``i % centres``, so consecutive taps come from different readers; the warm-up taps
    continue the same numbering, on children the wave does not use."""

    centres: int
    wave: int
    warmup: int = 2 * WARMUP_REQUESTS  # before the wave and before the second taps

    @property
    def per_centre(self) -> int:
        return math.ceil((self.wave + self.warmup) / self.centres)

    @property
    def children(self) -> int:
        return self.per_centre * self.centres

    def slot(self, index: int) -> tuple[int, int]:
        """(centre, child of that centre) of tap ``index`` (warm-up: wave + j)."""
        if not 0 <= index < self.children:
            raise IndexError(f"tap {index} is outside the {self.children} seeded children")
        return index % self.centres, index // self.centres

    def child_number(self, index: int) -> int:
        """The seeded child (0 … children − 1) that makes tap ``index``."""
        centre, k = self.slot(index)
        return centre * self.per_centre + k


def card_uid(child_number: int) -> str:
    """A 4-byte UID as a reader prints it (normalised, 8 hex digits)."""
    return f"B{child_number:07X}"


def tap_request(token: str, uid: str, tapped_at: dt.datetime, nonce: str) -> Request:
    body = {"card_uid": uid, "tapped_at": tapped_at.isoformat(), "nonce": nonce}
    return Request(
        method="POST",
        path=TAP_PATH,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        body=json.dumps(body).encode(),
        label=nonce,
    )


def nonce_index(nonce: str, prefix: str) -> int:
    return int(nonce.removeprefix(prefix))


# --- figures ----------------------------------------------------------------------------


def delays_ms(start: Mapping[int, dt.datetime], end: Mapping[int, dt.datetime]) -> list[float]:
    """``end − start`` in ms for every key present in both (e.g. tap id → times)."""
    return [(end[k] - start[k]).total_seconds() * 1000 for k in start if k in end]


def spread(values_ms: Iterable[float]) -> dict:
    """n, p50, p95, p99 and max of a list of milliseconds (None when empty)."""
    values = list(values_ms)
    out: dict = {"n": len(values)}
    for name, p in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100)):
        out[f"{name}_ms"] = round(percentile(values, p), 1) if values else None
    return out


def schedule_ms(samples: Iterable[Sample], rate: float, prefix: str) -> dict[str, list[float]]:
    """Per open-loop tap, against its scheduled moment i / rate (the tap itself):
    ``lag`` until the client sent it, ``answered`` until the reader had its answer."""
    lag, answered = [], []
    for sample in samples:
        if not sample.label.startswith(prefix):
            continue
        scheduled = nonce_index(sample.label, prefix) / rate
        lag.append((sample.started - scheduled) * 1000)
        if sample.status:
            answered.append((sample.started + sample.latency - scheduled) * 1000)
    return {"lag": lag, "answered": answered}


def _fmt(s: dict) -> str:
    if not s["n"]:
        return "none"
    return (
        f"p50 {s['p50_ms']:,.0f} ms, p95 {s['p95_ms']:,.0f} ms, p99 {s['p99_ms']:,.0f} ms, "
        f"max {s['max_ms']:,.0f} ms (n = {s['n']:,})"
    )


# --- seed -------------------------------------------------------------------------------


def _centres(count: int) -> list:
    """``count`` general 키움센터 over the 25 districts, operating this quarter 13–19 h."""
    from bench.seed import kium_centre
    from kium.centres.domain.queries import quarter_on
    from kium.core import clock
    from kium.orgs.models import District

    quarter = quarter_on(clock.today())
    districts = list(District.objects.order_by("sort_order"))
    centres = []
    for n in range(count):
        district = districts[n % len(districts)]
        facility = kium_centre(
            district=district,
            name=f"{district.name.removesuffix('구')} 태그 키움센터 {n // len(districts) + 1}호점",
            address=f"서울특별시 {district.name} 태그로 {n + 1}",
            lat=Decimal("37.5665"),
            lng=Decimal("126.9780"),
            area=AREA,
            quarters=[quarter] if quarter is not None else [],
            hours=(dt.time(13), dt.time(19)),
        )
        centres.append(facility)
    return centres


def _readers(centres: list) -> list[str]:
    """One reader per centre; its token is kept here, only the hash goes in the row
    (as ``register_reader`` does, without an audit entry per reader)."""
    from kium.attendance.domain.readers import hash_token
    from kium.attendance.models import Reader

    tokens = [secrets.token_urlsafe(32) for _ in centres]
    Reader.objects.bulk_create(
        [
            Reader(facility=facility, name="출입구 리더기", token_hash=hash_token(token))
            for facility, token in zip(centres, tokens, strict=True)
        ]
    )
    return tokens


def _children(centres: list, plan: Plan) -> dict:
    """Per child: a guardian with a phone, an active card and a confirmed temporary
    booking for today holding one shared place (the CareDay ``has_care`` looks for), and
    per centre the day's counter row equal to those CareDays."""
    from bench.seed import guardians_with_a_child
    from kium.attendance.models import RfCard
    from kium.core import clock
    from kium.reservations.domain.places import capacities
    from kium.reservations.enums import CareType, Pool, Status
    from kium.reservations.models import CareDay, DayLoad, Reservation

    now, today = clock.now(), clock.today()
    total = plan.children
    # child number n → its guardian and child id
    guardians, children = guardians_with_a_child(
        "tap",
        total,
        "0108",
        lambda n: {
            "name": NAMES[n % len(NAMES)],
            "birth_date": dt.date(2017, 1 + n % 12, 1 + n % 28),
            "sex": "F" if n % 2 else "M",
            "grade": 1 + n % 6,
        },
    )
    facility_of = [centres[n // plan.per_centre] for n in range(total)]
    RfCard.objects.bulk_create(
        [
            RfCard(
                facility=facility_of[n],
                child_id=children[n],
                card_uid=card_uid(n),
                registered_at=now,
            )
            for n in range(total)
        ],
        batch_size=1000,
    )
    Reservation.objects.bulk_create(
        [
            Reservation(
                facility=facility_of[n],
                child_id=children[n],
                guardian=guardians[n],
                care_type=CareType.TEMPORARY,
                status=Status.CONFIRMED,
                date=today,
                start_time=dt.time(13),
                end_time=dt.time(18),
                pool=Pool.SHARED,
                application_submitted_at=now,
                privacy_consent_at=now,
                pickup_consent_at=now,
                decided_at=now,
            )
            for n in range(total)
        ],
        batch_size=1000,
    )
    reservations = Reservation.objects.filter(date=today, child_id__in=children)
    CareDay.objects.bulk_create(
        [
            CareDay(reservation_id=pk, facility_id=facility_id, date=today, pool=Pool.SHARED)
            for pk, facility_id in reservations.values_list("pk", "facility_id")
        ],
        batch_size=1000,
    )
    loads = []
    for facility in centres:
        shared, quota, waitlist = capacities(facility)
        if shared < plan.per_centre:
            raise RuntimeError(f"{facility.code}: {shared} places for {plan.per_centre} children")
        loads.append(
            DayLoad(
                facility=facility,
                date=today,
                shared_capacity=shared,
                quota_capacity=quota,
                waitlist_capacity=waitlist,
                shared_used=plan.per_centre,
            )
        )
    DayLoad.objects.bulk_create(loads)
    return {"today": today, "places_each": shared}


def _counters_match(facility_ids: list[int], day: dt.date) -> str:
    """Every DayLoad counter equals its CareDay rows (what the booking engine relies on)."""
    from django.db.models import Count

    from kium.reservations.models import CareDay, DayLoad

    held = dict(
        CareDay.objects.filter(facility_id__in=facility_ids, date=day)
        .values_list("facility_id")
        .annotate(n=Count("pk"))
    )
    loads = DayLoad.objects.filter(facility_id__in=facility_ids, date=day)
    wrong = [
        load.facility_id
        for load in loads
        if load.shared_used + load.quota_used != held.get(load.facility_id, 0)
    ]
    if len(loads) != len(facility_ids):
        return f"MISMATCH: {len(loads)} counter rows for {len(facility_ids)} centres"
    return "every day counter equals its care days" if not wrong else f"MISMATCH at {wrong[:10]}"


def seed(ctx) -> dict:
    settings = settings_for(ctx)
    plan = Plan(centres=CENTRES, wave=settings.wave)
    began = time.perf_counter()
    centres = _centres(plan.centres)
    facilities_seconds = time.perf_counter() - began
    tokens = _readers(centres)
    info = _children(centres, plan)
    ctx.extra.update(
        settings=settings,
        plan=plan,
        tokens=tokens,
        facility_ids=[c.pk for c in centres],
        today=info["today"],
    )
    return {
        "centres": len(centres),
        "readers": len(tokens),
        "children": plan.children,
        "children_per_centre": plan.per_centre,
        "places_per_centre": info["places_each"],
        "booking": "confirmed temporary care today, one shared place each",
        "today": info["today"].isoformat(),
        "counters": _counters_match(ctx.extra["facility_ids"], info["today"]),
        "wave": settings.wave,
        "rate_per_s": round(settings.rate, 2),
        "concurrency": settings.concurrency,
        "saturation": settings.saturation,
        "saturation_concurrency": settings.saturation_concurrency,
        "seconds_facilities": round(facilities_seconds, 1),
        "seconds": round(time.perf_counter() - began, 1),
    }


# --- load -------------------------------------------------------------------------------


def _taps(ctx, indexes: range, prefix: str, rate: float | None) -> Callable[[int], Request]:
    """A request factory for bench/load.py: request j is tap ``indexes[j]``.

    Open loop: the bench's clock is anchored when the first request is built (the
    load's start, within a millisecond) and tap j's ``tapped_at`` is the moment it is
    scheduled, start + j / rate. Closed loop: the moment the request is built.
    """
    plan, tokens = ctx.extra["plan"], ctx.extra["tokens"]
    anchor: list[dt.datetime] = []

    def make(j: int) -> Request:
        index = indexes[j]
        centre, _ = plan.slot(index)
        now = dt.datetime.now(SEOUL)
        if rate:
            if not anchor:
                anchor.append(now)
            tapped_at = anchor[0] + dt.timedelta(seconds=j / rate)
        else:
            tapped_at = now
        nonce = f"{prefix}{index:05d}"
        return tap_request(tokens[centre], card_uid(plan.child_number(index)), tapped_at, nonce)

    return make


def _run(server, requests, *, total: int, concurrency: int, rate: float | None, ctx):
    return load(
        server.host,
        server.port,
        requests,
        total=total,
        concurrency=concurrency,
        rate=rate,
        requests_per_connection=ctx.requests_per_connection,
        default_headers=server.default_headers,
        timeout=60.0,
        keep_bodies=True,
    )


def _warm_up(ctx, server, name: str, requests: Callable[[int], Request] | None, batch: int):
    """Right before a row, ``WARMUP_REQUESTS`` of its requests, each on a new connection so
    they spread over the workers: gunicorn restarts a worker every ~2,000 requests
    (``max_requests``), and a fresh worker's first tap costs about half a second.

    Warm-up taps are made by children of their own (``batch`` picks them), so no child
    of the measured taps has tapped before.
    """
    plan = ctx.extra["plan"]
    closing = {"Connection": "close"}
    if requests is None:
        first = plan.wave + batch * WARMUP_REQUESTS
        factory = _taps(ctx, range(first, first + WARMUP_REQUESTS), WARMUP_PREFIX, None)
    else:
        factory = requests
    warm = [factory(j) for j in range(WARMUP_REQUESTS)]
    result = load(
        server.host,
        server.port,
        [Request(r.method, r.path, {**r.headers, **closing}, r.body, r.label) for r in warm],
        concurrency=8,
        default_headers=server.default_headers,
    )
    statuses = result.status_counts()
    if set(statuses) != {"200"}:
        raise RuntimeError(f"warm-up of {name} answered {statuses}; see {server.log_path}")


def _tap_label(body: dict) -> str:
    what = body.get("event") or body.get("code") or body.get("status") or ""
    return what + " duplicate" if body.get("duplicate") else what


def _outcomes(result) -> str:
    from bench.measure import outcome_counts

    counts = outcome_counts(result, _tap_label)
    return ", ".join(f"{k}: {v:,}" for k, v in sorted(counts.items()))


def _mode_rows(
    ctx, server, label: str, *, total: int, concurrency: int, rate, taps, batch: int
) -> tuple:
    """The baseline, the trivial JSON and the taps, each warmed up and then measured the
    same way (``batch`` picks the warm-up taps' children)."""
    rows = []
    results = {}
    for name, requests, baseline in (
        ("health (baseline)", lambda j: Request(path="/api/v1/health"), True),
        ("trivial JSON /bench/ping", lambda j: Request(path="/bench/ping"), False),
        ("POST /api/v1/attendance/taps", taps, False),
    ):
        _warm_up(ctx, server, name, None if requests is taps else requests, batch)
        ctx.log(f"  {label}: {name} × {total:,} …")
        result = _run(server, requests, total=total, concurrency=concurrency, rate=rate, ctx=ctx)
        results[name] = result
        note = _outcomes(result) if requests is taps else ""
        rows.append(Row(name, label, summary=result.summary(), baseline=baseline, note=note))
    return rows, results


def _p95_note(rows: list[Row]) -> str:
    base = next(r for r in rows if r.baseline)
    parts = []
    for row in rows:
        if row.baseline:
            continue
        ratio = row.summary["p95_ms"] / base.summary["p95_ms"] if base.summary["p95_ms"] else 0
        parts.append(
            f"{row.endpoint} p95 {row.summary['p95_ms']:,.1f} ms = {ratio:.2f} × baseline, "
            f"req/s {row.summary['throughput_rps']:,.0f} = {row.throughput_ratio:.3f} × baseline"
        )
    return f"{base.mode}: " + "; ".join(parts)


def measure(ctx, server) -> dict:
    s = ctx.extra["settings"]
    open_label = f"{s.concurrency} conn, {s.rate:.0f}/s open"
    wave_taps = _taps(ctx, range(s.wave), WAVE_PREFIX, s.rate)
    open_rows, open_results = _mode_rows(
        ctx,
        server,
        open_label,
        total=s.wave,
        concurrency=s.concurrency,
        rate=s.rate,
        taps=wave_taps,
        batch=0,
    )
    closed_label = f"{s.saturation_concurrency} conn, closed loop"
    second_taps = _taps(ctx, range(s.saturation), SATURATION_PREFIX, None)
    closed_rows, closed_results = _mode_rows(
        ctx,
        server,
        closed_label,
        total=s.saturation,
        concurrency=s.saturation_concurrency,
        rate=None,
        taps=second_taps,
        batch=1,
    )
    rows = open_rows + closed_rows
    add_ratios(rows)
    notes = [_p95_note(open_rows), _p95_note(closed_rows)]
    wave = open_results["POST /api/v1/attendance/taps"]
    scheduled = schedule_ms(wave.samples, s.rate, WAVE_PREFIX)
    notes.append(
        f"wave: sent behind schedule {_fmt(spread(scheduled['lag']))}; "
        f"tap → reader has its answer (after commit) {_fmt(spread(scheduled['answered']))}"
    )
    notes.extend(_notification_notes(ctx))
    ctx.log("  resending wave taps (each must answer duplicate) …")
    notes.extend(_check(ctx, server, wave, closed_results["POST /api/v1/attendance/taps"]))
    return {"rows": rows, "notes": notes}


# --- after the load ---------------------------------------------------------------------


def _delivery() -> str:
    """How a committed outbox row reaches the sender, as this run is configured."""
    from django.conf import settings

    backend = settings.TASKS["default"]["BACKEND"]
    wake = getattr(settings, "KIUM_NOTIFY_WAKE", "task")
    return f"KIUM_NOTIFY_WAKE={wake}, task backend {backend}"


def _notification_notes(ctx) -> list[str]:
    """Tap → its arrival message written in the tap's transaction → queued for delivery.

    The row's ``created_at`` is taken just before the INSERT, inside the transaction: a
    lower bound of the commit. What "queued" means after the commit depends on the
    configuration: with ``KIUM_NOTIFY_WAKE=listen`` the commit itself is the queueing (a
    NOTIFY wakes ``run_worker``) and its moment lies between ``created_at`` and the
    reader's answer; with the ``django_tasks_db`` backend it is the task's
    ``enqueued_at``; with the immediate backend the message is sent inside the request.
    """
    from django.conf import settings

    from kium.attendance.models import Tap
    from kium.notifications.models import OutboxMessage

    tapped = dict(
        Tap.objects.filter(nonce__startswith=WAVE_PREFIX, reader__isnull=False).values_list(
            "pk", "tapped_at"
        )
    )
    written, sent, keys = {}, {}, {}
    for context, created_at, sent_at, key in OutboxMessage.objects.filter(
        event="attendance.arrived"
    ).values_list("context", "created_at", "sent_at", "idempotency_key"):
        tap = context.get("tap")
        written[tap], keys[key] = created_at, tap
        if sent_at is not None:
            sent[tap] = sent_at
    notes = [
        "tap → its arrival message written to the outbox (created_at, before the commit): "
        + _fmt(spread(delays_ms(tapped, written)))
    ]
    wake = getattr(settings, "KIUM_NOTIFY_WAKE", "task")
    backend = settings.TASKS["default"]["BACKEND"]
    if wake == "listen":
        notes.append(
            "KIUM_NOTIFY_WAKE=listen: the commit is the queueing (the outbox NOTIFY wakes "
            "run_worker), so tap → queued lies between the line above and tap → answer"
        )
    elif backend == "django_tasks_db.DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        queued = {}
        for args_kwargs, enqueued_at in DBTaskResult.objects.values_list(
            "args_kwargs", "enqueued_at"
        ):
            args = (args_kwargs or {}).get("args") or []
            if args and args[0] in keys:
                queued[keys[args[0]]] = enqueued_at
        notes.append(
            "tap → delivery task queued after the commit (django_tasks_db enqueued_at): "
            f"{_fmt(spread(delays_ms(tapped, queued)))}; no db_worker runs during the bench"
        )
    if sent:
        notes.append(
            f"{len(sent):,} arrival messages were sent inside the request ({backend}); "
            f"tap → sent {_fmt(spread(delays_ms(tapped, sent)))}"
        )
    return notes


def _check(ctx, server, wave, second) -> list[str]:
    """After the load: one Tap row per nonce, one arrival message per first tap, no 5xx,
    and a resend answered as a duplicate without a new row."""
    from django.db.models import Count

    from kium.attendance.models import Tap
    from kium.notifications.models import OutboxMessage

    s, plan = ctx.extra["settings"], ctx.extra["plan"]
    notes = []
    for name, prefix, result, event, message in (
        ("wave", WAVE_PREFIX, wave, "check_in", "attendance.arrived"),
        ("second taps", SATURATION_PREFIX, second, "check_out", "attendance.departed"),
    ):
        taps = Tap.objects.filter(nonce__startswith=prefix, reader__isnull=False)
        ok = sum(1 for x in result.samples if x.status == 200)
        server_errors = sum(1 for x in result.samples if x.status >= 500)
        no_answer = sum(1 for x in result.samples if x.status == 0)
        rows = taps.count()
        nonces = taps.values("reader_id", "nonce").distinct().count()
        repeated = taps.values("reader_id", "nonce").annotate(n=Count("pk")).filter(n__gt=1).count()
        events = dict(taps.values_list("event").annotate(n=Count("pk")))
        flagged = taps.filter(flagged_no_care=True).count()
        ids = [str(pk) for pk in taps.values_list("pk", flat=True)]
        messages = OutboxMessage.objects.filter(event=message).values_list("context", flat=True)
        announced = Counter(str(c.get("tap")) for c in messages)
        with_message = sum(1 for pk in ids if announced.get(pk) == 1)
        verdict = (
            "ok"
            if rows == nonces == ok == len(result.samples)
            and not repeated
            and events == {event: rows}
            and with_message == rows
            and not flagged
            else "CHECK FAILED"
        )
        notes.append(
            f"{name} ({verdict}): {len(result.samples):,} sent, {ok:,} answered 200, "
            f"{server_errors} 5xx, {no_answer} unanswered; {rows:,} Tap rows for {nonces:,} "
            f"nonces ({repeated} repeated); events {events}; {flagged} flagged 'no care'; "
            f"{with_message:,} with exactly one {message} message"
        )
    before = Tap.objects.count()
    resend = _taps(ctx, range(min(RESENDS, s.wave)), WAVE_PREFIX, s.rate)
    result = load(
        server.host,
        server.port,
        [resend(j) for j in range(min(RESENDS, s.wave))],
        concurrency=8,
        default_headers=server.default_headers,
        keep_bodies=True,
    )
    duplicates = sum(
        1 for x in result.samples if x.status == 200 and json.loads(x.body).get("duplicate")
    )
    added = Tap.objects.count() - before
    verdict = "ok" if duplicates == len(result.samples) and not added else "CHECK FAILED"
    notes.append(
        f"resend of {len(result.samples)} wave taps ({verdict}): {duplicates} answered "
        f"duplicate, {added} Tap rows added"
    )
    notes.append(
        f"{ctx.extra['today']}: {_counters_match(ctx.extra['facility_ids'], ctx.extra['today'])}"
    )
    notes.append(
        f"{_delivery()}; {plan.children:,} children at {plan.centres} centres, "
        f"{plan.warmup} warm-up taps by children outside the wave; the second taps are "
        "departures (a child's taps alternate in/out)"
    )
    return notes
