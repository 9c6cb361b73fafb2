"""Attendance devices (API.md): register readers and cards (centre staff), and taps
(the reader's own device token).

A reader token is not a user token: it is checked by ``ReaderAuth`` against the Reader
rows (hash, not revoked) and opens only ``POST /attendance/taps``; staff tokens cannot
post taps, and a reader token cannot call anything else.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import HttpBearer
from pydantic import Field

from kium.accounts.models import Child
from kium.api.errors import ApiError
from kium.api.security import bearer
from kium.attendance.domain import cards, readers, taps
from kium.attendance.domain.errors import FACILITY_REQUIRED, AttendanceError
from kium.attendance.domain.queries import CARD_RESERVATION_STATUSES
from kium.orgs.domain.scope import facilities_for_user, has_menu, is_backoffice_user

CARD_MENU = "reservations.rfcards"


class ReaderAuth(HttpBearer):
    def authenticate(self, request, token: str):
        reader = readers.reader_for_token(token)
        if reader is None:
            return None
        request.reader = reader
        return reader


router = Router(tags=["attendance"])


class ErrorOut(Schema):
    code: str
    message: str


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ReaderIn(Schema):
    facility: str = Field(..., min_length=1, max_length=20)
    name: str = Field(..., min_length=1, max_length=100)


class ReaderOut(Schema):
    id: int
    token: str


class CardIn(Schema):
    child: int = Field(..., ge=1, le=2**31 - 1)
    card_uid: str = Field(..., min_length=1, max_length=100)
    # Needed only when the caller's scope leaves more than one facility for the child.
    facility: str | None = Field(None, min_length=1, max_length=20)


class CardOut(Schema):
    id: int
    child: int
    card_uid: str
    facility: str
    status: Literal["active", "retired"]
    registered_at: dt.datetime


class TapIn(Schema):
    card_uid: str = Field(..., min_length=1, max_length=100)
    tapped_at: dt.datetime
    nonce: str = Field(..., min_length=1, max_length=64)


class TapChild(Schema):
    id: int
    name: str


class TapOut(Schema):
    child: TapChild
    event: Literal["check_in", "check_out"]
    duplicate: bool


def _raise(exc: AttendanceError):
    fields = {exc.field: [exc.message]} if exc.field else None
    raise ApiError(exc.http_status, exc.code, exc.message, fields) from exc


def _card_staff(request):
    user = request.auth
    if not is_backoffice_user(user) or not has_menu(user, CARD_MENU):
        raise ApiError(
            403, "forbidden", _("RF카드관리 권한이 있는 센터 담당자만 처리할 수 있습니다.")
        )
    return user


def _facility(user, code: str):
    facility = facilities_for_user(user).filter(code=code.strip().upper()).first()
    if facility is None:
        raise ApiError(404, "not_found", _("시설을 찾을 수 없습니다."))
    return facility


@router.post("/attendance/readers", auth=bearer, response={201: ReaderOut, **ERRORS})
def register_reader(request, payload: ReaderIn):
    user = _card_staff(request)
    facility = _facility(user, payload.facility)
    try:
        reader, token = readers.register_reader(actor=user, facility=facility, name=payload.name)
    except AttendanceError as exc:
        _raise(exc)
    return Status(201, {"id": reader.pk, "token": token})


def _card_target(user, payload: CardIn):
    """(facility, child): the facility named, or the only one in scope the child uses."""
    in_scope = facilities_for_user(user)
    if payload.facility:
        facility = _facility(user, payload.facility)
        choices = [facility]
    else:
        choices = list(
            in_scope.filter(
                reservations__child_id=payload.child,
                reservations__status__in=CARD_RESERVATION_STATUSES,
            ).distinct()[:2]
        )
    child = Child.objects.filter(
        pk=payload.child,
        reservations__facility__in=choices,
        reservations__status__in=CARD_RESERVATION_STATUSES,
    ).first()
    if child is None:
        raise ApiError(404, "not_found", _("아동을 찾을 수 없습니다."))
    if len(choices) > 1:
        message = _("이 아동이 이용하는 시설이 여러 곳입니다. 시설 코드를 함께 보내 주세요.")
        raise ApiError(400, FACILITY_REQUIRED, message, {"facility": [message]})
    return choices[0], child


@router.post("/attendance/cards", auth=bearer, response={201: CardOut, **ERRORS})
def register_card(request, payload: CardIn):
    user = _card_staff(request)
    facility, child = _card_target(user, payload)
    try:
        card = cards.register_card(
            actor=user, facility=facility, child=child, card_uid=payload.card_uid
        )
    except AttendanceError as exc:
        _raise(exc)
    return Status(
        201,
        {
            "id": card.pk,
            "child": child.pk,
            "card_uid": card.card_uid,
            "facility": facility.code,
            "status": card.status,
            "registered_at": card.registered_at,
        },
    )


@router.post("/attendance/taps", auth=ReaderAuth(), response={200: TapOut, **ERRORS})
def record_tap(request, payload: TapIn):
    try:
        result = taps.record_tap(
            reader=request.auth,
            card_uid=payload.card_uid,
            tapped_at=payload.tapped_at,
            nonce=payload.nonce,
        )
    except AttendanceError as exc:
        _raise(exc)
    tap = result.tap
    return {
        "child": {"id": tap.child.pk, "name": tap.child.name},
        "event": tap.event,
        "duplicate": result.duplicate,
    }
