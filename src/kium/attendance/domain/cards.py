"""RF cards (ATT-1, RF카드관리): register, replace, retire. History is kept: a retired
card stays as a row, and a replacement points from the old card to the new one.

One active card per UID (across all facilities) and one active card per child and
facility: both checked here under a lock and held by partial unique constraints.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kium.attendance.domain.common import clean_reason, clean_uid, require_scope
from kium.attendance.domain.errors import CARD_IN_USE, CARD_RETIRED, AttendanceError
from kium.attendance.enums import CardStatus
from kium.attendance.models import RfCard
from kium.core import clock
from kium.core.audit import log_action, snapshot
from kium.core.locking import locked

CARD_FIELDS = ["facility", "child", "card_uid", "status", "retired_at", "retire_reason"]


def _uid_lock(uid: str) -> str:
    return f"attendance:card:{uid}"


def _child_lock(child_id: int, facility_id: int) -> str:
    return f"attendance:child-card:{child_id}:{facility_id}"


def _in_use() -> AttendanceError:
    return AttendanceError(
        CARD_IN_USE, _("이미 다른 아동 또는 다른 시설에서 사용 중인 카드입니다."), field="card_uid"
    )


def _check_uid_free(uid: str, *, allow: RfCard | None = None) -> None:
    taken = RfCard.objects.filter(card_uid=uid, status=CardStatus.ACTIVE)
    if allow is not None:
        taken = taken.exclude(pk=allow.pk)
    if taken.exists():
        raise _in_use()


def _create(*, actor, facility, child, uid: str) -> RfCard:
    try:
        with transaction.atomic():
            return RfCard.objects.create(
                facility=facility,
                child=child,
                card_uid=uid,
                registered_at=clock.now(),
                registered_by=actor,
            )
    except IntegrityError as exc:  # the constraint, if a writer slipped past the lock
        raise _in_use() from exc


def register_card(*, actor, facility, child, card_uid: str) -> RfCard:
    """A new active card for ``child`` at ``facility``; 409 card_in_use if the UID is
    active anywhere, or if the child already has an active card here (replace it)."""
    require_scope(actor, facility)
    uid = clean_uid(card_uid)
    with locked(_uid_lock(uid)), locked(_child_lock(child.pk, facility.pk)):
        _check_uid_free(uid)
        if RfCard.objects.filter(child=child, facility=facility, status=CardStatus.ACTIVE).exists():
            raise AttendanceError(
                CARD_IN_USE,
                _("이 아동은 이 시설에 사용 중인 카드가 있습니다. 카드 교체를 이용해 주세요."),
                field="card_uid",
            )
        card = _create(actor=actor, facility=facility, child=child, uid=uid)
        log_action(
            actor=actor,
            action="attendance.card.register",
            obj=card,
            after=snapshot(card, CARD_FIELDS),
        )
    return card


def _retire(card: RfCard, *, actor, reason: str) -> dict:
    before = snapshot(card, CARD_FIELDS)
    card.status = CardStatus.RETIRED
    card.retired_at = clock.now()
    card.retired_by = actor
    card.retire_reason = reason
    card.save(update_fields=["status", "retired_at", "retired_by", "retire_reason"])
    return before


def retire_card(*, actor, card: RfCard, reason: str) -> RfCard:
    """회수: the card stops working at once; its taps and the row stay as history."""
    require_scope(actor, card.facility)
    reason = clean_reason(reason)
    with locked(_uid_lock(card.card_uid)):
        card.refresh_from_db()
        if card.status != CardStatus.ACTIVE:
            raise AttendanceError(CARD_RETIRED, _("이미 회수된 카드입니다."))
        before = _retire(card, actor=actor, reason=reason)
        log_action(
            actor=actor,
            action="attendance.card.retire",
            obj=card,
            before=before,
            after=snapshot(card, CARD_FIELDS),
            reason=reason,
        )
    return card


def replace_card(*, actor, card: RfCard, new_uid: str, reason: str) -> RfCard:
    """교체 (lost or broken card): retire the old one and register the new UID for the
    same child and facility, in one transaction."""
    require_scope(actor, card.facility)
    uid = clean_uid(new_uid)
    reason = clean_reason(reason)
    if uid == card.card_uid:
        raise AttendanceError(CARD_IN_USE, _("지금 쓰는 카드와 같은 번호입니다."), field="card_uid")
    # Locks in a fixed order (the two UIDs sorted) so two replacements cannot deadlock.
    first, second = sorted([uid, card.card_uid])
    with locked(_uid_lock(first)), locked(_uid_lock(second)):
        card.refresh_from_db()
        if card.status != CardStatus.ACTIVE:
            raise AttendanceError(CARD_RETIRED, _("이미 회수된 카드입니다."))
        _check_uid_free(uid)
        before = _retire(card, actor=actor, reason=reason)
        new = _create(actor=actor, facility=card.facility, child=card.child, uid=uid)
        card.replaced_by = new
        card.save(update_fields=["replaced_by"])
        log_action(
            actor=actor,
            action="attendance.card.replace",
            obj=card,
            before=before,
            after={**snapshot(card, CARD_FIELDS), "replaced_by": new.card_uid},
            reason=reason,
        )
    return new
