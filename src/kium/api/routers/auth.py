"""Session and guardians' children (API.md "Session", "Guardians: children")."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from kium.accounts.domain import logins
from kium.accounts.domain.children import children_of, register_child
from kium.accounts.domain.signup import sign_up_guardian
from kium.accounts.domain.tokens import issue_token
from kium.accounts.domain.verification import VerificationError, start_verification
from kium.accounts.enums import UserKind
from kium.accounts.models import Child
from kium.api.errors import ApiError
from kium.api.security import bearer
from kium.core.net import client_ip

router = Router(tags=["session"])


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] | None = None


class TokenIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=128)


class UserOut(Schema):
    username: str
    kind: Literal["guardian", "staff"]


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime
    user: UserOut


class PhoneVerificationIn(Schema):
    phone: str = Field(max_length=20)
    purpose: Literal["signup", "staff_signup", "password_reset", "find_id", "unlock"] = "signup"


class PhoneVerificationOut(Schema):
    id: int
    expires_at: dt.datetime


class VerificationIn(Schema):
    id: int
    code: str = Field(max_length=6)


class SignupIn(Schema):
    username: str = Field(max_length=20)
    password: str = Field(max_length=128)
    name: str = Field(max_length=50)
    phone: str = Field(max_length=20)
    email: str = Field("", max_length=254)
    terms_consent: bool = False
    privacy_consent: bool = False
    sms_consent: bool = False
    verification: VerificationIn | None = None


class SignupOut(Schema):
    username: str


class ChildIn(Schema):
    name: str = Field(max_length=50)
    birth_date: dt.date
    sex: Literal["M", "F"]
    school: str = Field("", max_length=100)
    grade: int | None = Field(None, ge=1, le=6)
    health_notes: str = Field("", max_length=1000)
    guardian_consent: bool = False
    sensitive_consent: bool = False


class ChildOut(Schema):
    id: int
    name: str
    birth_date: dt.date
    sex: str
    school: str
    grade: int | None
    health_notes: str
    guardian_consent_at: dt.datetime
    sensitive_consent_at: dt.datetime | None


class ChildListOut(Schema):
    count: int
    results: list[ChildOut]


class PageIn(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)


def _fields(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {key: [str(m) for m in messages] for key, messages in exc.message_dict.items()}
    return {"body": [str(m) for m in exc.messages]}


def _invalid(exc: ValidationError, code: str = "invalid") -> ApiError:
    return ApiError(400, code, _("입력값을 확인해 주세요."), _fields(exc))


# --- session ---------------------------------------------------------------------------


@router.post(
    "/auth/token",
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 423: ErrorOut},
    summary="로그인하고 API 토큰 받기",
)
def create_token(request: HttpRequest, payload: TokenIn):
    result = logins.attempt_login(
        request=request,
        username=payload.username,
        password=payload.password,
        channel=logins.API,
    )
    if result.error == logins.ACCOUNT_LOCKED:
        raise ApiError(423, "account_locked", result.message)
    if result.error == logins.INVALID_CREDENTIALS:
        raise ApiError(401, "invalid_credentials", result.message)
    if result.error == logins.NOT_APPROVED:
        raise ApiError(403, "not_approved", result.message)
    if result.error:
        raise ApiError(403, "forbidden", result.message)
    key, token = issue_token(user=result.user)
    user = result.user
    kind = user.kind if user.kind in (UserKind.GUARDIAN, UserKind.STAFF) else UserKind.STAFF
    return Status(
        200,
        {
            "token": key,
            "expires_at": token.expires_at,
            "user": {"username": user.username, "kind": kind},
        },
    )


@router.post(
    "/auth/phone-verifications",
    response={201: PhoneVerificationOut, 400: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    summary="휴대폰 인증번호 받기",
)
def create_phone_verification(request: HttpRequest, payload: PhoneVerificationIn):
    try:
        verification = start_verification(
            phone=payload.phone, purpose=payload.purpose, ip=client_ip(request)
        )
    except VerificationError as exc:
        if exc.code == "rate_limited":
            raise ApiError(429, "rate_limited", exc.message) from exc
        if exc.code == "sms_failed":
            raise ApiError(503, "sms_failed", exc.message) from exc
        raise ApiError(400, exc.code, exc.message, {"phone": [exc.message]}) from exc
    return Status(201, {"id": verification.pk, "expires_at": verification.expires_at})


@router.post(
    "/auth/signup",
    response={201: SignupOut, 400: ErrorOut},
    summary="보호자 회원가입",
)
def signup(request: HttpRequest, payload: SignupIn):
    verification = payload.verification
    try:
        user = sign_up_guardian(
            username=payload.username,
            password=payload.password,
            name=payload.name,
            phone=payload.phone,
            email=payload.email,
            terms_consent=payload.terms_consent,
            privacy_consent=payload.privacy_consent,
            sms_consent=payload.sms_consent,
            verification_id=verification.id if verification else None,
            verification_code=verification.code if verification else "",
        )
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return Status(201, {"username": user.username})


# --- guardians: children -------------------------------------------------------------


def _guardian(request: HttpRequest):
    user = request.auth
    if user.kind != UserKind.GUARDIAN:
        raise ApiError(403, "forbidden", _("보호자 회원만 이용할 수 있습니다."))
    return user


@router.post(
    "/children",
    auth=bearer,
    response={201: ChildOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
    tags=["guardians"],
    summary="자녀 등록 (법정대리인 동의)",
)
def create_child(request: HttpRequest, payload: ChildIn):
    guardian = _guardian(request)
    try:
        child = register_child(
            guardian=guardian,
            name=payload.name,
            birth_date=payload.birth_date,
            sex=payload.sex,
            school=payload.school,
            grade=payload.grade,
            health_notes=payload.health_notes,
            guardian_consent=payload.guardian_consent,
            sensitive_consent=payload.sensitive_consent,
        )
    except ValidationError as exc:
        fields = _fields(exc)
        consent = {"guardian_consent", "sensitive_consent"} & set(fields)
        if consent:
            raise ApiError(400, "consent_required", fields[sorted(consent)[0]][0], fields) from exc
        raise _invalid(exc) from exc
    return Status(201, child)


@router.get(
    "/children",
    auth=bearer,
    response={200: ChildListOut, 401: ErrorOut, 403: ErrorOut},
    tags=["guardians"],
    summary="내 자녀 목록",
)
def list_children(request: HttpRequest, paging: Query[PageIn]):
    guardian = _guardian(request)
    children = children_of(guardian=guardian)
    start = (paging.page - 1) * paging.page_size
    results: list[Child] = list(children[start : start + paging.page_size])
    return Status(200, {"count": children.count(), "results": results})
