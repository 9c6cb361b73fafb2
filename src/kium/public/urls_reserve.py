"""예약신청 for guardians: reserve from a facility page, my reservations, offers."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
