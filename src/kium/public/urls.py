from kium.public.urls_account import urlpatterns as account_urlpatterns
from kium.public.urls_pages import urlpatterns as page_urlpatterns

app_name = "public"

urlpatterns = page_urlpatterns + account_urlpatterns
