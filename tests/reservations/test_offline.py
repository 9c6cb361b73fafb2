"""RES-7 방문·전화 접수 through reservations.domain.offline.register_offline."""

from __future__ import annotations

import datetime as dt

import pytest

from kium.accounts import sms
from kium.accounts.domain.signup import is_invited
from kium.accounts.models import Child, User
from kium.core.models import AuditEntry
from kium.reservations.domain.booking import Household, SickCare
from kium.reservations.domain.errors import ReservationError
from kium.reservations.domain.offline import register_offline
from kium.reservations.models import Reservation
from tests.reservations.support import NEXT_DAY, TODAY, open_centre

pytestmark = pytest.mark.django_db


def _temporary(manager, centre, **overrides):
    fields = {
        "actor": manager,
        "facility": centre,
        "guardian_name": "박보호",
        "guardian_phone": "010-7777-8888",
        "child_name": "박하늘",
        "child_birth_date": dt.date(2018, 5, 1),
        "child_sex": "F",
        "care_type": "temporary",
        "date": NEXT_DAY,
        "start_time": dt.time(14),
        "end_time": dt.time(18),
        "signup_url": "https://kium.example/accounts/signup/",
    }
    fields.update(overrides)
    return register_offline(**fields)


def test_non_member_gets_an_invited_account_child_booking_and_sms(
    people, django_capture_on_commit_callbacks
):
    centre = open_centre(people)
    manager = people.centre_manager(centre)
    with django_capture_on_commit_callbacks(execute=True):
        done = _temporary(manager, centre)
    guardian = User.objects.get(phone="01077778888")
    assert done.invited and done.guardian == guardian
    assert guardian.kind == "guardian" and guardian.name == "박보호"
    assert guardian.username.startswith("invited-")
    assert not guardian.has_usable_password()
    assert is_invited(guardian) and done.unclaimed
    child = Child.objects.get(guardian=guardian)
    assert (child.name, child.birth_date, child.guardian_consent_at is not None) == (
        "박하늘",
        dt.date(2018, 5, 1),
        True,
    )
    reservation = Reservation.objects.get(pk=done.booked.reservation.pk)
    assert (reservation.source, reservation.status, reservation.guardian_id) == (
        "offline",
        "confirmed",
        guardian.pk,
    )
    assert reservation.created_by_id == manager.pk
    assert reservation.paper_forms_received_at is not None
    assert reservation.privacy_consent_at is None  # not given online
    (message,) = sms.outbox
    assert message.phone == "01077778888"
    assert "https://kium.example/accounts/signup/" in message.text
    assert centre.name in message.text
    child_entry = AuditEntry.objects.get(action="child.register", object_id=str(child.pk))
    assert child_entry.actor_id == manager.pk
    assert "서면" in child_entry.reason
    assert AuditEntry.objects.filter(action="account.guardian_invite", actor=manager).exists()
    assert AuditEntry.objects.filter(action="reservation.paper_forms").exists()


def test_member_is_found_by_phone_and_their_child_reused(
    people, django_capture_on_commit_callbacks
):
    centre = open_centre(people)
    manager = people.centre_manager(centre)
    parent = people.guardian(name="박보호", phone="01077778888")
    kid = people.child(parent, name="박하늘", birth_date=dt.date(2018, 5, 1))
    with django_capture_on_commit_callbacks(execute=True):
        done = _temporary(manager, centre, guardian_phone="01077778888")
    assert not done.invited and not done.child_created and not done.name_mismatch
    assert done.guardian == parent and done.child == kid
    assert sms.outbox == []
    assert User.objects.filter(phone="01077778888").count() == 1


def test_member_with_a_new_child_and_a_different_name(people):
    centre = open_centre(people)
    manager = people.centre_manager(centre)
    parent = people.guardian(name="박보호자", phone="01077778888")
    people.child(parent, name="박하늘", birth_date=dt.date(2016, 1, 1))
    done = _temporary(manager, centre, guardian_name="박보호")
    assert done.guardian == parent and done.child_created and done.name_mismatch
    assert parent.children.count() == 2


def test_regular_application_is_pending_with_household_and_no_paper_forms_yet(people):
    centre = open_centre(people)
    manager = people.centre_manager(centre)
    done = _temporary(
        manager,
        centre,
        care_type="regular",
        date=None,
        start_date=TODAY,
        end_date=dt.date(2026, 12, 31),
        weekdays=[0, 2, 4],
        start_time=dt.time(13),
        end_time=dt.time(18),
        child_grade=2,
        household=Household(dual_earner=True),
        paper_forms_received=False,
    )
    reservation = done.booked.reservation
    assert (reservation.status, reservation.care_type, reservation.source) == (
        "pending",
        "regular",
        "offline",
    )
    assert reservation.dual_earner and reservation.priority_rank == 0
    assert reservation.paper_forms_received_at is None


def test_a_refused_booking_leaves_no_account_behind(people, django_capture_on_commit_callbacks):
    centre = open_centre(people)
    manager = people.centre_manager(centre)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ReservationError) as exc:
        _temporary(manager, centre, date=TODAY + dt.timedelta(days=30))
    assert exc.value.code == "outside_booking_window"
    assert exc.value.field == "date"
    assert not User.objects.filter(phone="01077778888").exists()
    assert not Child.objects.filter(name="박하늘").exists()
    assert sms.outbox == []


def test_bad_person_facts_name_the_field(people):
    centre = open_centre(people)
    manager = people.centre_manager(centre)
    cases = [
        ({"guardian_phone": "02-123-4567"}, "guardian_phone"),
        ({"guardian_name": " "}, "guardian_name"),
        ({"child_birth_date": TODAY + dt.timedelta(days=1)}, "child_birth_date"),
        ({"child_sex": "X"}, "child_sex"),
        ({"care_type": "nope"}, "care_type"),
    ]
    for overrides, field in cases:
        with pytest.raises(ReservationError) as exc:
            _temporary(manager, centre, **overrides)
        assert exc.value.field == field, overrides
        assert exc.value.message


def test_sick_care_keeps_symptoms(people):
    from kium.centres.models import FacilityProfile

    centre = open_centre(people)
    FacilityProfile.objects.update_or_create(facility=centre, defaults={"sick_child_care": True})
    manager = people.centre_manager(centre)
    done = _temporary(
        manager,
        centre,
        care_type="sick",
        sick=SickCare(symptoms="미열", clinic_escort_consent=True, reachable_phone="01012341234"),
    )
    reservation = done.booked.reservation
    assert (reservation.symptoms, reservation.clinic_escort_consent) == ("미열", True)


def test_only_staff_in_scope_register(people):
    centre = open_centre(people)
    for outsider in (people.district_officer("GN"), people.guardian()):
        with pytest.raises(ReservationError) as exc:
            _temporary(outsider, centre)
        assert exc.value.code == "not_found"
    assert not Reservation.objects.exists()
    # The district of the centre may.
    assert _temporary(people.district_officer("NW"), centre).booked.reservation.pk
