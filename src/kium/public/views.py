"""Portal pages that belong to no later feature: the home page."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kium.boards.domain.events import published_events
from kium.core import clock


@dataclass(frozen=True)
class QuickLink:
    label: str
    description: str
    # The URL name the feature's issue is expected to register; until it exists the
    # card shows as text, so the home page never carries a dead link. "public:find_care"
    # is /find/, which opens the map (지도서비스).
    url_name: str
    icon: str


QUICK_LINKS: tuple[QuickLink, ...] = (
    QuickLink(
        _("돌봄 정보찾기"),
        _("우리 동네 돌봄 시설을 지도와 목록으로 찾아보세요."),
        "public:find_care",
        "search",
    ),
    QuickLink(
        _("키움센터 예약"),
        _("정기돌봄과 일시돌봄을 신청하고 예약 현황을 확인하세요."),
        "public:reservations",
        "calendar",
    ),
    QuickLink(
        _("서울형 키즈카페"),
        _("가까운 서울형 키즈카페의 이용 회차를 예약하세요."),
        "public:kidscafe",
        "kids",
    ),
    QuickLink(
        _("공지사항"),
        _("포털과 돌봄 시설의 새 소식을 알려 드립니다."),
        "public:notices",
        "notice",
    ),
)


def _href(url_name: str) -> str:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return ""


HOME_EVENTS = 3


def home(request: HttpRequest) -> HttpResponse:
    quick_links = [
        {
            "label": link.label,
            "description": link.description,
            "href": _href(link.url_name),
            "icon": link.icon,
        }
        for link in QUICK_LINKS
    ]
    # 문화행사 (FAC-4): the next few running or upcoming ones; one query.
    events = list(published_events(today=clock.today())[:HOME_EVENTS])
    return render(request, "public/home.html", {"quick_links": quick_links, "events": events})
