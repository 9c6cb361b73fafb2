"""Phone verification (본인인증): a 6-digit code by SMS, checked, then used once.

The flow is start → confirm → consume. ``confirm_code`` proves the person holds the
phone; ``consume_verification`` is called by the step that acts on it (sign-up,
password reset, unlock) so one proof serves exactly one action.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from kium.accounts.models import PhoneVerification
from kium.accounts.sms import SmsError, send_sms
from kium.core import clock

MAX_ATTEMPTS = 5
PER_PHONE_PER_HOUR = 5
PER_IP_PER_HOUR = 20
PHONE_COOLDOWN_SECONDS = 60
# A verified code may be acted on for this long: forms take a while to fill in.
VERIFIED_VALID_MINUTES = 30
_HASH_SALT = "kium.accounts.verification"
_MOBILE = re.compile(r"^01[016789]\d{7,8}$")


class VerificationError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def normalize_phone(value: str) -> str:
    """010-1234-5678 → 01012345678; anything but a Korean mobile number is refused."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("82") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not _MOBILE.match(digits):
        raise VerificationError(
            "invalid_phone", _("올바른 휴대전화번호를 입력해 주세요. (예: 010-1234-5678)")
        )
    return digits


def format_phone(digits: str) -> str:
    if len(digits) == 11:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if len(digits) == 10:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return digits


def _hash_code(phone: str, code: str, salt: str) -> str:
    return salted_hmac(_HASH_SALT, f"{salt}:{phone}:{code}").hexdigest()


def _code_matches(verification: PhoneVerification, code: str) -> bool:
    salt, _sep, digest = verification.code_hash.partition("$")
    return hmac.compare_digest(digest, _hash_code(verification.phone, code, salt))


def _take_rate_limit(phone: str, ip: str | None) -> None:
    """Raise rate_limited when a limit is reached, else count this request."""
    cooldown_key = f"kium:verify:cooldown:{phone}"
    phone_key = f"kium:verify:phone:{phone}"
    ip_key = f"kium:verify:ip:{ip}"
    over_phone = cache.get(phone_key, 0) >= PER_PHONE_PER_HOUR
    over_ip = bool(ip) and cache.get(ip_key, 0) >= PER_IP_PER_HOUR
    if over_phone or over_ip:
        raise VerificationError(
            "rate_limited",
            _("인증번호 요청 횟수를 초과했습니다. 1시간 후 다시 시도해 주세요."),
        )
    # add() is atomic: of two requests racing for the same phone only one gets through.
    if not cache.add(cooldown_key, 1, PHONE_COOLDOWN_SECONDS):
        raise VerificationError(
            "rate_limited",
            _("인증번호는 1분에 한 번만 요청할 수 있습니다. 잠시 후 다시 시도해 주세요."),
        )
    _count(phone_key)
    if ip:
        _count(ip_key)


def _count(key: str) -> None:
    # The window opens at the first request and lasts an hour (fixed window).
    cache.add(key, 0, 3600)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600)


def start_verification(*, phone: str, purpose: str, ip: str | None) -> PhoneVerification:
    phone = normalize_phone(phone)
    _take_rate_limit(phone, ip)
    code = f"{secrets.randbelow(1_000_000):06d}"
    salt = secrets.token_hex(8)
    minutes = settings.KIUM_VERIFICATION_CODE_MINUTES
    with transaction.atomic():
        verification = PhoneVerification.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=f"{salt}${_hash_code(phone, code, salt)}",
            expires_at=clock.now() + dt.timedelta(minutes=minutes),
            ip=ip or None,
        )
        text = _("[우리동네키움포털] 인증번호 %(code)s (%(minutes)s분 이내 입력)") % {
            "code": code,
            "minutes": minutes,
        }
        try:
            send_sms(phone, text)
        except SmsError as exc:
            # The row rolls back with the exception: no code exists that nobody received.
            raise VerificationError(
                "sms_failed", _("인증번호를 보내지 못했습니다. 잠시 후 다시 시도해 주세요.")
            ) from exc
    return verification


def _locked(verification_id, phone: str) -> PhoneVerification:
    try:
        phone = normalize_phone(phone)
        return PhoneVerification.objects.select_for_update().get(
            pk=int(verification_id), phone=phone
        )
    except (PhoneVerification.DoesNotExist, ValueError, TypeError) as exc:
        raise VerificationError(
            "invalid_code", _("인증 요청을 찾을 수 없습니다. 인증번호를 다시 받아 주세요.")
        ) from exc


def _expired_error() -> VerificationError:
    return VerificationError(
        "expired", _("인증번호가 만료되었습니다. 인증번호를 다시 받아 주세요.")
    )


def confirm_code(*, verification_id, phone: str, code: str) -> PhoneVerification:
    """Check the code the person typed; wrong codes count, five of them end the request."""
    error: VerificationError | None = None
    with transaction.atomic():
        verification = _locked(verification_id, phone)
        now = clock.now()
        if (
            verification.consumed_at is not None
            or verification.expires_at <= now
            or verification.attempts >= MAX_ATTEMPTS
        ):
            raise _expired_error()
        if _code_matches(verification, (code or "").strip()):
            if verification.verified_at is None:
                verification.verified_at = now
                verification.save(update_fields=["verified_at"])
            return verification
        verification.attempts += 1
        verification.save(update_fields=["attempts"])
        left = MAX_ATTEMPTS - verification.attempts
        if left <= 0:
            error = VerificationError(
                "expired",
                _("인증번호를 5회 잘못 입력했습니다. 인증번호를 다시 받아 주세요."),
            )
        else:
            error = VerificationError(
                "invalid_code",
                _("인증번호가 일치하지 않습니다. (남은 입력 횟수 %(left)s회)") % {"left": left},
            )
    # Raised after the block so the counted attempt is committed, not rolled back.
    raise error


def consume_verification(*, verification_id, phone: str, purpose: str) -> PhoneVerification:
    """Use a confirmed verification for the action it was started for, once."""
    with transaction.atomic():
        verification = _locked(verification_id, phone)
        if verification.purpose != purpose or verification.verified_at is None:
            raise VerificationError("not_verified", _("휴대폰 본인인증을 완료해 주세요."))
        if verification.consumed_at is not None:
            raise VerificationError(
                "expired", _("이미 사용한 인증입니다. 인증번호를 다시 받아 주세요.")
            )
        now = clock.now()
        if verification.verified_at + dt.timedelta(minutes=VERIFIED_VALID_MINUTES) <= now:
            raise _expired_error()
        verification.consumed_at = now
        verification.save(update_fields=["consumed_at"])
    return verification


def confirm_and_consume(
    *, verification_id, phone: str, code: str, purpose: str
) -> PhoneVerification:
    """Both steps at once, for clients that send the code with the final request."""
    confirm_code(verification_id=verification_id, phone=phone, code=code)
    return consume_verification(verification_id=verification_id, phone=phone, purpose=purpose)
