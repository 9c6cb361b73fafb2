"""시스템운영관리 > 이용분기·휴무일 관리 and the facility's 예약정보 tab (issue 3)."""

from django.urls import path

from kium.backoffice import views_capacity, views_centres

urlpatterns = [
    path("system/quarters/", views_centres.quarters, name="quarters"),
    path("system/quarters/<int:pk>/", views_centres.quarter_edit, name="quarter_edit"),
    path("system/holidays/", views_centres.holidays, name="holidays"),
    path(
        "system/holidays/<int:pk>/delete/",
        views_centres.holiday_remove,
        name="holiday_remove",
    ),
    path(
        "centres/facilities/<facility_code:code>/reservation-info/",
        views_centres.facility_reservation_info,
        name="facility_reservation_info",
    ),
    path(
        "centres/facilities/<facility_code:code>/closed-days/<int:pk>/delete/",
        views_centres.facility_closed_day_remove,
        name="facility_closed_day_remove",
    ),
    path(
        "centres/facilities/<facility_code:code>/capacity/",
        views_capacity.facility_capacity,
        name="facility_capacity",
    ),
]
