from django.urls import path

from kium.backoffice import views, views_auth

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views_auth.login_view, name="login"),
    path("logout/", views_auth.logout_view, name="logout"),
    path("signup/", views_auth.signup_view, name="signup"),
    path("signup/done/", views_auth.signup_done, name="signup_done"),
    path("signup/verify/send", views_auth.signup_verify_send, name="signup_verify_send"),
    path("signup/verify/check", views_auth.signup_verify_check, name="signup_verify_check"),
    path("signup/phone-check", views_auth.signup_phone_check, name="signup_phone_check"),
    path("password/change/", views_auth.password_change, name="password_change"),
    path("password/reset/", views_auth.password_reset, name="password_reset"),
    path(
        "password/reset/<str:token>/",
        views_auth.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("find-id/", views_auth.find_id, name="find_id"),
    path("unlock/", views_auth.unlock, name="unlock"),
    path("session/status", views_auth.session_status, name="session_status"),
    path("session/extend", views_auth.session_extend, name="session_extend"),
]
