import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from kium.accounts.domain.signup import (
    phone_in_use,
    sign_up_guardian,
    sign_up_staff,
    update_guardian_profile,
)
from kium.accounts.domain.verification import confirm_code, start_verification
from kium.accounts.enums import ApprovalStatus, UserKind
from kium.accounts.models import PhoneVerification, User
from kium.core import notify
from kium.core.models import AuditEntry
from kium.orgs.models import District
from tests.accounts.support import last_code, sms_outbox, wrong_code  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=False)


def staff_fields(**overrides):
    fields = {
        "username": "nwofficer1",
        "password": "kium2026pass",
        "name": "김담당",
        "phone": "010-2222-3333",
        "office_phone": "02-2133-4947",
        "email": "officer@example.kr",
        "duty": "kium",
        "jurisdiction": "district",
        "district": District.objects.get(code="NW"),
    }
    fields.update(overrides)
    return fields


def guardian_fields(**overrides):
    fields = {
        "username": "parent01",
        "password": "kium2026pass",
        "name": "이보호",
        "phone": "010-4444-5555",
        "email": "",
        "terms_consent": True,
        "privacy_consent": True,
        "sms_consent": False,
    }
    fields.update(overrides)
    return fields


def test_staff_signup_is_pending_with_every_deck_field(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = sign_up_staff(**staff_fields())
    user.refresh_from_db()
    assert user.kind == UserKind.STAFF
    assert user.approval_status == ApprovalStatus.PENDING
    assert user.district.code == "NW"
    assert (user.duty, user.jurisdiction, user.office_phone) == ("kium", "district", "02-2133-4947")
    assert user.phone == "01022223333"
    assert user.check_password("kium2026pass")
    entry = AuditEntry.objects.get(action="account.staff_signup")
    assert entry.object_id == str(user.pk)
    assert "password" not in entry.after
    (notice,) = notify.sent
    assert notice.event == "staff.signup_received"
    assert notice.recipient_id == user.pk


def test_city_jurisdiction_needs_no_district():
    user = sign_up_staff(**staff_fields(jurisdiction="city", district=None))
    assert user.district is None


def test_staff_signup_reports_every_problem_by_field(people):
    people.staff(phone="01022223333", username="taken01")
    with pytest.raises(ValidationError) as err:
        sign_up_staff(
            **staff_fields(
                username="TAKEN01",
                password="short1",
                duty="",
                jurisdiction="district",
                district=None,
                office_phone="12",
                email="not-an-email",
            )
        )
    errors = err.value.message_dict
    assert errors["username"] == ["이미 사용 중인 아이디입니다."]
    assert errors["phone"] == ["이미 가입된 휴대전화번호입니다."]
    assert "10~20자" in errors["password"][0]
    assert set(errors) >= {"duty", "district", "office_phone", "email"}
    assert not User.objects.filter(name="김담당").exists()


def test_guardian_signup_records_consents():
    user = sign_up_guardian(**guardian_fields(sms_consent=True))
    assert user.kind == UserKind.GUARDIAN
    assert user.terms_consent_at and user.privacy_consent_at and user.sms_consent_at
    assert AuditEntry.objects.filter(action="account.guardian_signup").exists()


def test_guardian_signup_needs_both_consents_and_a_free_phone(people):
    people.guardian(phone="01044445555")
    with pytest.raises(ValidationError) as err:
        sign_up_guardian(**guardian_fields(terms_consent=False, privacy_consent=False))
    assert set(err.value.message_dict) == {"terms_consent", "privacy_consent", "phone"}


def test_a_staff_phone_does_not_block_a_guardian(people):
    people.staff(phone="01044445555")
    assert not phone_in_use(phone="01044445555", kind="guardian")
    sign_up_guardian(**guardian_fields())


@override_settings(KIUM_REQUIRE_PHONE_VERIFICATION=True)
def test_required_verification_is_enforced(sms_outbox):  # noqa: F811
    with pytest.raises(ValidationError) as err:
        sign_up_guardian(**guardian_fields())
    assert "verification" in err.value.message_dict
    verification = start_verification(phone="01044445555", purpose="signup", ip=None)
    with pytest.raises(ValidationError) as err:
        sign_up_guardian(
            **guardian_fields(),
            verification_id=verification.pk,
            verification_code=wrong_code(last_code("01044445555")),
        )
    assert "일치하지 않습니다" in err.value.message_dict["verification"][0]
    # The wrong attempt was counted although the sign-up failed.
    assert PhoneVerification.objects.get(pk=verification.pk).attempts == 1
    user = sign_up_guardian(
        **guardian_fields(),
        verification_id=verification.pk,
        verification_code=last_code("01044445555"),
    )
    assert PhoneVerification.objects.get(pk=verification.pk).consumed_at is not None
    assert user.pk


@override_settings(KIUM_REQUIRE_PHONE_VERIFICATION=True)
def test_verification_for_another_purpose_or_phone_is_refused(sms_outbox):  # noqa: F811
    verification = start_verification(phone="01044445555", purpose="unlock", ip=None)
    confirm_code(
        verification_id=verification.pk, phone="01044445555", code=last_code("01044445555")
    )
    with pytest.raises(ValidationError) as err:
        sign_up_guardian(**guardian_fields(), verification_id=verification.pk)
    assert "verification" in err.value.message_dict
    with pytest.raises(ValidationError):
        sign_up_staff(**staff_fields(phone="01044445555"), verification_id=verification.pk)


def test_profile_update_can_withdraw_sms_consent(people):
    guardian = people.guardian(sms_consent_at=None)
    update_guardian_profile(
        guardian=guardian, name="새이름", email="a@example.kr", sms_consent=True
    )
    guardian.refresh_from_db()
    assert guardian.name == "새이름" and guardian.sms_consent_at is not None
    update_guardian_profile(guardian=guardian, name="새이름", email="", sms_consent=False)
    guardian.refresh_from_db()
    assert guardian.sms_consent_at is None
    entries = AuditEntry.objects.filter(action="account.profile_update")
    assert entries.count() == 2
