from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "kium.backoffice"
    label = "backoffice"
