"""회원 (ACC-6): guardian sign-up, login, profile and children on the parents' portal.

HTTP only: every change goes through kium.accounts.domain.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kium.accounts.domain import logins
from kium.accounts.domain.children import children_of, register_child, update_child
from kium.accounts.domain.signup import (
    phone_availability,
    sign_up_guardian,
    update_guardian_profile,
)
from kium.accounts.domain.verification import VerificationError, confirm_code
from kium.accounts.enums import UserKind, VerificationPurpose
from kium.accounts.forms import (
    ChildForm,
    GuardianProfileForm,
    GuardianSignupForm,
    LoginForm,
    apply_domain_errors,
    forget_verification,
    send_verification_code,
    session_verification,
)
from kium.accounts.lockout import lockout_response
from kium.accounts.middleware import start_session_clock
from kium.backoffice.views_auth import (
    FindIdFlow,
    PasswordResetFlow,
    UnlockFlow,
    safe_next,
    sent_message,
    set_password_page,
)

SIGNUP_ERROR_FIELDS = {"verification": "code", "password": "password1"}
PORTAL_BASE = "base.html"


def guardian_required(view):
    """Members' pages: anonymous → login (coming back here), other accounts → 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('public:login')}?{query}")
        if user.kind != UserKind.GUARDIAN:
            return render(request, "public/account/guardians_only.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


# --- sign-up ---------------------------------------------------------------------------


def _signup_page(request, form, *, status=200, notice=""):
    context = {"form": form, "notice": notice, "verification_required": form.verification_required}
    return render(request, "public/account/signup.html", context, status=status)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = GuardianSignupForm(request.POST or None, request=request)
    if request.method == "GET":
        return _signup_page(request, form)
    if form.is_valid():
        data = form.cleaned_data
        try:
            sign_up_guardian(
                username=data["username"],
                password=data["password1"],
                name=data["name"],
                phone=data["phone"],
                email=data.get("email", ""),
                terms_consent=data["terms_consent"],
                privacy_consent=data["privacy_consent"],
                sms_consent=data.get("sms_consent", False),
                verification_id=data.get("verification_id"),
            )
        except ValidationError as exc:
            apply_domain_errors(form, exc, SIGNUP_ERROR_FIELDS)
        else:
            forget_verification(request, VerificationPurpose.SIGNUP)
            messages.success(request, _("회원가입이 완료되었습니다. 로그인해 주세요."))
            return redirect("public:login")
    return _signup_page(request, form, status=400)


def _verify_answer(request, message: str, *, ok: bool, status: int) -> HttpResponse:
    if request.htmx:
        return render(request, "accounts/_verify_status.html", {"message": message, "ok": ok})
    form = GuardianSignupForm(initial=request.POST.dict(), request=request)
    return _signup_page(request, form, status=200 if ok else status, notice=message)


@require_POST
def signup_verify_send(request: HttpRequest) -> HttpResponse:
    try:
        send_verification_code(
            request, purpose=VerificationPurpose.SIGNUP, phone=request.POST.get("phone", "")
        )
    except VerificationError as exc:
        status = 429 if exc.code == "rate_limited" else 400
        return _verify_answer(request, exc.message, ok=False, status=status)
    return _verify_answer(request, sent_message(), ok=True, status=200)


@require_POST
def signup_verify_check(request: HttpRequest) -> HttpResponse:
    verification = session_verification(request, VerificationPurpose.SIGNUP)
    try:
        if verification is None:
            raise VerificationError("invalid_code", _("먼저 인증번호 받기를 눌러 주세요."))
        confirm_code(
            verification_id=verification.pk,
            phone=request.POST.get("phone", ""),
            code=request.POST.get("code", ""),
        )
    except VerificationError as exc:
        return _verify_answer(request, exc.message, ok=False, status=400)
    return _verify_answer(request, _("휴대폰 본인인증이 완료되었습니다."), ok=True, status=200)


@require_GET
def signup_phone_check(request: HttpRequest) -> HttpResponse:
    message, ok = phone_availability(raw_phone=request.GET.get("phone", ""), kind=UserKind.GUARDIAN)
    return render(request, "accounts/_verify_status.html", {"message": message, "ok": ok})


# --- login and logout ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        result = logins.attempt_login(
            request=request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            channel=logins.PORTAL,
        )
        if result.error == logins.ACCOUNT_LOCKED:
            return lockout_response(request)
        if result.ok:
            login(request, result.user)
            start_session_clock(request)
            return redirect(safe_next(request, reverse("public:home")))
        form.add_error(None, result.message)
        status = 403 if result.error == logins.WRONG_CHANNEL else 400
    elif request.method == "POST":
        status = 400
    context = {"form": form, "next": safe_next(request, "")}
    return render(request, "public/account/login.html", context, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("로그아웃되었습니다."))
    return redirect("public:home")


# --- recovery (same flows as the back office, for guardian accounts) -------------------


class GuardianPasswordReset(PasswordResetFlow):
    kind = UserKind.GUARDIAN
    base_template = PORTAL_BASE
    confirm_url_name = "public:password_reset_confirm"


class GuardianUnlock(UnlockFlow):
    kind = UserKind.GUARDIAN
    base_template = PORTAL_BASE
    login_url_name = "public:login"


class GuardianFindId(FindIdFlow):
    kind = UserKind.GUARDIAN
    base_template = PORTAL_BASE
    password_reset_url_name = "public:password_reset"


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    return GuardianPasswordReset(request).handle()


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, token: str) -> HttpResponse:
    return set_password_page(
        request, token, base_template=PORTAL_BASE, login_url_name="public:login"
    )


@require_http_methods(["GET", "POST"])
def find_id(request: HttpRequest) -> HttpResponse:
    return GuardianFindId(request).handle()


@require_http_methods(["GET", "POST"])
def unlock(request: HttpRequest) -> HttpResponse:
    return GuardianUnlock(request).handle()


# --- profile ---------------------------------------------------------------------------


@guardian_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {"name": user.name, "email": user.email, "sms_consent": bool(user.sms_consent_at)}
    form = GuardianProfileForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                update_guardian_profile(
                    guardian=user,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data.get("email", ""),
                    sms_consent=form.cleaned_data.get("sms_consent", False),
                )
            except ValidationError as exc:
                apply_domain_errors(form, exc)
            else:
                messages.success(request, _("회원정보가 저장되었습니다."))
                return redirect("public:profile")
        status = 400
    return render(request, "public/account/profile.html", {"form": form}, status=status)


# --- children --------------------------------------------------------------------------


@guardian_required
@require_GET
def children(request: HttpRequest) -> HttpResponse:
    context = {"children": children_of(guardian=request.user)}
    return render(request, "public/account/children.html", context)


def _child_values(data: dict) -> dict:
    return {
        "name": data["name"],
        "birth_date": data["birth_date"],
        "sex": data["sex"],
        "school": data.get("school", ""),
        "grade": data.get("grade"),
        "health_notes": data.get("health_notes", ""),
        "sensitive_consent": data.get("sensitive_consent", False),
    }


@guardian_required
@require_http_methods(["GET", "POST"])
def child_add(request: HttpRequest) -> HttpResponse:
    form = ChildForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                register_child(
                    guardian=request.user,
                    guardian_consent=form.cleaned_data["guardian_consent"],
                    **_child_values(form.cleaned_data),
                )
            except ValidationError as exc:
                apply_domain_errors(form, exc)
            else:
                messages.success(request, _("아동 정보가 등록되었습니다."))
                # Back to where the guardian came from (e.g. step 1 of 예약하기).
                return redirect(safe_next(request, reverse("public:children")))
        status = 400
    context = {"form": form, "editing": False}
    return render(request, "public/account/child_form.html", context, status=status)


@guardian_required
@require_http_methods(["GET", "POST"])
def child_edit(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_object_or_404(children_of(guardian=request.user), pk=pk)
    initial = {
        "name": child.name,
        "birth_date": child.birth_date,
        "sex": child.sex,
        "school": child.school,
        "grade": child.grade,
        "health_notes": child.health_notes,
        "sensitive_consent": child.sensitive_consent_at is not None,
    }
    form = ChildForm(request.POST or None, initial=initial, editing=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                update_child(guardian=request.user, child=child, **_child_values(form.cleaned_data))
            except ValidationError as exc:
                apply_domain_errors(form, exc)
            else:
                messages.success(request, _("아동 정보가 저장되었습니다."))
                return redirect("public:children")
        status = 400
    context = {"form": form, "editing": True, "child": child}
    return render(request, "public/account/child_form.html", context, status=status)
