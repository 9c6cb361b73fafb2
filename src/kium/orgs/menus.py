"""The menu registry: what a role can grant (ACC-4) and what the shells show (§12).

A role's ``menus`` is a list of the item codes below. A top menu is shown to a user who
holds at least one of its items. ``url_name`` is the back-office view of an item; items
whose issue has not landed yet point to the generic menu page, which says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    code: str
    label: str
    url_name: str = ""
    group: str = ""


@dataclass(frozen=True)
class TopMenu:
    code: str
    label: str
    items: tuple[MenuItem, ...] = field(default_factory=tuple)


def _m(code: str, label, url_name: str = "", group: str = "") -> MenuItem:
    return MenuItem(code=code, label=label, url_name=url_name, group=group)


BACKOFFICE_MENUS: tuple[TopMenu, ...] = (
    TopMenu(
        "org",
        _("조직관리"),
        (
            _m("org.departments", _("부서 관리"), "backoffice:departments"),
            _m("org.staff", _("담당자 관리"), "backoffice:staff_list"),
            _m("org.roles", _("권한 관리"), "backoffice:roles"),
            _m("org.assignments", _("권한할당 관리"), "backoffice:assignments"),
            _m("org.mapping", _("시설 ID 매핑"), "backoffice:mapping"),
            _m("org.guides", _("보육반장 관리"), "backoffice:guides"),
            _m("org.guide_codes", _("보육반장 코드 관리"), "backoffice:guide_codes"),
        ),
    ),
    TopMenu(
        "users",
        _("사용자관리"),
        (
            _m("users.approvals", _("담당자 가입승인"), "backoffice:approvals"),
            _m("users.guardians", _("이용자 관리")),
            _m("users.logins", _("접속이력"), "backoffice:login_history"),
            _m("users.audit", _("변경이력"), "backoffice:audit_log"),
            _m("users.access", _("개인정보 접속기록"), "backoffice:access_records"),
            _m("users.review", _("접속기록 월간점검"), "backoffice:monthly_review"),
        ),
    ),
    TopMenu(
        "reservations",
        _("예약관리"),
        (
            _m(
                "reservations.applications",
                _("예약신청관리"),
                "backoffice:reservation_applications",
                group=_("우리동네키움센터"),
            ),
            _m(
                "reservations.daily",
                _("일일 이용자관리"),
                "backoffice:reservation_daily",
                group=_("우리동네키움센터"),
            ),
            _m(
                "reservations.extensions",
                _("이용기간 연장관리"),
                "backoffice:reservation_extensions",
                group=_("우리동네키움센터"),
            ),
            _m(
                "reservations.attendance",
                _("출결관리"),
                "backoffice:attendance_day",
                group=_("우리동네키움센터"),
            ),
            _m(
                "reservations.regular",
                _("정기돌봄 이용자관리"),
                "backoffice:reservation_users_regular",
                group=_("우리동네키움센터"),
            ),
            _m(
                "reservations.rfcards",
                _("RF카드관리"),
                "backoffice:attendance_cards",
                group=_("우리동네키움센터"),
            ),
            _m(
                "reservations.temporary",
                _("일시돌봄 이용자관리"),
                "backoffice:reservation_users_temporary",
                group=_("우리동네키움센터"),
            ),
            _m(
                "reservations.sick",
                _("아픈아이 돌봄 이용자관리"),
                "backoffice:reservation_users_sick",
                group=_("우리동네키움센터"),
            ),
            _m(
                "reservations.linked",
                _("연계돌봄(아동별 현황)"),
                "backoffice:linked",
                group=_("우리동네키움센터"),
            ),
            _m("reservations.training", _("종사자 교육신청"), group=_("종사자 교육")),
            _m("reservations.programs", _("프로그램 신청"), group=_("창의체험활동")),
            _m("reservations.hub", _("거점형 특화서비스 예약신청관리"), group=_("거점형")),
        ),
    ),
    TopMenu(
        "boards",
        _("게시판관리"),
        (
            _m("boards.notices", _("공지사항"), group=_("홍보,알림")),
            _m("boards.news", _("우리동네키움센터 소식"), group=_("홍보,알림")),
            _m("boards.jobs", _("채용소식"), group=_("홍보,알림")),
            _m("boards.admin_notices", _("관리자 공지사항"), group=_("홍보,알림")),
            _m("boards.gallery", _("갤러리"), group=_("홍보,알림")),
            _m("boards.data_room", _("시구자료실(키움센터)"), group=_("홍보,알림")),
        ),
    ),
    TopMenu(
        "homepage",
        _("홈페이지관리"),
        (
            _m(
                "homepage.facilities",
                _("전체시설관리"),
                "backoffice:facilities",
                group=_("시설관리"),
            ),
            _m(
                "homepage.kium_status",
                _("우리동네키움센터현황"),
                "backoffice:kium_status",
                group=_("시설관리"),
            ),
            _m(
                "homepage.kium", _("우리동네키움센터"), "backoffice:facilities", group=_("시설관리")
            ),
            _m("homepage.events", _("문화행사"), "backoffice:events", group=_("행사 및 교육")),
            _m(
                "homepage.village",
                _("마을돌봄자원"),
                "backoffice:village_resources",
                group=_("행사 및 교육"),
            ),
            _m(
                "homepage.alimtalk",
                _("알림톡 발송 이력"),
                "backoffice:notification_history",
                group=_("알림톡 관리"),
            ),
            _m(
                "homepage.alimtalk_templates",
                _("알림톡 템플릿 관리"),
                "backoffice:notification_templates",
                group=_("알림톡 관리"),
            ),
        ),
    ),
    TopMenu("cms", _("CMS"), (_m("cms.pages", _("콘텐츠 관리"), "backoffice:cms_pages"),)),
    TopMenu(
        "system",
        _("시스템운영관리"),
        (
            _m("system.districts", _("자치구·동 관리"), "backoffice:districts"),
            _m("system.quarters", _("이용분기 관리"), "backoffice:quarters"),
            _m("system.holidays", _("휴무일 관리"), "backoffice:holidays"),
        ),
    ),
    TopMenu(
        "stats",
        _("통계관리"),
        (
            _m("stats.facilities", _("우리동네키움센터 시설현황")),
            _m("stats.users", _("우리동네키움센터 이용자현황")),
            _m("stats.regular", _("정기 이용자 현황")),
            _m("stats.temporary", _("일시 이용자 현황")),
            _m("stats.attendance", _("출석관리")),
        ),
    ),
)

ALL_MENU_CODES: tuple[str, ...] = tuple(item.code for top in BACKOFFICE_MENUS for item in top.items)
MENU_ITEMS: dict[str, MenuItem] = {
    item.code: item for top in BACKOFFICE_MENUS for item in top.items
}


def backoffice_menus_for(user) -> list[dict]:
    """The top menus and items this user holds, in registry order."""
    from kium.orgs.domain.scope import menu_codes_for

    if user is None or not user.is_authenticated:
        return []
    held = menu_codes_for(user)
    shown = []
    for top in BACKOFFICE_MENUS:
        items = [item for item in top.items if item.code in held]
        if items:
            shown.append({"code": top.code, "label": top.label, "items": items})
    return shown


# The five top menus of the parents' portal with the seed's sub-menus (§12). An item is
# a plain label (shown as text until its feature lands) or a dict with "label" and
# "href" or "url_name" (partials/menu_item.html links it). Information pages are CMS
# pages (boards.Page, BRD-5); 센터연락처 and 자치구 담당부서 are generated from facility
# and department data; 돌봄 정보찾기 and 행사 및 교육 are portal pages of their own
# (docs/finding-care.md).
def _page(label, slug: str) -> dict:
    return {"label": label, "href": reverse_lazy("public:cms_page", kwargs={"slug": slug})}


def _contacts(label, facility_type: str) -> dict:
    return {
        "label": label,
        "href": reverse_lazy("public:contacts", kwargs={"facility_type": facility_type}),
    }


def _offices(label) -> dict:
    return {"label": label, "href": reverse_lazy("public:district_offices")}


def _link(label, url_name: str) -> dict:
    """A portal page of its own (not CMS), by URL name."""
    return {"label": label, "href": reverse_lazy(url_name)}


PUBLIC_MENUS: tuple[dict, ...] = (
    {
        "label": _("초등돌봄"),
        "groups": (
            (
                _("일반/융합형 우리동네키움센터"),
                (
                    _page(_("서비스 소개"), "kium/intro"),
                    _contacts(_("센터연락처"), "UK"),
                    _page(_("이용안내"), "kium/guide"),
                    _offices(_("자치구 담당부서")),
                ),
            ),
            (
                _("거점형 키움센터"),
                (
                    _page(_("거점1호"), "hub/1"),
                    _page(_("거점2호"), "hub/2"),
                    _page(_("거점3호"), "hub/3"),
                    _page(_("거점4호"), "hub/4"),
                    _page(_("거점5호"), "hub/5"),
                    _page(_("거점6호"), "hub/6"),
                    _page(_("거점7호"), "hub/7"),
                ),
            ),
            (
                _("지역아동센터"),
                (
                    _page(_("서비스 소개"), "local-child/intro"),
                    _contacts(_("센터연락처"), "GI"),
                    _page(_("이용안내"), "local-child/guide"),
                    _offices(_("자치구 담당부서")),
                ),
            ),
            (
                _("청소년방과후아카데미"),
                (_page(_("서비스 소개"), "youth-academy/intro"), _("센터 연락처")),
            ),
            (
                _("초등돌봄교실"),
                (_page(_("서비스 소개"), "school-care/intro"), _("센터 연락처")),
            ),
        ),
    },
    {
        "label": _("영유아돌봄"),
        "groups": (
            (
                _("공동육아방"),
                (
                    _page(_("서비스 소개"), "community-room/intro"),
                    _contacts(_("센터 연락처"), "CC"),
                    _offices(_("자치구 담당부서")),
                ),
            ),
            (
                _("공동육아나눔터"),
                (
                    _page(_("서비스 소개"), "sharing/intro"),
                    _contacts(_("센터 연락처"), "CC"),
                    _offices(_("자치구 담당부서")),
                ),
            ),
            (
                _("아이돌봄 서비스"),
                (
                    _page(_("서비스 소개"), "child-care-service/intro"),
                    _("센터 연락처"),
                    _("서비스 제공기관"),
                ),
            ),
            (
                _("육아지원 코디네이터"),
                (
                    _page(_("서비스 소개"), "coordinator/intro"),
                    _("우리동네 꿈꿈 육아정보"),
                    _("활동소식"),
                ),
            ),
        ),
    },
    {
        "label": _("서울형 키즈카페"),
        "groups": (
            (
                _("서울형 키즈카페"),
                (
                    _page(_("서울형 키즈카페 소개"), "kidscafe/intro"),
                    _("서울형 키즈카페 예약"),
                    _("키즈카페머니 사용처"),
                ),
            ),
        ),
    },
    {
        "label": _("예약신청"),
        "groups": (
            (
                _("키움센터"),
                (
                    _page(_("예약안내"), "reservations/guide"),
                    _("거점형 키움센터 예약"),
                    _("우리동네키움센터 예약"),
                ),
            ),
            (_("서울형키즈카페"), (_("서울형 키즈카페 예약"),)),
            (_("키움센터 체험 서비스"), (_("창의체험 활동"), _("특화프로그램 활동"))),
        ),
    },
    {
        "label": _("홍보·자료"),
        "groups": (
            (
                _("돌봄 정보찾기"),
                (
                    _page(_("돌봄서비스문의처"), "find/contacts"),
                    _link(_("맞춤형정보"), "public:find_custom"),
                    _link(_("지도서비스"), "public:find_map"),
                ),
            ),
            # FAC-4: the portal side of what the back office manages under 행사 및 교육.
            (
                _("행사 및 교육"),
                (
                    _link(_("문화행사"), "public:events"),
                    _link(_("마을돌봄자원"), "public:village_resources"),
                ),
            ),
            (
                _("알림방"),
                (_("공지사항"), _("우리동네키움센터 소식"), _("채용소식"), _("고시/공고")),
            ),
            (_("홍보방"), (_("동영상"), _("갤러리"), _("프로젝트기반배움(PBL)운영사례"))),
            (_("자료실"), (_("키움센터 뉴스레터"), _("자료실"), _("자주 묻는 질문"))),
        ),
    },
)
