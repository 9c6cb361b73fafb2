"""출결 확인 for guardians (ATT-4)."""

from django.urls import path

from kium.public import views_attendance

urlpatterns = [
    path("accounts/attendance/", views_attendance.attendance, name="attendance"),
]
