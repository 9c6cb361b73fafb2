"""Seoul's 25 districts (ORG-1) and the deck's fourteen roles (ACC-4), as editable data.

Order follows Seoul's administrative codes (종로 11110 … 강동 11740). 강북 GB and 강동 GD
are not in the deck; Seoul's open data uses them.
"""

from django.db import migrations

DISTRICTS = [
    ("JN", "종로구"), ("JG", "중구"), ("YS", "용산구"), ("SD", "성동구"), ("GJ", "광진구"),
    ("DM", "동대문구"), ("JR", "중랑구"), ("SB", "성북구"), ("GB", "강북구"), ("DB", "도봉구"),
    ("NW", "노원구"), ("EP", "은평구"), ("SM", "서대문구"), ("MP", "마포구"), ("YC", "양천구"),
    ("GS", "강서구"), ("GR", "구로구"), ("KC", "금천구"), ("YF", "영등포구"), ("DJ", "동작구"),
    ("GA", "관악구"), ("SC", "서초구"), ("GN", "강남구"), ("SP", "송파구"), ("GD", "강동구"),
]

ORG_ALL = ["org.departments", "org.staff", "org.roles", "org.assignments", "org.mapping",
           "org.guides", "org.guide_codes"]
USERS_ALL = ["users.approvals", "users.guardians", "users.logins", "users.audit",
             "users.access", "users.review"]
RES_KIUM = ["reservations.applications", "reservations.daily", "reservations.extensions",
            "reservations.attendance", "reservations.regular", "reservations.rfcards",
            "reservations.temporary", "reservations.sick", "reservations.linked",
            "reservations.training", "reservations.programs", "reservations.hub"]
RES_BASIC = ["reservations.applications", "reservations.daily", "reservations.attendance",
             "reservations.rfcards", "reservations.linked"]
BOARDS_ALL = ["boards.notices", "boards.news", "boards.jobs", "boards.admin_notices",
              "boards.gallery", "boards.data_room"]
HOME_ALL = ["homepage.facilities", "homepage.kium_status", "homepage.kium", "homepage.events",
            "homepage.village", "homepage.alimtalk"]
STATS_ALL = ["stats.facilities", "stats.users", "stats.regular", "stats.temporary",
             "stats.attendance"]
SYSTEM_ALL = ["system.districts", "system.quarters", "system.holidays"]
EVERYTHING = ORG_ALL + USERS_ALL + RES_KIUM + BOARDS_ALL + HOME_ALL + ["cms.pages"] + SYSTEM_ALL + STATS_ALL
DISTRICT_ORG = ["org.departments", "org.staff", "org.assignments", "org.mapping"]
DISTRICT_USERS = ["users.guardians", "users.logins", "users.audit"]

# (name, level, facility_type, menus, description)
ROLES = [
    ("개발자권한", "city", "", EVERYTHING, "모든 메뉴, 서울시 전체, API 포함"),
    ("총괄운영", "city", "", EVERYTHING, "서울시 총괄 운영"),
    ("시관리자_보육반장", "city", "", ["org.guides", "org.guide_codes", "users.logins",
                                   "users.audit", "boards.admin_notices"], "서울시 보육반장 담당"),
    ("시관리자_열린육아방", "city", "CC", ORG_ALL + USERS_ALL + RES_BASIC + BOARDS_ALL + HOME_ALL
     + ["cms.pages"] + STATS_ALL, "서울시 열린육아방·공동육아나눔터 담당"),
    ("시관리자_우리동네키움센터", "city", "UK", ORG_ALL + USERS_ALL + RES_KIUM + BOARDS_ALL
     + HOME_ALL + ["cms.pages"] + SYSTEM_ALL + STATS_ALL, "서울시 우리동네키움센터 담당"),
    ("시관리자_지역아동센터", "city", "GI", ORG_ALL + USERS_ALL + RES_BASIC + BOARDS_ALL + HOME_ALL
     + ["cms.pages"] + STATS_ALL, "서울시 지역아동센터 담당"),
    ("시관리자_육아종합지원센터", "city", "", BOARDS_ALL + HOME_ALL + ["cms.pages"] + STATS_ALL,
     "서울시 육아종합지원센터 담당"),
    ("구관리자_보육반장", "district", "", ["org.guides", "org.guide_codes", "users.logins",
                                      "boards.admin_notices"], "자치구 보육반장 담당"),
    ("구관리자_우리동네키움센터", "district", "UK", DISTRICT_ORG + DISTRICT_USERS + RES_KIUM
     + ["boards.notices", "boards.news", "boards.jobs", "boards.gallery", "boards.data_room"]
     + ["homepage.facilities", "homepage.kium_status", "homepage.kium", "homepage.events",
        "homepage.village"] + STATS_ALL, "자치구 우리동네키움센터·관할 시설 담당"),
    ("센터관리자_열린육아방", "facility", "CC", RES_BASIC + ["boards.news", "homepage.facilities"],
     "열린육아방·공동육아나눔터 센터 담당자"),
    ("센터관리자_우리동네키움센터", "facility", "UK", RES_KIUM + ["boards.news", "homepage.kium",
                                                          "stats.users", "stats.attendance"],
     "우리동네키움센터 센터 담당자"),
    ("센터관리자_지역아동센터", "facility", "GI", RES_BASIC + ["boards.news", "homepage.facilities"],
     "지역아동센터 센터 담당자"),
    ("보육반장코드", "district", "", ["org.guide_codes"], "보육반장 코드 관리"),
    ("보육반장", "district", "", ["boards.admin_notices"], "보육반장 (동네 돌봄 안내)"),
]


def load(apps, schema_editor):
    District = apps.get_model("orgs", "District")
    Role = apps.get_model("orgs", "Role")
    for order, (code, name) in enumerate(DISTRICTS, start=1):
        District.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})
    for order, (name, level, ftype, menus, description) in enumerate(ROLES, start=1):
        Role.objects.update_or_create(
            name=name,
            defaults={
                "level": level,
                "facility_type": ftype,
                "menus": list(dict.fromkeys(menus)),
                "description": description,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
