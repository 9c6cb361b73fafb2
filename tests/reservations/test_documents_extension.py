"""RES-6 documents and RES-9 extension through their domain functions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kium.centres.domain.periods import set_operating_period
from kium.centres.models import Quarter
from kium.core.models import AccessRecord, AuditEntry
from kium.reservations.domain import booking, documents, extension, transitions
from kium.reservations.domain.errors import ReservationError
from kium.reservations.models import CareDay, CentrePolicy, Reservation
from tests.reservations.support import HOURS, open_centre, regular

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _application(people, centre, **request_fields):
    parent = people.guardian()
    kid = people.child(parent)
    request = regular(centre, kid, **request_fields)
    return booking.apply_regular(actor=parent, guardian=parent, request=request).reservation


# --- documents ------------------------------------------------------------------------


def test_upload_is_checked_by_content_and_size(people, settings):
    centre = open_centre(people)
    application = _application(people, centre)
    guardian = application.guardian
    fake = SimpleUploadedFile("scan.pdf", b"<html>not a pdf</html>", "application/pdf")
    with pytest.raises(ReservationError) as excinfo:
        documents.add_document(
            actor=guardian, reservation=application, kind="admission", upload=fake
        )
    assert excinfo.value.message == "PDF, JPG, PNG 파일만 올릴 수 있습니다."
    settings.KIUM_DOCUMENT_MAX_BYTES = 20
    big = SimpleUploadedFile("big.pdf", PDF, "application/pdf")
    with pytest.raises(ReservationError) as excinfo:
        documents.add_document(
            actor=guardian, reservation=application, kind="admission", upload=big
        )
    assert excinfo.value.field == "file"
    settings.KIUM_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
    ok = SimpleUploadedFile("홍길동 등본.pdf", PDF, "text/plain")
    document = documents.add_document(
        actor=guardian, reservation=application, kind="admission", upload=ok
    )
    assert document.content_type == "application/pdf"
    assert "홍길동" not in document.file.name
    assert document.original_name == "홍길동 등본.pdf"


def test_documents_open_only_for_the_guardian_and_staff_in_scope(people):
    centre = open_centre(people)
    application = _application(people, centre)
    document = documents.add_document(
        actor=application.guardian,
        reservation=application,
        kind="admission",
        upload=SimpleUploadedFile("a.pdf", PDF),
    )
    with documents.open_document(actor=application.guardian, document=document) as handle:
        assert handle.read().startswith(b"%PDF-")
    manager = people.centre_manager(centre)
    with documents.open_document(actor=manager, document=document) as handle:
        assert handle.read() == PDF
    assert AccessRecord.objects.filter(action="reservation.document_open").count() == 2
    for outsider in (people.guardian(), people.district_officer("GN")):
        with pytest.raises(ReservationError) as excinfo:
            documents.open_document(actor=outsider, document=document)
        assert excinfo.value.code == "not_found"


def test_approval_waits_for_the_required_documents(people):
    centre = open_centre(people)
    CentrePolicy.objects.filter(facility=centre).update(requires_admission_documents=True)
    parent = people.guardian()
    kid = people.child(parent)
    request = regular(centre, kid)
    request.consents = booking.Consents()
    application = booking.apply_regular(actor=parent, guardian=parent, request=request).reservation
    assert documents.missing_documents(application) == ["privacy", "pickup", "admission"]
    manager = people.centre_manager(centre)
    with pytest.raises(ReservationError) as excinfo:
        transitions.approve(actor=manager, reservation=application)
    assert excinfo.value.code == "documents_missing"
    assert "입소 구비서류" in excinfo.value.message
    documents.mark_paper_forms_received(actor=manager, reservation=application)
    documents.add_document(
        actor=parent,
        reservation=application,
        kind="admission",
        upload=SimpleUploadedFile("a.pdf", PDF),
    )
    application.refresh_from_db()
    assert documents.is_complete(application)
    transitions.approve(actor=manager, reservation=application)
    assert Reservation.objects.get(pk=application.pk).status == "confirmed"


# --- extension ------------------------------------------------------------------------


def _open_winter(centre):
    winter = Quarter.objects.get(year=2026, term="winter_vacation")
    return set_operating_period(
        actor=None,
        facility=centre,
        quarter=winter,
        start=dt.date(2027, 1, 4),
        end=winter.end,
        weekday_hours=HOURS,
    )


def _confirmed(people, centre, **fields):
    application = _application(people, centre, **fields)
    transitions.approve(actor=people.centre_manager(centre), reservation=application)
    application.refresh_from_db()
    return application


def test_care_ending_with_the_quarter_continues_into_the_next(people, frozen_clock):
    centre = open_centre(people)
    _open_winter(centre)
    care = _confirmed(people, centre)  # ends 2026-12-31, the quarter's last day
    short = _confirmed(people, centre, end=dt.date(2026, 12, 18))
    assert extension.state_of(care).code == "continuing"
    assert extension.state_of(short).code == "not_extendable"
    semester2 = Quarter.objects.get(year=2026, term="semester2")
    assert list(extension.candidates(facility=centre, quarter=semester2)) == [care]
    frozen_clock.move_to(dt.datetime(2026, 12, 20, 1, tzinfo=dt.UTC))  # after the cut-off
    result = extension.run_extensions(quarter=semester2)
    assert (result.extended, result.waiting) == (1, 0)
    following = Reservation.objects.get(extended_from=care)
    assert (following.start_date, following.end_date) == (dt.date(2027, 1, 4), dt.date(2027, 2, 28))
    assert following.status == "confirmed"
    assert CareDay.objects.filter(reservation=following).exists()
    care.refresh_from_db()
    assert extension.state_of(care).code == "extended"
    assert AuditEntry.objects.filter(action="reservation.extend").count() == 1
    # Running again extends nobody twice.
    assert extension.run_extensions(quarter=semester2).extended == 0


def test_guardian_stops_before_the_cutoff_only(people, frozen_clock):
    centre = open_centre(people)
    _open_winter(centre)
    care = _confirmed(people, centre)
    extension.stop_extension(actor=care.guardian, reservation=care)
    care.refresh_from_db()
    assert extension.state_of(care).code == "stopped"
    semester2 = Quarter.objects.get(year=2026, term="semester2")
    frozen_clock.move_to(dt.datetime(2026, 12, 20, 1, tzinfo=dt.UTC))
    with pytest.raises(ReservationError) as excinfo:
        extension.stop_extension(actor=care.guardian, reservation=care, stop=False)
    assert excinfo.value.code == "extension_closed"
    assert extension.run_extensions(quarter=semester2).extended == 0
    assert not Reservation.objects.filter(extended_from=care).exists()


def test_a_full_next_quarter_makes_the_extension_wait(people, frozen_clock):
    centre = open_centre(people, area="3.30")  # one place
    _open_winter(centre)
    care = _confirmed(people, centre)
    frozen_clock.move_to(dt.datetime(2027, 1, 4, 1, tzinfo=dt.UTC))
    parent = people.guardian()
    kid = people.child(parent)
    early = booking.Request(
        facility=booking.bookable_facility(centre.code),
        child=kid,
        care_type="temporary",
        date=dt.date(2027, 1, 5),
        start_time=dt.time(14),
        end_time=dt.time(18),
    )
    booking.book_single_day(actor=parent, guardian=parent, request=early)
    frozen_clock.move_to(dt.datetime(2026, 12, 20, 1, tzinfo=dt.UTC))
    semester2 = Quarter.objects.get(year=2026, term="semester2")
    result = extension.run_extensions(quarter=semester2)
    assert (result.extended, result.waiting) == (0, 1)
    assert extension.state_of(Reservation.objects.get(pk=care.pk)).code == "waiting"


def test_fee_and_exemption_are_recorded_by_staff_in_scope(people):
    from kium.reservations.domain.fees import record_fee

    centre = open_centre(people)
    application = _application(people, centre)
    manager = people.centre_manager(centre)
    record_fee(actor=manager, reservation=application, fee_amount=50_000, exemption="")
    assert Reservation.objects.get(pk=application.pk).fee_amount == 50_000
    record_fee(actor=manager, reservation=application, fee_amount=50_000, exemption="single_parent")
    application.refresh_from_db()
    assert (application.fee_amount, application.exemption) == (0, "single_parent")
    with pytest.raises(ReservationError):
        record_fee(actor=manager, reservation=application, fee_amount=-1, exemption="")
    with pytest.raises(ReservationError) as excinfo:
        record_fee(
            actor=people.district_officer("GN"),
            reservation=application,
            fee_amount=1,
            exemption="",
        )
    assert excinfo.value.code == "not_found"
    assert AuditEntry.objects.filter(action="reservation.fee").count() == 2
