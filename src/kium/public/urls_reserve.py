"""예약신청 for guardians: reserve from a facility page, my reservations, offers."""

from django.urls import path

from kium.public import views_reserve, views_reserve_mine

urlpatterns = [
    # 예약하기 in three steps from a facility page.
    path("facilities/<facility_code:code>/reserve/", views_reserve.reserve, name="reserve"),
    path(
        "facilities/<facility_code:code>/reserve/details/",
        views_reserve.reserve_details,
        name="reserve_details",
    ),
    path(
        "facilities/<facility_code:code>/reserve/confirm/",
        views_reserve.reserve_confirm,
        name="reserve_confirm",
    ),
    # 내 예약.
    path("reservations/", views_reserve_mine.reservations_home, name="reservations"),
    path("accounts/reservations/", views_reserve_mine.my_reservations, name="my_reservations"),
    path(
        "accounts/reservations/<int:pk>/",
        views_reserve_mine.reservation_detail,
        name="reservation_detail",
    ),
    path("accounts/reservations/<int:pk>/done/", views_reserve.reserve_done, name="reserve_done"),
    path(
        "accounts/reservations/<int:pk>/cancel/",
        views_reserve_mine.reservation_cancel,
        name="reservation_cancel",
    ),
    path(
        "accounts/reservations/<int:pk>/accept/",
        views_reserve_mine.reservation_accept,
        name="reservation_accept",
    ),
    path(
        "accounts/reservations/<int:pk>/extension/",
        views_reserve_mine.reservation_extension,
        name="reservation_extension",
    ),
    path(
        "accounts/reservations/<int:pk>/consents/",
        views_reserve_mine.reservation_consents,
        name="reservation_consents",
    ),
    path(
        "accounts/reservations/<int:pk>/documents/",
        views_reserve_mine.reservation_document_add,
        name="reservation_document_add",
    ),
    path(
        "accounts/reservations/documents/<int:pk>/",
        views_reserve_mine.reservation_document,
        name="reservation_document",
    ),
    path(
        "accounts/reservations/<int:pk>/convert/",
        views_reserve.reservation_convert,
        name="reservation_convert",
    ),
]
