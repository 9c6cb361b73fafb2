"""The department tree (ORG-5) and the facility mapping (ORG-6).

서울시 → 자치구 → 시설유형 부서 → 시설. The city and district departments always exist
(``ensure_base_departments``, run by migration and by the demo seed); a facility-type
department appears with the first facility of that type in the district; every facility
registered through ``register_facility`` gets its own facility-level department, mapped,
so a new centre is never unmapped by accident (FAQ Q3). Departments added by hand at the
facility level start unmapped until an officer maps them with 시설조회 → 선택.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kium.core.audit import log_action, snapshot
from kium.orgs.domain.errors import OUT_OF_SCOPE, OrgError
from kium.orgs.domain.scope import departments_for_user, facilities_for_user, scope_for
from kium.orgs.enums import DepartmentLevel, FacilityType
from kium.orgs.models import Department, District, Facility

CITY_CODE = "SEOUL"
CITY_NAME = "서울특별시"
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{2,20}$")
# The level a child department takes under a parent of each level.
CHILD_LEVEL = {
    DepartmentLevel.CITY: DepartmentLevel.DISTRICT,
    DepartmentLevel.DISTRICT: DepartmentLevel.FACILITY_TYPE,
    DepartmentLevel.FACILITY_TYPE: DepartmentLevel.FACILITY,
}
EDITABLE_FIELDS = ["parent", "name", "code", "phone", "fax"]


# --- base departments ----------------------------------------------------------------


def ensure_base_departments(apps=None) -> int:
    """Create 서울시 and one department per district if missing; return how many were made.

    ``apps`` is a migration's app registry: the data migration passes it so this runs
    against the historical models; everyone else calls it without arguments.
    """
    department_model = apps.get_model("orgs", "Department") if apps else Department
    district_model = apps.get_model("orgs", "District") if apps else District
    created = 0
    city = department_model.objects.filter(level=DepartmentLevel.CITY).order_by("id").first()
    if city is None:
        city = department_model.objects.create(
            level=DepartmentLevel.CITY,
            name=CITY_NAME,
            code=_unused_code(department_model, CITY_CODE),
            sort_order=0,
        )
        created += 1
    for district in district_model.objects.order_by("sort_order", "name"):
        exists = department_model.objects.filter(
            level=DepartmentLevel.DISTRICT, district=district
        ).exists()
        if not exists:
            department_model.objects.create(
                parent=city,
                level=DepartmentLevel.DISTRICT,
                name=district.name,
                code=_unused_code(department_model, district.code),
                district=district,
                sort_order=district.sort_order,
            )
            created += 1
    return created


def _unused_code(model, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… when an officer already used it by hand."""
    code, n = base, 1
    while model.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def district_department(district: District) -> Department:
    department = Department.objects.filter(
        level=DepartmentLevel.DISTRICT, district=district
    ).first()
    if department is None:
        ensure_base_departments()
        department = Department.objects.get(level=DepartmentLevel.DISTRICT, district=district)
    return department


def facility_type_department(district: District, facility_type: str) -> Department:
    """The district's department for one facility type, made on first use."""
    department = Department.objects.filter(
        level=DepartmentLevel.FACILITY_TYPE, district=district, facility_type=facility_type
    ).first()
    if department is not None:
        return department
    parent = district_department(district)
    return Department.objects.create(
        parent=parent,
        level=DepartmentLevel.FACILITY_TYPE,
        name=str(FacilityType(facility_type).label),
        code=_unused_code(Department, f"{district.code}{facility_type}"),
        district=district,
        facility_type=facility_type,
        sort_order=list(FacilityType.values).index(facility_type),
    )


def ensure_facility_department(*, actor, facility: Facility) -> Department:
    """The facility's own department, mapped to it; created under its type department.

    Called by ``register_facility`` inside its transaction (which already holds the
    district-and-type number lock, so two registrations never race on the type
    department).
    """
    existing = Department.objects.filter(facility=facility).first()
    if existing is not None:
        return existing
    parent = facility_type_department(facility.district, facility.facility_type)
    department = Department.objects.create(
        parent=parent,
        level=DepartmentLevel.FACILITY,
        name=facility.name,
        code=_unused_code(Department, facility.code),
        phone=facility.phone,
        district=facility.district,
        facility_type=facility.facility_type,
        facility=facility,
        sort_order=facility.registration_number,
        created_by=_user_or_none(actor),
        updated_by=_user_or_none(actor),
    )
    log_action(actor=actor, action="department.create", obj=department, after=snapshot(department))
    return department


def _user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- officers' changes ---------------------------------------------------------------


def _check_code(code: str, *, exclude_pk: int | None = None) -> None:
    if not CODE_PATTERN.match(code):
        raise OrgError(
            "invalid_code", _("부서코드는 영문·숫자·-·_ 2~20자로 입력해 주세요."), field="code"
        )
    taken = Department.objects.filter(code=code)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise OrgError("duplicate_code", _("이미 사용 중인 부서코드입니다."), field="code")


def _department_in_scope(actor, department: Department) -> None:
    if not departments_for_user(actor).filter(pk=department.pk).exists():
        raise OrgError(OUT_OF_SCOPE, _("부서를 찾을 수 없습니다."))


@transaction.atomic
def add_department(
    *,
    actor,
    parent: Department,
    name: str,
    code: str,
    phone: str = "",
    fax: str = "",
    district: District | None = None,
    facility_type: str = "",
) -> Department:
    """부서추가: a child of ``parent`` one level down, inside the actor's scope."""
    _department_in_scope(actor, parent)
    level = CHILD_LEVEL.get(parent.level)
    if level is None:
        raise OrgError(
            "invalid_parent", _("시설 부서 아래에는 부서를 추가할 수 없습니다."), "parent"
        )
    if level == DepartmentLevel.DISTRICT:
        if district is None:
            raise OrgError("district_required", _("자치구를 선택해 주세요."), field="district")
        if not scope_for(actor).covers_district(district.pk):
            raise OrgError(OUT_OF_SCOPE, _("자치구를 찾을 수 없습니다."), field="district")
    else:
        district = parent.district
        if not scope_for(actor).covers_district(getattr(district, "pk", None)):
            # A centre manager sees their own facility's department, but adding
            # departments is a district's or the city's job.
            raise OrgError(OUT_OF_SCOPE, _("부서를 찾을 수 없습니다."))
    if level == DepartmentLevel.FACILITY_TYPE:
        if facility_type not in FacilityType.values:
            raise OrgError("type_required", _("시설유형을 선택해 주세요."), field="facility_type")
    elif level == DepartmentLevel.FACILITY:
        facility_type = parent.facility_type
    else:
        facility_type = ""
    name = name.strip()
    if not name:
        raise OrgError("name_required", _("부서명을 입력해 주세요."), field="name")
    _check_code(code)
    department = Department.objects.create(
        parent=parent,
        level=level,
        name=name,
        code=code,
        phone=phone,
        fax=fax,
        district=district,
        facility_type=facility_type,
        sort_order=parent.children.count() + 1,
        created_by=actor,
        updated_by=actor,
    )
    log_action(actor=actor, action="department.create", obj=department, after=snapshot(department))
    return department


def parent_choices(actor, department: Department) -> QuerySet:
    """Where a department may move: same-level parents in the same district, in scope."""
    if department.parent is None:
        return Department.objects.none()
    choices = departments_for_user(actor).filter(level=department.parent.level)
    if department.level != DepartmentLevel.DISTRICT:
        choices = choices.filter(district_id=department.district_id)
    if department.level == DepartmentLevel.FACILITY:
        choices = choices.filter(facility_type=department.facility_type)
    return choices


@transaction.atomic
def update_department(
    *,
    actor,
    department: Department,
    name: str,
    code: str,
    phone: str = "",
    fax: str = "",
    parent: Department | None = None,
) -> Department:
    """부서상세 및 수정: name, code, phone, fax and (within limits) the parent."""
    _department_in_scope(actor, department)
    if department.level == DepartmentLevel.CITY and not scope_for(actor).city:
        raise OrgError(OUT_OF_SCOPE, _("부서를 찾을 수 없습니다."))
    moving = parent is not None and parent.pk != department.parent_id
    if moving and not parent_choices(actor, department).filter(pk=parent.pk).exists():
        raise OrgError("invalid_parent", _("이 부서의 상위부서로 지정할 수 없습니다."), "parent")
    name = name.strip()
    if not name:
        raise OrgError("name_required", _("부서명을 입력해 주세요."), field="name")
    _check_code(code, exclude_pk=department.pk)
    before = snapshot(department, EDITABLE_FIELDS)
    department.name = name
    department.code = code
    department.phone = phone
    department.fax = fax
    if parent is not None:
        department.parent = parent
    department.updated_by = actor
    department.save(
        update_fields=["name", "code", "phone", "fax", "parent", "updated_by", "updated_at"]
    )
    after = snapshot(department, EDITABLE_FIELDS)
    if before != after:
        log_action(
            actor=actor, action="department.update", obj=department, before=before, after=after
        )
    return department


# --- ORG-6 mapping ---------------------------------------------------------------------


@transaction.atomic
def map_facility(*, actor, department: Department, facility: Facility) -> Department:
    """시설조회 → 선택: link a facility-level department to its facility record."""
    _department_in_scope(actor, department)
    if not facilities_for_user(actor).filter(pk=facility.pk).exists():
        raise OrgError(OUT_OF_SCOPE, _("시설을 찾을 수 없습니다."), field="facility")
    if not scope_for(actor).covers_district(department.district_id):
        raise OrgError(OUT_OF_SCOPE, _("부서를 찾을 수 없습니다."))
    if department.level != DepartmentLevel.FACILITY:
        raise OrgError("not_facility_level", _("시설 단위 부서에만 시설을 매핑할 수 있습니다."))
    if facility.district_id != department.district_id:
        raise OrgError(
            "other_district", _("부서와 같은 자치구의 시설만 매핑할 수 있습니다."), field="facility"
        )
    holder = Department.objects.filter(facility=facility).exclude(pk=department.pk).first()
    if holder is not None:
        raise OrgError(
            "already_mapped",
            _("이 시설은 이미 '%(name)s' 부서에 매핑되어 있습니다.") % {"name": holder.name},
            field="facility",
        )
    before = {"facility": department.facility_id}
    department.facility = facility
    if not department.facility_type:
        department.facility_type = facility.facility_type
    department.updated_by = actor
    department.save(update_fields=["facility", "facility_type", "updated_by", "updated_at"])
    log_action(
        actor=actor,
        action="department.map_facility",
        obj=department,
        before=before,
        after={"facility": facility.pk, "facility_code": facility.code},
    )
    return department


@transaction.atomic
def unmap_facility(*, actor, department: Department) -> Department:
    _department_in_scope(actor, department)
    if not scope_for(actor).covers_district(department.district_id):
        raise OrgError(OUT_OF_SCOPE, _("부서를 찾을 수 없습니다."))
    if department.facility_id is None:
        return department
    before = {"facility": department.facility_id}
    department.facility = None
    department.updated_by = actor
    department.save(update_fields=["facility", "updated_by", "updated_at"])
    log_action(
        actor=actor, action="department.unmap_facility", obj=department, before=before, after={}
    )
    return department


# --- reads -----------------------------------------------------------------------------


def unmapped_departments_for_user(user) -> QuerySet:
    """Facility-level departments in scope with no facility record linked."""
    return (
        departments_for_user(user)
        .filter(level=DepartmentLevel.FACILITY, facility__isnull=True)
        .select_related("district", "parent")
    )


def unmapped_facilities_for_user(user) -> QuerySet:
    """Facilities in scope that no department points to (FAQ Q3)."""
    return facilities_for_user(user).filter(department__isnull=True).select_related("district")


@dataclass
class TreeNode:
    department: Department
    children: list[TreeNode] = field(default_factory=list)


def department_tree(departments) -> list[TreeNode]:
    """Nest the given departments; those whose parent is not given become roots."""
    nodes = {d.pk: TreeNode(d) for d in departments}
    roots: list[TreeNode] = []
    for node in nodes.values():
        parent = nodes.get(node.department.parent_id)
        (parent.children if parent else roots).append(node)
    return roots
