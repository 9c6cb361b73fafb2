"""센터 예약 규칙: a centre's priority rules for regular-care applicants, its apartment
complex and whether admission documents are required (DOMAIN.md: rules differ by centre).

The centre's own staff, its district and the city may change them. A change re-ranks the
applications still in line (pending or waiting regular care) under the facility's lock,
so the review order and the regular waitlist follow the new rules at once.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kium.core.audit import log_action, snapshot
from kium.orgs.domain.scope import scope_for
from kium.reservations.domain import errors, policy
from kium.reservations.domain.errors import ReservationError
from kium.reservations.domain.places import facility_lock
from kium.reservations.enums import CareType, PriorityRule, Status
from kium.reservations.models import CentrePolicy, Reservation

POLICY_FIELDS = ["priority_rules", "complex_name", "requires_admission_documents"]


def policy_of(facility) -> CentrePolicy:
    """The centre's rules; an unsaved default when it never set any."""
    found = CentrePolicy.objects.filter(facility_id=facility.pk).first()
    return found if found is not None else CentrePolicy(facility=facility)


def can_edit_policy(actor, facility) -> bool:
    return scope_for(actor).covers_facility(facility)


def _clean_rules(priority_rules) -> list[str]:
    rules = [str(rule) for rule in priority_rules or []]
    unknown = [rule for rule in rules if rule not in PriorityRule.values]
    if unknown:
        raise ReservationError(
            errors.INVALID_REQUEST, _("알 수 없는 우선순위 기준입니다."), "priority_rules"
        )
    if len(set(rules)) != len(rules):
        raise ReservationError(
            errors.INVALID_REQUEST,
            _("같은 우선순위 기준을 두 번 고를 수 없습니다."),
            "priority_rules",
        )
    return rules


def update_centre_policy(
    *,
    actor,
    facility,
    priority_rules: list[str],
    complex_name: str = "",
    requires_admission_documents: bool = True,
) -> CentrePolicy:
    """Save the centre's rules (audited) and re-rank the applicants still in line."""
    if not can_edit_policy(actor, facility):
        raise ReservationError(errors.NOT_FOUND, _("시설을 찾을 수 없습니다."))
    rules = _clean_rules(priority_rules)
    complex_name = (complex_name or "").strip()[:100]
    if PriorityRule.COMPLEX_RESIDENT in rules and not complex_name:
        raise ReservationError(
            errors.INVALID_REQUEST,
            _("공동주택 단지 입주민 우선 기준을 쓰려면 단지명을 입력해 주세요."),
            "complex_name",
        )
    with facility_lock(facility.pk):
        current = CentrePolicy.objects.filter(facility_id=facility.pk).first()
        before = snapshot(current, POLICY_FIELDS) if current else None
        centre_policy = current or CentrePolicy(facility=facility, created_by=_user(actor))
        centre_policy.priority_rules = rules
        centre_policy.complex_name = complex_name
        centre_policy.requires_admission_documents = bool(requires_admission_documents)
        centre_policy.updated_by = _user(actor)
        centre_policy.save()
        reranked = _rerank(facility, rules)
        after = snapshot(centre_policy, POLICY_FIELDS)
        after["reranked"] = reranked
        log_action(
            actor=actor,
            action="reservation.centre_policy",
            obj=centre_policy,
            before=before,
            after=after,
        )
    return centre_policy


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _rerank(facility, rules: list[str]) -> int:
    """New ranks for the regular applications still in line; the number changed."""
    waiting = list(
        Reservation.objects.filter(
            facility_id=facility.pk,
            care_type=CareType.REGULAR,
            status__in=[Status.PENDING, Status.WAITLISTED],
        ).select_related("child")
    )
    changed = []
    for reservation in waiting:
        household = {
            "dual_earner": reservation.dual_earner,
            "single_parent": reservation.single_parent,
            "many_children": reservation.many_children,
            "complex_resident": reservation.complex_resident,
        }
        rank = policy.priority_rank(rules, grade=reservation.child.grade, household=household)
        if rank != reservation.priority_rank:
            reservation.priority_rank = rank
            changed.append(reservation)
    if changed:
        Reservation.objects.bulk_update(changed, ["priority_rank"])
    return len(changed)
