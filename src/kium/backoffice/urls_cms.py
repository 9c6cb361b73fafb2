"""CMS > 콘텐츠 관리 (BRD-5)."""

from django.urls import path

from kium.backoffice import views_cms, views_events

urlpatterns = [
    path("cms/pages/", views_cms.cms_pages, name="cms_pages"),
    path("cms/pages/<int:pk>/", views_cms.cms_page_edit, name="cms_page_edit"),
    path("cms/pages/<int:pk>/publish/", views_cms.cms_page_publish, name="cms_page_publish"),
    path("cms/pages/<int:pk>/revisions/", views_cms.cms_revisions, name="cms_revisions"),
    path(
        "cms/pages/<int:pk>/revisions/<int:number>/",
        views_cms.cms_revision,
        name="cms_revision",
    ),
]

# 홈페이지관리 > 행사 및 교육 (FAC-4) and 우리동네키움센터현황.
urlpatterns += [
    path("homepage/events/", views_events.events, name="events"),
    path("homepage/events/new/", views_events.event_edit, name="event_edit"),
    path("homepage/events/<int:pk>/", views_events.event_edit, name="event_edit"),
    path("homepage/village/", views_events.village_resources, name="village_resources"),
    path(
        "homepage/village/new/",
        views_events.village_resource_edit,
        name="village_resource_edit",
    ),
    path(
        "homepage/village/<int:pk>/",
        views_events.village_resource_edit,
        name="village_resource_edit",
    ),
    path("homepage/kium-status/", views_events.kium_status, name="kium_status"),
]
