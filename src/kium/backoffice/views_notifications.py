"""홈페이지관리 > 알림 관리 > 알림톡 관리 (NTF-1): the send history with status per
message, filters, resend and the delivery rate per day; and the templates per event
(text, approved 알림톡 code, preview, 사용/중지). City staff only, like the history."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kium.backoffice.decorators import backoffice_view, forbidden
from kium.backoffice.views_common import nav, paginate
from kium.core.audit import record_access
from kium.notifications.domain import history, templates, texts
from kium.notifications.models import Channel, OutboxStatus
from kium.orgs.forms import KiumForm, date_field

MENU = "homepage.alimtalk"
# The templates: their own menu item, or the history's (roles granted before it existed).
TEMPLATES_MENU = ("homepage.alimtalk_templates", MENU)


class HistoryFilterForm(KiumForm):
    date_from = date_field(gettext_lazy("기간 시작일"))
    date_to = date_field(gettext_lazy("기간 종료일"))
    event = forms.CharField(label=gettext_lazy("이벤트"), required=False, max_length=80)
    status = forms.ChoiceField(
        label=gettext_lazy("상태"),
        required=False,
        choices=[("", gettext_lazy("전체")), *OutboxStatus.choices],
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("채널"),
        required=False,
        choices=[("", gettext_lazy("전체")), *Channel.choices],
    )
    phone = forms.CharField(label=gettext_lazy("휴대전화번호"), required=False, max_length=20)


@backoffice_view(MENU)
def send_history(request):
    if not history.can_read(request.user):
        return forbidden(request, _("발송 이력은 서울시 담당자만 볼 수 있습니다."))
    form = HistoryFilterForm(request.GET or None)
    rows = history.messages_for_user(request.user)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        data = form.cleaned_data
        rows = history.filter_messages(
            rows,
            event=data["event"],
            status=data["status"],
            channel=data["channel"],
            phone=data["phone"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    paged = paginate(request, rows, default=20)
    record_access(
        actor=request.user,
        action="notification.history",
        subject=request.user,
        reason=_("발송 이력 %(n)d건 조회") % {"n": len(paged["page_obj"].object_list)},
    )
    context = {
        "form": form,
        "rates": history.delivery_rates(history.messages_for_user(request.user)),
        **paged,
        **nav(request, MENU),
    }
    return render(request, "backoffice/notifications/history.html", context, status=status)


@backoffice_view(MENU)
@require_POST
def resend(request, pk: int):
    message = get_object_or_404(history.messages_for_user(request.user), pk=pk)
    try:
        history.resend(actor=request.user, message=message)
    except history.HistoryError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("메시지를 다시 보내도록 했습니다."))
    return redirect("backoffice:notification_history")


# --- 알림톡 템플릿 관리 ------------------------------------------------------------------


class TemplateForm(KiumForm):
    body = forms.CharField(
        label=gettext_lazy("내용"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "변수는 {변수명}처럼 적습니다. 비워 두면 기본 문구로 보냅니다. "
            "카카오에서 승인받은 문구와 글자 하나까지 같아야 합니다."
        ),
    )
    code = forms.CharField(
        label=gettext_lazy("알림톡 템플릿 코드"),
        required=False,
        help_text=gettext_lazy("카카오 검수를 통과한 템플릿의 코드(templateId)입니다."),
    )
    enabled = forms.BooleanField(label=gettext_lazy("사용"), required=False)


def _template_guard(request):
    if not templates.can_manage(request.user):
        return forbidden(request, _("알림톡 템플릿은 서울시 담당자만 관리할 수 있습니다."))
    return None


def _status_or_404(event: str) -> templates.TemplateStatus:
    try:
        return templates.template_status(event)
    except templates.TemplateError as exc:
        raise Http404(exc.message) from exc


def _apply_template_error(form, exc: templates.TemplateError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@backoffice_view(TEMPLATES_MENU)
def template_list(request):
    if (denied := _template_guard(request)) is not None:
        return denied
    context = {"statuses": templates.template_statuses(), **nav(request, TEMPLATES_MENU[0])}
    return render(request, "backoffice/notifications/templates.html", context)


@backoffice_view(TEMPLATES_MENU)
def template_edit(request, event: str):
    """수정 with 미리보기: preview renders the form's body with sample values, saves nothing.

    Without JavaScript 미리보기 posts the whole form and the page comes back with the
    preview; with htmx only the preview panel is swapped.
    """
    if (denied := _template_guard(request)) is not None:
        return denied
    status = _status_or_404(event)
    initial = {"body": status.body, "code": status.code, "enabled": status.enabled}
    if status.code_is_setting:
        initial["code"] = ""
    form = TemplateForm(request.POST or None, initial=initial)
    is_preview = request.method == "POST" and request.POST.get("action") == "preview"
    preview_text, preview_body, http_status = None, status.body, 200
    if request.method == "POST":
        if not form.is_valid():
            http_status = 400
        elif is_preview:
            preview_body = form.cleaned_data["body"]
            try:
                preview_text = templates.preview(event, preview_body)
            except templates.TemplateError as exc:
                _apply_template_error(form, exc)
                http_status = 400
        else:
            try:
                templates.save_template(actor=request.user, event=event, **form.cleaned_data)
            except templates.TemplateError as exc:
                _apply_template_error(form, exc)
                http_status = 400
            else:
                messages.success(
                    request,
                    _("‘%(label)s’ 알림 템플릿을 저장했습니다.") % {"label": status.spec.label},
                )
                return redirect("backoffice:notification_template_edit", event=event)
    if not is_preview:
        preview_text = templates.preview(event)  # what is sent now
    context = {
        "status": status,
        "spec": status.spec,
        "form": form,
        "preview_text": preview_text,
        "is_preview": is_preview,
        "kakao_text": texts.kakao_text(preview_body or status.spec.default),
        **nav(request, TEMPLATES_MENU[0]),
    }
    if request.htmx and is_preview:
        # htmx swaps only 2xx answers: the panel carries the errors itself.
        return render(request, "backoffice/notifications/_template_preview.html", context)
    return render(
        request, "backoffice/notifications/template_edit.html", context, status=http_status
    )


@backoffice_view(TEMPLATES_MENU)
@require_POST
def template_toggle(request, event: str):
    if (denied := _template_guard(request)) is not None:
        return denied
    status = _status_or_404(event)
    enabled = request.POST.get("enabled") == "1"
    templates.set_enabled(actor=request.user, event=event, enabled=enabled)
    if enabled:
        messages.success(
            request, _("‘%(label)s’ 알림을 다시 보냅니다.") % {"label": status.spec.label}
        )
    else:
        messages.success(
            request, _("‘%(label)s’ 알림을 보내지 않도록 했습니다.") % {"label": status.spec.label}
        )
    # Only two places to go back to: no caller-supplied address (no open redirect).
    if request.POST.get("back") == "edit":
        return redirect("backoffice:notification_template_edit", event=event)
    return redirect("backoffice:notification_templates")


@backoffice_view(TEMPLATES_MENU)
@require_POST
def template_reset(request, event: str):
    if (denied := _template_guard(request)) is not None:
        return denied
    status = _status_or_404(event)
    if status.customised:
        templates.reset_template(actor=request.user, event=event)
        messages.success(request, _("기본 문구로 되돌렸습니다."))
    else:
        messages.info(request, _("이미 기본 문구를 쓰고 있습니다."))
    return redirect("backoffice:notification_template_edit", event=event)
