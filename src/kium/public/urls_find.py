"""돌봄 정보찾기 (FIND-1): the map, 맞춤형정보, facility pages and favourites."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
