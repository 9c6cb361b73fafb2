"""관심시설 (centres.domain.favourites): guardians only, idempotent, at most 20."""

import datetime as dt

import pytest

from kium.centres.domain import finder
from kium.centres.domain.errors import CentresError
from kium.centres.domain.favourites import (
    MAX_FAVOURITES,
    TOO_MANY,
    add_favourite,
    favourite_facilities,
    is_favourite,
    remove_favourite,
)
from kium.centres.models import FavouriteFacility
from kium.core.models import AuditEntry
from tests.centres.test_finder import THURSDAY, open_semester2


def test_add_is_idempotent_and_audited(people):
    guardian = people.guardian()
    facility = people.facility("NW")
    first = add_favourite(user=guardian, facility=facility)
    again = add_favourite(user=guardian, facility=facility)
    assert first.pk == again.pk
    assert FavouriteFacility.objects.filter(user=guardian).count() == 1
    assert is_favourite(user=guardian, facility=facility)
    entries = AuditEntry.objects.filter(action="favourite.add")
    assert entries.count() == 1
    assert entries.get().actor == guardian and entries.get().after == {"facility": facility.code}


def test_remove_is_idempotent_and_audited(people):
    guardian = people.guardian()
    facility = people.facility("NW")
    add_favourite(user=guardian, facility=facility)
    assert remove_favourite(user=guardian, facility=facility) is True
    assert remove_favourite(user=guardian, facility=facility) is False
    assert not is_favourite(user=guardian, facility=facility)
    assert AuditEntry.objects.filter(action="favourite.remove").count() == 1


def test_favourites_are_per_guardian(people):
    one, other = people.guardian(), people.guardian()
    facility = people.facility("NW")
    add_favourite(user=one, facility=facility)
    assert not is_favourite(user=other, facility=facility)
    assert remove_favourite(user=other, facility=facility) is False
    assert is_favourite(user=one, facility=facility)


def test_only_guardians_keep_favourites(people):
    facility = people.facility("NW")
    staff = people.centre_manager(facility)
    for user in (staff, people.city_officer(), None):
        with pytest.raises(CentresError) as caught:
            add_favourite(user=user, facility=facility)
        assert caught.value.code == "forbidden"
        assert "보호자 회원만" in caught.value.message
        assert not is_favourite(user=user, facility=facility)
    assert FavouriteFacility.objects.count() == 0


def test_at_most_twenty_with_a_korean_message(people):
    guardian = people.guardian()
    facilities = [people.facility("NW") for _ in range(MAX_FAVOURITES + 1)]
    for facility in facilities[:MAX_FAVOURITES]:
        add_favourite(user=guardian, facility=facility)
    with pytest.raises(CentresError) as caught:
        add_favourite(user=guardian, facility=facilities[-1])
    assert caught.value.code == TOO_MANY
    assert "20곳까지" in caught.value.message
    # Adding one already kept is still fine at the limit, and so is another guardian.
    add_favourite(user=guardian, facility=facilities[0])
    add_favourite(user=people.guardian(), facility=facilities[-1])
    assert FavouriteFacility.objects.filter(user=guardian).count() == MAX_FAVOURITES


def test_list_newest_first_with_today_in_one_query(people, django_assert_max_num_queries):
    guardian = people.guardian()
    open_one = open_semester2(people.facility("NW", kind="general"))
    closed_one = people.facility("NW", kind="general")  # no operating period
    add_favourite(user=guardian, facility=open_one)
    add_favourite(user=guardian, facility=closed_one)
    FavouriteFacility.objects.filter(facility=open_one).update(
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    with django_assert_max_num_queries(1):
        rows = list(favourite_facilities(user=guardian, day=THURSDAY))
        places = [finder.free_places_today(row, THURSDAY) for row in rows]
    assert [row.code for row in rows] == [closed_one.code, open_one.code]
    assert places == [(0, 0), (20, 24)]  # temporary: shared places + quota
