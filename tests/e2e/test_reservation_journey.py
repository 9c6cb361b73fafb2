"""예약하기 and 내 예약 in a real browser (RES-3, 5, 8): a guardian books tomorrow's
temporary care at a one-place centre (choosing before logging in), another joins the
waitlist and sees position 1, the first cancels, the second accepts the offered place.
axe finds no serious or critical violation on the reserve steps and 내 예약.

The live server runs on the real clock, so the centre is opened around today's date.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kium.centres.domain.periods import set_operating_period
from kium.centres.domain.queries import is_operating_day
from kium.centres.models import Quarter
from kium.core import clock
from kium.reservations.models import Reservation
from tests.e2e.test_accessibility import blocking_violations, describe
from tests.factories import people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOURS = (dt.time(13, 0), dt.time(20, 0))


def one_place_centre():
    """A 키움센터 of capacity 1 (3.3 m², no temporary quota, waitlist 2) open on weekdays
    in every quarter that the next two weeks touch."""
    facility = people.facility(
        "NW", kind="general", area_m2=Decimal("3.30"), name="한자리 키움센터"
    )
    today = clock.today()
    last = today + dt.timedelta(days=14)
    quarters = Quarter.objects.filter(start__lte=last, end__gte=today)
    if not quarters:
        pytest.skip(f"no usage quarter covers {today:%Y.%m.%d}")
    for quarter in quarters:
        set_operating_period(
            actor=None,
            facility=facility,
            quarter=quarter,
            weekday_hours=HOURS,
        )
    return facility


def next_open_day(facility) -> dt.date:
    """Tomorrow, or the first operating day after it (Sundays and holidays are closed)."""
    day = clock.today() + dt.timedelta(days=1)
    while not is_operating_day(facility, day):
        day += dt.timedelta(days=1)
    assert day <= clock.today() + dt.timedelta(days=14)
    return day


def assert_no_blocking_violation(page) -> None:
    page.wait_for_load_state("load")
    violations = blocking_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"


def portal_login(page, user) -> None:
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(people.PASSWORD)
    page.get_by_role("button", name="로그인").click()


def go_login(page, user) -> None:
    page.goto(f"{page.base_url}{reverse('public:login')}")
    portal_login(page, user)


def choose_day_and_submit(page, day: dt.date, *, check_axe: bool = False) -> None:
    """Steps 2 and 3: the day in the calendar (by keyboard-reachable radio), consent, submit."""
    radio = page.locator(f"#day-{day.isoformat()}")
    expect(radio).to_be_enabled()
    radio.check()
    # reserve.js fills in that day's hours.
    expect(page.locator("input[name=start_time]")).to_have_value("13:00")
    expect(page.locator("input[name=end_time]")).to_have_value("20:00")
    if check_axe:
        assert_no_blocking_violation(page)
    page.get_by_role("button", name="다음").click()
    expect(page.get_by_role("heading", name=re.compile("단계 동의·제출"))).to_be_visible()
    if check_axe:
        assert_no_blocking_violation(page)
    # KRDS draws its own box over the input: the label takes the click, as for a person.
    page.locator("label[for=id_privacy]").click()
    expect(page.get_by_label("② 개인정보 수집·이용에 동의합니다.")).to_be_checked()
    page.get_by_role("button", name=re.compile("신청하기")).click()


def test_book_wait_cancel_and_accept_the_offer(page):
    centre = one_place_centre()
    day = next_open_day(centre)
    first = people.guardian(name="김첫째")
    people.child(first, name="김하늘", grade=2)
    second = people.guardian(name="박둘째")
    people.child(second, name="박바다", grade=1)
    label = f"{day:%Y.%m.%d}"

    # 1. The first guardian starts on the facility page, before logging in.
    page.goto(f"{page.base_url}{reverse('public:facility', args=[centre.code])}")
    page.get_by_role("link", name="예약하기", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("단계 자녀·돌봄 유형"))).to_be_visible()
    assert_no_blocking_violation(page)
    page.get_by_label("일시돌봄").check()
    page.get_by_role("button", name="다음").click()
    expect(page.get_by_text("로그인하면 고른 내용 그대로")).to_be_visible()
    portal_login(page, first)
    # Back on step 1 with the choice kept and the only child chosen.
    expect(page.get_by_role("heading", name=re.compile("단계 자녀·돌봄 유형"))).to_be_visible()
    expect(page.get_by_label("일시돌봄")).to_be_checked()
    expect(page.get_by_label(re.compile("김하늘"))).to_be_checked()
    assert_no_blocking_violation(page)
    page.get_by_role("button", name="다음").click()
    expect(page.get_by_role("heading", name=re.compile("단계 날짜·시간"))).to_be_visible()
    choose_day_and_submit(page, day, check_axe=True)
    expect(page.get_by_role("heading", name="예약이 확정되었습니다")).to_be_visible()
    page.get_by_role("link", name="내 예약 보기").click()
    expect(page.get_by_role("heading", name="내 예약", exact=True)).to_be_visible()
    expect(page.get_by_text(label).first).to_be_visible()
    assert_no_blocking_violation(page)
    page.context.clear_cookies()

    # 2. The second guardian finds the day full and joins its waitlist.
    go_login(page, second)
    page.goto(f"{page.base_url}{reverse('public:reserve', args=[centre.code])}")
    page.get_by_label("일시돌봄").check()
    page.get_by_role("button", name="다음").click()
    row = page.locator("tr", has=page.locator(f"#day-{day.isoformat()}"))
    expect(row).to_contain_text("대기 신청")
    choose_day_and_submit(page, day)
    expect(page.get_by_role("heading", name="대기 1번째로 등록되었습니다")).to_be_visible()
    page.goto(f"{page.base_url}{reverse('public:my_reservations')}")
    expect(page.get_by_text("대기 1번째")).to_be_visible()
    page.context.clear_cookies()

    # 3. The first guardian cancels (after confirming).
    go_login(page, first)
    page.goto(f"{page.base_url}{reverse('public:my_reservations')}")
    page.get_by_role("link", name=re.compile("^취소")).click()
    expect(page.get_by_role("heading", name="예약을 취소할까요?")).to_be_visible()
    assert_no_blocking_violation(page)
    page.get_by_role("button", name="예약 취소").click()
    expect(page.get_by_text("예약을 취소했습니다.")).to_be_visible()
    page.context.clear_cookies()

    # 4. The second guardian sees the offer in 내 예약 and takes it in one tap.
    go_login(page, second)
    page.goto(f"{page.base_url}{reverse('public:my_reservations')}")
    expect(page.get_by_role("heading", name="자리 제안이 왔습니다")).to_be_visible()
    expect(page.get_by_text(re.compile("까지 수락해야 확정됩니다"))).to_be_visible()
    assert_no_blocking_violation(page)
    page.get_by_role("button", name=re.compile("수락하기")).click()
    expect(page.get_by_text("자리 제안을 수락했습니다.")).to_be_visible()
    expect(page.locator(".kium-status", has_text="이용확정")).to_be_visible()
    assert_no_blocking_violation(page)

    offered = Reservation.objects.get(guardian=second)
    assert offered.status == "confirmed"
    assert Reservation.objects.get(guardian=first).status == "cancelled"


def test_regular_form_and_errors_have_no_serious_violation(page):
    centre = one_place_centre()
    guardian = people.guardian()
    people.child(guardian, name="이솔", grade=3)
    go_login(page, guardian)
    page.goto(f"{page.base_url}{reverse('public:reserve', args=[centre.code])}")
    page.get_by_label("정기돌봄").check()
    page.get_by_role("button", name="다음").click()
    expect(page.get_by_role("group", name=re.compile("이용 요일"))).to_be_visible()
    assert_no_blocking_violation(page)
    # Too short a period: the message sits next to the end date and the page stays usable.
    page.locator("input[name=end_date]").fill((clock.today() + dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="다음").click()
    expect(page.locator("#id_end_date_error")).to_contain_text("30일 이상")
    expect(page.locator("input[name=end_date]")).to_have_attribute(
        "aria-describedby", re.compile("id_end_date_error")
    )
    assert_no_blocking_violation(page)
