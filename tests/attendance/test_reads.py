"""attendance/domain/reads.py: the hand-written reads give what the ORM gave, related
objects included, and see every change at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kium.attendance.domain import reads
from kium.attendance.domain.cards import retire_card
from kium.attendance.domain.errors import AttendanceError
from kium.attendance.domain.readers import hash_token, revoke_reader
from kium.attendance.domain.taps import has_care, record_tap
from kium.attendance.models import RfCard, Tap
from kium.reservations.enums import Status
from tests.attendance.support import TODAY, at

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_reader_comes_with_its_facility_and_stops_when_revoked(setup):
    reader = reads.reader_by_token_hash(hash_token(setup.token))
    assert _fields(reader) == _fields(setup.reader.__class__.objects.get(pk=setup.reader.pk))
    with CaptureQueriesContext(connection) as queries:
        assert reader.facility.code == setup.facility.code
    assert len(queries) == 0
    revoke_reader(actor=setup.manager, reader=setup.reader)
    assert reads.reader_by_token_hash(hash_token(setup.token)) is None
    assert reads.reader_by_token_hash(hash_token("not-a-token")) is None


def test_the_card_comes_with_child_and_guardian_and_only_while_active(setup):
    card = reads.active_card(setup.card.card_uid, setup.facility.pk)
    assert _fields(card) == _fields(RfCard.objects.get(pk=setup.card.pk))
    with CaptureQueriesContext(connection) as queries:
        assert (card.child.name, card.child.guardian.phone) == (
            setup.child.name,
            setup.guardian.phone,
        )
    assert len(queries) == 0
    assert reads.active_card(setup.card.card_uid, setup.facility.pk + 1000) is None
    retire_card(actor=setup.manager, card=setup.card, reason="분실")
    assert reads.active_card(setup.card.card_uid, setup.facility.pk) is None


def test_a_tap_by_nonce_with_its_child_or_none_for_an_unknown_card(setup, frozen_clock):
    record_tap(reader=setup.reader, card_uid=setup.card.card_uid, tapped_at=at(13), nonce="n1")
    tap = reads.tap_by_nonce(setup.reader.pk, "n1")
    assert _fields(tap) == _fields(Tap.objects.get(nonce="n1"))
    assert tap.child.name == setup.child.name
    assert reads.tap_by_nonce(setup.reader.pk, "n2") is None
    with pytest.raises(AttendanceError):  # an unknown card's tap is kept, with no child
        record_tap(reader=setup.reader, card_uid="FFFF0000", tapped_at=at(13), nonce="n3")
    unknown = reads.tap_by_nonce(setup.reader.pk, "n3")
    assert unknown is not None and unknown.child is None


def test_care_follows_the_booking_status(setup):
    assert has_care(setup.child.pk, setup.facility.pk, TODAY) is True
    assert has_care(setup.child.pk, setup.facility.pk + 1000, TODAY) is False
    setup.reservation.status = Status.CANCELLED
    setup.reservation.save(update_fields=["status"])
    assert has_care(setup.child.pk, setup.facility.pk, TODAY) is False
