"""접속기록 월간점검: counts per account, unusual and night-time reads, downloads."""

import datetime as dt

import pytest
import time_machine

from kium.core.audit import record_access
from kium.core.clock import SEOUL
from kium.orgs.domain.errors import OrgError
from kium.orgs.domain.exports import record_download
from kium.orgs.domain.reviews import complete_review, review_summary
from kium.orgs.models import AccessReview


def at(day, hour):
    return time_machine.travel(dt.datetime(2026, 10, day, hour, 0, tzinfo=SEOUL), tick=False)


def reads(actor, subject, n, day=5, hour=14):
    with at(day, hour):
        for _ in range(n):
            record_access(actor=actor, action="child.view", subject=subject)


@pytest.fixture
def scene(people):
    city = people.city_officer()
    busy = people.district_officer("NW")
    quiet = [people.district_officer("NW") for _ in range(3)]
    night_owl = people.district_officer("GN")
    child = people.child(people.guardian())
    for officer in quiet:
        reads(officer, child, 5)
    reads(busy, child, 60)
    reads(night_owl, child, 2, hour=23)
    reads(night_owl, child, 1, day=6, hour=3)
    reads(busy, child, 4, day=2, hour=14)
    # Outside the month: ignored.
    with time_machine.travel(dt.datetime(2026, 11, 1, 0, 30, tzinfo=SEOUL), tick=False):
        record_access(actor=busy, action="child.view", subject=child)
    return {"city": city, "busy": busy, "night_owl": night_owl, "child": child}


def test_summary_flags_unusual_and_night_reads(scene):
    summary = review_summary(actor=scene["city"], month=dt.date(2026, 10, 17))
    by_name = {line.username: line for line in summary.accounts}
    assert summary.month == dt.date(2026, 10, 1)
    assert by_name[scene["busy"].username].total == 64
    assert [line.username for line in summary.unusual] == [scene["busy"].username]
    assert [line.username for line in summary.night] == [scene["night_owl"].username]
    assert by_name[scene["night_owl"].username].night == 3
    assert summary.total == 64 + 15 + 3


def test_summary_lists_downloads_with_reasons(scene):
    with at(20, 10):
        record_download(
            actor=scene["busy"], what="staff_list", label="담당자 목록", count=3, reason="감사 자료"
        )
    summary = review_summary(actor=scene["city"], month=dt.date(2026, 10, 1))
    assert [d.reason for d in summary.downloads] == ["감사 자료"]


def test_district_officer_sees_only_own_district_accounts(scene, people):
    viewer = people.district_officer("GN")
    summary = review_summary(actor=viewer, month=dt.date(2026, 10, 1))
    assert {line.username for line in summary.accounts} <= {
        scene["night_owl"].username,
        viewer.username,
    }


def test_complete_review_once_per_month(scene):
    review = complete_review(actor=scene["city"], month=dt.date(2026, 10, 9), note="이상 없음")
    assert review.month == dt.date(2026, 10, 1)
    assert review.district is None
    assert review_summary(actor=scene["city"], month=dt.date(2026, 10, 1)).review == review
    with pytest.raises(OrgError) as err:
        complete_review(actor=scene["city"], month=dt.date(2026, 10, 1))
    assert err.value.code == "already_reviewed"
    assert AccessReview.objects.count() == 1


def test_review_needs_the_menu(scene):
    with pytest.raises(OrgError):
        complete_review(actor=scene["busy"], month=dt.date(2026, 10, 1))
