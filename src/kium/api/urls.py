from django.urls import path

from kium.api.main import api

urlpatterns = [path("", api.urls)]
