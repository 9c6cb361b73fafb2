"""행사 및 교육 domain (FAC-4): scope, dates, sanitising, audit; 우리동네키움센터현황."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from kium.boards.domain import events as domain
from kium.boards.domain.errors import BoardsError
from kium.boards.models import CulturalEvent
from kium.core.models import AuditEntry
from kium.orgs.domain.scope import scope_for
from kium.orgs.models import Dong, Facility

D1, D2 = dt.date(2026, 12, 1), dt.date(2026, 12, 3)


def _event(actor, district, **fields):
    data = {"title": "겨울 인형극", "district": district, "place": "구민회관"}
    data.update({"starts_on": D1, "ends_on": D2, **fields})
    return domain.create_event(actor=actor, **data)


def test_district_officer_creates_event_in_own_district_and_it_is_audited(people):
    officer = people.district_officer("NW")
    event = _event(officer, people.district("NW"))
    assert event.created_by == officer
    entry = AuditEntry.objects.get(action="events.event.create", object_id=str(event.pk))
    assert entry.after["title"] == "겨울 인형극"


def test_district_officer_cannot_create_in_another_district_or_city_wide(people):
    officer = people.district_officer("NW")
    with pytest.raises(BoardsError) as other:
        _event(officer, people.district("GN"))
    assert other.value.field == "district"
    with pytest.raises(BoardsError) as citywide:
        _event(officer, None)
    assert citywide.value.field == "district"
    assert not CulturalEvent.objects.exists()


def test_city_officer_creates_city_wide_event(people):
    event = _event(people.city_officer(), None)
    assert event.district is None


def test_ends_before_start_is_refused_by_domain_and_database(people):
    officer = people.city_officer()
    with pytest.raises(BoardsError) as exc:
        _event(officer, None, starts_on=D2, ends_on=D1)
    assert exc.value.field == "ends_on"
    with pytest.raises(IntegrityError), transaction.atomic():
        CulturalEvent.objects.create(title="x", place="y", starts_on=D2, ends_on=D1)


def test_description_is_sanitised(people):
    event = _event(
        people.city_officer(),
        None,
        description=(
            '<p onclick="x()">안내</p><script>alert(1)</script><a href="javascript:x">링크</a>'
        ),
    )
    event.refresh_from_db()
    assert "<script" not in event.description
    assert "onclick" not in event.description
    assert "javascript:" not in event.description
    assert "<p>안내</p>" in event.description


def test_scoped_reads_hide_other_districts_and_city_wide_events(people):
    city = people.city_officer()
    nw = _event(city, people.district("NW"))
    gn = _event(city, people.district("GN"))
    citywide = _event(city, None)
    officer = people.district_officer("NW")
    assert list(domain.events_for_user(officer)) == [nw]
    assert set(domain.events_for_user(city)) == {nw, gn, citywide}


def test_district_officer_cannot_update_another_districts_event(people):
    event = _event(people.city_officer(), people.district("GN"))
    officer = people.district_officer("NW")
    with pytest.raises(BoardsError):
        domain.update_event(
            actor=officer,
            event=event,
            title="바꿈",
            district=people.district("NW"),
            place="p",
            starts_on=D1,
            ends_on=D2,
        )
    event.refresh_from_db()
    assert event.title == "겨울 인형극"


def test_update_and_publish_are_audited(people):
    officer = people.district_officer("NW")
    event = _event(officer, people.district("NW"))
    domain.update_event(
        actor=officer,
        event=event,
        title="봄 인형극",
        district=people.district("NW"),
        place="구민회관",
        starts_on=D1,
        ends_on=D2,
    )
    domain.set_event_published(actor=officer, event=event, published=True)
    event.refresh_from_db()
    assert event.title == "봄 인형극" and event.is_published
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"events.event.update", "events.event.publish"} <= actions


def test_event_facility_must_be_in_the_event_district(people):
    gn_centre = people.facility("GN")
    with pytest.raises(BoardsError) as exc:
        _event(people.city_officer(), people.district("NW"), facility=gn_centre)
    assert exc.value.field == "facility"


def test_village_resource_dong_must_belong_to_district(people):
    officer = people.district_officer("NW")
    gn_dong = Dong.objects.filter(district__code="GN").first()
    nw_dong = Dong.objects.filter(district__code="NW").first()
    assert gn_dong is not None and nw_dong is not None
    with pytest.raises(BoardsError) as exc:
        domain.create_village_resource(
            actor=officer,
            name="노원어린이도서관",
            category="library",
            district=people.district("NW"),
            dong=gn_dong,
        )
    assert exc.value.field == "dong"
    resource = domain.create_village_resource(
        actor=officer,
        name="노원어린이도서관",
        category="library",
        district=people.district("NW"),
        dong=nw_dong,
    )
    assert AuditEntry.objects.filter(action="events.village.create", object_id=str(resource.pk))


def test_village_resource_out_of_scope_district_refused(people):
    officer = people.district_officer("NW")
    with pytest.raises(BoardsError):
        domain.create_village_resource(
            actor=officer, name="강남공원", category="park", district=people.district("GN")
        )


# --- 우리동네키움센터현황 --------------------------------------------------------------


def _centres(people):
    people.facility("NW", kind="general", area_m2=Decimal("66"))  # 20 places
    people.facility("NW", kind="hub", area_m2=Decimal("33"))  # 10 places
    closed = people.facility("NW", kind="fusion", area_m2=Decimal("66"))
    Facility.objects.filter(pk=closed.pk).update(is_operating=False)
    people.facility("GN", kind="general", area_m2=Decimal("99"))  # 30 places
    people.facility("GN", facility_type="GI")  # not a 키움센터: not counted


def _row(rows, name):
    return next(r for r in rows if r.label == name)


def test_kium_status_numbers_for_the_city(people):
    _centres(people)
    rows, total = domain.kium_status(people.city_officer())
    assert len(rows) == 25
    nw = _row(rows, "노원구")
    assert (nw.general, nw.fusion, nw.hub) == (1, 1, 1)
    assert (nw.operating, nw.closed, nw.total, nw.capacity) == (2, 1, 3, 30)
    gn = _row(rows, "강남구")
    assert (gn.general, gn.total, gn.capacity) == (1, 1, 30)
    assert (total.total, total.operating, total.closed, total.capacity) == (4, 3, 1, 60)
    assert str(total.label) == "합계"


def test_kium_status_district_officer_sees_only_own_district(people):
    _centres(people)
    rows, total = domain.kium_status(people.district_officer("NW"))
    assert [r.label for r in rows] == ["노원구"]
    assert (total.total, total.capacity) == (3, 30)


@pytest.mark.parametrize("count", [1, 20])
def test_kium_status_uses_a_fixed_number_of_queries(people, django_assert_num_queries, count):
    for _ in range(count):
        people.facility("NW", kind="general")
    officer = people.city_officer()
    scope_for(officer)  # the scope is computed once per request, before the page
    with django_assert_num_queries(3):
        _rows, total = domain.kium_status(officer)
    assert total.total == count
