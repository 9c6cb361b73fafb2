from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kium.core"
    label = "core"
    verbose_name = "공통"

    def ready(self) -> None:
        from django.urls import register_converter

        from kium.core.converters import FacilityCodeConverter
        from kium.core.startup import refuse_unsafe_production_settings

        refuse_unsafe_production_settings()
        # Before any URL module is imported: 시설코드 in every facility URL, anything
        # else a 404 before a query.
        register_converter(FacilityCodeConverter, "facility_code")
