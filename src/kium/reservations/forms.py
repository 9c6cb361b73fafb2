"""Forms of the back office's 예약관리 screens. They read and validate; the reservation
domain functions decide and write. Facility choices always come from the user's scope.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kium.accounts.domain.verification import VerificationError, normalize_phone
from kium.accounts.enums import Sex
from kium.centres.models import Quarter
from kium.orgs.domain.capacity import with_effective_capacity
from kium.orgs.domain.scope import facilities_for_user
from kium.orgs.enums import FacilityType
from kium.orgs.forms import KiumForm, MonthField, date_field
from kium.reservations.enums import CareType, DocumentKind, Exemption, PriorityRule, Status

ALL = ("", _("전체"))
WEEKDAY_CHOICES = [
    (0, _("월")),
    (1, _("화")),
    (2, _("수")),
    (3, _("목")),
    (4, _("금")),
    (5, _("토")),
]


class FacilityChoiceField(forms.ModelChoiceField):
    """A facility in the user's scope, named in the URL by its code (?facility=NW0001)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("시설"))
        kwargs.setdefault("to_field_name", "code")
        super().__init__(**kwargs)

    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.code})"


def kium_facilities(user):
    """키움센터 in the user's scope, with their capacity (one query for the choices)."""
    return with_effective_capacity(
        facilities_for_user(user).filter(facility_type=FacilityType.KIUM)
    ).order_by("name", "code")


def time_field(label, required: bool = True) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        input_formats=["%H:%M"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("시각을 HH:MM 형식으로 입력해 주세요.")},
    )


class ScopedFacilityForm(KiumForm):
    """A form whose first field picks a 키움센터 in the user's scope."""

    facility_required = False

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        facilities = kium_facilities(user)
        field = FacilityChoiceField(
            queryset=facilities,
            required=self.facility_required,
            empty_label=_("전체") if not self.facility_required else _("--선택--"),
        )
        field.widget.attrs["class"] = "krds-form-select"
        self.fields = {"facility": field, **self.fields}
        self.fields["facility"].error_messages["invalid_choice"] = _(
            "선택할 수 없는 시설입니다. 목록에서 골라 주세요."
        )
        self.fields["facility"].error_messages["required"] = _("시설을 선택해 주세요.")


# --- lists ------------------------------------------------------------------------------


class ApplicationFilterForm(ScopedFacilityForm):
    """예약신청관리: 시설, 돌봄유형, 상태, 기간, 아동/보호자 이름."""

    care_type = forms.ChoiceField(
        label=_("돌봄유형"), choices=[ALL, *CareType.choices], required=False
    )
    status = forms.ChoiceField(label=_("상태"), choices=[ALL, *Status.choices], required=False)
    basis = forms.ChoiceField(
        label=_("기간 기준"),
        choices=[("use", _("이용일")), ("applied", _("신청일"))],
        required=False,
    )
    date_from = date_field(_("시작일"))
    date_to = date_field(_("종료일"))
    q = forms.CharField(
        label=_("아동/보호자 이름"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("이름을 입력하세요.")}),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("종료일은 시작일보다 빠를 수 없습니다."))
        return data

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "facility": data.get("facility"),
            "care_type": data.get("care_type") or "",
            "statuses": [data["status"]] if data.get("status") else [],
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "basis": data.get("basis") or "use",
            "q": data.get("q") or "",
        }

    def review_order(self) -> bool:
        """One facility's regular applications under review: the centre's priority order."""
        data = self.cleaned_data
        return bool(
            data.get("facility")
            and data.get("care_type") == CareType.REGULAR
            and data.get("status") in (Status.PENDING, Status.WAITLISTED)
        )


class UserFilterForm(ScopedFacilityForm):
    """정기 / 일시 / 아픈아이 돌봄 이용자관리: confirmed (이용확정) and completed (이용완료)."""

    status = forms.ChoiceField(
        label=_("상태"),
        choices=[
            ALL,
            (Status.CONFIRMED, Status.CONFIRMED.label),
            (Status.COMPLETED, Status.COMPLETED.label),
        ],
        required=False,
    )
    date_from = date_field(_("이용 시작일"))
    date_to = date_field(_("이용 종료일"))
    q = forms.CharField(label=_("아동/보호자 이름"), required=False, max_length=50)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("종료일은 시작일보다 빠를 수 없습니다."))
        return data

    @staticmethod
    def default_filters() -> dict:
        return {"statuses": [Status.CONFIRMED, Status.COMPLETED]}

    def filters(self) -> dict:
        data = self.cleaned_data
        statuses = [data["status"]] if data.get("status") else [Status.CONFIRMED, Status.COMPLETED]
        return {
            "facility": data.get("facility"),
            "statuses": statuses,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "q": data.get("q") or "",
        }


class DailyForm(ScopedFacilityForm):
    facility_required = True
    date = date_field(_("이용일"), required=True)


class FacilityPickForm(ScopedFacilityForm):
    facility_required = True


class CalendarForm(ScopedFacilityForm):
    facility_required = True
    month = MonthField(label=_("조회 월 (YYYY-MM)"))


class ExtensionFilterForm(ScopedFacilityForm):
    facility_required = True
    quarter = forms.ModelChoiceField(
        label=_("이용분기"), queryset=Quarter.objects.order_by("-start"), empty_label=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].label_from_instance = lambda q: (
            f"{q} ({q.start:%Y.%m.%d}~{q.end:%Y.%m.%d})"
        )
        self.fields["quarter"].widget.attrs["class"] = "krds-form-select"
        self.fields["quarter"].error_messages["invalid_choice"] = _("이용분기를 선택해 주세요.")


# --- decisions ------------------------------------------------------------------------


class RejectForm(KiumForm):
    reason = forms.CharField(
        label=_("반려 사유"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("반려 사유를 적어 주세요.")},
    )


class ReasonForm(KiumForm):
    """대기 등록 / 취소: a reason the guardian is told, optional."""

    reason = forms.CharField(
        label=_("사유"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FeeForm(KiumForm):
    """이용료·감면: recorded for the centre's accounts, not charged online."""

    fee_amount = forms.IntegerField(
        label=_("이용료(원)"), required=False, min_value=0, max_value=10_000_000
    )
    exemption = forms.ChoiceField(label=_("감면 구분"), choices=Exemption.choices, required=False)


class DocumentUploadForm(KiumForm):
    kind = forms.ChoiceField(label=_("서류 종류"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("파일"),
        help_text=_("PDF, JPG, PNG 파일을 올릴 수 있습니다."),
        error_messages={"required": _("파일을 선택해 주세요.")},
    )


# --- 방문·전화 접수 ------------------------------------------------------------------


class OfflineRegistrationForm(ScopedFacilityForm):
    """RES-7: the parent's and child's facts and the care asked for."""

    facility_required = True

    guardian_name = forms.CharField(label=_("보호자 이름"), max_length=50)
    guardian_phone = forms.CharField(
        label=_("보호자 휴대전화번호"),
        max_length=20,
        help_text=_("회원이면 이 번호의 계정에 접수되고, 아니면 가입 안내 문자를 보냅니다."),
    )
    child_name = forms.CharField(label=_("아동 이름"), max_length=50)
    child_birth_date = date_field(_("아동 생년월일"), required=True)
    child_sex = forms.ChoiceField(label=_("성별"), choices=Sex.choices, widget=forms.RadioSelect)
    child_grade = forms.TypedChoiceField(
        label=_("학년"),
        choices=[("", _("--선택--"))] + [(str(n), f"{n}") for n in range(1, 7)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    child_school = forms.CharField(label=_("학교"), max_length=100, required=False)
    care_type = forms.ChoiceField(label=_("돌봄유형"), choices=CareType.choices)
    date = date_field(_("이용일 (일시·아픈아이 돌봄)"))
    start_date = date_field(_("이용 시작일 (정기돌봄)"))
    end_date = date_field(_("이용 종료일 (정기돌봄)"))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("이용 요일 (정기돌봄)"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = time_field(_("시작시간"))
    end_time = time_field(_("종료시간"))
    dual_earner = forms.BooleanField(label=_("맞벌이 가정"), required=False)
    single_parent = forms.BooleanField(label=_("한부모 가정"), required=False)
    many_children = forms.BooleanField(label=_("다자녀(3자녀 이상) 가정"), required=False)
    complex_resident = forms.BooleanField(label=_("공동주택 단지 입주민"), required=False)
    symptoms = forms.CharField(
        label=_("증상 (아픈아이 돌봄)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    clinic_escort_consent = forms.BooleanField(label=_("병원 동행 동의"), required=False)
    reachable_phone = forms.CharField(
        label=_("연락 가능한 전화번호 (아픈아이 돌봄)"), max_length=20, required=False
    )
    note = forms.CharField(
        label=_("신청 메모"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    paper_forms_received = forms.BooleanField(
        label=_("서면 동의서(개인정보, 등하원·응급처치·귀가)를 받았습니다"),
        required=False,
        initial=True,
    )

    def clean_guardian_phone(self):
        try:
            return normalize_phone(self.cleaned_data["guardian_phone"])
        except VerificationError as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean(self):
        data = super().clean()
        care_type = data.get("care_type")
        if care_type == CareType.REGULAR:
            for name, message in (
                ("start_date", _("이용 시작일을 입력해 주세요.")),
                ("end_date", _("이용 종료일을 입력해 주세요.")),
                ("weekdays", _("이용 요일을 선택해 주세요.")),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        elif (
            care_type in (CareType.TEMPORARY, CareType.SICK)
            and not data.get("date")
            and "date" not in self.errors
        ):
            self.add_error("date", _("이용일을 입력해 주세요."))
        if care_type == CareType.SICK:
            if not (data.get("symptoms") or "").strip():
                self.add_error("symptoms", _("증상을 적어 주세요."))
            if not (data.get("reachable_phone") or "").strip():
                self.add_error("reachable_phone", _("연락 가능한 전화번호를 적어 주세요."))
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("종료시간은 시작시간보다 늦어야 합니다."))
        return data


# --- 센터 예약 규칙 ------------------------------------------------------------------


class CentrePolicyForm(KiumForm):
    """우선순위 기준: each rule gets a place (1, 2, …) or is not used."""

    complex_name = forms.CharField(
        label=_("공동주택 단지명"),
        max_length=100,
        required=False,
        help_text=_("공동주택 단지 안의 센터만 입력합니다. 단지 입주민 자녀 우선 기준에 쓰입니다."),
    )
    requires_admission_documents = forms.BooleanField(
        label=_("정기돌봄 승인 전에 입소 구비서류를 받습니다"), required=False
    )

    def __init__(self, *args, centre_policy=None, **kwargs):
        rules = list(centre_policy.priority_rules) if centre_policy is not None else []
        initial = kwargs.pop("initial", {}) or {}
        for rule in PriorityRule.values:
            initial.setdefault(
                self.rank_field(rule), str(rules.index(rule) + 1) if rule in rules else ""
            )
        if centre_policy is not None:
            initial.setdefault("complex_name", centre_policy.complex_name)
            initial.setdefault(
                "requires_admission_documents", centre_policy.requires_admission_documents
            )
        super().__init__(*args, initial=initial, **kwargs)
        places = [("", _("사용 안 함"))] + [
            (str(n), _("%(n)d순위") % {"n": n}) for n in range(1, len(PriorityRule.values) + 1)
        ]
        rank_fields = {
            self.rank_field(rule): forms.ChoiceField(
                label=label,
                choices=places,
                required=False,
                widget=forms.Select(attrs={"class": "krds-form-select"}),
            )
            for rule, label in PriorityRule.choices
        }
        self.fields = {**rank_fields, **self.fields}

    @staticmethod
    def rank_field(rule: str) -> str:
        return f"rank_{rule}"

    def rank_fields(self):
        return [self[self.rank_field(rule)] for rule in PriorityRule.values]

    def clean(self):
        data = super().clean()
        chosen: dict[int, str] = {}
        for rule in PriorityRule.values:
            name = self.rank_field(rule)
            value = data.get(name)
            if not value:
                continue
            place = int(value)
            if place in chosen:
                self.add_error(name, _("같은 순위를 두 기준에 줄 수 없습니다."))
            chosen[place] = rule
        data["priority_rules"] = [chosen[place] for place in sorted(chosen)]
        return data
