"""Reservations (API.md "Guardians" and "Staff"): book, list, cancel, accept, decide.

Rule refusals answer 422 with the rule code, state conflicts 409 (``full``,
``offer_expired``), and every message is Korean.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from kium.api.errors import ApiError
from kium.api.security import bearer
from kium.api.types import IsoDate
from kium.core.audit import record_access
from kium.orgs.domain.scope import is_backoffice_user
from kium.reservations.domain import booking, transitions
from kium.reservations.domain.errors import ReservationError
from kium.reservations.domain.places import waitlist_positions
from kium.reservations.domain.queries import reservations_for_user, reservations_of_guardian
from kium.reservations.enums import CareType
from kium.reservations.models import Reservation

router = Router(auth=bearer, tags=["reservations"])

CareTypeCode = Literal["temporary", "regular", "sick"]
StatusCode = Literal[
    "pending", "confirmed", "waitlisted", "offered", "rejected", "cancelled", "expired", "completed"
]


class ReservationIn(Schema):
    facility: str = Field(..., min_length=1, max_length=7)
    child: int = Field(..., ge=1, le=2**31 - 1)
    care_type: CareTypeCode
    date: IsoDate | None = None
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    weekdays: list[int] = Field(default_factory=list, max_length=7)
    start_time: dt.time
    end_time: dt.time
    # The centre's priority rules and RES-6 consents (optional for API clients).
    dual_earner: bool = False
    single_parent: bool = False
    many_children: bool = False
    complex_resident: bool = False
    privacy_consent: bool = False
    pickup_consent: bool = False
    symptoms: str = Field("", max_length=500)
    clinic_escort_consent: bool = False
    reachable_phone: str = Field("", max_length=20)
    note: str = Field("", max_length=500)


class BookedOut(Schema):
    id: int
    status: StatusCode
    waitlist_position: int | None


class ReservationOut(Schema):
    id: int
    facility: str
    facility_name: str
    child: int
    child_name: str
    care_type: CareTypeCode
    status: StatusCode
    date: dt.date | None
    start_date: dt.date | None
    end_date: dt.date | None
    weekdays: list[int]
    start_time: str
    end_time: str
    waitlist_position: int | None
    offer_expires_at: dt.datetime | None
    decision_reason: str
    created_at: dt.datetime


class ReservationFilter(Schema):
    facility: str | None = Field(None, max_length=7)
    status: StatusCode | None = None
    date: IsoDate | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class ReservationPage(Schema):
    count: int
    results: list[ReservationOut]


class RejectIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)


class ErrorOut(Schema):
    code: str
    message: str


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _raise(exc: ReservationError):
    fields = {exc.field: [exc.message]} if exc.field else None
    raise ApiError(exc.http_status, exc.code, exc.message, fields) from exc


def _out(reservation: Reservation, position: int | None) -> dict:
    return {
        "id": reservation.pk,
        "facility": reservation.facility.code,
        "facility_name": reservation.facility.name,
        "child": reservation.child_id,
        "child_name": reservation.child.name,
        "care_type": reservation.care_type,
        "status": reservation.status,
        "date": reservation.date,
        "start_date": reservation.start_date,
        "end_date": reservation.end_date,
        "weekdays": list(reservation.weekdays or []),
        "start_time": f"{reservation.start_time:%H:%M}",
        "end_time": f"{reservation.end_time:%H:%M}",
        "waitlist_position": position,
        "offer_expires_at": reservation.offer_expires_at,
        "decision_reason": reservation.decision_reason,
        "created_at": reservation.created_at,
    }


def _guardian(request):
    user = request.auth
    if not user.is_guardian:
        raise ApiError(403, "forbidden", _("보호자 계정만 예약할 수 있습니다."))
    return user


def _request_from(payload: ReservationIn, facility, child) -> booking.Request:
    return booking.Request(
        facility=facility,
        child=child,
        care_type=payload.care_type,
        date=payload.date,
        start_date=payload.start_date,
        end_date=payload.end_date,
        weekdays=payload.weekdays,
        start_time=payload.start_time,
        end_time=payload.end_time,
        household=booking.Household(
            dual_earner=payload.dual_earner,
            single_parent=payload.single_parent,
            many_children=payload.many_children,
            complex_resident=payload.complex_resident,
        ),
        consents=booking.Consents(privacy=payload.privacy_consent, pickup=payload.pickup_consent),
        sick=booking.SickCare(
            symptoms=payload.symptoms,
            clinic_escort_consent=payload.clinic_escort_consent,
            reachable_phone=payload.reachable_phone,
        ),
        note=payload.note,
    )


@router.post("/reservations", response={201: BookedOut, **ERRORS})
def create_reservation(request, payload: ReservationIn):
    guardian = _guardian(request)
    # One query for both: the facility (profile, capacity) and the guardian's own child.
    single_day = payload.date if payload.care_type != CareType.REGULAR else None
    facility, child = booking.facility_and_child(
        payload.facility, payload.child, guardian, single_day
    )
    if facility is None:
        raise ApiError(404, "not_found", _("시설을 찾을 수 없습니다."))
    if child is None:
        raise ApiError(404, "not_found", _("아동을 찾을 수 없습니다."))
    book_request = _request_from(payload, facility, child)
    try:
        if payload.care_type == CareType.REGULAR:
            booked = booking.apply_regular(actor=guardian, guardian=guardian, request=book_request)
        else:
            booked = booking.book_single_day(
                actor=guardian, guardian=guardian, request=book_request
            )
    except ReservationError as exc:
        _raise(exc)
    return Status(
        201,
        {
            "id": booked.reservation.pk,
            "status": booked.reservation.status,
            "waitlist_position": booked.waitlist_position,
        },
    )


def _visible(request):
    user = request.auth
    if is_backoffice_user(user):
        return reservations_for_user(user), True
    return reservations_of_guardian(user), False


@router.get("/reservations", response={200: ReservationPage, **ERRORS})
def list_reservations(request, filters: Query[ReservationFilter]):
    rows, staff = _visible(request)
    if filters.facility:
        rows = rows.filter(facility__code=filters.facility.upper())
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.date:
        day = filters.date
        rows = rows.filter(date=day) | rows.filter(
            care_type=CareType.REGULAR, start_date__lte=day, end_date__gte=day
        )
    rows = rows.order_by("-created_at", "-pk")
    count = rows.count()
    start = (filters.page - 1) * filters.page_size
    page = list(rows[start : start + filters.page_size])
    if staff and page:
        record_access(
            actor=request.auth,
            action="reservation.list",
            subject=page[0].facility,
            reason=f"API 예약 목록 {len(page)}건",
        )
    positions = waitlist_positions(page)
    return {"count": count, "results": [_out(r, positions.get(r.pk)) for r in page]}


def _one(request, reservation_id: int) -> Reservation:
    rows, staff = _visible(request)
    reservation = rows.filter(pk=reservation_id).first()
    if reservation is None:
        raise ApiError(404, "not_found", _("예약을 찾을 수 없습니다."))
    if staff:
        record_access(actor=request.auth, action="reservation.view", subject=reservation)
    return reservation


@router.get("/reservations/{reservation_id}", response={200: ReservationOut, **ERRORS})
def get_reservation(request, reservation_id: int):
    reservation = _one(request, reservation_id)
    return _out(reservation, waitlist_positions([reservation]).get(reservation.pk))


def _act(request, reservation_id: int, action) -> dict:
    reservation = _one(request, reservation_id)
    try:
        changed = action(reservation)
    except ReservationError as exc:
        _raise(exc)
    changed = Reservation.objects.select_related("facility", "child").get(pk=changed.pk)
    return _out(changed, waitlist_positions([changed]).get(changed.pk))


@router.post("/reservations/{reservation_id}/cancel", response={200: ReservationOut, **ERRORS})
def cancel_reservation(request, reservation_id: int):
    staff = is_backoffice_user(request.auth)
    return _act(
        request,
        reservation_id,
        lambda r: transitions.cancel(actor=request.auth, reservation=r, by_staff=staff),
    )


@router.post("/reservations/{reservation_id}/accept", response={200: ReservationOut, **ERRORS})
def accept_offer(request, reservation_id: int):
    return _act(
        request,
        reservation_id,
        lambda r: transitions.accept_offer(actor=request.auth, reservation=r),
    )


def _staff_only(request) -> None:
    if not is_backoffice_user(request.auth):
        raise ApiError(403, "forbidden", _("센터 담당자만 처리할 수 있습니다."))


@router.post("/reservations/{reservation_id}/approve", response={200: ReservationOut, **ERRORS})
def approve_reservation(request, reservation_id: int):
    _staff_only(request)
    return _act(
        request, reservation_id, lambda r: transitions.approve(actor=request.auth, reservation=r)
    )


@router.post("/reservations/{reservation_id}/reject", response={200: ReservationOut, **ERRORS})
def reject_reservation(request, reservation_id: int, payload: RejectIn):
    _staff_only(request)
    return _act(
        request,
        reservation_id,
        lambda r: transitions.reject(actor=request.auth, reservation=r, reason=payload.reason),
    )
