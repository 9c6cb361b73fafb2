"""Places per facility and day: the counters, taking and giving back, and handing a freed
place to the first in line (docs/reservations.md, "Places" and "Waitlists").

Every function here expects to run inside ``facility_lock(facility)``: the counters are
read, checked and written back as values, so only the lock keeps two requests from
reading the same free place (the race test in tests/concurrency proves it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q

from kium.centres.domain.availability import places as facility_places
from kium.centres.domain.queries import operating_days
from kium.core import batch, clock
from kium.core.audit import log_action
from kium.core.locking import locked
from kium.core.notify import notify
from kium.reservations.domain import facts, policy
from kium.reservations.enums import SINGLE_DAY_TYPES, CareType, Pool, Status
from kium.reservations.models import CareDay, DayLoad, Reservation

COUNTER_FIELDS = ["shared_used", "quota_used", "waitlisted"]


def facility_lock(facility_id: int):
    """The one lock for every change of one facility's places (core/locking.py)."""
    return locked(f"reservations:places:{facility_id}")


# --- counters -----------------------------------------------------------------------------


def capacities(facility) -> tuple[int, int, int]:
    """(shared, temporary-only quota, waitlist) places of the facility per day."""
    shared, quota = facility_places(facility)
    return shared, quota, policy.waitlist_capacity(shared, quota)


def loads_for(facility, dates: Iterable[dt.date]) -> dict[dt.date, DayLoad]:
    """The facility's counter rows for ``dates``, created at today's capacities if new."""
    wanted = sorted(set(dates))
    if not wanted:
        return {}
    loads = {load.date: load for load in _select_loads(facility.pk, wanted)}
    missing = [day for day in wanted if day not in loads]
    if missing:
        shared, quota, waitlist = capacities(facility)
        DayLoad.objects.bulk_create(
            [
                DayLoad(
                    facility_id=facility.pk,
                    date=day,
                    shared_capacity=shared,
                    quota_capacity=quota,
                    waitlist_capacity=waitlist,
                )
                for day in missing
            ],
            ignore_conflicts=True,
        )
        loads.update({load.date: load for load in _select_loads(facility.pk, missing)})
    return loads


def load_and_new_id(facility, day: dt.date, model) -> tuple[dict[dt.date, DayLoad], int | None]:
    """``loads_for(facility, [day])`` plus, on PostgreSQL and when the counter row exists,
    a fresh id from ``model``'s sequence in the same statement: the booking can then send
    its reservation row with the other writes (core/batch.py) instead of waiting for the
    id an INSERT would return. Elsewhere (or on the day's first booking) the id is None
    and the caller inserts as usual. An id drawn for a booking that is then refused is
    simply never used."""
    if connection.vendor != "postgresql":
        return loads_for(facility, [day]), None
    sequence = f"nextval(pg_get_serial_sequence('{model._meta.db_table}', 'id'))"
    with connection.cursor() as cursor:
        cursor.execute(
            f"{facts.select_sql(DayLoad)}, {sequence} AS new_id"
            f' FROM {DayLoad._meta.db_table} WHERE facility_id = %s AND "date" = %s',
            [facility.pk, day],
        )
        row = cursor.fetchone()
    if row is None:
        return loads_for(facility, [day]), None
    return {day: facts.instance(DayLoad, row[:-1])}, row[-1]


def _select_loads(facility_id: int, dates: list[dt.date]) -> list[DayLoad]:
    adapt = connection.ops.adapt_datefield_value
    if len(dates) == 1:
        return facts.select(
            DayLoad, 'facility_id = %s AND "date" = %s', [facility_id, adapt(dates[0])]
        )
    return list(DayLoad.objects.filter(facility_id=facility_id, date__in=dates))


def save_loads(loads: Iterable[DayLoad]) -> None:
    """Write the counters back as values (the lock is what makes that safe)."""
    rows = list(loads)
    if len(rows) == 1:
        load = rows[0]
        batch.execute(
            "UPDATE reservations_dayload SET shared_used = %s, quota_used = %s,"
            " waitlisted = %s WHERE id = %s",
            [load.shared_used, load.quota_used, load.waitlisted, load.pk],
        )
    elif rows:
        DayLoad.objects.bulk_update(rows, COUNTER_FIELDS)


def pool_for_single_day(load: DayLoad) -> str | None:
    """RES-3: a single-day booking takes shared capacity first, then the quota."""
    if load.shared_free > 0:
        return Pool.SHARED
    if load.quota_free > 0:
        return Pool.QUOTA
    return None


def take(load: DayLoad, pool: str) -> None:
    if pool == Pool.SHARED:
        load.shared_used += 1
    else:
        load.quota_used += 1


def give_back(load: DayLoad, pool: str) -> None:
    if pool == Pool.SHARED:
        load.shared_used = max(0, load.shared_used - 1)
    else:
        load.quota_used = max(0, load.quota_used - 1)


def hold_days(reservation: Reservation, loads: dict[dt.date, DayLoad], pools: dict) -> None:
    """Write the CareDay rows of ``reservation`` and count them in ``loads``."""
    batch.insert_many(
        [
            CareDay(
                reservation_id=reservation.pk,
                facility_id=reservation.facility_id,
                date=day,
                pool=pool,
            )
            for day, pool in sorted(pools.items())
        ]
    )
    for day, pool in pools.items():
        take(loads[day], pool)


def release_days(
    reservation: Reservation, *, facility, from_day: dt.date | None = None
) -> dict[dt.date, DayLoad]:
    """Give back the places ``reservation`` holds (from ``from_day`` on); the touched loads."""
    held = CareDay.objects.filter(reservation_id=reservation.pk)
    if from_day is not None:
        held = held.filter(date__gte=from_day)
    rows = list(held.values_list("pk", "date", "pool"))
    if not rows:
        return {}
    loads = loads_for(facility, [day for _, day, _ in rows])
    for _, day, pool in rows:
        give_back(loads[day], pool)
    CareDay.objects.filter(pk__in=[pk for pk, _, _ in rows]).delete()
    return loads


# --- regular care days ----------------------------------------------------------------


def regular_days(reservation: Reservation, facility, *, from_day: dt.date | None = None):
    """The operating days on the reservation's weekdays (from ``from_day`` on)."""
    start = max(reservation.start_date, from_day) if from_day else reservation.start_date
    wanted = set(reservation.weekdays)
    return [
        day
        for day in operating_days(facility, start, reservation.end_date)
        if day.weekday() in wanted
    ]


def full_days(loads: dict[dt.date, DayLoad], days: Iterable[dt.date]) -> list[dt.date]:
    """Days without a shared place (regular care never uses the temporary quota)."""
    return [day for day in days if loads[day].shared_free <= 0]


# --- handing freed places on ------------------------------------------------------------


def fill_freed_places(*, facility, loads: dict[dt.date, DayLoad], actor, reason: str) -> None:
    """Offer places freed on ``loads``' days to the first in line (RES-8).

    Waiting regular applications come first (their whole period must fit), then each
    day's single-day waitlist in order of arrival. Each offer holds its place until it is
    accepted or lapses (offers.expire_due_offers). Saves the touched loads.
    """
    today = clock.today()
    days = sorted(day for day, load in loads.items() if day >= today)
    if days:
        _offer_to_regular_waitlist(facility, loads, days, actor=actor, reason=reason)
        for day in days:
            _offer_to_day_waitlist(facility, loads, day, actor=actor, reason=reason)
    save_loads(loads.values())


def _offer_to_regular_waitlist(facility, loads, days, *, actor, reason: str) -> None:
    if not any(loads[day].shared_free > 0 for day in days):
        return
    waiting = Reservation.objects.filter(
        facility_id=facility.pk,
        care_type=CareType.REGULAR,
        status=Status.WAITLISTED,
        start_date__lte=days[-1],
        end_date__gte=days[0],
    ).order_by("priority_rank", "queued_at", "pk")
    today = clock.today()
    for reservation in waiting:
        wanted = regular_days(reservation, facility, from_day=today)
        more = loads_for(facility, [day for day in wanted if day not in loads])
        loads.update(more)
        if not wanted or full_days(loads, wanted):
            continue  # this applicant's own days are still full: they keep their place
        hold_days(reservation, loads, dict.fromkeys(wanted, Pool.SHARED))
        _make_offer(reservation, first_day=wanted[0], actor=actor, reason=reason)


def _offer_to_day_waitlist(facility, loads, day: dt.date, *, actor, reason: str) -> None:
    load = loads[day]
    if load.waitlisted <= 0 or pool_for_single_day(load) is None:
        return
    waiting = Reservation.objects.filter(
        facility_id=facility.pk,
        care_type__in=SINGLE_DAY_TYPES,
        status=Status.WAITLISTED,
        date=day,
    ).order_by("queued_at", "pk")
    for reservation in waiting:
        pool = pool_for_single_day(load)
        if pool is None:
            break
        load.waitlisted -= 1
        reservation.pool = pool
        hold_days(reservation, loads, {day: pool})
        _make_offer(reservation, first_day=day, actor=actor, reason=reason)


def _make_offer(reservation: Reservation, *, first_day: dt.date, actor, reason: str) -> None:
    now = clock.now()
    reservation.status = Status.OFFERED
    reservation.offer_expires_at = policy.offer_deadline(
        now=now, first_day=first_day, regular=reservation.care_type == CareType.REGULAR
    )
    reservation.save(update_fields=["status", "offer_expires_at", "pool", "updated_at"])
    log_action(
        actor=actor,
        action="reservation.offer",
        obj=reservation,
        before={"status": Status.WAITLISTED},
        after={"status": Status.OFFERED, "offer_expires_at": reservation.offer_expires_at},
        reason=reason,
    )
    notify(
        "reservation.offered",
        reservation.guardian,
        {
            "reservation": reservation.pk,
            "facility": reservation.facility_id,
            "deadline": reservation.offer_expires_at.isoformat(),
        },
    )


# --- positions --------------------------------------------------------------------------


def waitlist_position(reservation: Reservation) -> int | None:
    """1-based place in line of a waiting reservation (None when it is not waiting)."""
    if reservation.status != Status.WAITLISTED:
        return None
    ahead = Reservation.objects.filter(
        facility_id=reservation.facility_id, status=Status.WAITLISTED
    )
    earlier = Q(queued_at__lt=reservation.queued_at) | Q(
        queued_at=reservation.queued_at, pk__lt=reservation.pk
    )
    if reservation.care_type == CareType.REGULAR:
        ahead = ahead.filter(care_type=CareType.REGULAR).filter(
            Q(priority_rank__lt=reservation.priority_rank)
            | (Q(priority_rank=reservation.priority_rank) & earlier)
        )
    else:
        ahead = ahead.filter(care_type__in=SINGLE_DAY_TYPES, date=reservation.date).filter(earlier)
    return ahead.count() + 1


# --- capacity changes -------------------------------------------------------------------


def capacity_changed(*, facility, actor) -> int:
    """Re-count future days after the facility's capacity changed (RES-2 approval).

    A smaller capacity never takes away a place already given (the day keeps at least
    what it holds); a larger one is offered to those waiting at once. Returns the number
    of days updated.
    """
    shared, quota, waitlist = capacities(facility)
    with facility_lock(facility.pk):
        loads = {
            load.date: load
            for load in DayLoad.objects.filter(facility_id=facility.pk, date__gte=clock.today())
        }
        for load in loads.values():
            load.shared_capacity = max(shared, load.shared_used)
            load.quota_capacity = max(quota, load.quota_used)
            load.waitlist_capacity = max(waitlist, load.waitlisted)
        DayLoad.objects.bulk_update(
            list(loads.values()), ["shared_capacity", "quota_capacity", "waitlist_capacity"]
        )
        fill_freed_places(facility=facility, loads=loads, actor=actor, reason="capacity")
    return len(loads)


def waitlist_positions(reservations: Iterable[Reservation]) -> dict[int, int]:
    """Positions of the waiting ones among ``reservations`` in one query (for lists)."""
    waiting = [r for r in reservations if r.status == Status.WAITLISTED]
    if not waiting:
        return {}
    lines: dict[tuple, list[tuple]] = {}
    rows = Reservation.objects.filter(
        facility_id__in={r.facility_id for r in waiting}, status=Status.WAITLISTED
    ).values_list("pk", "facility_id", "care_type", "date", "priority_rank", "queued_at")
    for pk, facility_id, care_type, day, rank, queued_at in rows:
        if care_type == CareType.REGULAR:
            key, order = (facility_id, "regular"), (rank, queued_at, pk)
        else:
            key, order = (facility_id, day), (queued_at, pk)
        lines.setdefault(key, []).append((order, pk))
    positions: dict[int, int] = {}
    for line in lines.values():
        for index, (_, pk) in enumerate(sorted(line), start=1):
            positions[pk] = index
    return {r.pk: positions[r.pk] for r in waiting if r.pk in positions}


# --- absences (issue 5) ------------------------------------------------------------------


def _regular_care_on(facility_id: int, child_id: int, day: dt.date) -> Reservation | None:
    return (
        Reservation.objects.filter(
            facility_id=facility_id,
            child_id=child_id,
            care_type=CareType.REGULAR,
            status=Status.CONFIRMED,
            start_date__lte=day,
            end_date__gte=day,
        )
        .select_related("facility", "guardian")
        .order_by("pk")
        .first()
    )


def release_absent_day(*, facility, child_id: int, day: dt.date, actor) -> bool:
    """A regular child marked absent frees that day's place, and the day's line is offered
    it at once (docs/reservations.md, "Absences"). Past days free nothing."""
    if day < clock.today():
        return False
    with facility_lock(facility.pk):
        reservation = _regular_care_on(facility.pk, child_id, day)
        if reservation is None:
            return False
        held = CareDay.objects.filter(reservation=reservation, date=day).first()
        if held is None:
            return False
        loads = loads_for(facility, [day])
        give_back(loads[day], held.pool)
        held.delete()
        log_action(
            actor=actor,
            action="reservation.absence_release",
            obj=reservation,
            after={"date": day.isoformat()},
            reason="absence",
        )
        fill_freed_places(facility=facility, loads=loads, actor=actor, reason="absence")
    return True


def retake_absent_day(*, facility, child_id: int, day: dt.date, actor) -> bool:
    """An absence undone: the regular child takes the day's place back if one is still
    free. False when it went to someone else in the meantime (the centre decides)."""
    if day < clock.today():
        return False
    with facility_lock(facility.pk):
        reservation = _regular_care_on(facility.pk, child_id, day)
        if (
            reservation is None
            or CareDay.objects.filter(reservation=reservation, date=day).exists()
        ):
            return False
        if day.weekday() not in set(reservation.weekdays):
            return False
        loads = loads_for(facility, [day])
        if loads[day].shared_free <= 0:
            log_action(
                actor=actor,
                action="reservation.absence_retake_failed",
                obj=reservation,
                after={"date": day.isoformat()},
                reason="the place went to the waitlist",
            )
            return False
        hold_days(reservation, loads, {day: Pool.SHARED})
        save_loads(loads.values())
        log_action(
            actor=actor,
            action="reservation.absence_retake",
            obj=reservation,
            after={"date": day.isoformat()},
        )
    return True
