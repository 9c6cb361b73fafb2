"""알림 수신 설정 (NTF-1): a guardian chooses 알림톡 / 문자 / 이메일 and gives or
withdraws SMS consent. HTTP only: the rules are kium.notifications.domain.preferences.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kium.accounts.forms import apply_domain_errors
from kium.notifications.domain.preferences import preferences_of, save_preferences
from kium.public.views_account import guardian_required


class NotificationPreferenceForm(forms.Form):
    alimtalk = forms.BooleanField(label=gettext_lazy("알림톡(카카오톡)"), required=False)
    sms = forms.BooleanField(
        label=gettext_lazy("문자(SMS)"),
        required=False,
        help_text=gettext_lazy("문자로 받으려면 아래 문자 수신에 동의해 주세요."),
    )
    email = forms.BooleanField(label=gettext_lazy("이메일"), required=False)
    sms_consent = forms.BooleanField(
        label=gettext_lazy(
            "문자 수신에 동의합니다. 예약·대기·등하원 알림을 휴대전화 문자(SMS·LMS)로 받으며, "
            "알림톡이 전달되지 않을 때에도 문자로 받습니다. (선택)"
        ),
        required=False,
    )

    def __init__(self, *args, has_email: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_email:
            self.fields["email"].help_text = _(
                "회원정보에 이메일 주소를 등록하면 이메일로도 받을 수 있습니다."
            )


@guardian_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    current = preferences_of(user)
    initial = {
        "alimtalk": current.alimtalk,
        "sms": current.sms,
        "email": current.email,
        "sms_consent": current.sms_consent,
    }
    data = request.POST if request.method == "POST" else None
    form = NotificationPreferenceForm(data, initial=initial, has_email=bool(user.email))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = save_preferences(user=user, **form.cleaned_data)
            except ValidationError as exc:
                apply_domain_errors(form, exc)
            else:
                if not result.changed:
                    messages.info(request, _("바뀐 내용이 없습니다."))
                else:
                    messages.success(request, _("알림 수신 설정이 저장되었습니다."))
                if result.sms_turned_off:
                    messages.warning(
                        request, _("문자 수신 동의를 철회하여 문자(SMS) 수신도 해제되었습니다.")
                    )
                return redirect("public:account_notifications")
        status = 400
    context = {"form": form, "preferences": current}
    return render(request, "public/account/notifications.html", context, status=status)
