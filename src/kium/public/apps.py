from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "kium.public"
    label = "public"
