"""Forms of 출결관리 and RF카드관리. They read and validate; the attendance domain
functions decide and write. Facility and child choices always come from the user's scope.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kium.attendance.domain.queries import children_at
from kium.attendance.enums import TapEvent
from kium.orgs.domain.scope import facilities_for_user
from kium.orgs.forms import KiumForm, MonthField, date_field


class FacilityField(forms.ModelChoiceField):
    """A facility in the user's scope, named in the URL by its code (?facility=NWUK016)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("시설"))
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("empty_label", _("--선택--"))
        super().__init__(**kwargs)
        self.error_messages["invalid_choice"] = _(
            "선택할 수 없는 시설입니다. 목록에서 골라 주세요."
        )
        self.error_messages["required"] = _("시설을 선택해 주세요.")

    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.code})"


def scoped_facilities(user):
    return facilities_for_user(user).order_by("name", "code")


class FacilityForm(KiumForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"facility": FacilityField(queryset=scoped_facilities(user)), **self.fields}
        self.fields["facility"].widget.attrs["class"] = "krds-form-select"


class DayForm(FacilityForm):
    date = date_field(_("일자"), required=True)


class MonthForm(FacilityForm):
    month = MonthField(label=_("조회 월 (YYYY-MM)"))


class ReaderForm(KiumForm):
    name = forms.CharField(
        label=_("리더기 이름"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("예: 1층 정문")}),
    )


def uid_field(label=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("카드번호"),
        max_length=64,
        help_text=_("카드 뒷면 또는 리더기에 표시된 번호 (예: 04A2241B)"),
    )


def reason_field(label=None) -> forms.CharField:
    return forms.CharField(label=label or _("사유"), max_length=200)


class CardForm(KiumForm):
    child = forms.ModelChoiceField(label=_("아동"), queryset=None, empty_label=_("--선택--"))
    card_uid = uid_field()

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children_at(facility).select_related("guardian")
        self.fields["child"].label_from_instance = lambda c: f"{c.name} ({c.birth_date:%Y.%m.%d})"
        self.fields["child"].error_messages["invalid_choice"] = _("목록에서 아동을 골라 주세요.")


class ReplaceForm(KiumForm):
    card_uid = uid_field(_("새 카드번호"))
    reason = reason_field(_("교체 사유"))


class RetireForm(KiumForm):
    reason = reason_field(_("회수 사유"))


class ChildPickForm(KiumForm):
    """A child of the day's sheet (the choices are the sheet's children)."""

    child = forms.TypedChoiceField(label=_("아동"), coerce=int)

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [("", _("--선택--"))] + [(c.pk, c.name) for c in children]
        self.fields["child"].error_messages["invalid_choice"] = _("목록에서 아동을 골라 주세요.")


class ManualForm(ChildPickForm):
    event = forms.ChoiceField(label=_("구분"), choices=TapEvent.choices)
    time = forms.TimeField(
        label=_("시각"),
        input_formats=["%H:%M"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("시각을 HH:MM 형식으로 입력해 주세요.")},
    )
    reason = reason_field(_("수동 처리 사유"))


class AbsentForm(ChildPickForm):
    reason = reason_field(_("결석 사유"))


class VoidForm(KiumForm):
    reason = reason_field(_("정정 사유"))
