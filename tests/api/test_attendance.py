"""API.md "Attendance devices": readers and cards by centre staff, taps by a reader."""

from __future__ import annotations

import pytest
import time_machine

from kium.attendance.models import Reader, RfCard, Tap
from kium.notifications.models import OutboxMessage
from tests.attendance.support import NOW, Setup, care
from tests.conftest import bearer
from tests.factories.people import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def setup(people):
    return Setup(people)


def _post(client, path, body, headers):
    return client.post(path, body, content_type="application/json", **headers)


def _reader_headers(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


TAP = {"card_uid": "04A2241B", "tapped_at": "2026-10-06T12:55:00+09:00", "nonce": "n1"}


def test_staff_registers_a_reader_and_sees_its_token_once(client, setup):
    headers = bearer(client, setup.manager.username, PASSWORD)
    answer = _post(
        client,
        "/api/v1/attendance/readers",
        {"facility": setup.facility.code, "name": "후문 리더기"},
        headers,
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    reader = Reader.objects.get(pk=body["id"])
    assert reader.facility == setup.facility
    assert body["token"] and body["token"] not in reader.token_hash
    # the token works for taps at once
    tap = _post(client, "/api/v1/attendance/taps", TAP, _reader_headers(body["token"]))
    assert tap.status_code == 200


def test_reader_of_another_district_is_404_and_guardians_403(client, people, setup):
    outsider = bearer(client, people.district_officer("GN").username, PASSWORD)
    body = {"facility": setup.facility.code, "name": "x"}
    answer = _post(client, "/api/v1/attendance/readers", body, outsider)
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    parent = bearer(client, setup.guardian.username, PASSWORD)
    answer = _post(client, "/api/v1/attendance/readers", body, parent)
    assert answer.status_code == 403
    assert _post(client, "/api/v1/attendance/readers", body, {}).status_code == 401


def test_register_card_and_card_in_use(client, people, setup):
    kid = people.child(setup.guardian, name="김바다")
    care(setup.facility, kid)
    headers = bearer(client, setup.manager.username, PASSWORD)
    answer = _post(
        client, "/api/v1/attendance/cards", {"child": kid.pk, "card_uid": "aa:bb:cc:dd"}, headers
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["card_uid"] == "AABBCCDD"
    assert answer.json()["facility"] == setup.facility.code
    again = _post(
        client, "/api/v1/attendance/cards", {"child": kid.pk, "card_uid": "04A2241B"}, headers
    )
    assert again.status_code == 409
    assert again.json()["code"] == "card_in_use"
    assert "사용 중" in again.json()["message"]


def test_card_for_a_child_out_of_scope_is_404(client, people, setup):
    outsider = bearer(client, people.district_officer("GN").username, PASSWORD)
    answer = _post(
        client, "/api/v1/attendance/cards", {"child": setup.child.pk, "card_uid": "AB12"}, outsider
    )
    assert answer.status_code == 404
    stranger_kid = people.child(people.guardian())  # no reservation here
    manager = bearer(client, setup.manager.username, PASSWORD)
    answer = _post(
        client, "/api/v1/attendance/cards", {"child": stranger_kid.pk, "card_uid": "AB12"}, manager
    )
    assert answer.status_code == 404


def test_facility_is_required_when_the_child_uses_two_in_scope(client, people, setup):
    second = people.facility("NW")
    care(second, setup.child)
    officer = bearer(client, people.district_officer("NW").username, PASSWORD)
    body = {"child": setup.child.pk, "card_uid": "AB12"}
    answer = _post(client, "/api/v1/attendance/cards", body, officer)
    assert answer.status_code == 400
    assert answer.json()["code"] == "facility_required"
    answer = _post(client, "/api/v1/attendance/cards", {**body, "facility": second.code}, officer)
    assert answer.status_code == 201
    assert RfCard.objects.get(card_uid="AB12").facility == second


def test_taps_alternate_and_a_resend_is_a_duplicate(client, setup):
    headers = _reader_headers(setup.token)
    first = _post(client, "/api/v1/attendance/taps", TAP, headers)
    assert first.status_code == 200, first.content
    assert first.json() == {
        "child": {"id": setup.child.pk, "name": setup.child.name},
        "event": "check_in",
        "duplicate": False,
    }
    again = _post(client, "/api/v1/attendance/taps", TAP, headers)
    assert again.json()["duplicate"] is True and again.json()["event"] == "check_in"
    out = _post(
        client,
        "/api/v1/attendance/taps",
        {**TAP, "nonce": "n2", "tapped_at": "2026-10-06T12:58:00+09:00"},
        headers,
    )
    assert out.json()["event"] == "check_out"
    assert Tap.objects.count() == 2
    assert OutboxMessage.objects.filter(recipient_id=setup.guardian.pk).count() == 2


def test_unknown_card_is_404(client, setup):
    answer = _post(
        client, "/api/v1/attendance/taps", {**TAP, "card_uid": "FFFF"}, _reader_headers(setup.token)
    )
    assert answer.status_code == 404
    assert answer.json()["code"] == "unknown_card"


def test_revoked_reader_and_staff_tokens_are_401(client, setup):
    from kium.attendance.domain.readers import revoke_reader

    revoke_reader(actor=setup.manager, reader=setup.reader)
    answer = _post(client, "/api/v1/attendance/taps", TAP, _reader_headers(setup.token))
    assert answer.status_code == 401
    staff = bearer(client, setup.manager.username, PASSWORD)
    assert _post(client, "/api/v1/attendance/taps", TAP, staff).status_code == 401
    assert _post(client, "/api/v1/attendance/taps", TAP, {}).status_code == 401
    assert not Tap.objects.exists()


def test_a_reader_token_opens_nothing_else(client, setup):
    body = {"facility": setup.facility.code, "name": "x"}
    answer = _post(client, "/api/v1/attendance/readers", body, _reader_headers(setup.token))
    assert answer.status_code == 401


def test_bad_tapped_at_is_400_in_korean(client, setup):
    answer = _post(
        client,
        "/api/v1/attendance/taps",
        {**TAP, "tapped_at": "2026-10-06T12:55:00"},
        _reader_headers(setup.token),
    )
    assert answer.status_code == 400
    assert "tapped_at" in answer.json()["fields"]
