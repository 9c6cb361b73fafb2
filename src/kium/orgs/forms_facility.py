"""The facility record's forms (FAC-2): registration with every field, and editing.

They validate what was typed; ``kium.centres.domain.profile`` decides and writes.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kium.orgs.enums import FacilityType
from kium.orgs.forms import PHONE_HELP, FacilityForm
from kium.orgs.models import Dong, Facility


def _location_widgets(form: forms.Form) -> None:
    for name, label in (("lat", _("위도 (예: 37.654321)")), ("lng", _("경도 (예: 127.056789)"))):
        widget = form.fields[name].widget
        widget.attrs.update({"step": "0.000001", "inputmode": "decimal", "placeholder": label})
        form.fields[name].error_messages.update(
            {
                "invalid": _("숫자로 입력해 주세요."),
                "max_decimal_places": _("소수점 아래 6자리까지 입력할 수 있습니다."),
            }
        )
    form.fields["lat"].error_messages.update(
        {
            "min_value": _("위도는 33~39 사이여야 합니다."),
            "max_value": _("위도는 33~39 사이여야 합니다."),
        }
    )
    form.fields["lng"].error_messages.update(
        {
            "min_value": _("경도는 124~132 사이여야 합니다."),
            "max_value": _("경도는 124~132 사이여야 합니다."),
        }
    )


def _location_pair(form: forms.Form, data: dict) -> None:
    lat, lng = data.get("lat"), data.get("lng")
    if "lat" in form.errors or "lng" in form.errors:
        return
    if (lat is None) != (lng is None):
        missing = "lng" if lng is None else "lat"
        form.add_error(missing, _("위도와 경도를 모두 입력하거나 모두 비워 주세요."))


class FacilityRegisterForm(FacilityForm):
    """신규 시설 등록: every field of the deck (시설코드 is given on save)."""

    address_detail = forms.CharField(label=_("상세주소"), max_length=100, required=False)
    required_documents = forms.CharField(
        label=_("필요 서류"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("이용 신청 때 보호자가 낼 서류 (예: 재직증명서, 주민등록등본)"),
    )

    field_order = [
        "name",
        "district",
        "dong",
        "facility_type",
        "kind",
        "ages",
        "required_documents",
        "address",
        "address_detail",
        "lat",
        "lng",
        "opened_on",
        "email",
        "phone",
        "area_m2",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _location_widgets(self)
        self.fields["phone"].help_text = PHONE_HELP
        self.fields["address"].widget.attrs.setdefault("autocomplete", "street-address")

    def clean(self):
        data = super().clean()
        _location_pair(self, data)
        return data


class FacilityEditForm(FacilityRegisterForm):
    """기본정보 수정. District and type are fixed (they are in the code).

    ``contact_only`` leaves the fields a centre may change itself (phone, e-mail, required
    documents); the rest belong to the district officers.
    """

    is_operating = forms.BooleanField(label=_("운영 중"), required=False)

    CONTACT_FIELDS = ("required_documents", "email", "phone")

    def __init__(self, *args, facility: Facility, contact_only: bool = False, **kwargs):
        self.facility = facility
        kwargs.setdefault(
            "initial",
            {
                "name": facility.name,
                "kind": facility.kind,
                "dong": facility.dong_id,
                "ages": facility.ages,
                "required_documents": facility.required_documents,
                "address": facility.address,
                "address_detail": facility.address_detail,
                "lat": facility.lat,
                "lng": facility.lng,
                "opened_on": facility.opened_on,
                "email": facility.email,
                "phone": facility.phone,
                "area_m2": facility.area_m2,
                "is_operating": facility.is_operating,
            },
        )
        super().__init__(*args, **kwargs)
        del self.fields["district"]
        del self.fields["facility_type"]
        dongs = Dong.objects.filter(district_id=facility.district_id)
        # A 동 taken out of use still shows while the facility keeps it.
        self.fields["dong"].queryset = dongs.filter(is_active=True) | dongs.filter(
            pk=facility.dong_id or 0
        )
        if facility.facility_type != FacilityType.KIUM:
            del self.fields["kind"]
        if contact_only:
            for name in list(self.fields):
                if name not in self.CONTACT_FIELDS:
                    del self.fields[name]

    def clean(self):
        data = forms.Form.clean(self)
        if "lat" in self.fields:
            _location_pair(self, data)
        return data

    def changes(self) -> dict:
        """The keyword arguments of ``update_facility`` (call after is_valid())."""
        data = dict(self.cleaned_data)
        for name in ("required_documents", "address_detail", "phone"):
            if name in data and data[name] is None:
                data[name] = ""
        return data
