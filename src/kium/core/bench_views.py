"""Baselines for ``make bench`` (docs/performance.md), mounted only when
``KIUM_BENCH_ENDPOINTS`` is on — never in production (startup refuses it there).

* ``/bench/ping`` — the cheapest JSON answer the stack can give (no database);
* ``/bench/minimal-booking`` — the physical limit of a durable booking on this machine:
  one transaction that locks a day row, checks it and inserts a row with raw SQL, with
  none of the rules, audit or notification of the real engine.
"""

from __future__ import annotations

import json

from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

TABLES = (
    "CREATE TABLE IF NOT EXISTS bench_day ("
    " id integer PRIMARY KEY, capacity integer NOT NULL, used integer NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS bench_booking ("
    " id bigserial PRIMARY KEY, day_id integer NOT NULL, guardian text NOT NULL,"
    " created_at timestamptz NOT NULL DEFAULT now())",
)


def create_tables(days: int, capacity: int) -> None:
    """Called by the bench before serving (PostgreSQL only)."""
    with connection.cursor() as cursor:
        for statement in TABLES:
            cursor.execute(statement)
        cursor.execute("TRUNCATE bench_day, bench_booking")
        for day_id in range(days):
            cursor.execute(
                "INSERT INTO bench_day (id, capacity, used) VALUES (%s, %s, 0)",
                [day_id, capacity],
            )


@require_GET
def ping(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@csrf_exempt
@require_POST
def minimal_booking(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body or b"{}")
    day_id = int(body.get("day", 0))
    guardian = str(body.get("guardian", ""))[:50]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT capacity, used FROM bench_day WHERE id = %s FOR UPDATE", [day_id])
        row = cursor.fetchone()
        if row is None or row[1] >= row[0]:
            return JsonResponse({"code": "full"}, status=409)
        cursor.execute("UPDATE bench_day SET used = used + 1 WHERE id = %s", [day_id])
        cursor.execute(
            "INSERT INTO bench_booking (day_id, guardian) VALUES (%s, %s) RETURNING id",
            [day_id, guardian],
        )
        booking_id = cursor.fetchone()[0]
    return JsonResponse({"id": booking_id, "status": "confirmed"}, status=201)
