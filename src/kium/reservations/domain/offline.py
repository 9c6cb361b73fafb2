"""방문·전화 접수 (RES-7): centre staff register an application for a parent who phoned
or came in, member or not.

* A guardian account with the phone exists: the application is theirs (their child with
  the same name and birth date, or a new child whose legal-guardian consent was given on
  paper at the centre).
* No account: an *invited* guardian account is opened (unusable password, generated
  ``invited-…`` username) with the child, and the parent gets an SMS inviting them to
  sign up on the portal with that phone; the sign-up takes the account over
  (accounts/domain/signup.py), so the reservation is in their account from the start.

Then the booking goes through the engine like any other (source ``offline``), and the
paper consent forms are recorded as received when the staff member says so.
Everything happens in one transaction: a refused booking leaves no account behind.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from kium.accounts.domain.signup import INVITED_USERNAME_PREFIX, is_invited
from kium.accounts.domain.verification import VerificationError, normalize_phone
from kium.accounts.enums import ApprovalStatus, Sex, UserKind
from kium.accounts.models import Child, User
from kium.accounts.sms import SmsError, send_sms
from kium.core import clock
from kium.core.audit import log_action, snapshot
from kium.orgs.domain.scope import is_backoffice_user, scope_for
from kium.reservations.domain import errors
from kium.reservations.domain.booking import (
    Booked,
    Consents,
    Household,
    Request,
    SickCare,
    apply_regular,
    book_single_day,
)
from kium.reservations.domain.documents import mark_paper_forms_received
from kium.reservations.domain.errors import ReservationError
from kium.reservations.enums import CareType, Source

logger = logging.getLogger("kium.reservations")

MAX_CHILD_AGE_YEARS = 18
# The portal's sign-up page, when the caller gives no absolute link.
SIGNUP_PATH = "/accounts/signup/"


@dataclass(frozen=True)
class OfflineRegistration:
    booked: Booked
    guardian: User
    child: Child
    invited: bool  # a new invited account was opened (and the SMS queued)
    child_created: bool
    # The member's name differs from what the staff member typed (shown as a caution).
    name_mismatch: bool = False

    @property
    def unclaimed(self) -> bool:
        """The guardian has not signed up yet (invited now or by an earlier registration)."""
        return is_invited(self.guardian)


def _fail(message: str, field_name: str) -> ReservationError:
    return ReservationError(errors.INVALID_REQUEST, message, field_name)


def _check_person(*, guardian_name: str, phone: str, child_name: str, birth_date, sex: str) -> str:
    """The typed facts, checked; the normalised phone."""
    if not (guardian_name or "").strip():
        raise _fail(_("보호자 이름을 입력해 주세요."), "guardian_name")
    try:
        phone = normalize_phone(phone)
    except VerificationError as exc:
        raise _fail(exc.message, "guardian_phone") from exc
    if not (child_name or "").strip():
        raise _fail(_("아동 이름을 입력해 주세요."), "child_name")
    today = clock.today()
    if not isinstance(birth_date, dt.date):
        raise _fail(_("생년월일을 입력해 주세요."), "child_birth_date")
    if birth_date > today:
        raise _fail(_("생년월일이 오늘 이후일 수 없습니다."), "child_birth_date")
    age = (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )
    if age > MAX_CHILD_AGE_YEARS:
        raise _fail(_("만 18세 이하 아동만 등록할 수 있습니다."), "child_birth_date")
    if sex not in Sex.values:
        raise _fail(_("성별을 선택해 주세요."), "child_sex")
    return phone


def _invite_guardian(*, actor, name: str, phone: str, facility) -> User:
    user = User(
        username=f"{INVITED_USERNAME_PREFIX}{secrets.token_hex(8)}",
        kind=UserKind.GUARDIAN,
        name=name.strip()[:50],
        phone=phone,
        approval_status=ApprovalStatus.APPROVED,
        password=make_password(None),  # unusable: nobody signs in until the parent claims it
    )
    user.save()
    log_action(
        actor=actor,
        action="account.guardian_invite",
        obj=user,
        after=snapshot(user, ["username", "kind", "name", "phone"]),
        reason=_("방문·전화 접수 %(code)s") % {"code": facility.code},
    )
    return user


def _child_for(*, actor, guardian: User, name: str, birth_date, sex: str, grade, school: str):
    """The guardian's child of that name and birth date, or a new one; (child, created)."""
    existing = (
        Child.objects.filter(guardian=guardian, name=name.strip(), birth_date=birth_date)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing, False
    if grade is not None and not 1 <= grade <= 6:
        raise _fail(_("학년은 1~6 사이로 입력해 주세요."), "child_grade")
    child = Child.objects.create(
        guardian=guardian,
        name=name.strip()[:50],
        birth_date=birth_date,
        sex=sex,
        grade=grade,
        school=(school or "").strip()[:100],
        guardian_consent_at=clock.now(),
    )
    log_action(
        actor=actor,
        action="child.register",
        obj=child,
        after=snapshot(
            child,
            ["guardian", "name", "birth_date", "sex", "school", "grade", "guardian_consent_at"],
        ),
        reason=_("법정대리인 동의를 센터에서 서면으로 받음 (방문·전화 접수)"),
    )
    return child, True


def invitation_text(*, facility, child_name: str, signup_url: str) -> str:
    return _(
        "[우리동네키움포털] %(facility)s에서 %(child)s 아동의 돌봄 신청을 접수했습니다. "
        "이 휴대전화번호로 회원가입하면 신청 내역을 확인할 수 있습니다: %(url)s"
    ) % {"facility": facility.name, "child": child_name, "url": signup_url}


def _send_after_commit(phone: str, text: str) -> None:
    def send() -> None:
        try:
            send_sms(phone, text)
        except SmsError:
            # The registration stands; the centre can tell the parent by phone.
            logger.exception("invitation SMS to %s failed", phone)

    transaction.on_commit(send)


def register_offline(
    *,
    actor,
    facility,
    guardian_name: str,
    guardian_phone: str,
    child_name: str,
    child_birth_date,
    child_sex: str,
    care_type: str,
    start_time: dt.time,
    end_time: dt.time,
    date: dt.date | None = None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    weekdays: list[int] | tuple[int, ...] = (),
    household: Household | None = None,
    sick: SickCare | None = None,
    note: str = "",
    child_grade: int | None = None,
    child_school: str = "",
    paper_forms_received: bool = True,
    signup_url: str = "",
) -> OfflineRegistration:
    """Register an application on a parent's behalf (RES-7); see the module docstring.

    ``facility`` should carry its effective capacity (booking.bookable_facility).
    Raises ``ReservationError`` (with ``field``) for bad input and the engine's refusals.
    """
    if not is_backoffice_user(actor) or not scope_for(actor).covers_facility(facility):
        raise ReservationError(errors.NOT_FOUND, _("시설을 찾을 수 없습니다."))
    if care_type not in CareType.values:
        raise _fail(_("돌봄유형을 선택해 주세요."), "care_type")
    phone = _check_person(
        guardian_name=guardian_name,
        phone=guardian_phone,
        child_name=child_name,
        birth_date=child_birth_date,
        sex=child_sex,
    )
    with transaction.atomic():
        guardian = User.objects.filter(kind=UserKind.GUARDIAN, phone=phone).first()
        invited = guardian is None
        if guardian is None:
            guardian = _invite_guardian(
                actor=actor, name=guardian_name, phone=phone, facility=facility
            )
        elif not guardian.is_active:
            raise _fail(
                _("이 휴대전화번호의 회원 계정은 사용 중지 상태입니다. 담당 부서에 문의해 주세요."),
                "guardian_phone",
            )
        child, child_created = _child_for(
            actor=actor,
            guardian=guardian,
            name=child_name,
            birth_date=child_birth_date,
            sex=child_sex,
            grade=child_grade,
            school=child_school,
        )
        request = Request(
            facility=facility,
            child=child,
            care_type=care_type,
            start_time=start_time,
            end_time=end_time,
            date=date if care_type != CareType.REGULAR else None,
            start_date=start_date if care_type == CareType.REGULAR else None,
            end_date=end_date if care_type == CareType.REGULAR else None,
            weekdays=list(weekdays or []),
            household=household or Household(),
            consents=Consents(),  # ②③ are the paper forms, recorded below
            sick=sick or SickCare(),
            note=note,
        )
        book = apply_regular if care_type == CareType.REGULAR else book_single_day
        booked = book(actor=actor, guardian=guardian, request=request, source=Source.OFFLINE)
        if paper_forms_received:
            mark_paper_forms_received(actor=actor, reservation=booked.reservation)
        if invited:
            text = invitation_text(
                facility=facility, child_name=child.name, signup_url=signup_url or SIGNUP_PATH
            )
            _send_after_commit(phone, text)
    mismatch = not invited and guardian.name.strip() != guardian_name.strip()
    return OfflineRegistration(
        booked=booked,
        guardian=guardian,
        child=child,
        invited=invited,
        child_created=child_created,
        name_mismatch=mismatch,
    )
