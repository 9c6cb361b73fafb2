"""연계돌봄 (아동별 현황, ATT-3)."""

from django.urls import path

from kium.backoffice import views_linked

urlpatterns = [
    path("reservations/linked/", views_linked.search, name="linked"),
    path("reservations/linked/<int:child_pk>/", views_linked.child_detail, name="linked_child"),
]
