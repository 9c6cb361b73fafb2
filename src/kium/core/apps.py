from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kium.core"
    label = "core"
    verbose_name = "공통"

    def ready(self) -> None:
        from kium.core.startup import refuse_unsafe_production_settings

        refuse_unsafe_production_settings()
