"""Sign-up: staff (담당자 가입, ACC-1, pending until approved) and guardians (ACC-6).

Both raise ``ValidationError`` with a dict of field → Korean message, so the page forms
and the API report every problem next to the field it concerns. The field
``verification`` carries phone-verification problems.

An *invited* guardian account is one a centre created for a parent who applied by phone
or in person (RES-7, reservations/domain/offline.py): it has the parent's phone, a
generated ``invited-…`` username nobody can choose and an unusable password. When that
parent signs up with the same (verified) phone, the sign-up takes the account over, so
the children and reservations the centre registered are already there.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kium.accounts.domain.verification import (
    VerificationError,
    confirm_code,
    consume_verification,
    normalize_phone,
)
from kium.accounts.enums import ApprovalStatus, UserKind, VerificationPurpose
from kium.accounts.models import User
from kium.core import clock
from kium.core.audit import log_action, snapshot
from kium.core.locking import lock_rows
from kium.core.notify import notify
from kium.orgs.enums import Duty, ScopeLevel

USERNAME_RULE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_]{3,19}$")
STAFF_JURISDICTIONS = (ScopeLevel.CITY, ScopeLevel.DISTRICT)
_AUDIT_FIELDS = [
    "username",
    "kind",
    "name",
    "phone",
    "email",
    "approval_status",
    "duty",
    "jurisdiction",
    "district",
    "office_phone",
    "terms_consent_at",
    "privacy_consent_at",
    "sms_consent_at",
]


def username_error(username: str) -> str | None:
    if not USERNAME_RULE.match(username or ""):
        return _("아이디는 영문으로 시작하는 영문·숫자 4~20자로 입력해 주세요.")
    if User.objects.filter(username__iexact=username).exists():
        return _("이미 사용 중인 아이디입니다.")
    return None


# USERNAME_RULE allows no "-", so nobody can sign up with a name of this shape.
INVITED_USERNAME_PREFIX = "invited-"


def invited_q() -> Q:
    """Guardian accounts created by a centre and not claimed yet."""
    return Q(
        kind=UserKind.GUARDIAN,
        username__startswith=INVITED_USERNAME_PREFIX,
        password__startswith=UNUSABLE_PASSWORD_PREFIX,
    )


def is_invited(user: User) -> bool:
    return (
        user.kind == UserKind.GUARDIAN
        and user.username.startswith(INVITED_USERNAME_PREFIX)
        and not user.has_usable_password()
    )


def invited_guardian(phone: str) -> User | None:
    """The unclaimed invited account with this (normalised) phone, if any."""
    return User.objects.filter(invited_q(), phone=phone).first()


def phone_in_use(*, phone: str, kind: str) -> bool:
    """Taken by an account of this kind; an invited guardian account is free to claim."""
    return User.objects.filter(phone=phone, kind=kind).exclude(invited_q()).exists()


def phone_availability(*, raw_phone: str, kind: str) -> tuple[str, bool]:
    """중복확인: the sentence to show for a typed mobile number, and whether it is free."""
    from kium.accounts.domain.verification import VerificationError, normalize_phone

    try:
        phone = normalize_phone(raw_phone)
    except VerificationError as exc:
        return exc.message, False
    if phone_in_use(phone=phone, kind=kind):
        return _("이미 가입된 휴대전화번호입니다."), False
    return _("사용할 수 있는 휴대전화번호입니다."), True


def _phone_error(phone: str, kind: str) -> tuple[str, str | None]:
    try:
        phone = normalize_phone(phone)
    except VerificationError as exc:
        return phone, exc.message
    if phone_in_use(phone=phone, kind=kind):
        return phone, _("이미 가입된 휴대전화번호입니다.")
    return phone, None


def _password_errors(password: str, *, username: str, name: str, email: str) -> list[str]:
    probe = User(username=username, name=name, email=email)
    try:
        validate_password(password, user=probe)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def _confirm_typed_code(verification_id, code: str, phone: str, errors: dict) -> None:
    """Check a code sent along with the sign-up, outside the sign-up transaction so a
    wrong code is counted even though the sign-up fails."""
    if verification_id is None or not code or "verification" in errors:
        return
    try:
        confirm_code(verification_id=verification_id, phone=phone, code=code)
    except VerificationError as exc:
        errors["verification"] = exc.message


def _consume(verification_id, phone: str, purpose: str) -> None:
    if verification_id is None:
        if settings.KIUM_REQUIRE_PHONE_VERIFICATION:
            raise ValidationError({"verification": _("휴대폰 본인인증을 완료해 주세요.")})
        return
    try:
        consume_verification(verification_id=verification_id, phone=phone, purpose=purpose)
    except VerificationError as exc:
        raise ValidationError({"verification": exc.message}, code=exc.code) from exc


def _common_errors(
    *, username: str, password: str, name: str, phone: str, email: str, kind: str
) -> tuple[str, dict[str, str | list[str]]]:
    errors: dict[str, str | list[str]] = {}
    if message := username_error(username):
        errors["username"] = message
    if not name.strip():
        errors["name"] = _("이름을 입력해 주세요.")
    phone, phone_message = _phone_error(phone, kind)
    if phone_message:
        errors["phone"] = phone_message
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("올바른 이메일 주소를 입력해 주세요.")
    if password_messages := _password_errors(password, username=username, name=name, email=email):
        errors["password"] = password_messages
    return phone, errors


def _office_phone_error(office_phone: str) -> str | None:
    digits = re.sub(r"\D", "", office_phone or "")
    if not (9 <= len(digits) <= 11 and digits.startswith("0")):
        return _("올바른 전화번호를 입력해 주세요. (예: 02-2133-4947)")
    return None


def sign_up_staff(
    *,
    username: str,
    password: str,
    name: str,
    phone: str,
    office_phone: str,
    email: str = "",
    duty: str,
    jurisdiction: str,
    district=None,
    verification_id=None,
    verification_code: str = "",
) -> User:
    """A staff member applies for an account; it waits for a Seoul officer's approval."""
    phone, errors = _common_errors(
        username=username, password=password, name=name, phone=phone, email=email, kind="staff"
    )
    if duty not in Duty.values:
        errors["duty"] = _("담당업무를 선택해 주세요.")
    if jurisdiction not in STAFF_JURISDICTIONS:
        errors["jurisdiction"] = _("담당관할을 선택해 주세요.")
    elif jurisdiction == ScopeLevel.DISTRICT and district is None:
        errors["district"] = _("담당지역(자치구)을 선택해 주세요.")
    if message := _office_phone_error(office_phone):
        errors["office_phone"] = message
    _confirm_typed_code(verification_id, verification_code, phone, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _consume(verification_id, phone, VerificationPurpose.STAFF_SIGNUP)
        user = User(
            username=username,
            kind=UserKind.STAFF,
            name=name.strip(),
            phone=phone,
            email=email,
            approval_status=ApprovalStatus.PENDING,
            duty=duty,
            jurisdiction=jurisdiction,
            district=district if jurisdiction == ScopeLevel.DISTRICT else None,
            office_phone=office_phone.strip(),
        )
        user.set_password(password)
        user.save()
        log_action(
            actor=None,
            action="account.staff_signup",
            obj=user,
            after=snapshot(user, _AUDIT_FIELDS),
        )
        notify(
            "staff.signup_received",
            user,
            {
                "username": user.username,
                "name": user.name,
                "duty": str(Duty(duty).label),
                "district": district.name if user.district_id else "",
            },
        )
    return user


def sign_up_guardian(
    *,
    username: str,
    password: str,
    name: str,
    phone: str,
    email: str = "",
    terms_consent: bool,
    privacy_consent: bool,
    sms_consent: bool = False,
    verification_id=None,
    verification_code: str = "",
) -> User:
    """A parent joins the portal; consents are kept with their time as evidence.

    When a centre already registered this phone (an invited account), the sign-up takes
    that account over instead of creating a second one.
    """
    phone, errors = _common_errors(
        username=username,
        password=password,
        name=name,
        phone=phone,
        email=email,
        kind="guardian",
    )
    if not terms_consent:
        errors["terms_consent"] = _("이용약관에 동의해 주세요.")
    if not privacy_consent:
        errors["privacy_consent"] = _("개인정보 수집·이용에 동의해 주세요.")
    if verification_id is None and "phone" not in errors and invited_guardian(phone):
        # Taking over an account with a child's records needs proof of the phone even
        # where plain sign-ups do not (development settings).
        errors["verification"] = _("휴대폰 본인인증을 완료해 주세요.")
    _confirm_typed_code(verification_id, verification_code, phone, errors)
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    with transaction.atomic():
        _consume(verification_id, phone, VerificationPurpose.SIGNUP)
        invited = lock_rows(User.objects.filter(invited_q(), phone=phone)).first()
        if invited is not None:
            return _claim_invited(
                invited,
                username=username,
                password=password,
                name=name,
                email=email,
                sms_consent=sms_consent,
                now=now,
            )
        user = User(
            username=username,
            kind=UserKind.GUARDIAN,
            name=name.strip(),
            phone=phone,
            email=email,
            approval_status=ApprovalStatus.APPROVED,
            terms_consent_at=now,
            privacy_consent_at=now,
            sms_consent_at=now if sms_consent else None,
        )
        user.set_password(password)
        user.save()
        log_action(
            actor=None,
            action="account.guardian_signup",
            obj=user,
            after=snapshot(user, _AUDIT_FIELDS),
        )
    return user


def _claim_invited(
    user: User, *, username: str, password: str, name: str, email: str, sms_consent: bool, now
) -> User:
    """The parent takes over the account a centre opened for them (RES-7)."""
    before = snapshot(user, _AUDIT_FIELDS)
    user.username = username
    user.name = name.strip()
    user.email = email
    user.approval_status = ApprovalStatus.APPROVED
    user.is_active = True
    user.terms_consent_at = now
    user.privacy_consent_at = now
    user.sms_consent_at = now if sms_consent else None
    user.set_password(password)
    user.save()
    log_action(
        actor=None,
        action="account.guardian_claim",
        obj=user,
        before=before,
        after=snapshot(user, _AUDIT_FIELDS),
        reason="invited account claimed at sign-up",
    )
    return user


def update_guardian_profile(
    *, guardian: User, name: str, email: str = "", sms_consent: bool
) -> User:
    """The guardian edits their own profile; consent to texts can be given or withdrawn."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("이름을 입력해 주세요.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("올바른 이메일 주소를 입력해 주세요.")
    if errors:
        raise ValidationError(errors)
    fields = ["name", "email", "sms_consent_at"]
    with transaction.atomic():
        before = snapshot(guardian, fields)
        guardian.name = name.strip()
        guardian.email = email
        if sms_consent and guardian.sms_consent_at is None:
            guardian.sms_consent_at = clock.now()
        elif not sms_consent:
            guardian.sms_consent_at = None
        guardian.save(update_fields=fields)
        # 알림 수신 설정 keeps its own consent record: both say the same (NTF-1).
        from kium.notifications.domain.preferences import follow_account_consent

        follow_account_consent(guardian)
        log_action(
            actor=guardian,
            action="account.profile_update",
            obj=guardian,
            before=before,
            after=snapshot(guardian, fields),
        )
    return guardian
