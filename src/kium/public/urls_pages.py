from django.urls import path

from kium.public import views

urlpatterns = [
    path("", views.home, name="home"),
]
