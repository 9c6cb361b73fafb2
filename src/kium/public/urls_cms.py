"""Information pages (BRD-5) under /info/."""

from django.urls import path

from kium.public import views_cms, views_events

urlpatterns = [
    path("info/contacts/<str:facility_type>/", views_cms.contacts, name="contacts"),
    path("info/district-offices/", views_cms.district_offices, name="district_offices"),
    path("info/<path:slug>/", views_cms.cms_page, name="cms_page"),
]

# 행사 및 교육 (FAC-4): 문화행사 and 마을돌봄자원.
urlpatterns += [
    path("events/", views_events.events, name="events"),
    path("events/<int:pk>/", views_events.event_detail, name="event_detail"),
    path("village/", views_events.village_resources, name="village_resources"),
]
