"""담당자 관리 (ACC-3): list, new account, detail, 사용여부, unlock, histories, export."""

import io

from axes.models import AccessAttempt
from django.urls import reverse
from openpyxl import load_workbook

from kium.accounts.models import LoginHistory, User
from kium.core.models import AccessRecord, AuditEntry
from kium.core.templatetags.kium_format import phone
from tests.backoffice.conftest import assert_login_redirect

NEW_PASSWORD = "centre2026pw"


def test_staff_list_columns_and_scope(people, login, nw, gn):
    mine = people.centre_manager(nw)
    theirs = people.centre_manager(gn)
    response = login(people.district_officer("NW")).get(reverse("backoffice:staff_list"))
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("순번", "부서", "아이디", "권한", "접속이력", "변경이력", "사용여부", "승인상태"):
        assert label in html
    assert mine.username in html and theirs.username not in html
    assert "센터관리자_우리동네키움센터" in html
    assert "일괄권한지정" in html


def test_staff_list_filters(people, login, nw):
    a = people.centre_manager(nw, name="가나다")
    b = people.staff(approved=False, district_code="NW", name="라마바")
    client = login(people.city_officer())
    html = client.get(reverse("backoffice:staff_list"), {"approval": "pending"}).content.decode()
    assert b.username in html and a.username not in html
    html = client.get(reverse("backoffice:staff_list"), {"q": "가나"}).content.decode()
    assert a.username in html and b.username not in html
    department = nw.department
    html = client.get(reverse("backoffice:staff_list"), {"department": department.pk})
    assert b.username not in html.content.decode()


def test_staff_list_anonymous(client, db):
    url = reverse("backoffice:staff_list")
    assert_login_redirect(client.get(url), url)


def test_new_staff_account_for_facility(people, login, nw):
    client = login(people.district_officer("NW"))
    url = f"{reverse('backoffice:staff_new')}?facility={nw.code}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"name": "이담당", "phone": "010-2222-3333", "email": "", "password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(username=f"{nw.code}001")
    assert user.must_change_password and user.is_approved
    assert response["Location"] == reverse("backoffice:staff_detail", args=[user.pk])


def test_new_staff_password_policy_error_keeps_input(people, login, nw):
    client = login(people.district_officer("NW"))
    url = f"{reverse('backoffice:staff_new')}?facility={nw.code}"
    response = client.post(url, {"name": "이담당", "phone": "01022223333", "password": "abc"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "10~20자" in html
    assert "이담당" in html
    assert not User.objects.filter(facility=nw).exists()


def test_new_staff_out_of_scope(people, login, nw, gn, centre_with_all_menus, client):
    url = f"{reverse('backoffice:staff_new')}?facility={nw.code}"
    assert login(people.district_officer("GN")).get(url).status_code == 404
    assert login(centre_with_all_menus(gn)).get(url).status_code == 404
    # A centre account of the facility itself may not create accounts either.
    assert login(centre_with_all_menus(nw)).get(url).status_code == 403
    client.logout()
    assert_login_redirect(client.get(url), url)


def test_staff_detail_records_access(people, login, nw, gn, centre_with_all_menus):
    account = people.centre_manager(nw)
    officer = people.district_officer("NW")
    url = reverse("backoffice:staff_detail", args=[account.pk])
    response = login(officer).get(url)
    assert response.status_code == 200
    assert phone(account.phone) in response.content.decode()
    record = AccessRecord.objects.get()
    assert (record.actor, record.subject_id, record.action) == (
        officer,
        str(account.pk),
        "staff.view",
    )
    assert login(people.district_officer("GN")).get(url).status_code == 404
    assert login(centre_with_all_menus(gn)).get(url).status_code == 404


def test_disable_and_enable(people, login, nw):
    account = people.centre_manager(nw)
    client = login(people.district_officer("NW"))
    url = reverse("backoffice:staff_set_active", args=[account.pk])
    assert client.post(url, {"active": "0"}).status_code == 302
    account.refresh_from_db()
    assert not account.is_active
    assert client.post(url, {"active": "1"}).status_code == 302
    account.refresh_from_db()
    assert account.is_active
    actions = list(
        AuditEntry.objects.filter(object_id=str(account.pk)).values_list("action", flat=True)
    )
    assert "staff.disable" in actions and "staff.enable" in actions
    assert client.get(url).status_code == 405


def test_disable_out_of_scope(people, login, nw, gn, centre_with_all_menus):
    account = people.centre_manager(nw)
    url = reverse("backoffice:staff_set_active", args=[account.pk])
    assert login(people.district_officer("GN")).post(url, {"active": "0"}).status_code == 404
    assert login(centre_with_all_menus(gn)).post(url, {"active": "0"}).status_code == 404
    account.refresh_from_db()
    assert account.is_active


def test_officer_unlocks_account(people, login, nw, settings):
    account = people.centre_manager(nw)
    AccessAttempt.objects.create(
        username=account.username,
        ip_address="10.0.0.1",
        user_agent="test",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/admin/login/",
    )
    client = login(people.district_officer("NW"))
    html = client.get(reverse("backoffice:staff_detail", args=[account.pk])).content.decode()
    assert "잠김" in html
    response = client.post(reverse("backoffice:staff_unlock", args=[account.pk]))
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=account.username).exists()
    other = login(people.district_officer("GN"))
    assert other.post(reverse("backoffice:staff_unlock", args=[account.pk])).status_code == 404


def test_login_and_change_history_of_an_account(people, login, nw, gn, centre_with_all_menus):
    account = people.centre_manager(nw)
    LoginHistory.objects.create(
        user=account, username=account.username, channel="backoffice", success=False, ip="10.1.1.1"
    )
    officer = people.district_officer("NW")
    client = login(officer)
    client.post(reverse("backoffice:staff_set_active", args=[account.pk]), {"active": "0"})
    html = client.get(reverse("backoffice:staff_logins", args=[account.pk])).content.decode()
    assert "10.1.1.1" in html and "실패" in html
    html = client.get(reverse("backoffice:staff_changes", args=[account.pk])).content.decode()
    assert "staff.disable" in html
    for name in ("staff_logins", "staff_changes"):
        url = reverse(f"backoffice:{name}", args=[account.pk])
        assert login(people.district_officer("GN")).get(url).status_code == 404
        assert login(centre_with_all_menus(gn)).get(url).status_code == 404


def test_export_asks_reason_records_it_and_returns_excel(people, login, nw, gn):
    mine = people.centre_manager(nw)
    theirs = people.centre_manager(gn)
    client = login(people.district_officer("NW"))
    url = reverse("backoffice:staff_export")
    response = client.get(url)
    assert response.status_code == 200
    assert "다운로드 사유" in response.content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert not AccessRecord.objects.filter(action="download").exists()
    response = client.post(url, {"reason": "분기 점검 자료"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    usernames = [row[2].value for row in sheet.iter_rows(min_row=2)]
    assert mine.username in usernames and theirs.username not in usernames
    record = AccessRecord.objects.get(action="download")
    assert record.reason == "분기 점검 자료"


def test_export_anonymous_and_without_menu(people, login, nw, client):
    url = reverse("backoffice:staff_export")
    assert_login_redirect(client.get(url), url)
    assert login(people.centre_manager(nw)).post(url, {"reason": "x y"}).status_code == 403


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_screens_do_not_grow_queries_with_rows(people, login, nw):
    client = login(people.district_officer("NW"))
    people.centre_manager(nw)
    urls = [
        reverse("backoffice:staff_list"),
        reverse("backoffice:assignments"),
        reverse("backoffice:facilities"),
    ]
    before = [_queries(client, url) for url in urls]
    for _ in range(8):
        people.centre_manager(people.facility("NW"))
    assert [_queries(client, url) for url in urls] == before
