"""센터 예약 규칙 through reservations.domain.centre_policy."""

from __future__ import annotations

import pytest

from kium.core.models import AuditEntry
from kium.reservations.domain import booking
from kium.reservations.domain.booking import Household
from kium.reservations.domain.centre_policy import policy_of, update_centre_policy
from kium.reservations.domain.errors import ReservationError
from kium.reservations.models import CentrePolicy, Reservation
from tests.reservations.support import open_centre, regular

pytestmark = pytest.mark.django_db


def _apply(people, centre, *, grade, **household):
    parent = people.guardian()
    kid = people.child(parent, grade=grade)
    request = regular(centre, kid)
    request.household = Household(**household)
    return booking.apply_regular(actor=parent, guardian=parent, request=request).reservation


def test_policy_of_a_centre_without_rules_is_the_default(people):
    facility = people.facility("NW")
    current = policy_of(facility)
    assert current.pk is None
    assert current.priority_rules == ["working_low_grade", "many_children_low_grade", "working"]
    assert current.requires_admission_documents is True


def test_update_saves_audits_and_reranks_the_line(people):
    centre = open_centre(people)
    low_working = _apply(people, centre, grade=2, dual_earner=True)
    complex_kid = _apply(people, centre, grade=5, complex_resident=True)
    assert (low_working.priority_rank, complex_kid.priority_rank) == (0, 3)
    manager = people.centre_manager(centre)
    saved = update_centre_policy(
        actor=manager,
        facility=centre,
        priority_rules=["complex_resident", "working_low_grade"],
        complex_name="푸른마을 아파트",
        requires_admission_documents=True,
    )
    assert saved.priority_rules == ["complex_resident", "working_low_grade"]
    assert CentrePolicy.objects.get(facility=centre).complex_name == "푸른마을 아파트"
    ranks = dict(Reservation.objects.values_list("pk", "priority_rank"))
    assert ranks == {complex_kid.pk: 0, low_working.pk: 1}
    entry = AuditEntry.objects.get(action="reservation.centre_policy")
    assert entry.actor_id == manager.pk
    assert entry.before["priority_rules"] == [
        "working_low_grade",
        "many_children_low_grade",
        "working",
    ]
    assert entry.after["priority_rules"] == ["complex_resident", "working_low_grade"]
    assert entry.after["reranked"] == 2


def test_decided_applications_keep_their_rank(people):
    centre = open_centre(people)
    kept = _apply(people, centre, grade=2, dual_earner=True)
    booking_rank = kept.priority_rank
    from kium.reservations.domain import transitions

    transitions.approve(actor=people.centre_manager(centre), reservation=kept)
    update_centre_policy(
        actor=people.district_officer("NW"), facility=centre, priority_rules=["low_grade"]
    )
    assert Reservation.objects.get(pk=kept.pk).priority_rank == booking_rank


@pytest.mark.parametrize(
    ("rules", "complex_name", "field"),
    [
        (["nope"], "", "priority_rules"),
        (["working", "working"], "", "priority_rules"),
        (["complex_resident"], " ", "complex_name"),
    ],
)
def test_bad_rules_are_refused_with_the_field(people, rules, complex_name, field):
    centre = open_centre(people)
    with pytest.raises(ReservationError) as exc:
        update_centre_policy(
            actor=people.city_officer(),
            facility=centre,
            priority_rules=rules,
            complex_name=complex_name,
        )
    assert exc.value.field == field
    assert not AuditEntry.objects.filter(action="reservation.centre_policy").exists()


def test_only_the_centre_its_district_and_the_city_edit(people):
    centre = open_centre(people)
    other = people.facility("NW")
    for outsider in (
        people.district_officer("GN"),
        people.centre_manager(other),
        people.guardian(),
    ):
        with pytest.raises(ReservationError) as exc:
            update_centre_policy(actor=outsider, facility=centre, priority_rules=["working"])
        assert exc.value.code == "not_found"
    for insider in (
        people.centre_manager(centre),
        people.district_officer(),
        people.city_officer(),
    ):
        update_centre_policy(actor=insider, facility=centre, priority_rules=["working"])
    assert AuditEntry.objects.filter(action="reservation.centre_policy").count() == 3
