"""예약하기 in three steps (RES-1…8): access, the flows of each care type, the draft kept
between steps and through the login page, and errors that keep what was typed."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kium.centres.models import FacilityProfile
from kium.core.models import AuditEntry
from kium.orgs.enums import FacilityType
from kium.reservations.domain import booking
from kium.reservations.models import Reservation, ReservationDocument
from tests.factories.people import PASSWORD
from tests.reservations.support import NEXT_DAY, NOW, TODAY, open_centre, temporary

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HANGEUL_DAY = dt.date(2026, 10, 9)  # 한글날: closed


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def step1(facility) -> str:
    return reverse("public:reserve", args=[facility.code])


def step2(facility) -> str:
    return reverse("public:reserve_details", args=[facility.code])


def step3(facility) -> str:
    return reverse("public:reserve_confirm", args=[facility.code])


def text(response) -> str:
    body = unescape(response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def family(people):
    parent = people.guardian()
    return parent, people.child(parent, grade=2)


def book_temporary(client, centre, kid, day=NEXT_DAY, *, care_type="temporary", extra=None):
    """Walk the three steps for one day; returns the final response."""
    response = client.post(step1(centre), {"child": kid.pk, "care_type": care_type})
    assert response.status_code == 302, text(response)
    assert response["Location"] == step2(centre)
    details = {"date": day.isoformat(), "start_time": "14:00", "end_time": "18:00"}
    details.update(extra or {})
    response = client.post(step2(centre), details)
    assert response.status_code == 302, text(response)
    assert response["Location"] == step3(centre)
    return client.post(step3(centre), {"privacy": "on", "pickup": "on"})


# --- access --------------------------------------------------------------------------------


def test_anonymous_sees_step_one_and_is_sent_to_login_for_the_rest(client, people):
    centre = open_centre(people)
    response = client.get(step1(centre))
    assert response.status_code == 200
    assert "로그인" in text(response)
    assert 'name="child"' not in response.content.decode()
    for url in (step2(centre), step3(centre)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("public:login") + "?next=")


def test_staff_get_a_clear_refusal(client, people):
    centre = open_centre(people)
    client.force_login(people.centre_manager(centre))
    for url in (step1(centre), step2(centre), step3(centre)):
        response = client.get(url)
        assert response.status_code == 403
        assert "보호자 회원 전용" in text(response)


def test_unknown_facility_is_404(client, people):
    client.force_login(people.guardian())
    assert client.get(reverse("public:reserve", args=["NWUK999"])).status_code == 404


def test_facility_that_takes_no_online_booking_shows_a_notice(client, people):
    room = people.facility("NW", facility_type=FacilityType.COMMUNITY)
    client.force_login(people.guardian())
    response = client.get(step1(room))
    assert response.status_code == 200
    assert "온라인 예약을 받지 않습니다" in text(response)
    assert "<form" not in response.content.decode().split('id="main"')[1]


def test_care_types_offered_follow_the_facility(client, people):
    parent, _kid = family(people)
    client.force_login(parent)
    general = open_centre(people)
    page = text(client.get(step1(general)))
    assert "일시돌봄" in page and "정기돌봄" in page and "아픈아이 돌봄" not in page
    hub = open_centre(people, kind="hub")
    response_text = text(client.get(step1(hub)))
    assert "정기돌봄" not in response_text.replace("정기돌봄은 가까운", "")
    assert "거점형 키움센터는 일시돌봄만 받습니다" in response_text
    FacilityProfile.objects.create(facility=hub, sick_child_care=True)
    assert "아픈아이 돌봄" in text(client.get(step1(hub)))
    # A care type the facility does not offer is refused next to the field.
    response = client.post(step1(hub), {"child": _kid.pk, "care_type": "regular"})
    assert response.status_code == 400
    assert "제공하는 돌봄 유형 중에서" in text(response)


def test_a_guardian_without_children_is_asked_to_add_one(client, people):
    centre = open_centre(people)
    client.force_login(people.guardian())
    response = client.get(step1(centre))
    assert response.status_code == 200
    body = response.content.decode()
    assert "등록된 자녀가 없습니다" in text(response)
    assert reverse("public:child_add") + "?next=" in body


def test_another_guardians_child_cannot_be_chosen(client, people):
    centre = open_centre(people)
    parent, _ = family(people)
    _other, stranger = family(people)
    client.force_login(parent)
    response = client.post(step1(centre), {"child": stranger.pk, "care_type": "temporary"})
    assert response.status_code == 400
    assert "등록된 자녀 중에서" in text(response)


# --- the flows -------------------------------------------------------------------------------


def test_temporary_booking_is_confirmed_in_three_steps(client, people):
    centre = open_centre(people)
    parent, kid = family(people)
    client.force_login(parent)
    response = client.get(step1(centre))
    assert response.status_code == 200
    step_two = client.post(step1(centre), {"child": kid.pk, "care_type": "temporary"})
    calendar = client.get(step_two["Location"])
    page = calendar.content.decode()
    # The calendar: every day a radio; today … today + 14; closed days disabled.
    assert page.count('type="radio" name="date"') == 15
    assert re.search(r'value="2026-10-09" id="day-2026-10-09"[^>]*disabled', page)
    assert "한글날" in text(calendar)
    assert 'data-open="13:00" data-close="20:00"' in page
    confirm = client.post(step2(centre), {"date": "2026-10-07", "start_time": "", "end_time": ""})
    assert confirm.status_code == 302
    summary = client.get(step3(centre))
    assert "2026.10.07 (수)" in text(summary)
    assert "13:00~20:00" in text(summary)  # blank hours = the day's hours
    assert "바로 확정됩니다" in text(summary)
    done = client.post(step3(centre), {"privacy": "on"})
    assert done.status_code == 302
    reservation = Reservation.objects.get(child=kid)
    assert done["Location"] == reverse("public:reserve_done", args=[reservation.pk])
    assert reservation.status == "confirmed"
    assert (reservation.start_time, reservation.end_time) == (dt.time(13), dt.time(20))
    assert reservation.privacy_consent_at is not None
    assert reservation.pickup_consent_at is None
    result = client.get(done["Location"])
    assert "예약이 확정되었습니다" in text(result)
    assert reverse("public:my_reservations") in result.content.decode()
    assert 'role="status"' in result.content.decode()
    # The draft is gone: starting again starts afresh.
    assert client.session.get("kium_reserve_drafts", {}).get(centre.code) is None


def test_a_full_day_puts_the_child_on_the_waitlist_with_its_position(client, people):
    centre = open_centre(people, area="3.30")  # capacity 1, no quota, waitlist 2
    first, first_kid = family(people)
    booking.book_single_day(
        actor=first, guardian=first, request=temporary(centre, first_kid, NEXT_DAY)
    )
    parent, kid = family(people)
    client.force_login(parent)
    client.post(step1(centre), {"child": kid.pk, "care_type": "temporary"})
    calendar = text(client.get(step2(centre)))
    assert "대기 1번째로 신청" in calendar
    client.post(step2(centre), {"date": NEXT_DAY.isoformat(), "start_time": "", "end_time": ""})
    summary = text(client.get(step3(centre)))
    assert "대기 1번째로 등록됩니다" in summary
    done = client.post(step3(centre), {"privacy": "on", "pickup": "on"})
    reservation = Reservation.objects.get(child=kid)
    assert reservation.status == "waitlisted"
    result = text(client.get(done["Location"]))
    assert "대기 1번째로 등록되었습니다" in result
    assert "수락" in result


def test_a_day_whose_waitlist_is_full_cannot_be_chosen(client, people):
    centre = open_centre(people, area="3.30")  # 1 place, 2 waiting at most
    for _ in range(3):
        other, other_kid = family(people)
        booking.book_single_day(
            actor=other, guardian=other, request=temporary(centre, other_kid, NEXT_DAY)
        )
    parent, kid = family(people)
    client.force_login(parent)
    client.post(step1(centre), {"child": kid.pk, "care_type": "temporary"})
    page = client.get(step2(centre)).content.decode()
    assert re.search(r'value="2026-10-07" id="day-2026-10-07"[^>]*disabled', page)
    response = client.post(step2(centre), {"date": "2026-10-07"})
    assert response.status_code == 302  # the page's pre-checks need no lock…
    response = client.post(step3(centre), {"privacy": "on"})
    # …the engine refuses under the lock, next to the date, on step 2, input kept.
    assert response.status_code == 409
    body = response.content.decode()
    assert "정원과 대기 인원이 모두 찼습니다" in text(response)
    assert 'id="id_date_error"' in body
    assert 'action="' + step2(centre) + '"' in body
    assert not Reservation.objects.filter(child=kid).exists()


def test_regular_application_is_pending_with_household_facts(client, people):
    centre = open_centre(people)
    parent, kid = family(people)
    client.force_login(parent)
    client.post(step1(centre), {"child": kid.pk, "care_type": "regular"})
    form = client.get(step2(centre))
    page = form.content.decode()
    # Defaults: from today to the end of the operating period, Monday–Friday, its hours.
    assert 'value="2026-10-06"' in page and 'value="2026-12-31"' in page
    assert "<legend" in page and "이용 요일" in text(form)
    assert "맞벌이 가정" in text(form)
    response = client.post(
        step2(centre),
        {
            "start_date": "2026-10-12",
            "end_date": "2026-12-31",
            "weekdays": ["0", "2", "4"],
            "start_time": "13:00",
            "end_time": "18:00",
            "dual_earner": "on",
        },
    )
    assert response.status_code == 302, text(response)
    summary = text(client.get(step3(centre)))
    assert "2026.10.12 ~ 2026.12.31" in summary
    assert "월, 수, 금" in summary
    assert "맞벌이 가정" in summary
    assert "센터가 우선순위와 정원을 보고 검토한 뒤 승인합니다" in summary
    upload = SimpleUploadedFile("등본.pdf", PDF, content_type="application/pdf")
    done = client.post(step3(centre), {"privacy": "on", "pickup": "on", "document": upload})
    assert done.status_code == 302
    reservation = Reservation.objects.get(child=kid)
    assert reservation.status == "pending"
    assert reservation.care_type == "regular"
    assert reservation.weekdays == [0, 2, 4]
    assert reservation.dual_earner and not reservation.single_parent
    assert reservation.priority_rank == 0  # 맞벌이 and grade 2: the first rule
    document = ReservationDocument.objects.get(reservation=reservation)
    assert (document.kind, document.original_name) == ("admission", "등본.pdf")
    assert "승인대기" in text(client.get(done["Location"]))


def test_sick_child_care_where_offered(client, people):
    centre = open_centre(people)
    FacilityProfile.objects.create(facility=centre, sick_child_care=True)
    parent, kid = family(people)
    client.force_login(parent)
    client.post(step1(centre), {"child": kid.pk, "care_type": "sick"})
    page = text(client.get(step2(centre)))
    assert "증상" in page and "연락 가능한 전화번호" in page
    missing = client.post(step2(centre), {"date": "2026-10-07", "reachable_phone": ""})
    assert missing.status_code == 400
    assert "증상을 적어 주세요." in text(missing)
    assert "연락 가능한 전화번호를 적어 주세요." in text(missing)
    done = book_temporary(
        client,
        centre,
        kid,
        care_type="sick",
        extra={
            "symptoms": "미열과 기침",
            "clinic_escort_consent": "on",
            "reachable_phone": "010-2222-3333",
        },
    )
    assert done.status_code == 302
    reservation = Reservation.objects.get(child=kid)
    assert reservation.care_type == "sick"
    assert reservation.symptoms == "미열과 기침"
    assert reservation.clinic_escort_consent
    assert reservation.reachable_phone == "01022223333"
    assert reservation.fee_amount is None


# --- the draft: kept between steps and through login ------------------------------------------


def test_anonymous_choices_survive_the_login(client, people):
    centre = open_centre(people)
    parent, kid = family(people)
    # A link with the day (a facility page's calendar) and the care type chosen before login.
    client.get(step1(centre) + "?date=2026-10-08")
    response = client.post(step1(centre), {"care_type": "temporary"})
    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith(reverse("public:login") + "?next=")
    assert "로그인하면 고른 내용 그대로" in text(client.get(login_url))
    # The real login page (Django cycles the session key but keeps the data).
    logged_in = client.post(
        reverse("public:login"),
        {"username": parent.username, "password": PASSWORD, "next": step1(centre)},
    )
    assert logged_in.status_code == 302
    assert logged_in["Location"] == step1(centre)
    page = client.get(step1(centre)).content.decode()
    assert re.search(r'name="care_type" value="temporary" id="[^"]+" checked', page)
    # Only one child: chosen for them.
    assert re.search(rf'name="child" value="{kid.pk}"[^>]*checked', page)
    client.post(step1(centre), {"child": kid.pk, "care_type": "temporary"})
    calendar = client.get(step2(centre)).content.decode()
    assert re.search(r'value="2026-10-08" id="day-2026-10-08"[^>]* checked', calendar)


def test_going_back_keeps_what_was_typed(client, people):
    centre = open_centre(people)
    parent, kid = family(people)
    client.force_login(parent)
    client.post(step1(centre), {"child": kid.pk, "care_type": "temporary"})
    back = client.post(
        step2(centre),
        {"date": "2026-10-08", "start_time": "15:00", "end_time": "19:00", "action": "back"},
    )
    assert back["Location"] == step1(centre)
    page = client.get(step2(centre)).content.decode()
    assert 'value="15:00"' in page and 'value="19:00"' in page
    assert re.search(r'value="2026-10-08" id="day-2026-10-08"[^>]* checked', page)
    client.post(step2(centre), {"date": "2026-10-08", "start_time": "15:00", "end_time": "19:00"})
    back = client.post(step3(centre), {"pickup": "on", "note": "알레르기 있음", "action": "back"})
    assert back["Location"] == step2(centre)
    page = client.get(step3(centre)).content.decode()
    assert "알레르기 있음" in page
    assert re.search(r'name="pickup"[^>]*checked', page)


def test_wrong_input_is_explained_next_to_the_field_and_kept(client, people):
    centre = open_centre(people)
    parent, kid = family(people)
    client.force_login(parent)
    client.post(step1(centre), {"child": kid.pk, "care_type": "temporary"})
    response = client.post(
        step2(centre), {"date": "2026-10-07", "start_time": "21:00", "end_time": "18:00"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "종료시간은 시작시간보다 뒤여야 합니다." in text(response)
    assert 'value="21:00"' in body and 'aria-describedby="id_end_time_error"' in body
    # The engine's rule (outside the day's hours) next to the start time.
    response = client.post(
        step2(centre), {"date": "2026-10-07", "start_time": "09:00", "end_time": "12:00"}
    )
    assert response.status_code == 400
    assert "운영시간(13:00~20:00) 안에서" in text(response)
    assert 'id="id_start_time_error"' in response.content.decode()
    # A closed day chosen by hand (the radio is disabled on the page).
    response = client.post(step2(centre), {"date": HANGEUL_DAY.isoformat()})
    assert response.status_code == 400
    assert "운영하지 않는 날" in text(response)
    assert 'aria-describedby="reserve-calendar-help id_date_error"' in response.content.decode()
    # Missing consent on step 3: 400, the other choices stay.
    client.post(step2(centre), {"date": "2026-10-07"})
    response = client.post(step3(centre), {"pickup": "on", "note": "메모"})
    assert response.status_code == 400
    assert "개인정보 수집·이용에 동의해야" in text(response)
    assert "메모" in response.content.decode()
    assert not Reservation.objects.exists()


def test_regular_period_errors_stay_on_step_two(client, people):
    centre = open_centre(people)
    parent, kid = family(people)
    client.force_login(parent)
    client.post(step1(centre), {"child": kid.pk, "care_type": "regular"})
    response = client.post(
        step2(centre),
        {
            "start_date": "2026-10-12",
            "end_date": "2026-10-30",
            "start_time": "13:00",
            "end_time": "18:00",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "이용 요일을 하나 이상 선택해 주세요." in page
    response = client.post(
        step2(centre),
        {
            "start_date": "2026-10-12",
            "end_date": "2026-10-30",
            "weekdays": ["0"],
            "start_time": "13:00",
            "end_time": "18:00",
        },
    )
    assert response.status_code == 400
    assert "30일 이상 신청해야 합니다" in text(response)
    assert 'id="id_end_date_error"' in response.content.decode()
    assert 'value="2026-10-30"' in response.content.decode()


def test_a_duplicate_day_is_refused_on_step_two(client, people):
    centre = open_centre(people)
    parent, kid = family(people)
    booking.book_single_day(actor=parent, guardian=parent, request=temporary(centre, kid))
    client.force_login(parent)
    response = book_temporary(client, centre, kid)
    assert response.status_code == 400
    assert "이미 예약이 있습니다" in text(response)
    assert Reservation.objects.filter(child=kid).count() == 1


def test_bad_upload_on_step_three_is_refused_before_booking(client, people, settings):
    centre = open_centre(people)
    parent, kid = family(people)
    client.force_login(parent)
    client.post(step1(centre), {"child": kid.pk, "care_type": "temporary"})
    client.post(step2(centre), {"date": "2026-10-07"})
    fake = SimpleUploadedFile("scan.pdf", b"<html>no</html>", content_type="application/pdf")
    response = client.post(step3(centre), {"privacy": "on", "document": fake})
    assert response.status_code == 400
    assert "PDF, JPG, PNG 파일만 올릴 수 있습니다." in text(response)
    settings.KIUM_DOCUMENT_MAX_BYTES = 10
    big = SimpleUploadedFile("big.pdf", PDF, content_type="application/pdf")
    response = client.post(step3(centre), {"privacy": "on", "document": big})
    assert response.status_code == 400
    assert "이하만 올릴 수 있습니다" in text(response)
    assert not Reservation.objects.exists()


def test_steps_out_of_order_go_back_to_what_is_missing(client, people):
    centre = open_centre(people)
    parent, kid = family(people)
    client.force_login(parent)
    assert client.get(step2(centre))["Location"] == step1(centre)
    assert client.get(step3(centre))["Location"] == step1(centre)
    client.post(step1(centre), {"child": kid.pk, "care_type": "temporary"})
    assert client.get(step3(centre))["Location"] == step2(centre)


def test_booking_is_audited(client, people):
    centre = open_centre(people)
    parent, kid = family(people)
    client.force_login(parent)
    book_temporary(client, centre, kid)
    entry = AuditEntry.objects.get(action="reservation.create")
    assert entry.actor == parent
    assert TODAY < NEXT_DAY


def test_a_rush_that_keeps_the_lock_asks_to_press_again_and_keeps_every_choice(
    client, people, monkeypatch
):
    """On a booking rush the centre's lock can stay taken past its timeout: the parent
    sees step 3 again with a Korean note (503, Retry-After), nothing is written, and the
    same press a moment later books."""
    from kium.core.locking import LockTimeout

    centre = open_centre(people)
    parent, kid = family(people)
    client.force_login(parent)

    def busy(facility_id):
        raise LockTimeout(f"reservations:places:{facility_id}")

    monkeypatch.setattr(booking, "facility_lock", busy)
    refused = book_temporary(client, centre, kid)
    assert refused.status_code == 503
    assert refused["Retry-After"] == "5"
    page = text(refused)
    assert "신청이 몰려 아직 처리하지 못했습니다" in page
    assert "아직 신청되지 않았습니다." in page
    assert "입력한 내용을 확인해 주세요" not in page  # nothing typed was wrong
    assert "첨부한 서류는 다시 골라 주세요" not in page  # nothing was attached
    assert "2026.10.07" in page  # the summary of the choices is still shown
    assert re.search(r'name="privacy"[^>]*checked', refused.content.decode())
    assert not Reservation.objects.exists()
    assert client.session["kium_reserve_drafts"][centre.code]["date"] == "2026-10-07"

    monkeypatch.undo()
    again = client.post(step3(centre), {"privacy": "on", "pickup": "on"})
    assert again.status_code == 302
    assert Reservation.objects.get(child=kid).status == "confirmed"


def test_a_rush_that_keeps_the_lock_asks_for_the_document_again(client, people, monkeypatch):
    from kium.core.locking import LockTimeout

    centre = open_centre(people)
    parent, kid = family(people)
    client.force_login(parent)
    client.post(step1(centre), {"child": kid.pk, "care_type": "temporary"})
    client.post(step2(centre), {"date": NEXT_DAY.isoformat(), "start_time": "", "end_time": ""})

    def busy(facility_id):
        raise LockTimeout(f"reservations:places:{facility_id}")

    monkeypatch.setattr(booking, "facility_lock", busy)
    upload = SimpleUploadedFile("서류.pdf", PDF, content_type="application/pdf")
    refused = client.post(step3(centre), {"privacy": "on", "document": upload})
    assert refused.status_code == 503
    assert "첨부한 서류는 다시 골라 주세요" in text(refused)
    assert not Reservation.objects.exists()
    assert not ReservationDocument.objects.exists()


def test_pressing_apply_reads_the_facility_and_the_child_together(client, people):
    """Step 3 reads the facility and the draft's child in one query, as the API booking
    does (reservations.domain.facts), not the guardian's whole list of children apart."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    centre = open_centre(people)
    parent, kid = family(people)
    client.force_login(parent)
    client.post(step1(centre), {"child": kid.pk, "care_type": "temporary"})
    client.post(step2(centre), {"date": NEXT_DAY.isoformat(), "start_time": "", "end_time": ""})
    with CaptureQueriesContext(connection) as queries:
        done = client.post(step3(centre), {"privacy": "on"})
    assert done.status_code == 302
    child_reads = [q["sql"] for q in queries if '"accounts_child"' in q["sql"]]
    assert child_reads, "the child is read"
    assert all('"orgs_facility"' in sql for sql in child_reads), child_reads


def test_a_draft_whose_child_is_not_this_guardians_goes_back_to_step_one(client, people):
    centre = open_centre(people)
    parent, kid = family(people)
    _, other_kid = family(people)
    client.force_login(parent)
    client.post(step1(centre), {"child": kid.pk, "care_type": "temporary"})
    client.post(step2(centre), {"date": NEXT_DAY.isoformat(), "start_time": "", "end_time": ""})
    session = client.session
    session["kium_reserve_drafts"][centre.code]["child"] = str(other_kid.pk)
    session.save()
    for answer in (client.get(step3(centre)), client.post(step3(centre), {"privacy": "on"})):
        assert (answer.status_code, answer["Location"]) == (302, step1(centre))
    assert not Reservation.objects.exists()
