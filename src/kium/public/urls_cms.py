"""Information pages (BRD-5) under /info/."""

from django.urls import path

from kium.public import views_cms

urlpatterns = [
    path("info/contacts/<str:facility_type>/", views_cms.contacts, name="contacts"),
    path("info/district-offices/", views_cms.district_offices, name="district_offices"),
    path("info/<path:slug>/", views_cms.cms_page, name="cms_page"),
]
