"""Helpers for the reservation tests: a centre open all of 2026's 2학기, requests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count

from kium.centres.domain.periods import set_operating_period
from kium.centres.models import Quarter
from kium.reservations.domain.booking import Consents, Household, Request
from kium.reservations.models import CareDay, DayLoad

# Tuesday 2026-10-06 10:00 in Seoul (Monday 10-05 is 개천절's substitute holiday);
# 10-09 (Fri) is 한글날.
NOW = dt.datetime(2026, 10, 6, 1, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 10, 6)
NEXT_DAY = dt.date(2026, 10, 7)
HOURS = (dt.time(13, 0), dt.time(20, 0))


def open_centre(people, *, kind: str = "general", area: str = "33.00", district: str = "NW"):
    """A 키움센터 of capacity floor(area / 3.3) open on weekdays 13–20 all 2학기."""
    facility = people.facility(district, kind=kind, area_m2=Decimal(area))
    quarter = Quarter.objects.get(year=2026, term="semester2")
    set_operating_period(
        actor=None,
        facility=facility,
        quarter=quarter,
        weekday_hours=HOURS,
    )
    from kium.orgs.domain.capacity import with_effective_capacity
    from kium.orgs.models import Facility
    from kium.reservations.models import CentrePolicy

    # Most tests approve without uploads; test_documents covers the requirement.
    CentrePolicy.objects.create(facility=facility, requires_admission_documents=False)

    return with_effective_capacity(Facility.objects.select_related("profile")).get(pk=facility.pk)


def temporary(facility, child, day=NEXT_DAY, start=(14, 0), end=(18, 0), care_type="temporary"):
    return Request(
        facility=facility,
        child=child,
        care_type=care_type,
        date=day,
        start_time=dt.time(*start),
        end_time=dt.time(*end),
    )


def regular(facility, child, start=TODAY, end=dt.date(2026, 12, 31), weekdays=(0, 1, 2, 3, 4)):
    return Request(
        facility=facility,
        child=child,
        care_type="regular",
        start_date=start,
        end_date=end,
        weekdays=list(weekdays),
        start_time=dt.time(13, 0),
        end_time=dt.time(18, 0),
        household=Household(),
        consents=Consents(privacy=True, pickup=True),
    )


def assert_counters_match_rows(facility) -> None:
    """Every DayLoad counts exactly the CareDay rows of its day, within capacity."""
    rows = {
        (row["date"], row["pool"]): row["n"]
        for row in CareDay.objects.filter(facility=facility)
        .values("date", "pool")
        .annotate(n=Count("pk"))
    }
    for load in DayLoad.objects.filter(facility=facility):
        assert load.shared_used == rows.get((load.date, "shared"), 0), load
        assert load.quota_used == rows.get((load.date, "quota"), 0), load
        assert load.shared_used <= load.shared_capacity
        assert load.quota_used <= load.quota_capacity
