"""Forms of the organisation back office. They read and validate; domain functions write.

Every choice list is built from the user's scope (``..._for_user()``), so a form never
offers a district, facility, department or role the user may not act on.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kium.accounts.enums import ApprovalStatus
from kium.accounts.models import User
from kium.orgs.domain.departments import parent_choices
from kium.orgs.domain.scope import (
    departments_for_user,
    facilities_for_user,
    roles_grantable_by,
    scope_for,
    staff_for_user,
)
from kium.orgs.enums import AgeGroup, DepartmentLevel, FacilityKind, FacilityType, ScopeLevel
from kium.orgs.menus import BACKOFFICE_MENUS
from kium.orgs.models import Department, District, Dong, Facility, GuideCode, Role

DATE_FORMATS = ["%Y-%m-%d", "%Y.%m.%d", "%Y%m%d"]
PHONE_HELP = _("숫자만 또는 010-1234-5678 형식으로 입력해 주세요.")


def date_field(label, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("날짜를 YYYY.MM.DD 형식으로 입력해 주세요.")},
    )


class MonthField(forms.Field):
    """A month typed as YYYY-MM (years 2000–2100): the first day of it, or None if empty."""

    widget = forms.TextInput(attrs={"maxlength": "7"})

    def __init__(self, *, label, required: bool = False, **kwargs):
        super().__init__(label=label, required=required, **kwargs)

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return None
        try:
            parsed = dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError as exc:
            raise forms.ValidationError(_("월을 YYYY-MM 형식으로 입력해 주세요.")) from exc
        if not 2000 <= parsed.year <= 2100:
            raise forms.ValidationError(_("월을 YYYY-MM 형식으로 입력해 주세요."))
        return parsed


def districts_in_reach(user):
    """Districts the user acts for as a district or the city (not via a facility)."""
    scope = scope_for(user)
    if scope.city:
        return District.objects.all()
    return District.objects.filter(pk__in=scope.district_ids)


class KiumForm(forms.Form):
    """Adds the KRDS input classes (Django itself marks invalid fields aria-invalid)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                continue
            css = "krds-form-select" if isinstance(widget, forms.Select) else "krds-input"
            widget.attrs.setdefault("class", css)


# --- departments ---------------------------------------------------------------------


class DepartmentForm(KiumForm):
    """부서상세 및 수정: 상위부서명, 부서명, 부서코드, 전화번호, 팩스번호."""

    parent = forms.ModelChoiceField(label=_("상위부서명"), queryset=Department.objects.none())
    name = forms.CharField(label=_("부서명"), max_length=100)
    code = forms.CharField(label=_("부서코드"), max_length=20)
    phone = forms.CharField(label=_("전화번호"), max_length=20, required=False)
    fax = forms.CharField(label=_("팩스번호"), max_length=20, required=False)

    def __init__(self, *args, user, department: Department, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "parent": department.parent_id,
                "name": department.name,
                "code": department.code,
                "phone": department.phone,
                "fax": department.fax,
            },
        )
        super().__init__(*args, **kwargs)
        if department.parent_id is None:
            del self.fields["parent"]
        else:
            choices = parent_choices(user, department) | Department.objects.filter(
                pk=department.parent_id
            )
            self.fields["parent"].queryset = choices.distinct()


class DepartmentAddForm(KiumForm):
    """부서추가: 자치구 선택 → 등록항목 작성 → 저장."""

    parent = forms.ModelChoiceField(label=_("상위부서"), queryset=Department.objects.none())
    district = forms.ModelChoiceField(
        label=_("자치구"),
        queryset=District.objects.none(),
        required=False,
        help_text=_("서울시 바로 아래에 자치구 부서를 만들 때만 선택합니다."),
    )
    facility_type = forms.ChoiceField(
        label=_("시설유형"),
        choices=[("", _("--선택--")), *FacilityType.choices],
        required=False,
        help_text=_("자치구 아래에 시설유형 부서를 만들 때 선택합니다."),
    )
    name = forms.CharField(label=_("부서명"), max_length=100)
    code = forms.CharField(label=_("부서코드"), max_length=20)
    phone = forms.CharField(label=_("전화번호"), max_length=20, required=False)
    fax = forms.CharField(label=_("팩스번호"), max_length=20, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        parents = departments_for_user(user).exclude(level=DepartmentLevel.FACILITY)
        if not scope_for(user).city:
            parents = parents.exclude(level=DepartmentLevel.CITY)
        self.fields["parent"].queryset = parents.select_related("district")
        self.fields["parent"].label_from_instance = _department_label
        self.fields["district"].queryset = districts_in_reach(user)

    def clean(self):
        data = super().clean()
        parent = data.get("parent")
        if parent is not None:
            if parent.level == DepartmentLevel.CITY and not data.get("district"):
                self.add_error("district", _("자치구를 선택해 주세요."))
            if parent.level == DepartmentLevel.DISTRICT and not data.get("facility_type"):
                self.add_error("facility_type", _("시설유형을 선택해 주세요."))
        return data


def _department_label(department: Department) -> str:
    prefix = f"{department.district.name} > " if department.district_id else ""
    if department.level == DepartmentLevel.DISTRICT:
        prefix = ""
    return f"{prefix}{department.name} ({department.code})"


class FacilitySearchForm(KiumForm):
    q = forms.CharField(label=_("시설명"), required=False, max_length=50)


# --- facilities ----------------------------------------------------------------------


class FacilityForm(KiumForm):
    """Facility registration (FAC-2, the minimal record)."""

    name = forms.CharField(label=_("시설명"), max_length=100)
    district = forms.ModelChoiceField(label=_("자치구"), queryset=District.objects.none())
    facility_type = forms.ChoiceField(
        label=_("시설유형"), choices=[("", _("--선택--")), *FacilityType.choices]
    )
    kind = forms.ChoiceField(
        label=_("센터유형"),
        choices=[("", _("--선택--")), *FacilityKind.choices],
        required=False,
        help_text=_("우리동네키움센터만 선택합니다. 비워 두면 일반형입니다."),
    )
    dong = forms.ModelChoiceField(label=_("동"), queryset=Dong.objects.none())
    ages = forms.MultipleChoiceField(
        label=_("이용연령"), choices=AgeGroup.choices, widget=forms.CheckboxSelectMultiple
    )
    address = forms.CharField(label=_("주소"), max_length=200)
    lat = forms.DecimalField(
        label=_("위도"), required=False, max_digits=9, decimal_places=6, min_value=33, max_value=39
    )
    lng = forms.DecimalField(
        label=_("경도"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=124,
        max_value=132,
    )
    area_m2 = forms.DecimalField(
        label=_("전용면적(m²)"), max_digits=8, decimal_places=2, min_value=1
    )
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("전화번호"), max_length=20, required=False)
    opened_on = date_field(_("운영일"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts_in_reach(user)
        district_id = self.data.get("district") if self.is_bound else self.initial.get("district")
        dongs = Dong.objects.filter(is_active=True)
        if district_id and str(district_id).isdigit():
            self.fields["dong"].queryset = dongs.filter(district_id=district_id)
        else:
            self.fields["dong"].queryset = dongs.none()

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("facility_type") != FacilityType.KIUM:
            self.add_error("kind", _("센터유형은 우리동네키움센터에만 지정할 수 있습니다."))
        return data


class FacilityFilterForm(KiumForm):
    """시설관리 list filters (FAC-1), laid out as the deck shows them."""

    district = forms.ModelChoiceField(
        label=_("자치구"), queryset=District.objects.none(), required=False, empty_label=_("전체")
    )
    facility_type = forms.ChoiceField(
        label=_("시설유형"), choices=[("", _("전체")), *FacilityType.choices], required=False
    )
    field = forms.ChoiceField(
        label=_("조건 검색"),
        choices=[
            ("", _("전체")),
            ("name", _("시설명")),
            ("address", _("주소")),
            ("author", _("작성자명")),
        ],
        required=False,
    )
    q = forms.CharField(
        label=_("검색어"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("검색어를 입력하세요.")}),
    )
    date_from = date_field(_("시작일"))
    date_to = date_field(_("종료일"))
    operating = forms.ChoiceField(
        label=_("운영 여부"),
        choices=[("", _("--선택--")), ("Y", _("운영")), ("N", _("미운영"))],
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from kium.orgs.domain.scope import districts_for_user

        self.fields["district"].queryset = districts_for_user(user)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("종료일은 시작일보다 빠를 수 없습니다."))
        return data

    def filters(self) -> dict:
        """The keyword arguments of ``facility_list_for_user`` (call after is_valid())."""
        data = self.cleaned_data
        return {
            "district": data["district"],
            "facility_type": data["facility_type"],
            "field": data["field"],
            "text": data["q"].strip(),
            "created_from": data["date_from"],
            "created_to": data["date_to"],
            "operating": {"Y": True, "N": False}.get(data["operating"]),
        }


# --- staff ---------------------------------------------------------------------------


class StaffCreateForm(KiumForm):
    """담당자 추가: 이름, 휴대전화번호, 이메일, 초기 비밀번호 (+ 권한, 기본은 센터관리자)."""

    name = forms.CharField(label=_("이름"), max_length=50)
    phone = forms.CharField(label=_("휴대전화번호"), max_length=20, help_text=PHONE_HELP)
    email = forms.EmailField(label=_("이메일"), required=False)
    password = forms.CharField(
        label=_("초기 비밀번호"),
        strip=False,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
        help_text=_("10~20자의 영문과 숫자를 섞어 주세요. 첫 로그인 때 바꾸게 됩니다."),
    )
    role = forms.ModelChoiceField(
        label=_("권한"),
        queryset=Role.objects.none(),
        required=False,
        empty_label=_("기본 (센터관리자)"),
    )

    def __init__(self, *args, user, facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = roles_grantable_by(user).filter(
            level=ScopeLevel.FACILITY, facility_type__in=["", facility.facility_type]
        )


class StaffFilterForm(KiumForm):
    q = forms.CharField(label=_("아이디·이름"), required=False, max_length=50)
    district = forms.ModelChoiceField(
        label=_("자치구"), queryset=District.objects.none(), required=False
    )
    department = forms.ModelChoiceField(
        label=_("부서"), queryset=Department.objects.none(), required=False
    )
    approval = forms.ChoiceField(
        label=_("승인상태"), choices=[("", _("전체")), *ApprovalStatus.choices], required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from kium.orgs.domain.scope import districts_for_user

        self.fields["district"].queryset = districts_for_user(user)
        self.fields["department"].queryset = departments_for_user(user).select_related("district")
        self.fields["department"].label_from_instance = _department_label


class DownloadReasonForm(KiumForm):
    reason = forms.CharField(
        label=_("다운로드 사유"),
        max_length=500,
        min_length=2,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("개인정보가 담긴 파일입니다. 사유는 개인정보 접속기록에 남습니다."),
    )


# --- roles and assignments -----------------------------------------------------------


def menu_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (str(top.label), [(item.code, str(item.label)) for item in top.items])
        for top in BACKOFFICE_MENUS
    ]


class RoleForm(KiumForm):
    name = forms.CharField(label=_("권한명"), max_length=50)
    level = forms.ChoiceField(label=_("적용범위"), choices=ScopeLevel.choices)
    facility_type = forms.ChoiceField(
        label=_("시설유형"), choices=[("", _("전체")), *FacilityType.choices], required=False
    )
    description = forms.CharField(label=_("설명"), max_length=200, required=False)
    menus = forms.MultipleChoiceField(
        label=_("메뉴 권한"), choices=menu_choices, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("사용"), required=False, initial=True)


class AssignmentForm(KiumForm):
    role = forms.ModelChoiceField(label=_("권한"), queryset=Role.objects.none())
    scope_level = forms.ChoiceField(label=_("범위"), choices=ScopeLevel.choices)
    district = forms.ModelChoiceField(
        label=_("자치구"), queryset=District.objects.none(), required=False
    )
    facility = forms.ModelChoiceField(
        label=_("시설"), queryset=Facility.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = roles_grantable_by(user)
        self.fields["district"].queryset = districts_in_reach(user)
        scope = scope_for(user)
        facilities = facilities_for_user(user).select_related("district")
        if not scope.city:
            facilities = facilities.filter(district_id__in=scope.district_ids)
        self.fields["facility"].queryset = facilities
        if not scope.city:
            self.fields["scope_level"].choices = [
                c for c in ScopeLevel.choices if c[0] != ScopeLevel.CITY
            ]

    def clean(self):
        data = super().clean()
        level = data.get("scope_level")
        if level == ScopeLevel.DISTRICT and not data.get("district"):
            self.add_error("district", _("자치구를 선택해 주세요."))
        if level == ScopeLevel.FACILITY and not data.get("facility"):
            self.add_error("facility", _("시설을 선택해 주세요."))
        return data


class BatchAssignForm(KiumForm):
    users = forms.ModelMultipleChoiceField(
        label=_("계정"),
        queryset=User.objects.none(),
        error_messages={"required": _("권한을 지정할 계정을 하나 이상 선택해 주세요.")},
    )
    role = forms.ModelChoiceField(
        label=_("권한"),
        queryset=Role.objects.none(),
        error_messages={"required": _("지정할 권한을 선택해 주세요.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = staff_for_user(user).select_related("facility", "district")
        self.fields["role"].queryset = roles_grantable_by(user)


class UserSearchForm(KiumForm):
    q = forms.CharField(label=_("아이디·이름"), required=False, max_length=50)


# --- approvals -----------------------------------------------------------------------


class ApprovalForm(KiumForm):
    role = forms.ModelChoiceField(label=_("부여할 권한"), queryset=Role.objects.none())

    def __init__(self, *args, applicant, **kwargs):
        from kium.orgs.domain.approvals import default_role_for, role_choices_for

        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = role_choices_for(applicant)
        default = default_role_for(applicant)
        if default is not None:
            self.fields["role"].initial = default.pk


class RejectForm(KiumForm):
    reason = forms.CharField(
        label=_("반려 사유"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("반려 사유를 입력해 주세요.")},
    )


# --- logs ----------------------------------------------------------------------------


class LogFilterForm(KiumForm):
    actor = forms.CharField(label=_("아이디"), required=False, max_length=150)
    date_from = date_field(_("시작일"))
    date_to = date_field(_("종료일"))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("종료일은 시작일보다 빠를 수 없습니다."))
        return data


class LoginFilterForm(LogFilterForm):
    success = forms.ChoiceField(
        label=_("결과"),
        choices=[("", _("전체")), ("1", _("성공")), ("0", _("실패"))],
        required=False,
    )


class AuditFilterForm(LogFilterForm):
    action = forms.CharField(label=_("행위"), required=False, max_length=64)
    object_type = forms.CharField(label=_("대상 종류"), required=False, max_length=64)


class AccessFilterForm(LogFilterForm):
    action = forms.CharField(label=_("수행업무"), required=False, max_length=64)


class MonthForm(KiumForm):
    month = forms.CharField(
        label=_("점검 월"),
        max_length=7,
        widget=forms.DateInput(attrs={"type": "month"}),
        error_messages={"required": _("점검할 달을 선택해 주세요.")},
    )

    def clean_month(self) -> dt.date:
        value = self.cleaned_data["month"].strip().replace(".", "-")
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("YYYY-MM 형식으로 입력해 주세요."))
        return dt.date(int(match.group(1)), int(match.group(2)), 1)


class ReviewForm(KiumForm):
    note = forms.CharField(
        label=_("점검 의견"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


# --- guides --------------------------------------------------------------------------


class GuideCodeForm(KiumForm):
    code = forms.CharField(label=_("보육반장 코드"), max_length=20)
    district = forms.ModelChoiceField(label=_("자치구"), queryset=District.objects.none())
    dong = forms.ModelChoiceField(label=_("동"), queryset=Dong.objects.none(), required=False)
    description = forms.CharField(label=_("설명"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("사용"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        districts = districts_in_reach(user)
        self.fields["district"].queryset = districts
        self.fields["dong"].queryset = Dong.objects.filter(district__in=districts)
        self.fields["dong"].label_from_instance = lambda d: f"{d.district.name} {d.name}"
        self.fields["dong"].queryset = self.fields["dong"].queryset.select_related("district")


class GuideForm(KiumForm):
    name = forms.CharField(label=_("이름"), max_length=50)
    phone = forms.CharField(label=_("휴대전화번호"), max_length=20, help_text=PHONE_HELP)
    email = forms.EmailField(label=_("이메일"), required=False)
    guide_code = forms.ModelChoiceField(
        label=_("보육반장 코드"), queryset=GuideCode.objects.none(), required=False
    )
    active_from = date_field(_("활동 시작일"))
    active_until = date_field(_("활동 종료일"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from kium.orgs.domain.guides import guide_codes_for_user

        self.fields["guide_code"].queryset = guide_codes_for_user(user).filter(is_active=True)


class GuideCreateForm(GuideForm):
    username = forms.CharField(label=_("아이디"), max_length=20)
    district = forms.ModelChoiceField(label=_("자치구"), queryset=District.objects.none())
    password = forms.CharField(
        label=_("초기 비밀번호"),
        strip=False,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
        help_text=_("10~20자의 영문과 숫자를 섞어 주세요. 첫 로그인 때 바꾸게 됩니다."),
    )
    field_order = ["username", "name", "phone", "email", "password", "district", "guide_code"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["district"].queryset = districts_in_reach(user)


# --- districts -----------------------------------------------------------------------


class DistrictForm(KiumForm):
    code = forms.CharField(label=_("자치구 코드"), max_length=2, min_length=2)
    name = forms.CharField(label=_("자치구명"), max_length=20)


class DongForm(KiumForm):
    name = forms.CharField(label=_("동 이름"), max_length=30)
