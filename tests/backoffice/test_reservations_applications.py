"""예약신청관리 screens: list, one application and its decisions, documents, Excel,
방문·전화 접수 (RES-6, RES-7, RES-11)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kium.accounts import sms
from kium.accounts.models import User
from kium.core.models import AccessRecord, AuditEntry
from kium.reservations.domain import documents
from kium.reservations.domain.booking import Household
from kium.reservations.domain.calendar import document_gaps
from kium.reservations.models import CentrePolicy, Reservation
from tests.backoffice.conftest import assert_login_redirect
from tests.backoffice.test_reservations_support import (
    NEXT_DAY,
    PDF,
    apply,
    book,
    confirmed_regular,
    count_queries,
    frozen_clock,  # noqa: F401
    open_centre,
    sheet_rows,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

LIST = reverse("backoffice:reservation_applications")
EXPORT = reverse("backoffice:reservation_applications_export")
NEW = reverse("backoffice:reservation_offline_new")


def detail(reservation) -> str:
    return reverse("backoffice:reservation_detail", args=[reservation.pk])


# --- list ---------------------------------------------------------------------------------


def test_list_is_scoped_and_records_one_access_per_view(people, login):
    centre = open_centre(people)
    neighbour = open_centre(people)
    far = open_centre(people, district="GN")
    mine = book(people, centre, child="가나다")
    theirs = book(people, neighbour, child="라마바")
    away = book(people, far, child="사아자")
    html = login(people.centre_manager(centre)).get(LIST).content.decode()
    assert "가나다" in html and "라마바" not in html and "사아자" not in html
    record = AccessRecord.objects.get(action="reservation.applications.list")
    assert f"#{mine.pk}" in record.reason and record.subject_id == str(centre.pk)
    district = login(people.district_officer("NW")).get(LIST).content.decode()
    assert "가나다" in district and "라마바" in district and "사아자" not in district
    assert AccessRecord.objects.filter(action="reservation.applications.list").count() == 2
    gn = login(people.district_officer("GN")).get(LIST).content.decode()
    assert "사아자" in gn and "가나다" not in gn
    assert theirs.pk and away.pk


def test_anonymous_guardian_and_other_district(people, client, login):
    centre = open_centre(people)
    application = apply(people, centre)
    for url in (LIST, EXPORT, NEW, detail(application)):
        assert_login_redirect(client.get(url), url)
    guardian = login(application.guardian)
    assert guardian.get(LIST).status_code == 403
    assert guardian.get(detail(application)).status_code == 403
    other = login(people.district_officer("GN"))
    assert other.get(detail(application)).status_code == 404
    assert other.get(f"{LIST}?facility={centre.code}").status_code == 404
    assert not AccessRecord.objects.filter(action="reservation.view").exists()


def test_filters(people, login):
    centre = open_centre(people)
    apply(people, centre, child="정기아동", parent="정보호")
    book(people, centre, child="일시아동", parent="일보호")
    book(people, centre, child="다음주아동", day=NEXT_DAY + dt.timedelta(days=7))
    client = login(people.district_officer("NW"))

    def names(query: str) -> str:
        response = client.get(f"{LIST}?{query}")
        assert response.status_code == 200
        return response.content.decode()

    html = names("care_type=regular")
    assert "정기아동" in html and "일시아동" not in html
    html = names("status=confirmed")
    assert "일시아동" in html and "정기아동" not in html
    html = names("q=일보호")
    assert "일시아동" in html and "정기아동" not in html and "다음주아동" not in html
    day = NEXT_DAY.isoformat()
    html = names(f"basis=use&date_from={day}&date_to={day}")
    # The regular period covers the day; next week's booking does not.
    assert "정기아동" in html and "일시아동" in html and "다음주아동" not in html
    bad = client.get(f"{LIST}?date_from=2026-10-10&date_to=2026-10-01")
    assert bad.status_code == 400
    assert "종료일은 시작일보다 빠를 수 없습니다." in bad.content.decode()


def test_review_order_and_place_check_for_one_centres_regular_line(
    people,
    login,
    frozen_clock,  # noqa: F811
):
    centre = open_centre(people, area="3.30")  # one place
    first_come = apply(people, centre, child="일반아동", grade=5)
    frozen_clock.shift(dt.timedelta(minutes=5))
    priority = apply(
        people, centre, child="우선아동", grade=2, household=Household(dual_earner=True)
    )
    client = login(people.centre_manager(centre))
    query = f"?facility={centre.code}&care_type=regular&status=pending"
    html = client.get(LIST + query).content.decode()
    assert "센터 우선순위 기준의 순위" in html
    assert html.index("우선아동") < html.index("일반아동")
    assert html.count("있음") == 2  # both still fit before any approval
    # Approving the priority child takes the only place: the other's days are full now.
    client.post(detail(priority), {"action": "approve"})
    html = client.get(LIST + query).content.decode()
    assert "정원 초과" in html and "일반아동" in html
    assert first_come.pk


def test_list_query_count_does_not_grow_with_rows(people, login):
    centre = open_centre(people)
    other = open_centre(people)
    apply(people, centre)
    book(people, other)
    client = login(people.district_officer("NW"))
    few = count_queries(client, LIST)
    for n in range(6):
        apply(people, centre, child=f"아동{n}")
        book(people, other, child=f"일시{n}")
    many = count_queries(client, LIST)
    assert many == few


def test_document_gaps_agree_with_the_engine(people):
    centre = open_centre(people)
    CentrePolicy.objects.filter(facility=centre).update(requires_admission_documents=True)
    plain = open_centre(people)
    rows = [apply(people, centre), apply(people, plain), book(people, centre)]
    with_upload = apply(people, centre, child="서류아동")
    documents.add_document(
        actor=with_upload.guardian,
        reservation=with_upload,
        kind="admission",
        upload=SimpleUploadedFile("a.pdf", PDF),
    )
    rows.append(with_upload)
    for row in rows:
        row.refresh_from_db()
    gaps = document_gaps(rows)
    assert gaps == {row.pk: documents.missing_documents(row) for row in rows}
    assert gaps[rows[0].pk] == ["admission"] and gaps[with_upload.pk] == []


# --- one application ----------------------------------------------------------------------


def test_detail_shows_everything_and_records_access(people, login):
    centre = open_centre(people)
    application = apply(people, centre, household=Household(dual_earner=True, many_children=True))
    manager = people.centre_manager(centre)
    html = login(manager).get(detail(application)).content.decode()
    for text in (
        "김하늘",
        "맞벌이",
        "다자녀",
        "① 이용신청서",
        "서면 동의서 접수",
        "승인",
        "반려",
        "대기 등록",
    ):
        assert text in html, text
    record = AccessRecord.objects.get(action="reservation.view")
    assert record.actor_id == manager.pk and record.subject_id == str(application.pk)


def test_approve_through_the_view(people, login):
    centre = open_centre(people)
    application = apply(people, centre)
    manager = people.centre_manager(centre)
    response = login(manager).post(detail(application), {"action": "approve"})
    assert response.status_code == 302 and response["Location"] == detail(application)
    application.refresh_from_db()
    assert application.status == "confirmed" and application.decided_by_id == manager.pk
    assert AuditEntry.objects.filter(action="reservation.confirmed", actor=manager).exists()
    history = login(manager).get(detail(application)).content.decode()
    assert "승인(이용확정)" in history and "reservation.confirmed" not in history


def test_approve_when_full_or_documents_missing_shows_the_korean_reason(people, login):
    centre = open_centre(people, area="3.30")
    confirmed_regular(people, centre, child="먼저")
    waiting = apply(people, centre, child="나중")
    client = login(people.district_officer("NW"))
    response = client.post(detail(waiting), {"action": "approve"})
    assert response.status_code == 409
    assert "정원이 찼습니다" in response.content.decode()
    assert Reservation.objects.get(pk=waiting.pk).status == "pending"
    CentrePolicy.objects.filter(facility=centre).update(requires_admission_documents=True)
    other = open_centre(people)
    CentrePolicy.objects.filter(facility=other).update(requires_admission_documents=True)
    paperless = apply(people, other)
    response = client.post(detail(paperless), {"action": "approve"})
    assert response.status_code == 400
    assert "제출되지 않은 서류가 있습니다: 입소 구비서류" in response.content.decode()


def test_reject_needs_a_reason(people, login):
    centre = open_centre(people)
    application = apply(people, centre)
    client = login(people.centre_manager(centre))
    response = client.post(detail(application), {"action": "reject", "reject-reason": ""})
    assert response.status_code == 400
    assert "반려 사유를 적어 주세요." in response.content.decode()
    assert Reservation.objects.get(pk=application.pk).status == "pending"
    response = client.post(
        detail(application), {"action": "reject", "reject-reason": "거주지 확인 불가"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == ("rejected", "거주지 확인 불가")


def test_wait_cancel_and_paper_forms(people, login):
    centre = open_centre(people)
    application = apply(people, centre)
    client = login(people.centre_manager(centre))
    assert (
        client.post(detail(application), {"action": "wait", "wait-reason": "정원 부족"}).status_code
        == 302
    )
    assert Reservation.objects.get(pk=application.pk).status == "waitlisted"
    assert client.post(detail(application), {"action": "paper"}).status_code == 302
    assert Reservation.objects.get(pk=application.pk).paper_forms_received_at is not None
    day_booking = book(people, centre)
    response = client.post(detail(day_booking), {"action": "cancel", "cancel-reason": "센터 사정"})
    assert response.status_code == 302
    assert Reservation.objects.get(pk=day_booking.pk).status == "cancelled"
    # A move the status does not allow is refused with the engine's message.
    response = client.post(detail(day_booking), {"action": "approve"})
    assert response.status_code == 409
    assert "현재 상태(취소)에서는 할 수 없는 처리입니다." in response.content.decode()
    assert client.post(detail(day_booking), {"action": "nope"}).status_code == 400


def test_other_district_cannot_act(people, login):
    centre = open_centre(people)
    application = apply(people, centre)
    response = login(people.district_officer("GN")).post(detail(application), {"action": "approve"})
    assert response.status_code == 404
    assert Reservation.objects.get(pk=application.pk).status == "pending"


# --- documents ----------------------------------------------------------------------------


def test_documents_open_as_attachments_only_in_scope(people, login, client):
    centre = open_centre(people)
    application = apply(people, centre)
    document = documents.add_document(
        actor=application.guardian,
        reservation=application,
        kind="admission",
        upload=SimpleUploadedFile("홍길동 등본.pdf", PDF),
    )
    url = reverse("backoffice:reservation_document", args=[application.pk, document.pk])
    assert_login_redirect(client.get(url), url)
    manager = people.centre_manager(centre)
    response = login(manager).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    record = AccessRecord.objects.get(action="reservation.document_open")
    assert record.actor_id == manager.pk
    assert login(people.district_officer("GN")).get(url).status_code == 404
    assert AccessRecord.objects.filter(action="reservation.document_open").count() == 1
    # The document must belong to the reservation in the address.
    other = apply(people, centre, child="다른아이")
    wrong = reverse("backoffice:reservation_document", args=[other.pk, document.pk])
    assert login(manager).get(wrong).status_code == 404


def test_staff_upload_a_scanned_document(people, login):
    centre = open_centre(people)
    application = apply(people, centre)
    client = login(people.centre_manager(centre))
    upload = SimpleUploadedFile("scan.pdf", PDF, "application/pdf")
    response = client.post(
        detail(application), {"action": "upload", "upload-kind": "admission", "upload-file": upload}
    )
    assert response.status_code == 302
    assert application.documents.get().kind == "admission"
    fake = SimpleUploadedFile("fake.pdf", b"<html>", "application/pdf")
    response = client.post(
        detail(application), {"action": "upload", "upload-kind": "admission", "upload-file": fake}
    )
    assert response.status_code == 400
    assert "PDF, JPG, PNG 파일만 올릴 수 있습니다." in response.content.decode()


# --- Excel --------------------------------------------------------------------------------


def test_export_asks_a_reason_and_follows_the_filter(people, login):
    centre = open_centre(people)
    apply(people, centre, child="정기아동")
    book(people, centre, child="일시아동")
    client = login(people.centre_manager(centre))
    url = f"{EXPORT}?care_type=temporary"
    page = client.get(url)
    assert page.status_code == 200 and "다운로드 사유" in page.content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "일시돌봄 점검"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    header, rows = sheet_rows(response.content)
    assert header[:5] == ["순번", "신청일시", "시설코드", "시설명", "아동"]
    assert [row[header.index("아동")] for row in rows] == ["일시아동"]
    record = AccessRecord.objects.get(action="download")
    assert record.subject_type == "export.reservation_applications"
    assert record.reason == "일시돌봄 점검"


# --- 방문·전화 접수 ---------------------------------------------------------------------------


def _offline_data(centre, **overrides):
    data = {
        "facility": centre.code,
        "guardian_name": "박보호",
        "guardian_phone": "010-7777-8888",
        "child_name": "박하늘",
        "child_birth_date": "2018-05-01",
        "child_sex": "F",
        "care_type": "temporary",
        "date": NEXT_DAY.isoformat(),
        "start_time": "14:00",
        "end_time": "18:00",
        "paper_forms_received": "on",
    }
    data.update(overrides)
    return data


def test_offline_registration_of_a_non_member(people, login, django_capture_on_commit_callbacks):
    centre = open_centre(people)
    client = login(people.centre_manager(centre))
    assert client.get(NEW).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, _offline_data(centre))
    assert response.status_code == 302
    reservation = Reservation.objects.get()
    assert response["Location"] == detail(reservation)
    assert reservation.source == "offline" and reservation.paper_forms_received_at
    assert reservation.guardian.username.startswith("invited-")
    (message,) = sms.outbox
    assert message.phone == "01077778888"
    assert "http://testserver/accounts/signup/" in message.text
    page = client.get(response["Location"]).content.decode()
    assert "회원가입 안내 문자" in page and "미가입" in page


def test_offline_registration_of_a_member(people, login, django_capture_on_commit_callbacks):
    centre = open_centre(people)
    member = people.guardian(name="박보호", phone="01077778888")
    client = login(people.district_officer("NW"))
    data = _offline_data(
        centre,
        care_type="regular",
        date="",
        start_date="2026-10-06",
        end_date="2026-12-31",
        weekdays=["0", "2", "4"],
        start_time="13:00",
        end_time="18:00",
        dual_earner="on",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, data)
    assert response.status_code == 302
    reservation = Reservation.objects.get()
    assert reservation.guardian_id == member.pk and reservation.status == "pending"
    assert reservation.weekdays == [0, 2, 4] and reservation.dual_earner
    assert sms.outbox == []


def test_offline_errors_stay_next_to_the_field(people, login):
    centre = open_centre(people)
    client = login(people.centre_manager(centre))
    far = (NEXT_DAY + dt.timedelta(days=30)).isoformat()
    response = client.post(NEW, _offline_data(centre, date=far))
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["date"] == ["일시돌봄은 오늘부터 14일 뒤까지 예약할 수 있습니다."]
    assert 'value="박하늘"' in response.content.decode()
    assert not User.objects.filter(phone="01077778888").exists()
    response = client.post(NEW, _offline_data(centre, care_type="regular", date=""))
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"start_date", "end_date", "weekdays"}
    other = open_centre(people, district="GN")
    response = client.post(NEW, _offline_data(other))
    assert response.status_code == 400
    assert "facility" in response.context["form"].errors
    assert not Reservation.objects.exists()


def test_side_navigation_links_the_screens(people, login):
    centre = open_centre(people)
    html = login(people.centre_manager(centre)).get(LIST).content.decode()
    for name in (
        "reservation_daily",
        "reservation_extensions",
        "reservation_users_regular",
        "reservation_users_temporary",
        "reservation_users_sick",
    ):
        assert f'href="{reverse("backoffice:" + name)}"' in html, name


def test_fee_and_exemption_are_recorded_on_the_detail_page(people, login):
    centre = open_centre(people)
    application = apply(people, centre)
    client = login(people.centre_manager(centre))
    bad = client.post(detail(application), {"action": "fee", "fee-fee_amount": "-5"})
    assert bad.status_code == 400
    assert 'value="-5"' in bad.content.decode()
    ok = client.post(
        detail(application),
        {"action": "fee", "fee-fee_amount": "50000", "fee-exemption": "single_parent"},
    )
    assert ok.status_code == 302
    application.refresh_from_db()
    assert (application.fee_amount, application.exemption) == (0, "single_parent")
    assert AuditEntry.objects.filter(action="reservation.fee").count() == 1
    outsider = login(people.district_officer("GN"))
    response = outsider.post(detail(application), {"action": "fee", "fee-fee_amount": "1"})
    assert response.status_code == 404
