"""URLconf of the rush bench's third baseline: the minimal booking behind Django's whole
request stack (every middleware of the deployed settings), never part of a deployment."""

from django.urls import path

from kium.core import bench_views

urlpatterns = [path("bench/django/minimal-booking", bench_views.minimal_booking)]
