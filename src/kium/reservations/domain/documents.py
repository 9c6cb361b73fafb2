"""RES-6 documents: online consents, paper forms received, and private uploads.

Uploads are checked by their content (magic bytes), not their name or the browser's
content type, kept in the private storage, and opened only through permission-checked
views; every opening is recorded (개인정보 접속기록).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from kium.core import clock
from kium.core.audit import log_action, record_access
from kium.orgs.domain.scope import scope_for
from kium.reservations.domain import errors
from kium.reservations.domain.errors import ReservationError
from kium.reservations.enums import CareType, DocumentKind
from kium.reservations.models import CentrePolicy, Reservation, ReservationDocument

MAX_DOCUMENTS = 10
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


def max_bytes() -> int:
    return getattr(settings, "KIUM_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)


def detect_type(head: bytes) -> tuple[str, str] | None:
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def can_open(actor, reservation: Reservation) -> bool:
    """The guardian, or staff whose scope covers the facility."""
    if getattr(actor, "pk", None) == reservation.guardian_id:
        return True
    return scope_for(actor).covers_facility(reservation.facility)


def _require_access(actor, reservation: Reservation) -> None:
    if not can_open(actor, reservation):
        raise ReservationError(errors.NOT_FOUND, _("예약을 찾을 수 없습니다."))


def add_document(*, actor, reservation: Reservation, kind: str, upload) -> ReservationDocument:
    _require_access(actor, reservation)
    if kind not in DocumentKind.values:
        raise ReservationError(errors.INVALID_REQUEST, _("서류 종류를 선택해 주세요."), "kind")
    if upload is None or not upload.size:
        raise ReservationError(errors.INVALID_REQUEST, _("파일을 선택해 주세요."), "file")
    if upload.size > max_bytes():
        raise ReservationError(
            errors.INVALID_REQUEST,
            _("파일은 %(mb)dMB 이하만 올릴 수 있습니다.") % {"mb": max_bytes() // (1024 * 1024)},
            "file",
        )
    head = upload.read(16)
    upload.seek(0)
    detected = detect_type(head)
    if detected is None:
        raise ReservationError(
            errors.INVALID_REQUEST, _("PDF, JPG, PNG 파일만 올릴 수 있습니다."), "file"
        )
    if reservation.documents.count() >= MAX_DOCUMENTS:
        raise ReservationError(
            errors.INVALID_REQUEST,
            _("서류는 한 신청에 %(n)d개까지 올릴 수 있습니다.") % {"n": MAX_DOCUMENTS},
            "file",
        )
    content_type, extension = detected
    original = (getattr(upload, "name", "") or "document")[-200:]
    document = ReservationDocument(
        reservation=reservation,
        kind=kind,
        original_name=original,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # A generated name: the original may carry a person's name into the file system.
    document.file.save(f"{reservation.pk}-{kind}.{extension}", upload, save=False)
    document.save()
    log_action(
        actor=actor,
        action="reservation.document_add",
        obj=reservation,
        after={"document": document.pk, "kind": kind, "size": upload.size},
    )
    return document


def open_document(*, actor, document: ReservationDocument, ip: str | None = None):
    """The file handle, after the permission check and the access record."""
    reservation = document.reservation
    _require_access(actor, reservation)
    record_access(
        actor=actor,
        action="reservation.document_open",
        subject=reservation,
        reason=f"{document.get_kind_display()} {document.original_name}"[:500],
        ip=ip,
    )
    return document.file.open("rb")


def delete_document(*, actor, document: ReservationDocument) -> None:
    reservation = document.reservation
    _require_access(actor, reservation)
    log_action(
        actor=actor,
        action="reservation.document_delete",
        obj=reservation,
        before={"document": document.pk, "kind": document.kind},
    )
    document.file.delete(save=False)
    document.delete()


def mark_paper_forms_received(*, actor, reservation: Reservation) -> Reservation:
    """Staff record that the signed ②③ paper forms came in (offline applications)."""
    if not scope_for(actor).covers_facility(reservation.facility):
        raise ReservationError(errors.NOT_FOUND, _("예약을 찾을 수 없습니다."))
    reservation.paper_forms_received_at = clock.now()
    reservation.save(update_fields=["paper_forms_received_at", "updated_at"])
    log_action(
        actor=actor,
        action="reservation.paper_forms",
        obj=reservation,
        after={"paper_forms_received_at": str(reservation.paper_forms_received_at)},
    )
    return reservation


def give_consents(*, actor, reservation: Reservation, privacy: bool, pickup: bool) -> Reservation:
    """The guardian gives ② and/or ③ online after applying."""
    if getattr(actor, "pk", None) != reservation.guardian_id:
        raise ReservationError(errors.NOT_FOUND, _("예약을 찾을 수 없습니다."))
    now = clock.now()
    fields = []
    if privacy and not reservation.privacy_consent_at:
        reservation.privacy_consent_at = now
        fields.append("privacy_consent_at")
    if pickup and not reservation.pickup_consent_at:
        reservation.pickup_consent_at = now
        fields.append("pickup_consent_at")
    if fields:
        reservation.save(update_fields=[*fields, "updated_at"])
        log_action(actor=actor, action="reservation.consent", obj=reservation, after=fields)
    return reservation


def missing_documents(
    reservation: Reservation,
    *,
    uploaded_kinds: set[str] | None = None,
    requires_admission: bool | None = None,
):
    """The RES-6 items still missing, in the deck's order (① … ④).

    Lists pass ``uploaded_kinds`` and ``requires_admission`` read in bulk
    (calendar.document_gaps); alone, the function reads them itself.
    """
    missing = []
    paper = reservation.paper_forms_received_at is not None
    if reservation.application_submitted_at is None:
        missing.append(DocumentKind.APPLICATION)
    if reservation.privacy_consent_at is None and not paper:
        missing.append(DocumentKind.PRIVACY)
    if reservation.pickup_consent_at is None and not paper:
        missing.append(DocumentKind.PICKUP)
    if reservation.care_type == CareType.REGULAR:
        if requires_admission is None:
            requires_admission = _requires_admission(reservation)
        if requires_admission:
            kinds = (
                uploaded_kinds
                if uploaded_kinds is not None
                else set(reservation.documents.values_list("kind", flat=True))
            )
            if DocumentKind.ADMISSION not in kinds:
                missing.append(DocumentKind.ADMISSION)
    return missing


def _requires_admission(reservation: Reservation) -> bool:
    policy = CentrePolicy.objects.filter(facility_id=reservation.facility_id).first()
    return True if policy is None else policy.requires_admission_documents


def is_complete(reservation: Reservation) -> bool:
    return not missing_documents(reservation)
