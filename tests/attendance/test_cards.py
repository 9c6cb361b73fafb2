"""ATT-1: one active card per UID anywhere and per child per centre; history kept."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from kium.attendance.domain import cards, readers
from kium.attendance.domain.errors import AttendanceError
from kium.attendance.models import Reader, RfCard
from kium.core import clock
from kium.core.models import AuditEntry
from tests.attendance.support import care


def test_register_normalises_and_audits(setup):
    assert setup.card.card_uid == "04A2241B"
    assert setup.card.status == "active"
    assert AuditEntry.objects.filter(action="attendance.card.register").count() == 1


def test_a_card_active_elsewhere_is_card_in_use(people, setup):
    other_centre = people.facility("GN")
    kid = people.child(people.guardian())
    care(other_centre, kid)
    with pytest.raises(AttendanceError) as exc:
        cards.register_card(actor=None, facility=other_centre, child=kid, card_uid="04a2241b")
    assert exc.value.code == "card_in_use" and exc.value.http_status == 409


def test_a_second_active_card_for_the_child_is_refused(setup):
    with pytest.raises(AttendanceError) as exc:
        cards.register_card(
            actor=setup.manager, facility=setup.facility, child=setup.child, card_uid="BB02"
        )
    assert exc.value.code == "card_in_use"


def test_the_database_holds_both_rules(setup):
    with pytest.raises(IntegrityError), transaction.atomic():
        RfCard.objects.create(
            facility=setup.facility,
            child=setup.child,
            card_uid="CC03",
            registered_at=clock.now(),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        RfCard.objects.create(
            facility=setup.facility,
            child=setup.child,
            card_uid="04A2241B",
            status="active",
            registered_at=clock.now(),
        )


def test_replace_retires_the_old_card_and_links_the_new(setup):
    new = cards.replace_card(actor=setup.manager, card=setup.card, new_uid="DD04", reason="분실")
    setup.card.refresh_from_db()
    assert setup.card.status == "retired" and setup.card.replaced_by == new
    assert new.status == "active" and new.child == setup.child
    assert list(RfCard.objects.filter(child=setup.child).values_list("card_uid", flat=True)) == [
        "DD04",
        "04A2241B",
    ]
    # the old UID is free again after retirement
    with pytest.raises(AttendanceError):
        cards.replace_card(actor=setup.manager, card=setup.card, new_uid="EE05", reason="x")


def test_replace_with_a_uid_in_use_keeps_the_old_card(people, setup):
    kid = people.child(setup.guardian, name="김바다")
    care(setup.facility, kid)
    cards.register_card(actor=setup.manager, facility=setup.facility, child=kid, card_uid="FF06")
    with pytest.raises(AttendanceError) as exc:
        cards.replace_card(actor=setup.manager, card=setup.card, new_uid="FF06", reason="x")
    assert exc.value.code == "card_in_use"
    setup.card.refresh_from_db()
    assert setup.card.status == "active"


def test_retire_keeps_history_and_frees_the_uid(people, setup):
    cards.retire_card(actor=setup.manager, card=setup.card, reason="졸업")
    setup.card.refresh_from_db()
    assert setup.card.status == "retired" and setup.card.retired_by == setup.manager
    kid = people.child(setup.guardian, name="김바다")
    again = cards.register_card(
        actor=setup.manager, facility=setup.facility, child=kid, card_uid="04A2241B"
    )
    assert again.status == "active"
    assert RfCard.objects.filter(card_uid="04A2241B").count() == 2


def test_bad_uid_is_refused(setup):
    with pytest.raises(AttendanceError) as exc:
        cards.register_card(
            actor=setup.manager, facility=setup.facility, child=setup.child, card_uid="가나"
        )
    assert exc.value.field == "card_uid"


def test_reader_token_is_hashed_and_revocable(setup):
    stored = Reader.objects.get(pk=setup.reader.pk)
    assert setup.token not in stored.token_hash
    assert readers.reader_for_token(setup.token) == stored
    readers.revoke_reader(actor=setup.manager, reader=stored)
    assert readers.reader_for_token(setup.token) is None
    with pytest.raises(AttendanceError):
        readers.revoke_reader(actor=setup.manager, reader=stored)
