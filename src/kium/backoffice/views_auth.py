"""관리자 로그인과 계정 화면 (ACC-1, ACC-2): login, sign-up, passwords, unlock, session.

These views translate HTTP into the accounts domain functions; they never write models.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kium.accounts.domain import logins
from kium.accounts.domain.passwords import (
    account_by_username_phone,
    change_password,
    find_usernames,
    make_reset_token,
    reset_password,
    user_for_reset_token,
)
from kium.accounts.domain.signup import phone_availability, sign_up_staff
from kium.accounts.domain.unlock import unlock_account
from kium.accounts.domain.verification import (
    VerificationError,
    confirm_code,
    consume_verification,
)
from kium.accounts.enums import UserKind, VerificationPurpose
from kium.accounts.forms import (
    FindIdForm,
    IdentityForm,
    LoginForm,
    PasswordChangeForm,
    SetPasswordForm,
    StaffSignupForm,
    apply_domain_errors,
    forget_verification,
    send_verification_code,
    session_verification,
)
from kium.accounts.lockout import lockout_response
from kium.accounts.middleware import session_seconds_left, start_session_clock
from kium.orgs.domain.scope import is_backoffice_user

BASE = "backoffice/base.html"
SIGNUP_ERROR_FIELDS = {"verification": "code", "password": "password1"}


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def sent_message() -> str:
    return _("인증번호를 보냈습니다. %(minutes)s분 이내에 입력해 주세요.") % {
        "minutes": settings.KIUM_VERIFICATION_CODE_MINUTES
    }


# --- login and logout ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET" and is_backoffice_user(request.user):
        return redirect(safe_next(request, reverse("backoffice:dashboard")))
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        result = logins.attempt_login(
            request=request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            channel=logins.BACKOFFICE,
        )
        if result.error == logins.ACCOUNT_LOCKED:
            return lockout_response(request)
        if result.ok:
            login(request, result.user)
            start_session_clock(request)
            if result.user.must_change_password:
                return redirect("backoffice:password_change")
            return redirect(safe_next(request, reverse("backoffice:dashboard")))
        form.add_error(None, result.message)
        status = 403 if result.error in (logins.NOT_APPROVED, logins.WRONG_CHANNEL) else 400
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "next": safe_next(request, ""),
        "expired": request.GET.get("expired") == "1",
    }
    return render(request, "backoffice/auth/login.html", context, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("로그아웃되었습니다."))
    return redirect("backoffice:login")


# --- staff sign-up (ACC-1) -----------------------------------------------------------


def _signup_page(request: HttpRequest, form: StaffSignupForm, *, status: int = 200, notice=""):
    context = {"form": form, "notice": notice, "verification_required": form.verification_required}
    return render(request, "backoffice/auth/signup.html", context, status=status)


@require_http_methods(["GET", "POST"])
def signup_view(request: HttpRequest) -> HttpResponse:
    form = StaffSignupForm(request.POST or None, request=request)
    if request.method == "GET":
        return _signup_page(request, form)
    if form.is_valid():
        data = form.cleaned_data
        try:
            sign_up_staff(
                username=data["username"],
                password=data["password1"],
                name=data["name"],
                phone=data["phone"],
                office_phone=data["office_phone"],
                email=data.get("email", ""),
                duty=data["duty"],
                jurisdiction=data["jurisdiction"],
                district=data.get("district"),
                verification_id=data.get("verification_id"),
            )
        except ValidationError as exc:
            apply_domain_errors(form, exc, SIGNUP_ERROR_FIELDS)
        else:
            forget_verification(request, VerificationPurpose.STAFF_SIGNUP)
            return redirect("backoffice:signup_done")
    return _signup_page(request, form, status=400)


@require_GET
def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/auth/signup_done.html")


def _verify_answer(request: HttpRequest, message: str, *, ok: bool, status: int) -> HttpResponse:
    """htmx gets the status line; without JavaScript the whole page comes back."""
    if request.htmx:
        context = {"message": message, "ok": ok}
        # htmx swaps only 2xx answers by default; the error is shown all the same.
        return render(request, "accounts/_verify_status.html", context, status=200)
    form = StaffSignupForm(initial=request.POST.dict(), request=request)
    return _signup_page(request, form, status=status if not ok else 200, notice=message)


@require_POST
def signup_verify_send(request: HttpRequest) -> HttpResponse:
    try:
        send_verification_code(
            request, purpose=VerificationPurpose.STAFF_SIGNUP, phone=request.POST.get("phone", "")
        )
    except VerificationError as exc:
        status = 429 if exc.code == "rate_limited" else 400
        return _verify_answer(request, exc.message, ok=False, status=status)
    return _verify_answer(request, sent_message(), ok=True, status=200)


@require_POST
def signup_verify_check(request: HttpRequest) -> HttpResponse:
    phone = request.POST.get("phone", "")
    verification = session_verification(request, VerificationPurpose.STAFF_SIGNUP)
    try:
        if verification is None:
            raise VerificationError("invalid_code", _("먼저 인증번호 받기를 눌러 주세요."))
        confirm_code(
            verification_id=verification.pk, phone=phone, code=request.POST.get("code", "")
        )
    except VerificationError as exc:
        return _verify_answer(request, exc.message, ok=False, status=400)
    return _verify_answer(request, _("휴대폰 본인인증이 완료되었습니다."), ok=True, status=200)


@require_GET
def signup_phone_check(request: HttpRequest) -> HttpResponse:
    """중복확인: is this mobile number already used by a staff account?"""
    message, ok = phone_availability(raw_phone=request.GET.get("phone", ""), kind=UserKind.STAFF)
    return render(request, "accounts/_verify_status.html", {"message": message, "ok": ok})


# --- passwords -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    if not is_backoffice_user(request.user):
        return redirect(f"{reverse('backoffice:login')}?next={request.path}")
    form = PasswordChangeForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                change_password(user=request.user, password=form.cleaned_data["password1"])
            except ValidationError as exc:
                apply_domain_errors(form, exc)
            else:
                # Changing the password rotates the session hash; stay logged in.
                update_session_auth_hash(request, request.user)
                messages.success(request, _("비밀번호가 변경되었습니다."))
                return redirect("backoffice:dashboard")
        status = 400
    else:
        status = 200
    context = {"form": form, "forced": request.user.must_change_password}
    return render(request, "backoffice/auth/password_change.html", context, status=status)


class IdentityFlow:
    """아이디 + 휴대폰 인증 → an action: the shape of reset, unlock and find-id pages.

    Step one (action=send) checks that the account exists with that phone and sends a
    code; step two (action=confirm) checks the code, uses the verification once and
    runs ``succeed``.
    """

    purpose = ""
    kind = UserKind.STAFF
    template = ""
    base_template = BASE
    title: object = ""

    def __init__(self, request: HttpRequest):
        self.request = request

    def make_form(self, data=None):
        return IdentityForm(data, request=self.request, purpose=self.purpose)

    def account(self, form):
        data = form.cleaned_data
        return account_by_username_phone(
            username=data["username"], phone=data["phone"], kind=self.kind
        )

    def no_match_message(self) -> str:
        return _("아이디와 휴대전화번호가 일치하는 계정이 없습니다.")

    def succeed(self, form, account) -> HttpResponse:  # pragma: no cover - overridden
        raise NotImplementedError

    def page(self, form, *, status=200, notice="", **extra) -> HttpResponse:
        context = {
            "form": form,
            "notice": notice,
            "title": self.title,
            "base_template": self.base_template,
            **extra,
        }
        return render(self.request, self.template, context, status=status)

    def handle(self) -> HttpResponse:
        if self.request.method != "POST":
            return self.page(self.make_form())
        if self.request.POST.get("action") == "send":
            # A code left in the box belongs to an earlier request: do not try it.
            data = self.request.POST.copy()
            data["code"] = ""
            return self.send(self.make_form(data))
        return self.confirm(self.make_form(self.request.POST))

    def send(self, form) -> HttpResponse:
        # Only the identifying fields matter at this step; the code box is still empty.
        form.verification_required_always = False
        if not form.is_valid():
            return self.page(form, status=400)
        if self.account(form) is None:
            form.add_error(None, self.no_match_message())
            return self.page(form, status=400)
        try:
            send_verification_code(
                self.request, purpose=self.purpose, phone=form.cleaned_data["phone"]
            )
        except VerificationError as exc:
            form.add_error("phone", exc.message)
            return self.page(form, status=429 if exc.code == "rate_limited" else 400)
        # The same (valid) form comes back, so what was typed stays in the boxes.
        return self.page(form, notice=sent_message())

    def confirm(self, form) -> HttpResponse:
        if not form.is_valid():
            return self.page(form, status=400)
        account = self.account(form)
        if account is None:
            form.add_error(None, self.no_match_message())
            return self.page(form, status=400)
        try:
            consume_verification(
                verification_id=form.cleaned_data["verification_id"],
                phone=form.cleaned_data["phone"],
                purpose=self.purpose,
            )
        except VerificationError as exc:
            form.add_error("code", exc.message)
            return self.page(form, status=400)
        forget_verification(self.request, self.purpose)
        return self.succeed(form, account)


class PasswordResetFlow(IdentityFlow):
    purpose = VerificationPurpose.PASSWORD_RESET
    template = "accounts/identity_form.html"
    title = _lazy("비밀번호 초기화")
    confirm_url_name = "backoffice:password_reset_confirm"

    def succeed(self, form, account) -> HttpResponse:
        token = make_reset_token(user=account)
        return redirect(self.confirm_url_name, token=token)


class UnlockFlow(IdentityFlow):
    purpose = VerificationPurpose.UNLOCK
    template = "accounts/identity_form.html"
    title = _lazy("계정잠금해제")
    login_url_name = "backoffice:login"

    def succeed(self, form, account) -> HttpResponse:
        unlock_account(actor=None, user=account)
        messages.success(self.request, _("계정 잠금이 해제되었습니다. 다시 로그인해 주세요."))
        return redirect(self.login_url_name)


class FindIdFlow(IdentityFlow):
    purpose = VerificationPurpose.FIND_ID
    template = "accounts/find_id.html"
    title = _lazy("ID/PW 찾기")
    password_reset_url_name = "backoffice:password_reset"

    def make_form(self, data=None):
        return FindIdForm(data, request=self.request)

    def account(self, form):
        data = form.cleaned_data
        found = find_usernames(name=data["name"], phone=data["phone"], kind=self.kind)
        return found or None

    def no_match_message(self) -> str:
        return _("이름과 휴대전화번호가 일치하는 계정이 없습니다.")

    def succeed(self, form, account) -> HttpResponse:
        return self.page(
            self.make_form(),
            usernames=account,
            password_reset_url=reverse(self.password_reset_url_name),
        )


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    return PasswordResetFlow(request).handle()


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, token: str) -> HttpResponse:
    return set_password_page(request, token, base_template=BASE, login_url_name="backoffice:login")


def set_password_page(request, token: str, *, base_template: str, login_url_name: str):
    account = user_for_reset_token(token)
    if account is None:
        context = {"base_template": base_template, "invalid": True}
        return render(request, "accounts/set_password.html", context, status=400)
    form = SetPasswordForm(request.POST or None, user=account)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                reset_password(user=account, password=form.cleaned_data["password1"])
            except ValidationError as exc:
                apply_domain_errors(form, exc, {"password": "password1"})
            else:
                messages.success(
                    request, _("비밀번호가 변경되었습니다. 새 비밀번호로 로그인해 주세요.")
                )
                return redirect(login_url_name)
        status = 400
    context = {"form": form, "base_template": base_template}
    return render(request, "accounts/set_password.html", context, status=status)


@require_http_methods(["GET", "POST"])
def find_id(request: HttpRequest) -> HttpResponse:
    return FindIdFlow(request).handle()


@require_http_methods(["GET", "POST"])
def unlock(request: HttpRequest) -> HttpResponse:
    return UnlockFlow(request).handle()


# --- session idle warning ------------------------------------------------------------


def _session_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "seconds_left": session_seconds_left(request),
            "idle_seconds": settings.KIUM_BACKOFFICE_IDLE_SECONDS,
        }
    )


def _not_logged_in() -> JsonResponse:
    return JsonResponse(
        {"code": "session_expired", "message": _("로그인이 필요합니다."), "seconds_left": 0},
        status=401,
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """Seconds left; polled by the idle warning, so it does not count as activity."""
    if not request.user.is_authenticated:
        return _not_logged_in()
    return _session_json(request)


@require_POST
def session_extend(request: HttpRequest) -> JsonResponse:
    """'로그인 연장': the middleware already counted this request as activity."""
    if not request.user.is_authenticated:
        return _not_logged_in()
    return _session_json(request)
