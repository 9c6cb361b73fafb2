from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "kium.centres"
    label = "centres"
