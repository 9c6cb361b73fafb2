"""알림톡 관리 (NTF-1): the send history and the templates per event."""

from django.urls import path

from kium.backoffice import views_notifications

urlpatterns = [
    path(
        "notifications/history/",
        views_notifications.send_history,
        name="notification_history",
    ),
    path(
        "notifications/history/<int:pk>/resend/",
        views_notifications.resend,
        name="notification_resend",
    ),
    path(
        "notifications/templates/",
        views_notifications.template_list,
        name="notification_templates",
    ),
    path(
        "notifications/templates/<str:event>/",
        views_notifications.template_edit,
        name="notification_template_edit",
    ),
    path(
        "notifications/templates/<str:event>/toggle/",
        views_notifications.template_toggle,
        name="notification_template_toggle",
    ),
    path(
        "notifications/templates/<str:event>/reset/",
        views_notifications.template_reset,
        name="notification_template_reset",
    ),
]
