"""관리자 페이지 under /admin/. Auth screens and management screens live in two modules
so they can grow apart; both share the ``backoffice`` namespace."""

from kium.backoffice.urls_attendance import urlpatterns as attendance_urlpatterns
from kium.backoffice.urls_auth import urlpatterns as auth_urlpatterns
from kium.backoffice.urls_centres import urlpatterns as centres_urlpatterns
from kium.backoffice.urls_cms import urlpatterns as cms_urlpatterns
from kium.backoffice.urls_linked import urlpatterns as linked_urlpatterns
from kium.backoffice.urls_manage import urlpatterns as manage_urlpatterns
from kium.backoffice.urls_notifications import urlpatterns as notification_urlpatterns
from kium.backoffice.urls_reservations import urlpatterns as reservation_urlpatterns

app_name = "backoffice"

urlpatterns = (
    auth_urlpatterns
    + manage_urlpatterns
    + centres_urlpatterns
    + cms_urlpatterns
    + reservation_urlpatterns
    + attendance_urlpatterns
    + linked_urlpatterns
    + notification_urlpatterns
)
