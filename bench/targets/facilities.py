"""facilities (issue 3): 1,500 facilities, the public map data, the API list, the back office.

Seeding goes through the domain functions a person's action calls (``register_facility``
with its codes, departments and audit entries; ``set_operating_period``), which takes
about 10 s on PostgreSQL for 1,500 facilities: fast enough that bulk inserts are not
needed here.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
from collections import Counter
from decimal import Decimal

from bench.load import Request
from bench.measure import (
    Endpoint,
    Mode,
    html_contains,
    json_count,
    measure_http,
    measure_in_process,
)

TITLE = "1,500 facilities: public map data, API list, back-office list (issue 3)"

PER_DISTRICT = 60  # × 25 districts = 1,500, about Seoul's real count of all four types
# Per district: 24 키움센터, 15 열린육아방·공동육아나눔터, 15 지역아동센터, 6 키즈카페.
TYPE_MIX = (("UK", 24), ("CC", 15), ("GI", 15), ("SK", 6))
UK_KINDS = ("general",) * 16 + ("fusion",) * 5 + ("hub",) * 3
AGES = {
    "UK": ["elementary"],
    "CC": ["infant", "kindergarten"],
    "GI": ["elementary_middle"],
    "SK": ["infant", "kindergarten", "elementary"],
}
TYPE_SHORT = {"UK": "키움센터", "CC": "열린육아방", "GI": "지역아동센터", "SK": "키즈카페"}
# Share of each type with an operating period in the current quarter.
PERIOD_SHARE = {"UK": 0.8, "CC": 0.5, "GI": 0.5, "SK": 0.3}
CLOSED_SHARE = 0.08  # 운영여부 off
# Approximate centres of the 25 districts; facilities are scattered ±0.015° around them,
# which keeps every point inside Seoul (37.43–37.70 N, 126.76–127.19 E).
DISTRICT_CENTRES = {
    "JN": (37.5735, 126.9790), "JG": (37.5641, 126.9979), "YS": (37.5326, 126.9905),
    "SD": (37.5633, 127.0371), "GJ": (37.5385, 127.0823), "DM": (37.5744, 127.0396),
    "JR": (37.6066, 127.0927), "SB": (37.5894, 127.0167), "GB": (37.6396, 127.0257),
    "DB": (37.6688, 127.0471), "NW": (37.6542, 127.0568), "EP": (37.6027, 126.9291),
    "SM": (37.5791, 126.9368), "MP": (37.5663, 126.9019), "YC": (37.5170, 126.8666),
    "GS": (37.5509, 126.8495), "GR": (37.4954, 126.8874), "KC": (37.4569, 126.8955),
    "YF": (37.5264, 126.8962), "DJ": (37.5124, 126.9393), "GA": (37.4784, 126.9516),
    "SC": (37.4837, 127.0324), "GN": (37.5172, 127.0473), "SP": (37.5145, 127.1059),
    "GD": (37.5301, 127.1238),
}  # fmt: skip
OFFICER_DISTRICT = "NW"
DISTRICT_ROLE = "구관리자_우리동네키움센터"
CITY_ROLE = "총괄운영"
GOAL_MS = 100.0

MAP_PATH = "/find/map/facilities.json"
API_LIST_PATH = "/api/v1/facilities?page_size=100"
BACKOFFICE_PATH = "/admin/org/facilities/"
ROW_MARKER = 'class="kium-code"'


def _point(rng: random.Random, code: str) -> tuple[Decimal, Decimal]:
    lat, lng = DISTRICT_CENTRES[code]
    return (
        Decimal(f"{lat + rng.uniform(-0.015, 0.015):.6f}"),
        Decimal(f"{lng + rng.uniform(-0.015, 0.015):.6f}"),
    )


def _set_not_operating(facility) -> None:
    try:
        from kium.centres.domain.profile import update_facility
    except ImportError:  # the record-editing function arrived with issue 3
        type(facility).objects.filter(pk=facility.pk).update(is_operating=False)
        return
    update_facility(actor=None, facility=facility, is_operating=False)


def seed_facilities(rng: random.Random) -> dict:
    from kium.centres.domain.periods import set_operating_period
    from kium.centres.domain.queries import quarter_on
    from kium.core import clock
    from kium.orgs.domain.facilities import register_facility
    from kium.orgs.models import District, Dong

    quarter = quarter_on(clock.today())
    dongs: dict[int, list] = {}
    for dong in Dong.objects.filter(is_active=True):
        dongs.setdefault(dong.district_id, []).append(dong)
    by_type: Counter = Counter()
    periods = closed = 0
    for district in District.objects.order_by("sort_order"):
        short = district.name.removesuffix("구")
        kinds = list(UK_KINDS)
        rng.shuffle(kinds)
        for facility_type, count in TYPE_MIX:
            for n in range(1, count + 1):
                lat, lng = _point(rng, district.code)
                choices = dongs.get(district.pk) or [None]
                facility = register_facility(
                    actor=None,
                    district=district,
                    facility_type=facility_type,
                    name=f"{short} {TYPE_SHORT[facility_type]} {n}호점",
                    address=f"서울특별시 {district.name} 벤치로 {rng.randint(1, 300)}",
                    kind=kinds[n - 1] if facility_type == "UK" else "",
                    dong=rng.choice(choices),
                    lat=lat,
                    lng=lng,
                    area_m2=Decimal(rng.randint(40, 240)),
                    ages=AGES[facility_type],
                    email=f"{district.code.lower()}{facility_type.lower()}{n}@bench.example.kr",
                    phone=f"02-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
                    opened_on=dt.date(rng.randint(2016, 2025), rng.randint(1, 12), 1),
                )
                by_type[facility_type] += 1
                if rng.random() < CLOSED_SHARE:
                    _set_not_operating(facility)
                    closed += 1
                elif quarter is not None and rng.random() < PERIOD_SHARE[facility_type]:
                    saturday = (dt.time(9), dt.time(13)) if rng.random() < 0.3 else None
                    set_operating_period(
                        actor=None,
                        facility=facility,
                        quarter=quarter,
                        weekday_hours=(dt.time(13), dt.time(19)),
                        saturday_hours=saturday,
                    )
                    periods += 1
    return {
        "facilities": sum(by_type.values()),
        "by_type": dict(by_type),
        "not_operating": closed,
        "operating_periods": periods,
        "quarter": str(quarter) if quarter else None,
        "today": clock.today().isoformat(),
    }


def _officer(username: str, role_name: str, district_code: str | None):
    from kium.accounts.enums import ApprovalStatus, UserKind
    from kium.accounts.models import User
    from kium.orgs.enums import ScopeLevel
    from kium.orgs.models import District, Role, RoleAssignment

    district = District.objects.get(code=district_code) if district_code else None
    user = User.objects.create_user(
        username=username,
        password=secrets.token_urlsafe(16),
        kind=UserKind.STAFF,
        name=f"벤치 {username}",
        phone="01000000000",
        approval_status=ApprovalStatus.APPROVED,
        district=district,
    )
    RoleAssignment.objects.create(
        user=user,
        role=Role.objects.get(name=role_name),
        scope_level=ScopeLevel.DISTRICT if district else ScopeLevel.CITY,
        district=district,
    )
    return user


def session_cookie(user) -> str:
    """A signed-in back-office session written straight to the session store.

    The same keys ``django.contrib.auth.login`` and the back-office login write, so the
    middleware (idle and absolute limits) treats it as a fresh login.
    """
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from kium.accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    now = int(time.time())
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[SESSION_STARTED] = now
    store[SESSION_LAST_SEEN] = now
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def seed(ctx) -> dict:
    rng = random.Random(2026)  # the same facilities every run
    began = time.perf_counter()
    info = seed_facilities(rng)
    district_officer = _officer("bench_district_nw", DISTRICT_ROLE, OFFICER_DISTRICT)
    city_officer = _officer("bench_city", CITY_ROLE, None)
    ctx.extra["cookies"] = {
        "district": session_cookie(district_officer),
        "city": session_cookie(city_officer),
    }
    from kium.orgs.domain.scope import facilities_for_user

    info["district_officer_facilities"] = facilities_for_user(district_officer).count()
    info["seconds"] = round(time.perf_counter() - began, 1)
    return info


def map_path() -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("public:find_map_data")
    except NoReverseMatch:
        return MAP_PATH


def endpoints(ctx) -> list[Endpoint]:
    district_cookie = {"Cookie": ctx.extra["cookies"]["district"]}
    city_cookie = {"Cookie": ctx.extra["cookies"]["city"]}
    rows_check = html_contains(ROW_MARKER, "rows")
    return [
        Endpoint("health (baseline)", Request(path="/api/v1/health"), baseline=True),
        Endpoint(
            "map data (public)", Request(path=map_path()), goal_median_ms=GOAL_MS, check=json_count
        ),
        Endpoint("API list, 100/page", Request(path=API_LIST_PATH), check=json_count),
        Endpoint(
            f"back office, district ({OFFICER_DISTRICT})",
            Request(path=BACKOFFICE_PATH, headers=district_cookie),
            goal_median_ms=GOAL_MS,
            check=rows_check,
        ),
        Endpoint(
            "back office, city",
            Request(path=BACKOFFICE_PATH, headers=city_cookie),
            goal_median_ms=GOAL_MS,
            check=rows_check,
        ),
        Endpoint(
            "back office, city, 100/page",
            Request(path=BACKOFFICE_PATH + "?per_page=100", headers=city_cookie),
            goal_median_ms=GOAL_MS,
            check=rows_check,
        ),
    ]


def in_process_rows(ctx, map_available: bool) -> list:
    """The map data as the first visitor of a minute gets it: its cache cleared each time.

    The view caches its JSON for a minute per search (and per gunicorn worker, with the
    local-memory cache), so over HTTP nearly every request is a cache hit. This times the
    uncached work in this process (Django's test client: middleware, view, queries, JSON;
    no socket), against the health view timed the same way.
    """
    from django.core.cache import cache
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    path = map_path()

    def health():
        response = client.get("/api/v1/health")
        assert response.status_code == 200, response.status_code

    def map_uncached():
        cache.clear()
        response = client.get(path)
        assert response.status_code == 200, response.status_code

    rows = [
        measure_in_process("health (baseline)", health, runs=ctx.in_process_runs * 4, baseline=True)
    ]
    if map_available:
        rows.append(
            measure_in_process(
                "map data, cache cleared",
                map_uncached,
                runs=ctx.in_process_runs,
                goal_median_ms=GOAL_MS,
                note="in-process, no HTTP",
            )
        )
    return rows


def measure(ctx, server) -> dict:
    from bench.measure import add_ratios

    modes = [
        Mode("1 connection", 1, ctx.requests),
        Mode(
            f"{ctx.concurrency} connections",
            ctx.concurrency,
            ctx.concurrent_requests,
            requests_per_connection=ctx.requests_per_connection,
        ),
    ]
    rows = measure_http(
        server,
        endpoints(ctx),
        modes=modes,
        warmup=ctx.warmup,
        warmup_concurrency=ctx.concurrency,
        log=ctx.log,
    )
    notes = []
    map_rows = [r for r in rows if r.endpoint.startswith("map data")]
    map_available = not any(r.skipped for r in map_rows)
    if not map_available:
        notes.append(
            f"{map_path()} is not available ({map_rows[0].skipped}): the API list rows "
            "stand in for the map data until it is."
        )
    else:
        notes.append(
            "map data over HTTP is mostly served from the view's one-minute cache "
            "(per worker); the in-process row times it with the cache cleared."
        )
    ctx.log("  in-process …")
    extra_rows = in_process_rows(ctx, map_available)
    add_ratios(extra_rows)
    return {"rows": rows + extra_rows, "notes": notes}
