"""내 예약: list with positions and offers, detail, cancel, accept, documents, consents,
the extension switch and 정기돌봄으로 전환 (RES-6, 8, 9, 10)."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kium.centres.domain.periods import set_operating_period
from kium.centres.models import Quarter
from kium.core.models import AccessRecord
from kium.reservations.domain import booking, documents, transitions
from kium.reservations.models import Reservation, ReservationDocument
from tests.reservations.support import HOURS, NEXT_DAY, NOW, open_centre, regular, temporary

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def text(response) -> str:
    body = unescape(response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def family(people):
    parent = people.guardian()
    return parent, people.child(parent)


def book(centre, parent, kid, day=NEXT_DAY):
    return booking.book_single_day(
        actor=parent, guardian=parent, request=temporary(centre, kid, day)
    ).reservation


def apply(centre, parent, kid, **fields):
    request = regular(centre, kid, **fields)
    return booking.apply_regular(actor=parent, guardian=parent, request=request).reservation


MINE = reverse("public:my_reservations")


def detail(reservation) -> str:
    return reverse("public:reservation_detail", args=[reservation.pk])


# --- access ----------------------------------------------------------------------------------


def test_every_page_needs_a_guardian_and_finds_only_their_own(client, people):
    centre = open_centre(people)
    parent, kid = family(people)
    reservation = book(centre, parent, kid)
    document = documents.add_document(
        actor=parent,
        reservation=reservation,
        kind="admission",
        upload=SimpleUploadedFile("a.pdf", PDF),
    )
    gets = [
        MINE,
        detail(reservation),
        reverse("public:reserve_done", args=[reservation.pk]),
        reverse("public:reservation_cancel", args=[reservation.pk]),
        reverse("public:reservation_document", args=[document.pk]),
        reverse("public:reservation_convert", args=[reservation.pk]),
    ]
    posts = [
        reverse("public:reservation_cancel", args=[reservation.pk]),
        reverse("public:reservation_accept", args=[reservation.pk]),
        reverse("public:reservation_extension", args=[reservation.pk]),
        reverse("public:reservation_consents", args=[reservation.pk]),
        reverse("public:reservation_document_add", args=[reservation.pk]),
    ]
    for url in gets + posts:
        response = client.post(url) if url in posts else client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("public:login")), url
    client.force_login(people.centre_manager(centre))
    for url in gets:
        assert client.get(url).status_code == 403, url
    client.force_login(people.guardian())
    for url in gets[1:]:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url).status_code == 404, url
    reservation.refresh_from_db()
    assert reservation.status == "confirmed"
    client.force_login(parent)
    assert client.get(MINE).status_code == 200
    assert client.get(detail(reservation)).status_code == 200


def test_reservations_entry_leads_to_my_reservations(client, people):
    client.force_login(people.guardian())
    response = client.get(reverse("public:reservations"))
    assert response["Location"] == MINE


# --- the list --------------------------------------------------------------------------------


def test_list_shows_statuses_positions_and_offers(client, people):
    centre = open_centre(people, area="3.30")  # one place a day
    first, first_kid = family(people)
    taken = book(centre, first, first_kid)
    parent, kid = family(people)
    waiting = book(centre, parent, kid)
    application = apply(open_centre(people), parent, kid)
    client.force_login(parent)
    page = text(client.get(MINE))
    assert "대기 1번째" in page
    assert "승인대기" in page
    assert "2026.10.07 (수)" in page
    assert "자리 제안이 왔습니다" not in page
    transitions.cancel(actor=first, reservation=taken)
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    response = client.get(MINE)
    page = text(response)
    assert "자리 제안이 왔습니다" in page
    deadline = waiting.offer_expires_at.astimezone(dt.timezone(dt.timedelta(hours=9)))
    assert f"{deadline:%Y.%m.%d %H:%M}까지 수락해야 확정됩니다" in page
    body = response.content.decode()
    assert reverse("public:reservation_accept", args=[waiting.pk]) in body
    assert reverse("public:reservation_cancel", args=[application.pk]) in body
    # '다시 예약' links carry the child and the care type.
    assert f"child={kid.pk}&amp;care_type=temporary" in body


def test_list_has_no_query_per_row(client, people, django_assert_max_num_queries):
    centre = open_centre(people)
    parent, kid = family(people)
    client.force_login(parent)
    book(centre, parent, kid)
    with django_assert_max_num_queries(12) as few:
        client.get(MINE)
    for day in range(7, 23):
        other = open_centre(people)
        book(other, parent, kid, dt.date(2026, 10, 7) if day % 2 else dt.date(2026, 10, 8))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(MINE)
    assert response.status_code == 200
    assert text(response).count("상세") >= 17


# --- cancel and accept -----------------------------------------------------------------------


def test_cancel_asks_then_cancels_and_offers_the_place(client, people):
    centre = open_centre(people, area="3.30")
    parent, kid = family(people)
    mine = book(centre, parent, kid)
    other, other_kid = family(people)
    waiting = book(centre, other, other_kid)
    client.force_login(parent)
    url = reverse("public:reservation_cancel", args=[mine.pk])
    ask = client.get(url)
    assert ask.status_code == 200
    assert "예약을 취소할까요?" in text(ask)
    mine.refresh_from_db()
    assert mine.status == "confirmed"
    done = client.post(url, {"reason": "일정 변경"})
    assert done["Location"] == MINE
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert (mine.status, waiting.status) == ("cancelled", "offered")
    assert "예약을 취소했습니다." in text(client.get(MINE))
    # Twice: the state does not allow it; the page says so (409), nothing breaks.
    again = client.post(url)
    assert again.status_code == 409
    assert "할 수 없는 처리입니다" in text(again)


def test_accept_an_offer_in_one_tap(client, people, frozen_clock):
    centre = open_centre(people, area="3.30")
    first, first_kid = family(people)
    taken = book(centre, first, first_kid)
    parent, kid = family(people)
    waiting = book(centre, parent, kid)
    transitions.cancel(actor=first, reservation=taken)
    client.force_login(parent)
    response = client.post(reverse("public:reservation_accept", args=[waiting.pk]))
    assert response["Location"] == detail(waiting)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert "이용이 확정되었습니다" in text(client.get(detail(waiting)))


def test_an_expired_offer_is_explained(client, people, frozen_clock):
    centre = open_centre(people, area="3.30")
    first, first_kid = family(people)
    taken = book(centre, first, first_kid)
    parent, kid = family(people)
    waiting = book(centre, parent, kid)
    transitions.cancel(actor=first, reservation=taken)
    waiting.refresh_from_db()
    frozen_clock.move_to(waiting.offer_expires_at + dt.timedelta(minutes=1))
    client.force_login(parent)
    response = client.post(reverse("public:reservation_accept", args=[waiting.pk]))
    assert response.status_code == 409
    assert "수락 기한이 지나 제안이 만료되었습니다." in text(response)
    waiting.refresh_from_db()
    assert waiting.status == "expired"


# --- documents and consents --------------------------------------------------------------------


def test_upload_checks_type_and_size_and_download_is_private(client, people, settings):
    centre = open_centre(people)
    parent, kid = family(people)
    application = apply(centre, parent, kid)
    client.force_login(parent)
    url = reverse("public:reservation_document_add", args=[application.pk])
    fake = SimpleUploadedFile("scan.pdf", b"<html>x</html>", content_type="application/pdf")
    response = client.post(url, {"kind": "admission", "file": fake})
    assert response.status_code == 400
    assert "PDF, JPG, PNG 파일만 올릴 수 있습니다." in text(response)
    assert 'id="id_file_error"' in response.content.decode()
    settings.KIUM_DOCUMENT_MAX_BYTES = 20
    big = SimpleUploadedFile("big.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {"kind": "admission", "file": big})
    assert response.status_code == 400
    assert "이하만 올릴 수 있습니다" in text(response)
    settings.KIUM_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
    response = client.post(url, {"kind": "admission", "file": SimpleUploadedFile("등본.png", PNG)})
    assert response["Location"] == detail(application)
    document = ReservationDocument.objects.get(reservation=application)
    assert document.content_type == "image/png"
    page = client.get(detail(application))
    assert "등본.png" in text(page)
    download = reverse("public:reservation_document", args=[document.pk])
    assert download in page.content.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert AccessRecord.objects.filter(action="reservation.document_open", actor=parent).exists()
    client.force_login(people.guardian())
    assert client.get(download).status_code == 404


def test_missing_documents_and_online_consents(client, people):
    centre = open_centre(people)
    parent, kid = family(people)
    request = regular(centre, kid)
    request.consents = booking.Consents()
    application = booking.apply_regular(actor=parent, guardian=parent, request=request).reservation
    client.force_login(parent)
    page = text(client.get(detail(application)))
    assert "아직 제출되지 않은 서류: 개인정보 수집·이용 동의서, 등하원·응급처치·귀가 동의서" in page
    url = reverse("public:reservation_consents", args=[application.pk])
    response = client.post(url, {})
    assert response.status_code == 400
    assert "동의할 항목을 하나 이상 선택해 주세요." in text(response)
    response = client.post(url, {"pickup": "on"})
    assert response["Location"] == detail(application)
    application.refresh_from_db()
    assert application.pickup_consent_at and not application.privacy_consent_at
    page = text(client.get(detail(application)))
    assert "아직 제출되지 않은 서류: 개인정보 수집·이용 동의서" in page
    assert "등하원·응급처치·귀가에 동의합니다" not in page


# --- extension -----------------------------------------------------------------------------------


def _confirmed_regular(people, centre):
    winter = Quarter.objects.get(year=2026, term="winter_vacation")
    set_operating_period(
        actor=None,
        facility=centre,
        quarter=winter,
        start=dt.date(2027, 1, 4),
        end=winter.end,
        weekday_hours=HOURS,
    )
    parent, kid = family(people)
    application = apply(centre, parent, kid)
    transitions.approve(actor=people.centre_manager(centre), reservation=application)
    application.refresh_from_db()
    return parent, application


def test_extension_can_be_stopped_and_resumed_before_the_cutoff(client, people, frozen_clock):
    centre = open_centre(people)
    parent, care = _confirmed_regular(people, centre)
    client.force_login(parent)
    page = text(client.get(detail(care)))
    assert "자동 연장 예정" in page
    assert "2026.12.17까지 바꿀 수 있습니다" in page
    url = reverse("public:reservation_extension", args=[care.pk])
    assert client.post(url, {"stop": "1"})["Location"] == detail(care)
    care.refresh_from_db()
    assert care.extension_stopped_at is not None
    page = text(client.get(detail(care)))
    assert "보호자 연장 중단" in page and "자동 연장 다시 하기" in page
    client.post(url, {"stop": "0"})
    care.refresh_from_db()
    assert care.extension_stopped_at is None
    frozen_clock.move_to(dt.datetime(2026, 12, 20, 1, tzinfo=dt.UTC))
    client.force_login(parent)  # the session of October has expired
    page = text(client.get(detail(care)))
    assert "자동 연장 중단" not in page
    assert "바꾸려면 센터에 문의해 주세요" in page
    response = client.post(url, {"stop": "1"})
    assert response.status_code == 400
    assert "연장 여부는 2026.12.17까지 바꿀 수 있습니다" in text(response)
    care.refresh_from_db()
    assert care.extension_stopped_at is None


# --- 정기돌봄으로 전환 (RES-10) ----------------------------------------------------------------


def test_conversion_is_one_guided_action(client, people):
    centre = open_centre(people)
    parent, kid = family(people)
    first = book(centre, parent, kid, NEXT_DAY)
    later = book(centre, parent, kid, dt.date(2026, 10, 14))
    client.force_login(parent)
    page = client.get(detail(first)).content.decode()
    convert = reverse("public:reservation_convert", args=[first.pk])
    assert convert in page
    response = client.get(convert)
    step2 = reverse("public:reserve_details", args=[centre.code])
    assert response["Location"] == step2
    form = client.get(step2)
    body = form.content.decode()
    # Prefilled: the day after the temporary booking, its hours, Monday–Friday.
    assert 'value="2026-10-08"' in body and 'value="2026-12-31"' in body
    assert 'value="14:00"' in body and 'value="18:00"' in body
    assert "일시돌봄을 정기돌봄으로 전환합니다" in text(form)
    response = client.post(
        step2,
        {
            "start_date": "2026-10-12",
            "end_date": "2026-12-31",
            "weekdays": ["0", "1", "2", "3", "4"],
            "start_time": "14:00",
            "end_time": "18:00",
        },
    )
    assert response.status_code == 302, text(response)
    step3 = reverse("public:reserve_confirm", args=[centre.code])
    summary = text(client.get(step3))
    assert "일시돌봄 예약 1건이 취소됩니다" in summary
    assert "2026.10.14" in summary
    done = client.post(step3, {"privacy": "on", "pickup": "on"})
    assert done.status_code == 302
    regular_care = Reservation.objects.get(child=kid, care_type="regular")
    assert regular_care.status == "pending"
    first.refresh_from_db()
    later.refresh_from_db()
    assert (first.status, later.status) == ("confirmed", "cancelled")
    assert "일시돌봄 예약 1건을 취소했습니다" in text(client.get(done["Location"]))


def test_conversion_only_from_a_confirmed_temporary_booking(client, people):
    centre = open_centre(people)
    parent, kid = family(people)
    application = apply(centre, parent, kid)
    client.force_login(parent)
    response = client.get(reverse("public:reservation_convert", args=[application.pk]))
    assert response["Location"] == detail(application)
    hub = open_centre(people, kind="hub")
    at_hub = book(hub, parent, kid)
    response = client.get(reverse("public:reservation_convert", args=[at_hub.pk]))
    assert response["Location"] == detail(at_hub)
    assert "정기돌봄을 받지 않습니다" in text(client.get(detail(at_hub)))


def test_a_cancel_that_waits_too_long_for_the_lock_is_a_503_page_and_changes_nothing(
    client, people, monkeypatch
):
    from kium.core.locking import LockTimeout

    centre = open_centre(people)
    parent, kid = family(people)
    mine = book(centre, parent, kid)
    client.force_login(parent)

    def busy(facility_id):
        raise LockTimeout(f"reservations:places:{facility_id}")

    monkeypatch.setattr(transitions, "facility_lock", busy)
    url = reverse("public:reservation_cancel", args=[mine.pk])
    answer = client.post(url, {"reason": "일정 변경"}, HTTP_REFERER=f"http://testserver{url}")
    assert (answer.status_code, answer["Retry-After"]) == (503, "5")
    assert "요청이 많아 처리하지 못했습니다" in text(answer)
    assert f'href="http://testserver{url}"' in answer.content.decode()
    mine.refresh_from_db()
    assert mine.status == "confirmed"
