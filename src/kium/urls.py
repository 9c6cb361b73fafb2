from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("admin/", include("kium.backoffice.urls")),
    path("api/v1/", include("kium.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("kium.public.urls")),
]

if settings.KIUM_BENCH_ENDPOINTS:
    from kium.core import bench_views

    urlpatterns = [
        path("bench/ping", bench_views.ping),
        path("bench/minimal-booking", bench_views.minimal_booking),
        *urlpatterns,
    ]

handler404 = "kium.core.views.not_found"
handler500 = "kium.core.views.server_error"
