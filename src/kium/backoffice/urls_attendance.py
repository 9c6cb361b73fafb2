"""출결관리 and RF카드관리 (ATT-1, ATT-2)."""

from django.urls import path

from kium.backoffice import views_attendance

urlpatterns = [
    path("attendance/cards/", views_attendance.cards, name="attendance_cards"),
    path("attendance/cards/<int:pk>/", views_attendance.card_detail, name="attendance_card"),
    path("attendance/readers/", views_attendance.readers, name="attendance_readers"),
    path("attendance/day/", views_attendance.day, name="attendance_day"),
    path("attendance/day/export/", views_attendance.day_export, name="attendance_day_export"),
    path(
        "attendance/children/<int:child_pk>/",
        views_attendance.child_history,
        name="attendance_child",
    ),
]
