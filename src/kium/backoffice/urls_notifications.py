"""알림톡 관리 (NTF-1): the send history."""

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
]
