"""Management screens of the back office (조직관리, 사용자관리, 시스템운영관리 …)."""

from django.urls import path

from kium.backoffice import (
    views,
    views_facility_profile,
    views_guides,
    views_org,
    views_roles,
    views_staff,
    views_system,
    views_users,
)

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("m/<slug:code>/", views.top_menu, name="top_menu"),
    path("menu/<str:code>/", views.menu, name="menu"),
    # 조직관리 > 부서 관리, 시설 ID 매핑, facilities
    path("org/departments/", views_org.departments, name="departments"),
    path("org/departments/new/", views_org.department_add, name="department_add"),
    path("org/departments/<int:pk>/", views_org.department_detail, name="department_detail"),
    path(
        "org/departments/<int:pk>/facility-search/",
        views_org.department_facility_search,
        name="department_facility_search",
    ),
    path("org/departments/<int:pk>/map/", views_org.department_map, name="department_map"),
    path("org/departments/<int:pk>/unmap/", views_org.department_unmap, name="department_unmap"),
    path("org/mapping/", views_org.mapping, name="mapping"),
    path("org/facilities/", views_org.facilities, name="facilities"),
    path("org/facilities/new/", views_org.facility_new, name="facility_new"),
    path("org/facilities/export/", views_org.facilities_export, name="facilities_export"),
    path("org/facilities/<facility_code:code>/", views_org.facility_detail, name="facility_detail"),
    # 시설 기본정보 수정, 소개 정보·사진 (FAC-2)
    path(
        "org/facilities/<facility_code:code>/edit/",
        views_facility_profile.facility_edit,
        name="facility_edit",
    ),
    path(
        "org/facilities/<facility_code:code>/profile/",
        views_facility_profile.facility_profile,
        name="facility_profile",
    ),
    path(
        "org/facilities/<facility_code:code>/photos/",
        views_facility_profile.facility_photo_add,
        name="facility_photo_add",
    ),
    path(
        "org/facilities/<facility_code:code>/photos/<int:pk>/",
        views_facility_profile.facility_photo,
        name="facility_photo",
    ),
    path(
        "org/facilities/<facility_code:code>/photos/<int:pk>/delete/",
        views_facility_profile.facility_photo_delete,
        name="facility_photo_delete",
    ),
    path(
        "org/facilities/<facility_code:code>/photos/<int:pk>/move/",
        views_facility_profile.facility_photo_move,
        name="facility_photo_move",
    ),
    path("org/address-search/", views_facility_profile.address_search, name="address_search"),
    path("org/dongs/", views_org.dong_options, name="dong_options"),
    # 조직관리 > 담당자 관리
    path("org/staff/", views_staff.staff_list, name="staff_list"),
    path("org/staff/new/", views_staff.staff_new, name="staff_new"),
    path("org/staff/export/", views_staff.staff_export, name="staff_export"),
    path("org/staff/<int:pk>/", views_staff.staff_detail, name="staff_detail"),
    path("org/staff/<int:pk>/active/", views_staff.staff_set_active, name="staff_set_active"),
    path("org/staff/<int:pk>/unlock/", views_staff.staff_unlock, name="staff_unlock"),
    path("org/staff/<int:pk>/logins/", views_staff.staff_logins, name="staff_logins"),
    path("org/staff/<int:pk>/changes/", views_staff.staff_changes, name="staff_changes"),
    # 조직관리 > 권한 관리, 권한할당 관리
    path("org/roles/", views_roles.roles, name="roles"),
    path("org/roles/new/", views_roles.role_new, name="role_new"),
    path("org/roles/<int:pk>/", views_roles.role_detail, name="role_detail"),
    path("org/roles/<int:pk>/edit/", views_roles.role_edit, name="role_edit"),
    path("org/assignments/", views_roles.assignments, name="assignments"),
    path("org/assignments/batch/", views_roles.assignments_batch, name="assignments_batch"),
    path("org/assignments/<int:pk>/", views_roles.assignment_user, name="assignment_user"),
    path(
        "org/assignments/remove/<int:pk>/",
        views_roles.assignment_remove,
        name="assignment_remove",
    ),
    # 조직관리 > 보육반장 관리, 보육반장 코드 관리
    path("org/guides/", views_guides.guides, name="guides"),
    path("org/guides/new/", views_guides.guide_new, name="guide_new"),
    path("org/guides/<int:pk>/", views_guides.guide_edit, name="guide_edit"),
    path("org/guides/<int:pk>/active/", views_guides.guide_set_active, name="guide_set_active"),
    path("org/guide-codes/", views_guides.guide_codes, name="guide_codes"),
    path("org/guide-codes/new/", views_guides.guide_code_new, name="guide_code_new"),
    path("org/guide-codes/<int:pk>/", views_guides.guide_code_edit, name="guide_code_edit"),
    path(
        "org/guide-codes/<int:pk>/delete/",
        views_guides.guide_code_delete,
        name="guide_code_delete",
    ),
    # 사용자관리
    path("users/approvals/", views_users.approvals, name="approvals"),
    path("users/approvals/<int:pk>/", views_users.approval_detail, name="approval_detail"),
    path("users/logins/", views_users.login_history, name="login_history"),
    path("users/audit/", views_users.audit_log, name="audit_log"),
    path("users/access/", views_users.access_records, name="access_records"),
    path(
        "users/access/export/",
        views_users.access_records_export,
        name="access_records_export",
    ),
    path("users/review/", views_users.monthly_review, name="monthly_review"),
    # 시스템운영관리 > 자치구·동 관리
    path("system/districts/", views_system.districts, name="districts"),
    path("system/districts/<int:pk>/", views_system.district_detail, name="district_detail"),
    path("system/dongs/<int:pk>/", views_system.dong_update, name="dong_update"),
]
