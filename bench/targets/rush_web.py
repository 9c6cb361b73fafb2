"""rush-web: the rush through the portal's own booking page, the way most parents book.

The ``rush`` target (issue 4) measures ``POST /api/v1/reservations``. Most Seoul parents
book on the portal instead: they walk the three steps, then press 신청하기 on step 3.
Here N logged-in guardians, each with a finished draft in their session, press it at
once: ``POST /facilities/<code>/reserve/confirm/``. That request carries the session,
the CSRF check, the form, the booking, and the session written back with the draft
cleared. It is answered with a redirect to the result page.

The baseline is the API booking of the same guardians, same centres, same gunicorn and
same run (another day of the same week). The ratio shows what the page costs on top of
the booking. Outcomes:
- ``302``: booked, confirmed or waitlisted (the database tells which);
- ``409``: the day is full;
- ``503``: the centre's lock was busy past its timeout (nothing written).
Afterwards the same invariants are checked as in ``rush``.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import replace
from urllib.parse import urlencode

from bench.load import Request, load
from bench.measure import Row
from bench.targets import rush

TITLE = "rush-web: N guardians press 신청하기 on the booking page at once, against the API"
APP = rush.APP

SIZES = rush.SIZES
WARM_UP = rush.WARM_UP
DAYS_NEEDED = 2 * len(SIZES) + 1  # an API day and a page day per size, and a warm-up day
HOURS = ("09:00", "13:00")  # as the API bookings of rush


def seed(ctx) -> dict:
    info = rush.seed(ctx)
    if len(ctx.extra["days"]) < DAYS_NEEDED:
        raise RuntimeError(f"need {DAYS_NEEDED} operating days in two weeks: {ctx.extra['days']}")
    from kium.accounts.models import User

    ctx.extra["users"] = list(User.objects.filter(username__startswith="rush").order_by("username"))
    ctx.extra["csrf"] = secrets.token_hex(16)  # 32 characters, as Django's own secrets
    return info


# --- sessions ---------------------------------------------------------------------------


def session_data(
    user, code: str, child_id: int, day: dt.date, hours: tuple[str, str] = HOURS
) -> dict:
    """What a guardian's session holds after logging in and finishing steps 1 and 2 for
    temporary care at ``code`` on ``day`` (the keys ``views_reserve`` writes; the test in
    tests/bench shows the page books with it)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from kium.public.views_reserve_common import SESSION_KEY as DRAFTS_KEY

    draft = {
        "child": str(child_id),
        "care_type": "temporary",
        "date": day.isoformat(),
        "start_time": hours[0],
        "end_time": hours[1],
        "details_done": True,
    }
    return {
        SESSION_KEY: str(user.pk),
        BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
        HASH_SESSION_KEY: user.get_session_auth_hash(),
        DRAFTS_KEY: {code: draft},
    }


def write_sessions(
    entries: list[tuple[object, str, int, dt.date]], hours: tuple[str, str] = HOURS
) -> list[str]:
    """One stored session per (user, code, child id, day); their keys, in order."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    store = SessionStore()
    expires = timezone.now() + dt.timedelta(hours=2)
    rows = [
        Session(
            session_key=secrets.token_hex(16),
            session_data=store.encode(session_data(user, code, child, day, hours)),
            expire_date=expires,
        )
        for user, code, child, day in entries
    ]
    Session.objects.bulk_create(rows)
    return [row.session_key for row in rows]


def confirm_request(origin: str, session_key: str, code: str, csrf: str) -> Request:
    """신청하기 on step 3 as the browser sends it: same-origin (``origin`` is the site as
    the browser sees it, ``https://…`` behind nginx), session and CSRF cookies, the form."""
    from django.conf import settings

    path = f"/facilities/{code}/reserve/confirm/"
    cookies = f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    return Request(
        method="POST",
        path=path,
        headers={
            "Cookie": cookies,
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": f"{origin}{path}",
        },
        body=urlencode({"csrfmiddlewaretoken": csrf, "privacy": "on", "action": "submit"}).encode(),
    )


# --- the run ----------------------------------------------------------------------------


def _page_rush(ctx, server, size: int, day: dt.date, rng: random.Random):
    """N confirm requests for ``day``, each guardian at a random centre."""
    guardians, users, codes = ctx.extra["guardians"], ctx.extra["users"], ctx.extra["codes"]
    chosen = [rng.choice(codes) for _ in range(size)]
    keys = write_sessions(
        [
            (user, code, child, day)
            for (_, child), user, code in zip(guardians[:size], users[:size], chosen, strict=True)
        ]
    )
    origin = f"https://{server.host}:{server.port}"
    return [
        confirm_request(origin, key, code, ctx.extra["csrf"])
        for key, code in zip(keys, chosen, strict=True)
    ]


def _warm_up(ctx, server) -> None:
    """Each worker thread serves the page's POST and the API booking several times first
    (rush's warm-up reasons), on the warm-up day."""
    rng = random.Random(7)
    day = ctx.extra["days"][-1]
    closing = {"Connection": "close"}
    pages = _page_rush(ctx, server, WARM_UP, day, rng)
    api = [
        rush._booking(token, child, ctx.extra["codes"][n % rush.CENTRES], day)
        for n, (token, child) in enumerate(ctx.extra["guardians"][WARM_UP : 2 * WARM_UP])
    ]
    for batch in (pages, api):
        closed = [replace(request, headers={**request.headers, **closing}) for request in batch]
        load(
            server.host,
            server.port,
            closed,
            default_headers=server.default_headers,
            concurrency=8,
        )


def _status_counts(result) -> dict[str, int]:
    return {
        key: value
        for key, value in sorted(result.status_counts().items())
        if value  # keeps the note short
    }


def _booked(codes: list[str], day: dt.date) -> dict[str, int]:
    from django.db.models import Count

    from kium.reservations.models import Reservation

    return dict(
        Reservation.objects.filter(facility__code__in=codes, date=day)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by("status")
    )


def measure(ctx, server) -> dict:
    rng = random.Random(2026)
    guardians, codes, days = ctx.extra["guardians"], ctx.extra["codes"], ctx.extra["days"]
    ctx.log("  warming every worker up …")
    _warm_up(ctx, server)
    rows: list[Row] = []
    notes: list[str] = []
    for index, size in enumerate(SIZES):
        api_day, page_day = days[2 * index], days[2 * index + 1]
        cpu: dict[str, dict] = {}
        ctx.log(f"  N = {size:,}: API booking …")
        api_requests = [
            rush._booking(token, child, rng.choice(codes), api_day)
            for token, child in guardians[:size]
        ]
        api = rush._rush(server, api_requests, cpu, "booking")
        ctx.log(f"  N = {size:,}: 신청하기 on the booking page …")
        page = rush._rush(server, _page_rush(ctx, server, size, page_day, rng), cpu, "page")
        rows.append(
            rush._row(
                "POST /api/v1/reservations",
                size,
                api,
                baseline=True,
                note=", ".join(f"{k}: {v}" for k, v in sorted(rush._outcomes(api).items())),
            )
        )
        rows.append(
            rush._row(
                "POST …/reserve/confirm/ (page)",
                size,
                page,
                baseline=False,
                note=", ".join(f"{k}: {v}" for k, v in _status_counts(page).items()),
            )
        )
        ratio = page.throughput() / api.throughput() if api.throughput() else 0
        notes.append(
            f"N = {size:,}: the page books {page.throughput():.0f}/s = {ratio:.2f} × the API "
            f"({api.throughput():.0f}/s); answers {_status_counts(page)}; in the database "
            f"{_booked(codes, page_day)}"
        )
        notes.append(rush._check_invariants(codes, api_day))
        notes.append(rush._check_invariants(codes, page_day))
        notes.extend(
            f"N = {size:,}: {name}: {_describe(cpu[label])}"
            for label, name in (("booking", "API booking"), ("page", "booking page"))
        )
    from bench.measure import add_ratios

    add_ratios(rows)
    return {"rows": rows, "notes": notes}


def _describe(figures: dict) -> str:
    from bench import cpu as cpu_time

    return cpu_time.describe(figures)
