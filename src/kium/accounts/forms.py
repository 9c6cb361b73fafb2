"""Forms for sign-up, login, passwords, phone verification, profile and children.

The forms check what the person typed; the domain functions re-check and act. Domain
``ValidationError`` dicts are mapped back onto the form's fields by
``apply_domain_errors`` so every message sits next to its field.

Phone verification on pages keeps the verification's id in the session (never in the
form), so a proof started in one browser cannot be used from another.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kium.accounts.domain.verification import (
    VerificationError,
    confirm_code,
    normalize_phone,
)
from kium.accounts.enums import Sex
from kium.accounts.models import PhoneVerification
from kium.accounts.validators import PASSWORD_RULE
from kium.orgs.enums import Duty, ScopeLevel
from kium.orgs.models import District

PASSWORD_MISMATCH = _("입력된 비밀번호가 일치하지 않습니다. 다시 확인해주세요!")
_SESSION_KEY = "kium_verifications"

INPUT = {"class": "krds-input"}
SELECT = {"class": "krds-form-select"}


def _text(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs={**INPUT, **attrs})


def _password_widget(autocomplete: str) -> forms.PasswordInput:
    return forms.PasswordInput(attrs={**INPUT, "autocomplete": autocomplete})


# --- phone verification kept in the session ------------------------------------------


def remember_verification(request: HttpRequest, purpose: str, verification) -> None:
    stored = dict(request.session.get(_SESSION_KEY, {}))
    stored[purpose] = verification.pk
    request.session[_SESSION_KEY] = stored


def session_verification(request: HttpRequest, purpose: str) -> PhoneVerification | None:
    pk = request.session.get(_SESSION_KEY, {}).get(purpose)
    if pk is None:
        return None
    return PhoneVerification.objects.filter(pk=pk, purpose=purpose).first()


def forget_verification(request: HttpRequest, purpose: str) -> None:
    stored = dict(request.session.get(_SESSION_KEY, {}))
    if stored.pop(purpose, None) is not None:
        request.session[_SESSION_KEY] = stored


def apply_domain_errors(
    form: forms.Form, exc: ValidationError, mapping: dict[str, str] | None = None
) -> None:
    """Put a domain ValidationError's messages on the form's fields."""
    mapping = mapping or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.message_dict.items():
        field = mapping.get(key, key)
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


# --- fields ----------------------------------------------------------------------------


class PhoneField(forms.CharField):
    """A Korean mobile number, typed any way, cleaned to digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    **INPUT,
                    "inputmode": "tel",
                    "autocomplete": "tel",
                    "placeholder": "010-1234-5678",
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return normalize_phone(value)
        except VerificationError as exc:
            raise ValidationError(exc.message, code="invalid_phone") from exc


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 6)
        kwargs.setdefault("label", _("인증번호"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    **INPUT,
                    "inputmode": "numeric",
                    "autocomplete": "one-time-code",
                    "maxlength": "6",
                }
            ),
        )
        super().__init__(**kwargs)


class VerifiedPhoneMixin:
    """A form with ``phone`` and ``code`` whose phone is proved by an SMS code.

    ``clean_verification`` leaves the verification to act on in
    ``cleaned_data["verification_id"]``: a verification started in this session for
    this phone and confirmed (now, with the typed code, or earlier through htmx).
    """

    purpose: str = ""
    verification_required_always = False

    def __init__(self, *args, request: HttpRequest, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    @property
    def verification_required(self) -> bool:
        return self.verification_required_always or settings.KIUM_REQUIRE_PHONE_VERIFICATION

    def clean(self):
        data = super().clean()
        self.clean_verification()
        return data

    def clean_verification(self) -> None:
        data = self.cleaned_data
        phone, code = data.get("phone"), (data.get("code") or "").strip()
        data["verification_id"] = None
        if not phone:
            return
        verification = session_verification(self.request, self.purpose)
        if verification is None or verification.phone != phone:
            if self.verification_required:
                self.add_error("code", _("휴대폰 본인인증을 완료해 주세요. (인증번호 받기)"))
            return
        if verification.verified_at is None:
            if not code:
                if self.verification_required:
                    self.add_error("code", _("문자로 받은 인증번호를 입력해 주세요."))
                return
            try:
                confirm_code(verification_id=verification.pk, phone=phone, code=code)
            except VerificationError as exc:
                self.add_error("code", exc.message)
                return
        data["verification_id"] = verification.pk


class NewAccountMixin:
    """Username and phone checked up front, so every problem shows in one go."""

    account_kind = ""

    def clean_username(self):
        from kium.accounts.domain.signup import username_error

        username = self.cleaned_data["username"].strip()
        if message := username_error(username):
            raise ValidationError(message, code="username")
        return username

    def clean_phone(self):
        from kium.accounts.domain.signup import phone_in_use

        phone = self.cleaned_data["phone"]
        if phone and phone_in_use(phone=phone, kind=self.account_kind):
            raise ValidationError(_("이미 가입된 휴대전화번호입니다."), code="phone_in_use")
        return phone


class PasswordPairMixin:
    """Two password boxes: the deck's mismatch message, then the password rule."""

    password_field = "password1"
    confirm_field = "password2"

    def password_probe_user(self):
        return None

    def clean_password_pair(self) -> None:
        password = self.cleaned_data.get(self.password_field)
        confirm = self.cleaned_data.get(self.confirm_field)
        if password and confirm and password != confirm:
            self.add_error(self.confirm_field, PASSWORD_MISMATCH)
            return
        if password:
            try:
                validate_password(password, user=self.password_probe_user())
            except ValidationError as exc:
                self.add_error(self.password_field, exc)


def _password_fields(label: str = _("비밀번호"), confirm_label: str = _("비밀번호 확인")):
    return (
        forms.CharField(
            label=label,
            max_length=128,
            strip=False,
            help_text=_(PASSWORD_RULE),
            widget=_password_widget("new-password"),
        ),
        forms.CharField(
            label=confirm_label,
            max_length=128,
            strip=False,
            widget=_password_widget("new-password"),
        ),
    )


# --- staff ---------------------------------------------------------------------------


class StaffSignupForm(VerifiedPhoneMixin, NewAccountMixin, PasswordPairMixin, forms.Form):
    purpose = "staff_signup"
    account_kind = "staff"

    duty = forms.ChoiceField(
        label=_("담당업무"),
        choices=[("", _("선택")), *Duty.choices],
        widget=forms.Select(attrs=SELECT),
    )
    jurisdiction = forms.ChoiceField(
        label=_("담당관할"),
        choices=[
            ("", _("선택")),
            (ScopeLevel.CITY.value, _("서울시")),
            (ScopeLevel.DISTRICT.value, _("자치구")),
        ],
        widget=forms.Select(attrs=SELECT),
    )
    district = forms.ModelChoiceField(
        label=_("담당지역"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("자치구 선택"),
        help_text=_("담당관할이 자치구이면 필수입니다."),
        widget=forms.Select(attrs=SELECT),
    )
    name = forms.CharField(label=_("이름"), max_length=50, widget=_text(autocomplete="name"))
    phone = PhoneField(label=_("휴대전화번호"))
    code = CodeField()
    username = forms.CharField(
        label=_("아이디"),
        max_length=20,
        help_text=_("영문으로 시작하는 영문·숫자 4~20자"),
        widget=_text(autocomplete="username"),
    )
    password1, password2 = _password_fields()
    office_phone = forms.CharField(
        label=_("전화번호"),
        max_length=20,
        help_text=_("사무실 전화번호 (예: 02-2133-4947)"),
        widget=_text(inputmode="tel"),
    )
    email = forms.EmailField(
        label=_("이메일"),
        required=False,
        widget=forms.EmailInput(attrs={**INPUT, "autocomplete": "email"}),
    )

    def password_probe_user(self):
        from kium.accounts.models import User

        data = self.cleaned_data
        return User(
            username=data.get("username", ""),
            name=data.get("name", ""),
            email=data.get("email", ""),
        )

    def clean(self):
        data = super().clean()
        if data.get("jurisdiction") == ScopeLevel.DISTRICT and not data.get("district"):
            self.add_error("district", _("담당지역(자치구)을 선택해 주세요."))
        self.clean_password_pair()
        return data


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("아이디"), max_length=150, widget=_text(autocomplete="username", autofocus=True)
    )
    password = forms.CharField(
        label=_("비밀번호"),
        max_length=128,
        strip=False,
        widget=_password_widget("current-password"),
    )


class PasswordChangeForm(PasswordPairMixin, forms.Form):
    old_password = forms.CharField(
        label=_("현재 비밀번호"), strip=False, widget=_password_widget("current-password")
    )
    password1, password2 = _password_fields(_("새 비밀번호"), _("새 비밀번호 확인"))

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def password_probe_user(self):
        return self.user

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise ValidationError(_("현재 비밀번호가 올바르지 않습니다."), code="wrong_password")
        return value

    def clean(self):
        data = super().clean()
        self.clean_password_pair()
        new = data.get("password1")
        if new and new == data.get("old_password"):
            self.add_error("password1", _("현재 비밀번호와 다른 비밀번호를 입력해 주세요."))
        return data


class SetPasswordForm(PasswordPairMixin, forms.Form):
    password1, password2 = _password_fields(_("새 비밀번호"), _("새 비밀번호 확인"))

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def password_probe_user(self):
        return self.user

    def clean(self):
        data = super().clean()
        self.clean_password_pair()
        return data


class IdentityForm(VerifiedPhoneMixin, forms.Form):
    """아이디 + 휴대전화번호 + 인증번호: for password reset and unlocking."""

    verification_required_always = True

    username = forms.CharField(
        label=_("아이디"), max_length=150, widget=_text(autocomplete="username")
    )
    phone = PhoneField(label=_("휴대전화번호"))
    code = CodeField()

    def __init__(self, *args, purpose: str, **kwargs):
        self.purpose = purpose
        super().__init__(*args, **kwargs)


class FindIdForm(VerifiedPhoneMixin, forms.Form):
    purpose = "find_id"
    verification_required_always = True

    name = forms.CharField(label=_("이름"), max_length=50, widget=_text(autocomplete="name"))
    phone = PhoneField(label=_("휴대전화번호"))
    code = CodeField()


# --- guardians -------------------------------------------------------------------------


class GuardianSignupForm(VerifiedPhoneMixin, NewAccountMixin, PasswordPairMixin, forms.Form):
    purpose = "signup"
    account_kind = "guardian"

    username = forms.CharField(
        label=_("아이디"),
        max_length=20,
        help_text=_("영문으로 시작하는 영문·숫자 4~20자"),
        widget=_text(autocomplete="username"),
    )
    password1, password2 = _password_fields()
    name = forms.CharField(label=_("이름"), max_length=50, widget=_text(autocomplete="name"))
    phone = PhoneField(label=_("휴대전화번호"))
    code = CodeField()
    email = forms.EmailField(
        label=_("이메일"),
        required=False,
        widget=forms.EmailInput(attrs={**INPUT, "autocomplete": "email"}),
    )
    terms_consent = forms.BooleanField(
        label=_("이용약관에 동의합니다. (필수)"),
        error_messages={"required": _("이용약관에 동의해 주세요.")},
    )
    privacy_consent = forms.BooleanField(
        label=_("개인정보 수집·이용에 동의합니다. (필수)"),
        error_messages={"required": _("개인정보 수집·이용에 동의해 주세요.")},
    )
    sms_consent = forms.BooleanField(
        label=_("문자(SMS·알림톡) 수신에 동의합니다. (선택)"), required=False
    )

    def password_probe_user(self):
        from kium.accounts.models import User

        data = self.cleaned_data
        return User(
            username=data.get("username", ""),
            name=data.get("name", ""),
            email=data.get("email", ""),
        )

    def clean(self):
        data = super().clean()
        self.clean_password_pair()
        return data


class GuardianProfileForm(forms.Form):
    name = forms.CharField(label=_("이름"), max_length=50, widget=_text(autocomplete="name"))
    email = forms.EmailField(
        label=_("이메일"),
        required=False,
        widget=forms.EmailInput(attrs={**INPUT, "autocomplete": "email"}),
    )
    sms_consent = forms.BooleanField(
        label=_("문자(SMS·알림톡) 수신에 동의합니다. (선택)"), required=False
    )


class ChildForm(forms.Form):
    name = forms.CharField(label=_("아동 이름"), max_length=50, widget=_text())
    birth_date = forms.DateField(
        label=_("생년월일"),
        widget=forms.DateInput(attrs={**INPUT, "type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("생년월일을 YYYY-MM-DD 형식으로 입력해 주세요.")},
    )
    sex = forms.ChoiceField(label=_("성별"), choices=Sex.choices, widget=forms.RadioSelect)
    school = forms.CharField(label=_("학교"), max_length=100, required=False, widget=_text())
    grade = forms.TypedChoiceField(
        label=_("학년"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("선택 안 함"))]
        + [(str(g), _("%(g)s학년") % {"g": g}) for g in range(1, 7)],
        widget=forms.Select(attrs=SELECT),
    )
    health_notes = forms.CharField(
        label=_("건강·알레르기 특이사항"),
        required=False,
        max_length=1000,
        help_text=_("적으려면 아래 민감정보 수집·이용에 동의해야 합니다."),
        widget=forms.Textarea(attrs={**INPUT, "rows": 3}),
    )
    sensitive_consent = forms.BooleanField(
        label=_("건강·알레르기 정보(민감정보) 수집·이용에 동의합니다. (선택)"), required=False
    )
    guardian_consent = forms.BooleanField(
        label=_("법정대리인(보호자)으로서 아동의 개인정보 수집·이용에 동의합니다. (필수)"),
        error_messages={
            "required": _("아동의 개인정보 수집·이용에 대한 법정대리인 동의가 필요합니다.")
        },
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # The consent was recorded at registration; editing does not ask again.
            del self.fields["guardian_consent"]

    def clean(self):
        data = super().clean()
        if data.get("health_notes", "").strip() and not data.get("sensitive_consent"):
            self.add_error(
                "sensitive_consent",
                _("건강·알레르기 정보를 적으려면 민감정보 수집·이용에 동의해 주세요."),
            )
        return data


def send_verification_code(request: HttpRequest, *, purpose: str, phone: str):
    """Start a verification for this session; raises VerificationError (Korean message)."""
    from kium.accounts.domain.verification import start_verification
    from kium.core.net import client_ip

    verification = start_verification(phone=phone, purpose=purpose, ip=client_ip(request))
    remember_verification(request, purpose, verification)
    return verification
