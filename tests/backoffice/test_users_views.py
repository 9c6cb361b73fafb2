"""사용자관리: 가입승인, 접속이력, 변경이력, 개인정보 접속기록, 월간점검."""

import datetime as dt
import io

import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from kium.accounts.enums import ApprovalStatus
from kium.accounts.models import LoginHistory
from kium.core.audit import log_action, record_access
from kium.core.clock import SEOUL
from kium.core.models import AccessRecord
from kium.core.templatetags.kium_format import phone
from kium.orgs.models import AccessReview, Role
from tests.backoffice.conftest import assert_login_redirect

# --- 가입승인 -----------------------------------------------------------------------


def test_approval_list_and_approve(people, login):
    applicant = people.staff(approved=False, jurisdiction="district", district_code="NW")
    client = login(people.city_officer())
    html = client.get(reverse("backoffice:approvals")).content.decode()
    assert applicant.username in html
    url = reverse("backoffice:approval_detail", args=[applicant.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert phone(applicant.phone) in html
    assert "구관리자_우리동네키움센터" in html
    assert AccessRecord.objects.filter(subject_id=str(applicant.pk)).exists()
    role = Role.objects.get(name="구관리자_우리동네키움센터")
    response = client.post(url, {"decision": "approve", "role": role.pk})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.approval_status == ApprovalStatus.APPROVED
    assert client.get(url).status_code == 404  # no longer pending


def test_reject_requires_reason(people, login):
    applicant = people.staff(approved=False, jurisdiction="district", district_code="NW")
    client = login(people.city_officer())
    url = reverse("backoffice:approval_detail", args=[applicant.pk])
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert "반려 사유를 입력해 주세요" in response.content.decode()
    response = client.post(url, {"decision": "reject", "reason": "재직 확인 불가"})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.approval_status == ApprovalStatus.REJECTED


def test_approvals_are_for_city_officers_only(people, login, nw, centre_with_all_menus, client):
    applicant = people.staff(approved=False, jurisdiction="district", district_code="NW")
    url = reverse("backoffice:approval_detail", args=[applicant.pk])
    assert login(people.district_officer("NW")).get(url).status_code == 403
    # Holding the menu is not enough: a centre-level account sees no sign-ups at all.
    assert login(centre_with_all_menus(nw)).get(url).status_code == 404
    client.logout()
    assert_login_redirect(client.get(url), url)


# --- logs ----------------------------------------------------------------------------


def test_login_history_scope_filters_and_pagination(people, login, nw, gn):
    mine = people.centre_manager(nw)
    theirs = people.centre_manager(gn)
    for n in range(11):
        LoginHistory.objects.create(
            user=mine, username=mine.username, channel="backoffice", success=n % 2 == 0
        )
    LoginHistory.objects.create(
        user=theirs, username=theirs.username, channel="backoffice", success=True
    )
    client = login(people.district_officer("NW"))
    response = client.get(reverse("backoffice:login_history"))
    html = response.content.decode()
    assert mine.username in html and theirs.username not in html
    assert "전체 11건 (1페이지 / 전체 2페이지)" in html
    html = client.get(reverse("backoffice:login_history"), {"success": "0"}).content.decode()
    assert "전체 5건" in html
    html = login(people.city_officer()).get(reverse("backoffice:login_history")).content.decode()
    assert theirs.username in html


def test_login_history_anonymous_and_bad_filter(people, login, client, db):
    url = reverse("backoffice:login_history")
    assert_login_redirect(client.get(url), url)
    response = login(people.city_officer()).get(url, {"date_from": "어제"})
    assert response.status_code == 200
    assert "YYYY.MM.DD" in response.content.decode()


def test_audit_log_scope_and_filters(people, login, nw, gn):
    nw_officer = people.district_officer("NW")
    gn_officer = people.district_officer("GN")
    log_action(actor=nw_officer, action="test.mine", obj=nw)
    log_action(actor=gn_officer, action="test.theirs", obj=gn)
    client = login(people.district_officer("NW"))
    html = client.get(reverse("backoffice:audit_log")).content.decode()
    assert "test.mine" in html and "test.theirs" not in html
    city = login(people.city_officer())
    html = city.get(reverse("backoffice:audit_log"), {"action": "theirs"}).content.decode()
    assert "test.theirs" in html and "test.mine" not in html
    html = city.get(reverse("backoffice:audit_log"), {"actor": gn_officer.username}).content
    assert "test.mine" not in html.decode()
    html = city.get(
        reverse("backoffice:audit_log"), {"date_from": "2000-01-01", "date_to": "2000-01-02"}
    ).content.decode()
    assert "전체 0건" in html


def test_access_records_list_and_export(people, login, nw, gn):
    child = people.child(people.guardian())
    nw_officer = people.district_officer("NW")
    record_access(actor=nw_officer, action="child.view", subject=child)
    record_access(actor=people.district_officer("GN"), action="child.other", subject=child)
    client = login(people.city_officer())
    html = client.get(reverse("backoffice:access_records")).content.decode()
    assert "child.view" in html and "child.other" in html
    url = reverse("backoffice:access_records_export") + "?action=child.view"
    response = client.post(url, {"reason": "월간 점검"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[3].value for row in sheet.iter_rows(min_row=2)] == ["child.view"]
    assert AccessRecord.objects.filter(action="download", reason="월간 점검").exists()


def test_access_records_are_for_city_roles(people, login, client, db):
    url = reverse("backoffice:access_records")
    assert_login_redirect(client.get(url), url)
    assert login(people.district_officer("NW")).get(url).status_code == 403


# --- monthly review ------------------------------------------------------------------


def test_monthly_review_page_and_completion(people, login):
    child = people.child(people.guardian())
    officer = people.district_officer("NW")
    with time_machine.travel(dt.datetime(2026, 10, 3, 23, 30, tzinfo=SEOUL), tick=False):
        record_access(actor=officer, action="child.view", subject=child)
    city = people.city_officer()
    client = login(city)
    url = reverse("backoffice:monthly_review")
    response = client.get(url, {"month": "2026-10"})
    assert response.status_code == 200
    html = response.content.decode()
    assert officer.username in html and "야간 조회" in html
    response = client.post(f"{url}?month=2026-10", {"note": "야간 조회 1건 확인, 이상 없음"})
    assert response.status_code == 302
    review = AccessReview.objects.get()
    assert (review.month, review.reviewer) == (dt.date(2026, 10, 1), city)
    html = client.get(url, {"month": "2026-10"}).content.decode()
    assert "점검 완료" in html and city.username in html
    assert client.post(f"{url}?month=2026-10", {"note": "again"}).status_code == 400


def test_monthly_review_access(people, login, client, db):
    url = reverse("backoffice:monthly_review")
    assert_login_redirect(client.get(url), url)
    assert login(people.district_officer("NW")).get(url).status_code == 403
    response = login(people.city_officer()).get(url, {"month": "2026-13"})
    assert response.status_code == 200
    assert "YYYY-MM" in response.content.decode()
