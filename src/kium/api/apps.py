from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kium.api"
    label = "api"
