"""Facility codes (ORG-3) and staff account ids (ORG-4), handed out under a lock.

Two officers registering at once never get the same number: the counter row is read and
bumped inside ``core.locking.locked`` and the unique constraints back it. Numbers come
from counters, not from ``max(existing)``, so a deleted facility's number is never reused.
See docs/codes.md.
"""

from __future__ import annotations

from django.db.models import F

from kium.core.locking import lock_rows, locked
from kium.orgs.models import District, Facility, FacilityNumberCounter


class NumbersExhausted(Exception):
    """All 999 numbers of a district and type (or a facility's accounts) are used."""


def facility_code(district_code: str, facility_type: str, number: int) -> str:
    return f"{district_code}{facility_type}{number:03d}"


def staff_username(facility_code_: str, number: int) -> str:
    return f"{facility_code_}{number:03d}"


def next_facility_number(*, district: District, facility_type: str) -> int:
    """Take the next registration number; call inside the registering transaction."""
    with locked(f"facility-number:{district.code}:{facility_type}"):
        counter, _ = FacilityNumberCounter.objects.get_or_create(
            district=district, facility_type=facility_type
        )
        counter = lock_rows(FacilityNumberCounter.objects.filter(pk=counter.pk)).get()
        if counter.last_number >= 999:
            raise NumbersExhausted(f"{district.code}{facility_type}")
        FacilityNumberCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
        return counter.last_number + 1


def next_staff_number(*, facility: Facility) -> int:
    with locked(f"staff-number:{facility.code}"):
        current = lock_rows(Facility.objects.filter(pk=facility.pk)).values_list(
            "last_staff_number", flat=True
        )[0]
        if current >= 999:
            raise NumbersExhausted(facility.code)
        Facility.objects.filter(pk=facility.pk).update(last_staff_number=F("last_staff_number") + 1)
        return current + 1
