"""The facility profile screen's forms (FAC-2): 소개 정보 and photos.

They validate what was typed; ``kium.centres.domain.profile`` / ``photos`` decide and
write (the domain checks the same rules again for the API).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kium.centres.domain.photos import ALT_TEXT_MAX, FORMATS
from kium.centres.domain.profile import DAILY_FEE_MAX, MONTHLY_FEE_MAX, hour_errors
from kium.centres.enums import MealSupport
from kium.centres.forms import time_field
from kium.orgs.forms import KiumForm

HOUR_FIELDS = (
    "term_open_time",
    "term_close_time",
    "vacation_open_time",
    "vacation_close_time",
    "saturday_open_time",
    "saturday_close_time",
)
SERVICE_FIELDS = ("morning_care", "night_care", "sick_child_care")


def fee_field(label, limit: int, too_much) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=limit,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
        error_messages={
            "invalid": _("숫자만 입력해 주세요."),
            "min_value": _("0 이상으로 입력해 주세요."),
            "max_value": too_much,
        },
    )


class FacilityProfileForm(KiumForm):
    introduction = forms.CharField(
        label=_("시설 소개"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("보호자에게 보이는 소개글입니다. 4,000자까지 쓸 수 있습니다."),
    )
    term_open_time = time_field(_("학기중 시작시간"), required=False)
    term_close_time = time_field(_("학기중 종료시간"), required=False)
    vacation_open_time = time_field(_("방학중 시작시간"), required=False)
    vacation_close_time = time_field(_("방학중 종료시간"), required=False)
    saturday_open_time = time_field(_("토요일 시작시간"), required=False)
    saturday_close_time = time_field(_("토요일 종료시간"), required=False)
    meal_support = forms.ChoiceField(
        label=_("급식·간식 지원"),
        choices=MealSupport.choices,
        initial=MealSupport.NONE,
        error_messages={"invalid_choice": _("급식·간식 지원을 목록에서 골라 주세요.")},
    )
    monthly_fee = fee_field(
        _("정기돌봄 월 이용료(원)"), MONTHLY_FEE_MAX, _("10,000,000원 이하로 입력해 주세요.")
    )
    daily_fee = fee_field(
        _("일시돌봄 1일 이용료(원)"), DAILY_FEE_MAX, _("1,000,000원 이하로 입력해 주세요.")
    )
    fee_note = forms.CharField(
        label=_("이용료 안내"),
        max_length=300,
        required=False,
        help_text=_("예: 간식비 별도, 다자녀 감면"),
    )
    morning_care = forms.BooleanField(label=_("아침돌봄"), required=False)
    night_care = forms.BooleanField(label=_("야간돌봄"), required=False)
    sick_child_care = forms.BooleanField(label=_("아픈아이 돌봄"), required=False)
    temporary_review = forms.BooleanField(
        label=_("일시돌봄 예약 승인제"),
        required=False,
        help_text=_("켜면 일시돌봄 예약이 바로 확정되지 않고 센터가 승인한 뒤 확정됩니다."),
    )

    def __init__(self, *args, profile=None, **kwargs):
        if profile is not None:
            kwargs.setdefault(
                "initial", {name: getattr(profile, name) for name in self.base_fields}
            )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        for field, message in hour_errors(data):
            pair = field.rsplit("_", 2)[0]
            if f"{pair}_open_time" in self.errors or f"{pair}_close_time" in self.errors:
                continue  # the format error is already shown
            self.add_error(field, message)
        return data

    def hours(self):
        """The three hour pairs as (legend, open field, close field) for the template."""
        return [
            (_("학기중"), self["term_open_time"], self["term_close_time"]),
            (_("방학중"), self["vacation_open_time"], self["vacation_close_time"]),
            (_("토요일"), self["saturday_open_time"], self["saturday_close_time"]),
        ]

    def services(self):
        return [self[name] for name in SERVICE_FIELDS]


class PhotoForm(KiumForm):
    """One photo and its text alternative. The file itself is checked by the domain."""

    image = forms.FileField(
        label=_("사진 파일"),
        widget=forms.FileInput(
            attrs={"accept": ",".join(content_type for content_type, _ext in FORMATS.values())}
        ),
        error_messages={
            "required": _("올릴 사진 파일을 선택해 주세요."),
            "empty": _("빈 파일입니다. 사진 파일을 다시 선택해 주세요."),
            "invalid": _("사진 파일을 다시 선택해 주세요."),
        },
    )
    alt_text = forms.CharField(
        label=_("사진 설명(대체텍스트)"),
        max_length=ALT_TEXT_MAX,
        help_text=_("사진을 볼 수 없는 분께 읽어 줄 설명입니다. 예: 햇빛이 드는 놀이방"),
        error_messages={"required": _("사진 설명(대체텍스트)을 입력해 주세요.")},
    )
