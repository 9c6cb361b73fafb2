"""A guardian's children (ACC-6).

A child's data is collected only with the legal guardian's consent, recorded with its
time (개인정보 보호법 §22-2: under 14 needs the legal representative's consent; Kium asks
it for every child). Health and allergy notes are sensitive data and need their own
consent. No resident registration number is ever asked for.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kium.accounts.enums import Sex, UserKind
from kium.accounts.models import Child, User
from kium.core import clock
from kium.core.audit import log_action, snapshot

MAX_AGE_YEARS = 18
# Health notes stay out of the audit log: it records that they changed, not what they say.
_AUDIT_FIELDS = [
    "guardian",
    "name",
    "birth_date",
    "sex",
    "school",
    "grade",
    "guardian_consent_at",
    "sensitive_consent_at",
]


def children_of(*, guardian: User):
    return Child.objects.filter(guardian=guardian).order_by("birth_date", "id")


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """만 나이 on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _audit_picture(child: Child) -> dict:
    data = snapshot(child, _AUDIT_FIELDS)
    data["has_health_notes"] = bool(child.health_notes)
    return data


def _field_errors(
    *, name: str, birth_date: dt.date | None, sex: str, grade: int | None, school: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = _("아동 이름을 입력해 주세요.")
    today = clock.today()
    if birth_date is None:
        errors["birth_date"] = _("생년월일을 입력해 주세요.")
    elif birth_date > today:
        errors["birth_date"] = _("생년월일이 오늘 이후일 수 없습니다.")
    elif age_on(birth_date, today) > MAX_AGE_YEARS:
        errors["birth_date"] = _("만 18세 이하 아동만 등록할 수 있습니다.")
    if sex not in Sex.values:
        errors["sex"] = _("성별을 선택해 주세요.")
    if grade is not None and not 1 <= grade <= 6:
        errors["grade"] = _("학년은 1~6 사이로 입력해 주세요.")
    if len(school or "") > 100:
        errors["school"] = _("학교 이름은 100자 이내로 입력해 주세요.")
    return errors


def _require_guardian(guardian: User) -> None:
    if guardian.kind != UserKind.GUARDIAN:
        raise PermissionError("only guardians register children")


def register_child(
    *,
    guardian: User,
    name: str,
    birth_date: dt.date | None,
    sex: str,
    school: str = "",
    grade: int | None = None,
    health_notes: str = "",
    guardian_consent: bool,
    sensitive_consent: bool = False,
) -> Child:
    _require_guardian(guardian)
    errors = _field_errors(name=name, birth_date=birth_date, sex=sex, grade=grade, school=school)
    health_notes = (health_notes or "").strip()
    if not guardian_consent:
        errors["guardian_consent"] = _(
            "아동의 개인정보 수집·이용에 대한 법정대리인 동의가 필요합니다."
        )
    if health_notes and not sensitive_consent:
        errors["sensitive_consent"] = _(
            "건강·알레르기 정보를 적으려면 민감정보 수집·이용에 동의해 주세요."
        )
    if errors:
        raise ValidationError(errors, code="consent_required")
    now = clock.now()
    with transaction.atomic():
        child = Child.objects.create(
            guardian=guardian,
            name=name.strip(),
            birth_date=birth_date,
            sex=sex,
            school=(school or "").strip(),
            grade=grade,
            health_notes=health_notes,
            guardian_consent_at=now,
            sensitive_consent_at=now if sensitive_consent else None,
        )
        log_action(actor=guardian, action="child.register", obj=child, after=_audit_picture(child))
    return child


def update_child(
    *,
    guardian: User,
    child: Child,
    name: str,
    birth_date: dt.date | None,
    sex: str,
    school: str = "",
    grade: int | None = None,
    health_notes: str = "",
    sensitive_consent: bool,
) -> Child:
    """Edit a child's record. Withdrawing the sensitive-data consent needs empty notes."""
    _require_guardian(guardian)
    if child.guardian_id != guardian.pk:
        raise PermissionError("a guardian edits only their own children")
    errors = _field_errors(name=name, birth_date=birth_date, sex=sex, grade=grade, school=school)
    health_notes = (health_notes or "").strip()
    if health_notes and not sensitive_consent:
        errors["sensitive_consent"] = _(
            "건강·알레르기 정보를 적으려면 민감정보 수집·이용에 동의해 주세요."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = _audit_picture(child)
        notes_changed = child.health_notes != health_notes
        child.name = name.strip()
        child.birth_date = birth_date
        child.sex = sex
        child.school = (school or "").strip()
        child.grade = grade
        child.health_notes = health_notes
        if sensitive_consent and child.sensitive_consent_at is None:
            child.sensitive_consent_at = clock.now()
        elif not sensitive_consent:
            child.sensitive_consent_at = None
        child.save()
        after = _audit_picture(child)
        after["health_notes_changed"] = notes_changed
        log_action(actor=guardian, action="child.update", obj=child, before=before, after=after)
    return child
