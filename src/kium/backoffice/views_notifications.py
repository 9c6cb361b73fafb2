"""홈페이지관리 > 알림 관리 > 알림톡 관리: the send history with status per message,
filters, resend, and the delivery rate per day (NTF-1)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kium.backoffice.decorators import backoffice_view, forbidden
from kium.backoffice.views_common import nav, paginate
from kium.core.audit import record_access
from kium.notifications.domain import history
from kium.notifications.models import Channel, OutboxStatus
from kium.orgs.forms import KiumForm, date_field

MENU = "homepage.alimtalk"


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
