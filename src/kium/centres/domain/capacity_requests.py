"""정원 변경 요청 (RES-2, RES-3): a centre asks, the district (or the city) decides.

* anyone whose scope covers the facility (its centre staff, the district officer, the
  city) may submit; one pending request per facility (also a DB constraint);
* only a district officer of the facility's district or a city officer decides, never
  the person who asked; a rejection needs a reason;
* the latest approved request's capacity replaces floor(면적 / 3.3) (orgs.domain.capacity).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kium.centres.domain.errors import FORBIDDEN, CentresError
from kium.centres.domain.permissions import require_facility
from kium.centres.models import CapacityRequest, CapacityRequestStatus
from kium.core import clock
from kium.core.audit import log_action, snapshot
from kium.core.notify import notify
from kium.orgs.domain.capacity import APPROVED_ATTR
from kium.orgs.domain.scope import scope_for

MAX_CAPACITY = 1000


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _context(request: CapacityRequest) -> dict:
    return {
        "facility": request.facility.code,
        "facility_name": request.facility.name,
        "requested_capacity": request.requested_capacity,
    }


def pending_request(facility) -> CapacityRequest | None:
    return CapacityRequest.objects.filter(
        facility=facility, status=CapacityRequestStatus.PENDING
    ).first()


def can_decide(actor, facility) -> bool:
    """District officer of the facility's district, or the city (system: always)."""
    if actor is None:
        return True
    scope = scope_for(actor)
    return scope.city or facility.district_id in scope.district_ids


@transaction.atomic
def submit_capacity_request(
    *, actor, facility, requested_capacity: int, reason: str
) -> CapacityRequest:
    require_facility(actor, facility)
    reason = (reason or "").strip()
    if not isinstance(requested_capacity, int) or not 0 < requested_capacity <= MAX_CAPACITY:
        raise CentresError(
            "invalid_capacity",
            _("정원은 1명 이상 %(max)d명 이하로 입력해 주세요.") % {"max": MAX_CAPACITY},
            "requested_capacity",
        )
    if not reason:
        raise CentresError("reason_required", _("요청 사유를 입력해 주세요."), "reason")
    duplicate = CentresError(
        "pending_exists",
        _("처리되지 않은 정원 변경 요청이 있습니다. 처리된 뒤에 다시 요청해 주세요."),
        "requested_capacity",
    )
    if pending_request(facility) is not None:
        raise duplicate
    try:
        with transaction.atomic():
            request = CapacityRequest.objects.create(
                facility=facility,
                requested_capacity=requested_capacity,
                reason=reason[:500],
                requested_by=_user(actor),
                requested_at=clock.now(),
            )
    except IntegrityError as exc:  # a concurrent request won the race
        raise duplicate from exc
    log_action(actor=actor, action="capacity.request", obj=request, after=snapshot(request))
    notify("capacity.requested", _user(actor), _context(request))
    return request


def _require_decider(actor, request: CapacityRequest) -> None:
    require_facility(actor, request.facility)
    if not can_decide(actor, request.facility):
        raise CentresError(FORBIDDEN, _("구 또는 서울시 담당자만 정원 변경을 승인할 수 있습니다."))
    if actor is not None and request.requested_by_id == getattr(actor, "pk", None):
        raise CentresError(FORBIDDEN, _("본인이 요청한 정원 변경은 처리할 수 없습니다."))
    if request.status != CapacityRequestStatus.PENDING:
        raise CentresError("not_pending", _("이미 처리된 요청입니다."))


def _decide(*, actor, request: CapacityRequest, status: str, reason: str) -> CapacityRequest:
    before = snapshot(request)
    request.status = status
    request.decided_by = _user(actor)
    request.decided_at = clock.now()
    request.decision_reason = reason[:500]
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    log_action(
        actor=actor,
        action=f"capacity.{status}",
        obj=request,
        before=before,
        after=snapshot(request),
        reason=reason,
    )
    event = "capacity.approved" if status == CapacityRequestStatus.APPROVED else "capacity.rejected"
    notify(event, request.requested_by, {**_context(request), "reason": reason})
    return request


@transaction.atomic
def approve_capacity_request(
    *, actor, request: CapacityRequest, reason: str = ""
) -> CapacityRequest:
    _require_decider(actor, request)
    _decide(
        actor=actor,
        request=request,
        status=CapacityRequestStatus.APPROVED,
        reason=(reason or "").strip(),
    )
    # The instance in hand now shows the new capacity without another query.
    setattr(request.facility, APPROVED_ATTR, request.requested_capacity)
    # Booked days follow the new capacity; more places go to those waiting at once.
    from kium.reservations.domain.places import capacity_changed

    capacity_changed(facility=request.facility, actor=actor)
    return request


@transaction.atomic
def reject_capacity_request(*, actor, request: CapacityRequest, reason: str) -> CapacityRequest:
    _require_decider(actor, request)
    reason = (reason or "").strip()
    if not reason:
        raise CentresError("reason_required", _("반려 사유를 입력해 주세요."), "reason")
    return _decide(
        actor=actor, request=request, status=CapacityRequestStatus.REJECTED, reason=reason
    )
