"""정원 변경 요청 (RES-2, RES-3): effective capacity, who may ask and decide, the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from kium.centres.domain.availability import availability
from kium.centres.domain.capacity_requests import (
    approve_capacity_request,
    reject_capacity_request,
    submit_capacity_request,
)
from kium.centres.domain.errors import FORBIDDEN, OUT_OF_SCOPE, CentresError
from kium.centres.models import CapacityRequest
from kium.core import notify
from kium.core.models import AuditEntry
from kium.orgs.domain.capacity import effective_capacity, with_effective_capacity
from kium.orgs.models import Facility

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def centre(people):
    return people.facility("NW", kind="general")  # 66 m² → 20 places


def fresh(facility) -> Facility:
    return Facility.objects.get(pk=facility.pk)


def ask(people, facility, capacity=30):
    return submit_capacity_request(
        actor=people.centre_manager(facility),
        facility=facility,
        requested_capacity=capacity,
        reason="증축",
    )


# --- domain -----------------------------------------------------------------------------


def test_effective_capacity_before_and_after_approval(people, centre):
    request = ask(people, centre)
    assert effective_capacity(fresh(centre)) == 20  # pending changes nothing
    approve_capacity_request(actor=people.district_officer("NW"), request=request)
    assert effective_capacity(fresh(centre)) == 30
    annotated = with_effective_capacity(Facility.objects.all()).get(pk=centre.pk)
    assert effective_capacity(annotated) == 30
    assert AuditEntry.objects.filter(action="capacity.approved").count() == 1


def test_the_latest_approval_wins(people, centre):
    city = people.city_officer()
    approve_capacity_request(actor=city, request=ask(people, centre, 30))
    approve_capacity_request(actor=city, request=ask(people, centre, 12))
    assert effective_capacity(fresh(centre)) == 12


def test_reject_keeps_the_old_capacity_and_needs_a_reason(people, centre):
    request = ask(people, centre)
    officer = people.district_officer("NW")
    with pytest.raises(CentresError) as exc:
        reject_capacity_request(actor=officer, request=request, reason=" ")
    assert exc.value.field == "reason"
    reject_capacity_request(actor=officer, request=request, reason="면적 확인 필요")
    request.refresh_from_db()
    assert request.status == "rejected" and request.decided_by == officer
    assert effective_capacity(fresh(centre)) == 20


def test_one_pending_request_at_a_time(people, centre):
    ask(people, centre)
    with pytest.raises(CentresError) as exc:
        ask(people, centre, 25)
    assert exc.value.code == "pending_exists"
    # The database says the same when the domain check is bypassed.
    with pytest.raises(IntegrityError), transaction.atomic():
        CapacityRequest.objects.create(
            facility=centre, requested_capacity=9, reason="x", requested_at=dt.datetime.now(dt.UTC)
        )


def test_bad_capacity_is_refused(people, centre):
    with pytest.raises(CentresError) as exc:
        ask(people, centre, 0)
    assert exc.value.field == "requested_capacity"


def test_who_may_decide(people, centre):
    manager = people.centre_manager(centre)
    request = submit_capacity_request(
        actor=manager, facility=centre, requested_capacity=30, reason="증축"
    )
    with pytest.raises(CentresError) as exc:
        approve_capacity_request(actor=manager, request=request)
    assert exc.value.code == FORBIDDEN
    with pytest.raises(CentresError) as exc:
        approve_capacity_request(actor=people.district_officer("GN"), request=request)
    assert exc.value.code == OUT_OF_SCOPE
    with pytest.raises(CentresError) as exc:
        submit_capacity_request(
            actor=people.district_officer("GN"), facility=centre, requested_capacity=5, reason="x"
        )
    assert exc.value.code == OUT_OF_SCOPE
    assert effective_capacity(fresh(centre)) == 20


def test_the_officer_cannot_decide_their_own_request(people, centre):
    officer = people.district_officer("NW")
    request = submit_capacity_request(
        actor=officer, facility=centre, requested_capacity=30, reason="재측정"
    )
    with pytest.raises(CentresError) as exc:
        approve_capacity_request(actor=officer, request=request)
    assert exc.value.code == FORBIDDEN
    approve_capacity_request(actor=people.city_officer(), request=request)
    assert effective_capacity(fresh(centre)) == 30


def test_every_step_notifies(people, centre, django_capture_on_commit_callbacks):
    notify.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(people, centre)
        approve_capacity_request(actor=people.district_officer("NW"), request=request)
        reject_capacity_request(
            actor=people.district_officer("NW"), request=ask(people, centre, 40), reason="불가"
        )
    assert [n.event for n in notify.sent] == [
        "capacity.requested",
        "capacity.approved",
        "capacity.requested",
        "capacity.rejected",
    ]


def test_availability_uses_the_approved_capacity(
    people, centre, open_all_year, django_assert_num_queries
):
    open_all_year(centre)
    approve_capacity_request(actor=people.city_officer(), request=ask(people, centre, 30))
    facility = fresh(centre)
    # periods, closed days, approved capacity, the day counters
    with django_assert_num_queries(4):
        days = availability(facility=facility, start=D(2026, 10, 8), end=D(2026, 10, 8))
    # Temporary care may use the shared places and the quota: 30 + 6.
    assert (days[0].regular_free, days[0].temporary_free) == (30, 36)
    hub = people.facility("NW", kind="hub")
    open_all_year(hub)
    approve_capacity_request(actor=people.city_officer(), request=ask(people, hub, 7))
    day = availability(facility=fresh(hub), start=D(2026, 10, 8), end=D(2026, 10, 8))[0]
    assert (day.regular_free, day.temporary_free) == (0, 7)


# --- API --------------------------------------------------------------------------------


def test_api_facility_output_shows_the_approved_capacity(
    client, people, centre, django_assert_num_queries
):
    approve_capacity_request(actor=people.city_officer(), request=ask(people, centre, 30))
    people.facility("NW", kind="general")
    with django_assert_num_queries(2):
        body = client.get("/api/v1/facilities", {"district": "NW"}).json()
    by_code = {row["code"]: row for row in body["results"]}
    assert (by_code[centre.code]["capacity"], by_code[centre.code]["temporary_quota"]) == (30, 6)
    assert sum(1 for row in body["results"] if row["capacity"] == 20) == 1
    detail = client.get(f"/api/v1/facilities/{centre.code}").json()
    assert detail["capacity"] == 30


# --- back-office page -------------------------------------------------------------------


def page(facility) -> str:
    return reverse("backoffice:facility_capacity", args=[facility.code])


def test_page_shows_capacity_and_history(login, people, centre):
    response = login(people.centre_manager(centre)).get(page(centre))
    assert response.status_code == 200
    assert response.context["area_capacity"] == 20
    assert response.context["effective_capacity"] == 20
    assert response.context["temporary_quota"] == 4


def test_centre_submits_and_district_approves_through_the_page(login, people, centre):
    manager = people.centre_manager(centre)
    response = login(manager).post(
        page(centre), {"action": "request", "requested_capacity": "30", "reason": "증축"}
    )
    assert response.status_code == 302
    pending = CapacityRequest.objects.get(facility=centre)
    # The centre cannot decide: 403, and nothing changes.
    decide = {"action": "decide", "request_id": pending.pk, "decision": "approve", "reason": ""}
    assert login(manager).post(page(centre), decide).status_code == 403
    # Another district does not see the facility at all.
    assert login(people.district_officer("GN")).post(page(centre), decide).status_code == 404
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert login(people.district_officer("NW")).post(page(centre), decide).status_code == 302
    response = login(people.district_officer("NW")).get(page(centre))
    assert response.context["effective_capacity"] == 30
    assert response.context["temporary_quota"] == 6
    assert manager.name in response.content.decode()


def test_page_bad_input_keeps_what_was_typed(login, people, centre):
    response = login(people.centre_manager(centre)).post(
        page(centre), {"action": "request", "requested_capacity": "0", "reason": "기록유지"}
    )
    assert response.status_code == 400
    assert "기록유지" in response.content.decode()
    assert not CapacityRequest.objects.exists()


def test_reject_without_reason_is_a_field_error(login, people, centre):
    pending = ask(people, centre)
    response = login(people.district_officer("NW")).post(
        page(centre),
        {"action": "decide", "request_id": pending.pk, "decision": "reject", "reason": ""},
    )
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_page_other_district_and_anonymous(client, login, people, centre):
    response = client.get(page(centre))
    assert response.status_code == 302 and "next=" in response["Location"]
    assert login(people.district_officer("GN")).get(page(centre)).status_code == 404


def test_reservation_info_links_to_the_page(login, people, centre):
    response = login(people.centre_manager(centre)).get(
        reverse("backoffice:facility_reservation_info", args=[centre.code])
    )
    assert page(centre) in response.content.decode()
