from kium.public.urls_account import urlpatterns as account_urlpatterns
from kium.public.urls_attendance import urlpatterns as attendance_urlpatterns
from kium.public.urls_cms import urlpatterns as cms_urlpatterns
from kium.public.urls_find import urlpatterns as find_urlpatterns
from kium.public.urls_pages import urlpatterns as page_urlpatterns
from kium.public.urls_reserve import urlpatterns as reserve_urlpatterns

app_name = "public"

urlpatterns = (
    page_urlpatterns
    + account_urlpatterns
    + cms_urlpatterns
    + find_urlpatterns
    + reserve_urlpatterns
    + attendance_urlpatterns
)
