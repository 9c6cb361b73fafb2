"""행사 및 교육 (FAC-4): 문화행사 and 마을돌봄자원, and 우리동네키움센터현황.

Scope: city officers act anywhere; district officers only in their own districts, and a
city-wide event (no district) belongs to the city alone. The ``..._for_user()`` reads
below return only what the scope allows, so views answer 404 for anything else.
Every change is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from kium.boards.domain.errors import BoardsError
from kium.boards.html import sanitize_html
from kium.boards.models import CulturalEvent, VillageResource, VillageResourceCategory
from kium.core.audit import log_action, snapshot
from kium.orgs.domain.capacity import effective_capacity, with_effective_capacity
from kium.orgs.domain.scope import facilities_for_user, scope_for
from kium.orgs.enums import FacilityKind, FacilityType
from kium.orgs.models import District, Dong, Facility

EVENT_FIELDS = [
    "title",
    "district",
    "facility",
    "place",
    "starts_on",
    "ends_on",
    "target_ages",
    "description",
    "is_published",
]
RESOURCE_FIELDS = [
    "name",
    "category",
    "district",
    "dong",
    "address",
    "phone",
    "url",
    "description",
    "is_published",
]


def _user_or_none(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


# --- reads -----------------------------------------------------------------------------


def event_districts_for_user(user) -> QuerySet[District]:
    """Districts the user manages events and resources in (not reached via a facility)."""
    scope = scope_for(user)
    if scope.city:
        return District.objects.all()
    return District.objects.filter(pk__in=scope.district_ids)


def events_for_user(user) -> QuerySet[CulturalEvent]:
    scope = scope_for(user)
    events = CulturalEvent.objects.select_related("district", "facility", "updated_by")
    if scope.city:
        return events
    # District officers never see city-wide events here: they cannot change them.
    return events.filter(district_id__in=scope.district_ids)


def village_resources_for_user(user) -> QuerySet[VillageResource]:
    scope = scope_for(user)
    resources = VillageResource.objects.select_related("district", "dong", "updated_by")
    if scope.city:
        return resources
    return resources.filter(district_id__in=scope.district_ids)


def published_events(*, today: dt.date, past: bool = False) -> QuerySet[CulturalEvent]:
    """The portal's list: upcoming and running events, or with ``past`` the ended ones."""
    events = CulturalEvent.objects.filter(is_published=True).select_related("district")
    if past:
        return events.filter(ends_on__lt=today).order_by("-ends_on", "-pk")
    return events.filter(ends_on__gte=today).order_by("starts_on", "pk")


def published_event(pk: int) -> CulturalEvent | None:
    return (
        CulturalEvent.objects.filter(pk=pk, is_published=True)
        .select_related("district", "facility")
        .first()
    )


def published_village_resources(
    *, district: District | None = None, category: str = ""
) -> QuerySet[VillageResource]:
    resources = VillageResource.objects.filter(is_published=True).select_related("district", "dong")
    if district is not None:
        resources = resources.filter(district=district)
    if category:
        resources = resources.filter(category=category)
    return resources


# --- checks ----------------------------------------------------------------------------


def _check_district(actor, district: District | None) -> None:
    scope = scope_for(actor)
    if district is None:
        if not scope.city:
            raise BoardsError(
                _("서울시 전체 행사는 서울시 담당자만 등록할 수 있습니다."), field="district"
            )
        return
    if not scope.covers_district(district.pk):
        raise BoardsError(_("담당하는 자치구만 선택할 수 있습니다."), field="district")


def _check_event(*, actor, title: str, district, facility, place: str, starts_on, ends_on) -> None:
    if not (title or "").strip():
        raise BoardsError(_("행사명을 입력해 주세요."), field="title")
    if not (place or "").strip():
        raise BoardsError(_("장소를 입력해 주세요."), field="place")
    if starts_on is None:
        raise BoardsError(_("시작일을 입력해 주세요."), field="starts_on")
    if ends_on is None:
        raise BoardsError(_("종료일을 입력해 주세요."), field="ends_on")
    if ends_on < starts_on:
        raise BoardsError(_("종료일은 시작일보다 빠를 수 없습니다."), field="ends_on")
    _check_district(actor, district)
    if facility is not None:
        if district is not None and facility.district_id != district.pk:
            raise BoardsError(_("선택한 자치구의 시설이 아닙니다."), field="facility")
        if not facilities_for_user(actor).filter(pk=facility.pk).exists():
            raise BoardsError(_("담당하는 시설만 선택할 수 있습니다."), field="facility")


def _check_resource(*, actor, name: str, category: str, district, dong) -> None:
    if not (name or "").strip():
        raise BoardsError(_("자원명을 입력해 주세요."), field="name")
    if category not in VillageResourceCategory.values:
        raise BoardsError(_("분류를 선택해 주세요."), field="category")
    if district is None:
        raise BoardsError(_("자치구를 선택해 주세요."), field="district")
    _check_district(actor, district)
    if dong is not None and dong.district_id != district.pk:
        raise BoardsError(_("선택한 자치구의 동이 아닙니다."), field="dong")


# --- 문화행사 --------------------------------------------------------------------------


def create_event(
    *,
    actor,
    title: str,
    district: District | None,
    place: str,
    starts_on: dt.date,
    ends_on: dt.date,
    facility: Facility | None = None,
    target_ages: str = "",
    description: str = "",
    is_published: bool = False,
) -> CulturalEvent:
    """Register a 문화행사; the description is sanitised HTML."""
    _check_event(
        actor=actor,
        title=title,
        district=district,
        facility=facility,
        place=place,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    user = _user_or_none(actor)
    with transaction.atomic():
        event = CulturalEvent.objects.create(
            title=title.strip(),
            district=district,
            facility=facility,
            place=place.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            target_ages=(target_ages or "").strip(),
            description=sanitize_html(description),
            is_published=is_published,
            created_by=user,
            updated_by=user,
        )
        log_action(
            actor=actor,
            action="events.event.create",
            obj=event,
            after=snapshot(event, EVENT_FIELDS),
        )
    return event


def update_event(
    *,
    actor,
    event: CulturalEvent,
    title: str,
    district: District | None,
    place: str,
    starts_on: dt.date,
    ends_on: dt.date,
    facility: Facility | None = None,
    target_ages: str = "",
    description: str = "",
    is_published: bool = False,
) -> CulturalEvent:
    """Change an event; both its current and its new district must be in scope."""
    _check_district(actor, event.district)
    _check_event(
        actor=actor,
        title=title,
        district=district,
        facility=facility,
        place=place,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    with transaction.atomic():
        event = CulturalEvent.objects.select_for_update().get(pk=event.pk)
        before = snapshot(event, EVENT_FIELDS)
        event.title, event.district, event.facility = title.strip(), district, facility
        event.place, event.starts_on, event.ends_on = place.strip(), starts_on, ends_on
        event.target_ages = (target_ages or "").strip()
        event.description = sanitize_html(description)
        event.is_published, event.updated_by = is_published, _user_or_none(actor)
        event.save()
        log_action(
            actor=actor,
            action="events.event.update",
            obj=event,
            before=before,
            after=snapshot(event, EVENT_FIELDS),
        )
    return event


def set_event_published(*, actor, event: CulturalEvent, published: bool) -> CulturalEvent:
    _check_district(actor, event.district)
    with transaction.atomic():
        event = CulturalEvent.objects.select_for_update().get(pk=event.pk)
        if event.is_published == published:
            return event
        before = snapshot(event, ["is_published"])
        event.is_published, event.updated_by = published, _user_or_none(actor)
        event.save(update_fields=["is_published", "updated_by", "updated_at"])
        log_action(
            actor=actor,
            action="events.event.publish" if published else "events.event.unpublish",
            obj=event,
            before=before,
            after=snapshot(event, ["is_published"]),
        )
    return event


# --- 마을돌봄자원 ----------------------------------------------------------------------


def create_village_resource(
    *,
    actor,
    name: str,
    category: str,
    district: District,
    dong: Dong | None = None,
    address: str = "",
    phone: str = "",
    url: str = "",
    description: str = "",
    is_published: bool = False,
) -> VillageResource:
    _check_resource(actor=actor, name=name, category=category, district=district, dong=dong)
    user = _user_or_none(actor)
    with transaction.atomic():
        resource = VillageResource.objects.create(
            name=name.strip(),
            category=category,
            district=district,
            dong=dong,
            address=(address or "").strip(),
            phone=(phone or "").strip(),
            url=(url or "").strip(),
            description=(description or "").strip(),
            is_published=is_published,
            created_by=user,
            updated_by=user,
        )
        log_action(
            actor=actor,
            action="events.village.create",
            obj=resource,
            after=snapshot(resource, RESOURCE_FIELDS),
        )
    return resource


def update_village_resource(
    *,
    actor,
    resource: VillageResource,
    name: str,
    category: str,
    district: District,
    dong: Dong | None = None,
    address: str = "",
    phone: str = "",
    url: str = "",
    description: str = "",
    is_published: bool = False,
) -> VillageResource:
    _check_district(actor, resource.district)
    _check_resource(actor=actor, name=name, category=category, district=district, dong=dong)
    with transaction.atomic():
        resource = VillageResource.objects.select_for_update().get(pk=resource.pk)
        before = snapshot(resource, RESOURCE_FIELDS)
        resource.name, resource.category = name.strip(), category
        resource.district, resource.dong = district, dong
        resource.address, resource.phone = (address or "").strip(), (phone or "").strip()
        resource.url, resource.description = (url or "").strip(), (description or "").strip()
        resource.is_published, resource.updated_by = is_published, _user_or_none(actor)
        resource.save()
        log_action(
            actor=actor,
            action="events.village.update",
            obj=resource,
            before=before,
            after=snapshot(resource, RESOURCE_FIELDS),
        )
    return resource


def set_village_resource_published(
    *, actor, resource: VillageResource, published: bool
) -> VillageResource:
    _check_district(actor, resource.district)
    with transaction.atomic():
        resource = VillageResource.objects.select_for_update().get(pk=resource.pk)
        if resource.is_published == published:
            return resource
        before = snapshot(resource, ["is_published"])
        resource.is_published, resource.updated_by = published, _user_or_none(actor)
        resource.save(update_fields=["is_published", "updated_by", "updated_at"])
        log_action(
            actor=actor,
            action="events.village.publish" if published else "events.village.unpublish",
            obj=resource,
            before=before,
            after=snapshot(resource, ["is_published"]),
        )
    return resource


# --- 우리동네키움센터현황 --------------------------------------------------------------

STATUS_COUNTS = ("general", "fusion", "hub", "operating", "closed", "total", "capacity")


@dataclass
class KiumStatusRow:
    label: str
    general: int = 0
    fusion: int = 0
    hub: int = 0
    operating: int = 0
    closed: int = 0
    total: int = 0
    capacity: int = 0

    def add(self, other: KiumStatusRow) -> None:
        for name in STATUS_COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def kium_status(user) -> tuple[list[KiumStatusRow], KiumStatusRow]:
    """One row per district in scope and the 합계 row, in three queries whatever the size.

    Counts come from one grouped query; capacity needs the approved-override rule
    (``effective_capacity``), so it is summed over one annotated query of the centres.
    Capacity counts operating centres only: a closed centre offers no places.
    """
    centres = facilities_for_user(user).filter(facility_type=FacilityType.KIUM)
    counts = centres.values("district_id").annotate(
        general=Count("pk", filter=Q(kind=FacilityKind.GENERAL)),
        fusion=Count("pk", filter=Q(kind=FacilityKind.FUSION)),
        hub=Count("pk", filter=Q(kind=FacilityKind.HUB)),
        operating=Count("pk", filter=Q(is_operating=True)),
        closed=Count("pk", filter=Q(is_operating=False)),
        total=Count("pk"),
    )
    by_district = {row.pop("district_id"): row for row in counts.order_by()}
    capacity: dict[int, int] = {}
    operating = with_effective_capacity(centres.filter(is_operating=True)).only(
        "pk", "district_id", "area_m2"
    )
    for facility in operating:
        capacity[facility.district_id] = capacity.get(facility.district_id, 0) + effective_capacity(
            facility
        )
    rows = []
    for district in _status_districts(user):
        row = KiumStatusRow(label=district.name, **by_district.get(district.pk, {}))
        row.capacity = capacity.get(district.pk, 0)
        rows.append(row)
    total = KiumStatusRow(label=_("합계"))
    for row in rows:
        total.add(row)
    return rows, total


def _status_districts(user) -> QuerySet[District]:
    """Districts in scope, also those reached through a facility, in Seoul's order."""
    scope = scope_for(user)
    if scope.city:
        return District.objects.order_by("sort_order", "name")
    reached = Facility.objects.filter(pk__in=scope.facility_ids).values("district_id")
    return District.objects.filter(Q(pk__in=scope.district_ids) | Q(pk__in=reached)).order_by(
        "sort_order", "name"
    )
