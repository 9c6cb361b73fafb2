from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "kium.orgs"
    label = "orgs"
    verbose_name = "조직"
