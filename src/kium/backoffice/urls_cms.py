"""CMS > 콘텐츠 관리 (BRD-5)."""

from django.urls import path

from kium.backoffice import views_cms

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
