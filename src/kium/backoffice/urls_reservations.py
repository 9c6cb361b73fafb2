"""예약관리 (RES-11): applications, users per care type, daily users, extensions,
waitlists and the capacity calendar."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
