"""예약관리 (RES-11): applications, users per care type, daily users, extensions,
waitlists and the capacity calendar."""

from django.urls import path

from kium.backoffice import (
    views_reservations,
    views_reservations_manage,
    views_reservations_users,
)
from kium.reservations.enums import CareType

urlpatterns = [
    path(
        "reservations/applications/",
        views_reservations.applications,
        name="reservation_applications",
    ),
    path(
        "reservations/applications/export/",
        views_reservations.applications_export,
        name="reservation_applications_export",
    ),
    path(
        "reservations/applications/new/",
        views_reservations.offline_new,
        name="reservation_offline_new",
    ),
    path(
        "reservations/applications/<int:pk>/",
        views_reservations.application_detail,
        name="reservation_detail",
    ),
    path(
        "reservations/applications/<int:pk>/documents/<int:document_pk>/",
        views_reservations.application_document,
        name="reservation_document",
    ),
    path("reservations/daily/", views_reservations_users.daily, name="reservation_daily"),
    path(
        "reservations/daily/export/",
        views_reservations_users.daily_export,
        name="reservation_daily_export",
    ),
    path(
        "reservations/waitlists/",
        views_reservations_users.waitlist,
        name="reservation_waitlists",
    ),
    path(
        "reservations/calendar/",
        views_reservations_users.capacity_calendar,
        name="reservation_calendar",
    ),
    path(
        "reservations/extensions/",
        views_reservations_manage.extensions,
        name="reservation_extensions",
    ),
    path(
        "reservations/extensions/export/",
        views_reservations_manage.extensions_export,
        name="reservation_extensions_export",
    ),
    path(
        "reservations/policy/<facility_code:code>/",
        views_reservations_manage.centre_policy,
        name="reservation_policy",
    ),
]

for care_type in CareType.values:
    urlpatterns += [
        path(
            f"reservations/{care_type}/",
            views_reservations_users.users,
            {"care_type": care_type},
            name=f"reservation_users_{care_type}",
        ),
        path(
            f"reservations/{care_type}/export/",
            views_reservations_users.users_export,
            {"care_type": care_type},
            name=f"reservation_users_{care_type}_export",
        ),
    ]
