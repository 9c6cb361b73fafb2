"""Forms of the quarter, closed-day and operating-period screens. They validate input;
the domain functions decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kium.centres.enums import Term
from kium.centres.models import Quarter
from kium.orgs.forms import KiumForm, date_field

TIME_ERRORS = {"invalid": _("시간을 HH:MM 형식으로 입력해 주세요.")}


def time_field(label, required: bool = True) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        input_formats=["%H:%M", "%H:%M:%S", "%H%M"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages=TIME_ERRORS,
    )


class QuarterForm(KiumForm):
    year = forms.IntegerField(
        label=_("연도"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("연도를 숫자로 입력해 주세요."),
            "min_value": _("연도를 확인해 주세요."),
            "max_value": _("연도를 확인해 주세요."),
        },
    )
    term = forms.ChoiceField(label=_("구분"), choices=[("", _("--선택--")), *Term.choices])
    start = date_field(_("시작일"), required=True)
    end = date_field(_("종료일"), required=True)


class QuarterDatesForm(KiumForm):
    start = date_field(_("시작일"), required=True)
    end = date_field(_("종료일"), required=True)


class ClosedDayForm(KiumForm):
    date = date_field(_("휴무일"), required=True)
    reason = forms.CharField(label=_("사유"), max_length=100)


class OperatingPeriodForm(KiumForm):
    quarter = forms.ModelChoiceField(
        label=_("분기"),
        queryset=Quarter.objects.none(),
        empty_label=_("--선택--"),
        error_messages={"invalid_choice": _("분기를 다시 선택해 주세요.")},
    )
    start = date_field(_("운영 시작일"), required=True)
    end = date_field(_("운영 종료일"), required=True)
    open_time = time_field(_("평일 시작시간"))
    close_time = time_field(_("평일 종료시간"))
    saturday_open_time = time_field(_("토요일 시작시간"), required=False)
    saturday_close_time = time_field(_("토요일 종료시간"), required=False)

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].queryset = quarters

    def clean(self):
        data = super().clean()
        sat_open, sat_close = data.get("saturday_open_time"), data.get("saturday_close_time")
        if (sat_open is None) != (sat_close is None):
            missing = "saturday_close_time" if sat_close is None else "saturday_open_time"
            if missing not in self.errors:
                self.add_error(
                    missing, _("토요일 운영 시 시작시간과 종료시간을 모두 입력해 주세요.")
                )
        return data

    def saturday_hours(self):
        data = self.cleaned_data
        if data.get("saturday_open_time") is None:
            return None
        return (data["saturday_open_time"], data["saturday_close_time"])
