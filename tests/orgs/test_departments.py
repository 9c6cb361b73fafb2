import pytest

from kium.core.models import AuditEntry
from kium.orgs.domain.departments import (
    add_department,
    department_tree,
    ensure_base_departments,
    map_facility,
    unmap_facility,
    unmapped_departments_for_user,
    unmapped_facilities_for_user,
    update_department,
)
from kium.orgs.domain.errors import OrgError
from kium.orgs.models import Department, District


def test_base_departments_exist_after_migration_and_are_idempotent(db):
    assert Department.objects.filter(level="city").count() == 1
    assert Department.objects.filter(level="district").count() == District.objects.count() == 25
    assert ensure_base_departments() == 0
    nowon = Department.objects.get(level="district", district__code="NW")
    assert nowon.parent.level == "city"
    assert nowon.name == "노원구"


def test_ensure_base_departments_fills_gaps(db):
    Department.objects.filter(level="district", district__code="GN").delete()
    assert ensure_base_departments() == 1
    assert Department.objects.filter(level="district", district__code="GN").exists()


def test_registering_a_facility_creates_its_mapped_department(people):
    facility = people.facility("NW")
    department = Department.objects.get(facility=facility)
    assert department.level == "facility"
    assert department.code == facility.code
    assert department.parent.level == "facility_type"
    assert department.parent.facility_type == "UK"
    assert department.parent.parent.district.code == "NW"
    # The type department is shared by the district's facilities of that type.
    second = people.facility("NW")
    assert Department.objects.get(facility=second).parent_id == department.parent_id


def test_tree_nests_by_parent(people):
    facility = people.facility("NW")
    officer = people.district_officer("NW")
    from kium.orgs.domain.scope import departments_for_user

    roots = department_tree(departments_for_user(officer))
    assert [r.department.name for r in roots] == ["노원구"]
    type_node = roots[0].children[0]
    assert type_node.children[0].department.facility_id == facility.pk


def test_district_officer_adds_department_only_in_own_district(people):
    officer = people.district_officer("NW")
    people.facility("NW")
    people.facility("GN")
    nw_type = Department.objects.get(level="facility_type", district__code="NW")
    gn_type = Department.objects.get(level="facility_type", district__code="GN")
    added = add_department(actor=officer, parent=nw_type, name="신규 센터", code="NWNEW1")
    assert added.level == "facility"
    assert added.district.code == "NW"
    assert added.facility is None
    assert AuditEntry.objects.filter(action="department.create", object_id=str(added.pk)).exists()
    with pytest.raises(OrgError) as err:
        add_department(actor=officer, parent=gn_type, name="남의 센터", code="GNNEW1")
    assert err.value.code == "out_of_scope"


def test_add_department_checks_code_and_type(people):
    officer = people.district_officer("NW")
    nowon = Department.objects.get(level="district", district__code="NW")
    with pytest.raises(OrgError) as err:
        add_department(actor=officer, parent=nowon, name="유형", code="NWX")
    assert err.value.field == "facility_type"
    with pytest.raises(OrgError) as err:
        add_department(actor=officer, parent=nowon, name="유형", code="NW", facility_type="GI")
    assert err.value.code == "duplicate_code"
    with pytest.raises(OrgError) as err:
        add_department(actor=officer, parent=nowon, name="유형", code="a b", facility_type="GI")
    assert err.value.code == "invalid_code"


def test_only_city_adds_under_city(people):
    city_dept = Department.objects.get(level="city")
    officer = people.district_officer("NW")
    with pytest.raises(OrgError):
        add_department(actor=officer, parent=city_dept, name="x", code="XX1")
    city = people.city_officer()
    added = add_department(
        actor=city,
        parent=city_dept,
        name="노원구 아동청소년과",
        code="NW-CHILD",
        district=District.objects.get(code="NW"),
    )
    assert added.level == "district"


def test_update_department_is_audited(people):
    officer = people.district_officer("NW")
    facility = people.facility("NW")
    department = Department.objects.get(facility=facility)
    update_department(
        actor=officer, department=department, name="새 이름", code="NW-1", phone="02-1", fax="02-2"
    )
    department.refresh_from_db()
    assert (department.name, department.code, department.fax) == ("새 이름", "NW-1", "02-2")
    entry = AuditEntry.objects.get(action="department.update")
    assert entry.before["name"] != entry.after["name"]
    other = people.district_officer("GN")
    with pytest.raises(OrgError) as err:
        update_department(actor=other, department=department, name="x", code="NW-1")
    assert err.value.code == "out_of_scope"


def test_mapping_links_unmapped_department_to_facility(people):
    officer = people.district_officer("NW")
    facility = people.facility("NW")
    department = Department.objects.get(facility=facility)
    unmap_facility(actor=officer, department=department)
    assert list(unmapped_facilities_for_user(officer)) == [facility]
    assert list(unmapped_departments_for_user(officer)) == [department]
    map_facility(actor=officer, department=department, facility=facility)
    assert not unmapped_facilities_for_user(officer).exists()
    assert not unmapped_departments_for_user(officer).exists()
    assert AuditEntry.objects.filter(action="department.map_facility").exists()


def test_mapping_refuses_taken_facility_other_district_and_other_scope(people):
    officer = people.district_officer("NW")
    facility = people.facility("NW")
    nw_type = Department.objects.get(level="facility_type", district__code="NW")
    extra = add_department(actor=officer, parent=nw_type, name="빈 부서", code="NWEMPTY")
    with pytest.raises(OrgError) as err:
        map_facility(actor=officer, department=extra, facility=facility)
    assert err.value.code == "already_mapped"
    gn_facility = people.facility("GN")
    with pytest.raises(OrgError) as err:
        map_facility(actor=officer, department=extra, facility=gn_facility)
    assert err.value.code == "out_of_scope"
    city = people.city_officer()
    with pytest.raises(OrgError) as err:
        map_facility(actor=city, department=extra, facility=gn_facility)
    assert err.value.code == "other_district"
    with pytest.raises(OrgError) as err:
        map_facility(actor=city, department=nw_type, facility=people.facility("NW"))
    assert err.value.code == "not_facility_level"


def test_unmapped_lists_respect_scope(people):
    nw = people.facility("NW")
    gn = people.facility("GN")
    Department.objects.filter(facility__in=[nw, gn]).update(facility=None)
    assert list(unmapped_facilities_for_user(people.district_officer("NW"))) == [nw]
    assert set(unmapped_facilities_for_user(people.city_officer())) == {nw, gn}
