from django.urls import path

from kium.backoffice import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
