"""The guardian's reservation forms on the portal (RES-1…10): the three steps of 예약하기
and the forms of 내 예약 (documents, consents).

The forms check what was typed; the booking functions re-check every rule and their
``ReservationError`` is put back next to the field it names (``apply_reservation_error``).
Every value a step keeps in the session draft goes through ``draft_values`` so the draft
stays JSON (strings and booleans only).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kium.accounts.forms import PhoneField
from kium.reservations.domain import documents
from kium.reservations.domain.errors import ReservationError
from kium.reservations.enums import CareType, DocumentKind

INPUT = {"class": "krds-input"}
SELECT = {"class": "krds-form-select"}
DATE_FORMAT = "%Y-%m-%d"
TIME_FORMAT = "%H:%M"

WEEKDAY_NAMES = (
    pgettext_lazy("weekday", "월"),
    pgettext_lazy("weekday", "화"),
    pgettext_lazy("weekday", "수"),
    pgettext_lazy("weekday", "목"),
    pgettext_lazy("weekday", "금"),
    pgettext_lazy("weekday", "토"),
    pgettext_lazy("weekday", "일"),
)
# Centres never open on Sundays (centres.domain.queries.operating_days).
WEEKDAY_CHOICES = [(str(day), WEEKDAY_NAMES[day]) for day in range(6)]

CARE_TYPE_HELP = {
    CareType.TEMPORARY: _("2주 안의 하루를 골라 이용합니다. 자리가 있으면 바로 확정됩니다."),
    CareType.SICK: _("아픈 아이를 간호사가 돌보고 필요하면 병원에 동행합니다."),
    CareType.REGULAR: _("30일 이상 정해진 요일과 시간에 이용합니다. 센터가 검토 후 승인합니다."),
}

PRIVACY_TEXT = _(
    "수집 항목: 보호자 이름·연락처, 아동 이름·생년월일·성별·학교·학년, "
    "가정 상황(맞벌이·한부모·다자녀·공동주택 입주 여부). "
    "이용 목적: 돌봄 신청의 접수·심사, 이용 안내와 출결 관리, 긴급 연락. "
    "보유 기간: 이용 종료 후 3년. 동의하지 않으면 온라인으로 신청할 수 없으며, 센터를 방문해 "
    "서면으로 신청할 수 있습니다."
)
PICKUP_TEXT = _(
    "등하원: 아동이 센터에 오고 가는 방법과 귀가 시 인계받을 사람을 센터와 정합니다. "
    "응급처치: 아동이 다치거나 아플 때 센터가 응급처치를 하고 119 신고와 병원 이송을 할 수 "
    "있으며, 보호자에게 곧바로 연락합니다. 귀가: 정해진 시간과 방법으로만 귀가시키며, 바뀌면 "
    "보호자가 미리 센터에 알립니다. 지금 동의하지 않아도 이용 전까지 내 예약에서 동의하거나 "
    "센터에 서면으로 낼 수 있습니다."
)


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={**INPUT, "type": "date"}, format=DATE_FORMAT)


def _time_widget() -> forms.TimeInput:
    # A text box, not type=time: browsers show type=time in 12 hours (오후 01:00) in Korean,
    # and the portal writes times in 24 hours.
    return forms.TimeInput(
        attrs={
            **INPUT,
            "inputmode": "numeric",
            "placeholder": "13:00",
            "maxlength": "5",
            "pattern": "[0-2][0-9]:[0-5][0-9]",
            "autocomplete": "off",
        },
        format=TIME_FORMAT,
    )


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=[DATE_FORMAT, "%Y.%m.%d"],
        widget=_date_widget(),
        error_messages={
            "required": _("날짜를 입력해 주세요."),
            "invalid": _("날짜를 2026-11-24 형식으로 입력해 주세요."),
        },
        **kwargs,
    )


def _time_field(label, **kwargs) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=[TIME_FORMAT, "%H%M", "%H.%M"],
        widget=_time_widget(),
        error_messages={
            "required": _("시간을 입력해 주세요."),
            "invalid": _("시간을 13:00 형식(24시간)으로 입력해 주세요."),
        },
        **kwargs,
    )


def draft_values(cleaned: dict) -> dict:
    """Cleaned form values as the session keeps them (JSON: strings and booleans)."""
    values: dict = {}
    for name, value in cleaned.items():
        if isinstance(value, dt.date):
            values[name] = value.strftime(DATE_FORMAT)
        elif isinstance(value, dt.time):
            values[name] = value.strftime(TIME_FORMAT)
        elif isinstance(value, bool | str):
            values[name] = value
        elif isinstance(value, list | tuple):
            values[name] = [str(item) for item in value]
        elif value is None:
            values[name] = ""
        elif hasattr(value, "read"):
            continue  # uploads never go into the session
        else:
            values[name] = str(value)
    return values


def raw_values(form: forms.Form, data) -> dict:
    """What was typed, valid or not, for the fields of ``form`` (the "이전" button keeps it)."""
    values: dict = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        if isinstance(field, forms.BooleanField):
            values[name] = data.get(name) in ("on", "true", "1", "True")
        elif isinstance(field, forms.MultipleChoiceField):
            values[name] = [str(v) for v in data.getlist(name)][:10]
        else:
            values[name] = str(data.get(name, ""))[:500]
    return values


def apply_reservation_error(form: forms.Form, exc: ReservationError) -> None:
    """The domain's message next to the field it names, or at the top of the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


# --- step 1: child and care type ----------------------------------------------------------


class ChooseForm(forms.Form):
    child = forms.TypedChoiceField(
        label=_("이용할 자녀"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("이용할 자녀를 선택해 주세요."),
            "invalid_choice": _("등록된 자녀 중에서 선택해 주세요."),
        },
    )
    care_type = forms.ChoiceField(
        label=_("돌봄 유형"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("돌봄 유형을 선택해 주세요."),
            "invalid_choice": _("이 센터가 제공하는 돌봄 유형 중에서 선택해 주세요."),
        },
    )

    def __init__(self, *args, children=None, care_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        if children is None:
            # Not signed in yet: the child is chosen right after login.
            del self.fields["child"]
        else:
            self.fields["child"].choices = [
                (str(child.pk), _child_label(child)) for child in children
            ]
        self.fields["care_type"].choices = [
            (str(value), CareType(value).label) for value in care_types
        ]


def _child_label(child) -> str:
    if child.grade:
        return _("%(name)s (%(grade)s학년)") % {"name": child.name, "grade": child.grade}
    return f"{child.name} ({child.birth_date:%Y.%m.%d})"


# --- step 2: day and hours (일시돌봄, 아픈아이 돌봄) ----------------------------------------


class SingleDayForm(forms.Form):
    date = _date_field(_("이용일"))
    start_time = _time_field(
        _("시작시간"),
        required=False,
        help_text=_("24시간제로 적습니다(예: 13:00). 비워 두면 그날 운영시간 전체로 신청합니다."),
    )
    end_time = _time_field(_("종료시간"), required=False)
    symptoms = forms.CharField(
        label=_("증상"),
        max_length=500,
        widget=forms.Textarea(attrs={**INPUT, "rows": 3}),
        help_text=_("열, 기침, 복용 중인 약 등 간호사가 알아야 할 내용을 적어 주세요."),
        error_messages={"required": _("증상을 적어 주세요.")},
    )
    clinic_escort_consent = forms.BooleanField(
        label=_("필요하면 간호사가 병원·약국에 동행하는 데 동의합니다."), required=False
    )
    reachable_phone = PhoneField(
        label=_("연락 가능한 전화번호"),
        error_messages={"required": _("연락 가능한 전화번호를 적어 주세요.")},
    )

    def __init__(self, *args, sick: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not sick:
            for name in ("symptoms", "clinic_escort_consent", "reachable_phone"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if (start is None) != (end is None) and not self.has_error("start_time"):
            if not self.has_error("end_time"):
                self.add_error(
                    "start_time" if start is None else "end_time",
                    _("시작시간과 종료시간을 모두 입력하거나 모두 비워 주세요."),
                )
        elif start is not None and end is not None and start >= end:
            self.add_error("end_time", _("종료시간은 시작시간보다 뒤여야 합니다."))
        return data


# --- step 2: period, weekdays, hours and household (정기돌봄) ------------------------------


class RegularForm(forms.Form):
    start_date = _date_field(_("이용 시작일"))
    end_date = _date_field(
        _("이용 종료일"), help_text=_("30일 이상, 센터 운영기간 안에서 정합니다.")
    )
    weekdays = forms.MultipleChoiceField(
        label=_("이용 요일"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("이용 요일을 하나 이상 선택해 주세요."),
            "invalid_choice": _("월요일부터 토요일 중에서 선택해 주세요."),
        },
    )
    start_time = _time_field(_("시작시간"), help_text=_("24시간제로 적습니다(예: 13:00)."))
    end_time = _time_field(_("종료시간"))
    dual_earner = forms.BooleanField(label=_("맞벌이 가정"), required=False)
    single_parent = forms.BooleanField(label=_("한부모 가정"), required=False)
    many_children = forms.BooleanField(label=_("다자녀(3자녀 이상) 가정"), required=False)
    complex_resident = forms.BooleanField(label=_("공동주택 단지 입주민"), required=False)

    HOUSEHOLD = ("dual_earner", "single_parent", "many_children", "complex_resident")

    def __init__(self, *args, complex_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if complex_name:
            self.fields["complex_resident"].label = _("%(name)s 입주민") % {"name": complex_name}

    def household_fields(self):
        return [self[name] for name in self.HOUSEHOLD]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("종료일은 시작일과 같거나 그 뒤여야 합니다."))
        start_time, end_time = data.get("start_time"), data.get("end_time")
        if start_time and end_time and start_time >= end_time:
            self.add_error("end_time", _("종료시간은 시작시간보다 뒤여야 합니다."))
        return data


# --- step 3: consents, documents, submit --------------------------------------------------


class UploadField(forms.FileField):
    """RES-6 ④: PDF, JPG or PNG by content, within the size limit (documents.py rules)."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        if upload.size > documents.max_bytes():
            raise forms.ValidationError(
                _("파일은 %(mb)dMB 이하만 올릴 수 있습니다.")
                % {"mb": documents.max_bytes() // (1024 * 1024)}
            )
        head = upload.read(16)
        upload.seek(0)
        if documents.detect_type(head) is None:
            raise forms.ValidationError(_("PDF, JPG, PNG 파일만 올릴 수 있습니다."))
        return upload


def _upload_field(required: bool) -> UploadField:
    return UploadField(
        label=_("파일"),
        required=required,
        widget=forms.ClearableFileInput(
            attrs={**INPUT, "accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
        help_text=_("PDF, JPG, PNG 파일 하나(10MB 이하)."),
        error_messages={"required": _("파일을 선택해 주세요."), "empty": _("빈 파일입니다.")},
    )


class ConfirmForm(forms.Form):
    privacy = forms.BooleanField(
        label=_("② 개인정보 수집·이용에 동의합니다."),
        error_messages={
            "required": _("개인정보 수집·이용에 동의해야 온라인으로 신청할 수 있습니다.")
        },
    )
    pickup = forms.BooleanField(
        label=_("③ 등하원·응급처치·귀가에 동의합니다. (선택)"), required=False
    )
    document = _upload_field(required=False)
    note = forms.CharField(
        label=_("센터에 전할 말"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={**INPUT, "rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].label = _("④ 입소 구비서류 (선택)")
        self.fields["document"].help_text = _(
            "등본, 건강보험자격득실확인서 등. PDF, JPG, PNG 파일(10MB 이하). "
            "나중에 내 예약에서 올릴 수도 있습니다."
        )


# --- 내 예약: documents and consents after applying -----------------------------------------


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("서류 종류"),
        choices=DocumentKind.choices,
        initial=DocumentKind.ADMISSION,
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": _("서류 종류를 선택해 주세요.")},
    )
    file = _upload_field(required=True)


class ConsentsForm(forms.Form):
    privacy = forms.BooleanField(label=_("② 개인정보 수집·이용에 동의합니다."), required=False)
    pickup = forms.BooleanField(label=_("③ 등하원·응급처치·귀가에 동의합니다."), required=False)

    def __init__(self, *args, missing=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name, kind in (("privacy", DocumentKind.PRIVACY), ("pickup", DocumentKind.PICKUP)):
            if kind not in missing:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if self.fields and not any(data.get(name) for name in self.fields):
            self.add_error(None, _("동의할 항목을 하나 이상 선택해 주세요."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("취소 사유 (선택)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=INPUT),
    )
