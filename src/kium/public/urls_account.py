from django.urls import path

from kium.public import views_account as views
from kium.public import views_notify_prefs

urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/signup/verify/send", views.signup_verify_send, name="signup_verify_send"),
    path("accounts/signup/verify/check", views.signup_verify_check, name="signup_verify_check"),
    path("accounts/signup/phone-check", views.signup_phone_check, name="signup_phone_check"),
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/password/reset/", views.password_reset, name="password_reset"),
    path(
        "accounts/password/reset/<str:token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("accounts/find-id/", views.find_id, name="find_id"),
    path("accounts/unlock/", views.unlock, name="unlock"),
    path("accounts/profile/", views.profile, name="profile"),
    path(
        "accounts/notifications/",
        views_notify_prefs.notification_settings,
        name="account_notifications",
    ),
    path("accounts/children/", views.children, name="children"),
    path("accounts/children/add/", views.child_add, name="child_add"),
    path("accounts/children/<int:pk>/edit/", views.child_edit, name="child_edit"),
]
