import pytest

from kium.core.models import AuditEntry
from kium.orgs.domain.districts import add_dong, rename_dong, set_dong_active, update_district
from kium.orgs.domain.errors import OrgError
from kium.orgs.models import District


def test_city_officer_edits_district_code_audited(people):
    city = people.city_officer()
    gangbuk = District.objects.get(code="GB")
    update_district(actor=city, district=gangbuk, code="kb", name="강북구")
    gangbuk.refresh_from_db()
    assert gangbuk.code == "KB"
    entry = AuditEntry.objects.get(action="district.update")
    assert entry.before["code"] == "GB" and entry.after["code"] == "KB"
    with pytest.raises(OrgError) as err:
        update_district(actor=city, district=gangbuk, code="NW", name="강북구")
    assert err.value.code == "duplicate_code"
    with pytest.raises(OrgError) as err:
        update_district(actor=city, district=gangbuk, code="K1", name="강북구")
    assert err.value.code == "invalid_code"


def test_district_officer_cannot_edit_districts(people):
    with pytest.raises(OrgError) as err:
        update_district(
            actor=people.district_officer("NW"),
            district=District.objects.get(code="NW"),
            code="NW",
            name="노원",
        )
    assert err.value.code == "forbidden"


def test_dongs_add_rename_deactivate(people):
    city = people.city_officer()
    nowon = District.objects.get(code="NW")
    dong = add_dong(actor=city, district=nowon, name="테스트1동")
    with pytest.raises(OrgError) as err:
        add_dong(actor=city, district=nowon, name="테스트1동")
    assert err.value.code == "duplicate_name"
    rename_dong(actor=city, dong=dong, name="테스트2동")
    set_dong_active(actor=city, dong=dong, active=False)
    dong.refresh_from_db()
    assert (dong.name, dong.is_active) == ("테스트2동", False)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"dong.create", "dong.rename", "dong.deactivate"} <= actions
