import pytest

from kium.accounts.models import Child
from kium.core.models import AuditEntry
from tests.conftest import bearer
from tests.factories.people import PASSWORD

pytestmark = pytest.mark.django_db


def child_body(**overrides):
    body = {
        "name": "김하늘",
        "birth_date": "2018-03-02",
        "sex": "F",
        "school": "상계초등학교",
        "grade": 2,
        "guardian_consent": True,
    }
    body.update(overrides)
    return body


def post_child(client, auth, **overrides):
    return client.post(
        "/api/v1/children", child_body(**overrides), content_type="application/json", **auth
    )


def test_guardian_registers_a_child(client, people):
    guardian = people.guardian()
    auth = bearer(client, guardian.username, PASSWORD)
    response = post_child(client, auth)
    assert response.status_code == 201
    body = response.json()
    child = Child.objects.get(pk=body["id"])
    assert child.guardian == guardian
    assert body["name"] == "김하늘" and body["birth_date"] == "2018-03-02"
    assert body["guardian_consent_at"] and body["sensitive_consent_at"] is None
    assert AuditEntry.objects.filter(action="child.register", object_id=str(child.pk)).exists()


def test_guardian_consent_is_required(client, people):
    auth = bearer(client, people.guardian().username, PASSWORD)
    response = post_child(client, auth, guardian_consent=False)
    assert response.status_code == 400
    assert response.json()["code"] == "consent_required"
    missing = client.post(
        "/api/v1/children",
        {k: v for k, v in child_body().items() if k != "guardian_consent"},
        content_type="application/json",
        **auth,
    )
    assert missing.json()["code"] == "consent_required"
    assert not Child.objects.exists()


def test_health_notes_need_sensitive_consent(client, people):
    auth = bearer(client, people.guardian().username, PASSWORD)
    refused = post_child(client, auth, health_notes="땅콩 알레르기")
    assert refused.status_code == 400
    assert refused.json()["code"] == "consent_required"
    assert "sensitive_consent" in refused.json()["fields"]
    ok = post_child(client, auth, health_notes="땅콩 알레르기", sensitive_consent=True)
    assert ok.status_code == 201
    assert ok.json()["sensitive_consent_at"] is not None


@pytest.mark.parametrize(
    "overrides", [{"sex": "X"}, {"grade": 9}, {"birth_date": "2018-13-40"}, {"name": ""}]
)
def test_bad_values_are_400_not_500(client, people, overrides):
    auth = bearer(client, people.guardian().username, PASSWORD)
    response = post_child(client, auth, **overrides)
    assert response.status_code == 400
    assert response.json()["fields"]


def test_anonymous_is_401(client, db):
    assert (
        client.post("/api/v1/children", child_body(), content_type="application/json").status_code
        == 401
    )
    assert client.get("/api/v1/children").status_code == 401
    bad = client.get("/api/v1/children", HTTP_AUTHORIZATION="Bearer nonsense")
    assert bad.status_code == 401


def test_staff_callers_get_403(client, people):
    staff = people.district_officer()
    auth = bearer(client, staff.username, PASSWORD)
    assert post_child(client, auth).status_code == 403
    assert client.get("/api/v1/children", **auth).status_code == 403


def test_list_shows_only_the_callers_children(client, people):
    guardian, other = people.guardian(), people.guardian()
    people.child(guardian, name="첫째")
    people.child(guardian, name="둘째")
    people.child(other, name="남의아이")
    auth = bearer(client, guardian.username, PASSWORD)
    body = client.get("/api/v1/children", **auth).json()
    assert body["count"] == 2
    assert sorted(c["name"] for c in body["results"]) == ["둘째", "첫째"]
    paged = client.get("/api/v1/children?page=2&page_size=1", **auth).json()
    assert paged["count"] == 2 and len(paged["results"]) == 1
    assert client.get("/api/v1/children?page_size=101", **auth).status_code == 400
